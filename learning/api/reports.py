"""The competency-development reports (JP compliance, who is at risk, the gap heat map, budget use,
effectiveness) and the optimal allocation over REST, with the same scope as the report pages: agency HR and
auditors their agency, a regional office its provinces' agencies, the national admin every agency."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from learning import allocation, rules, selectors, services
from learning.access import access_allocation_run, hr_agency, report_agencies, resolve_agency
from learning.api.common import valid
from learning.models import AllocationRun, JpEntry
from learning.views.allocation import REASON_TEXT, accept_signed, describe, run_progress
from learning.views.reports import Scope, _pct, default_group, effectiveness_rows
from performance.api.common import EmployeeRefSerializer

GROUPS = ("unit", "agency", "region")


class ReportQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    agency = serializers.IntegerField(required=False, help_text="one agency id; by default every agency in scope")
    group = serializers.ChoiceField(choices=GROUPS, required=False)


YEAR = OpenApiParameter("year", int, description="by default the current year")
AGENCY = OpenApiParameter("agency", int, description="agency id; by default every agency the caller reports on")
GROUP = OpenApiParameter(
    "group", str, enum=list(GROUPS), description="unit, agency or region; units for one agency, else agencies"
)


def report_scope(request, *, groups=()) -> Scope:
    """The caller's report scope from the query string (404 outside it, 400 on a malformed parameter)."""
    actor = get_actor(request.user)
    q = valid(ReportQuerySerializer, request.query_params)
    agencies = report_agencies(actor)
    agency = resolve_agency(agencies, q.get("agency"))
    group = (q.get("group") or default_group(agency, groups)) if groups else None
    return Scope(actor, agencies, agency, q.get("year") or timezone.localdate().year, group)


class ComplianceRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="unit, agency or province id")
    name = serializers.CharField(allow_null=True)
    pns = serializers.IntegerField(help_text="PNS and CPNS counted")
    met = serializers.IntegerField(help_text="of them with at least 20 JP")
    rate = serializers.FloatField(allow_null=True)
    mean_jp = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    pppk = serializers.IntegerField()
    pppk_over = serializers.IntegerField(help_text="PPPK above 24 JP")


class AtRiskRowSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    unit = serializers.CharField(source="employee.current_unit.name", allow_null=True, default=None)
    jp = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="booked this year")
    booked = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="in seats held for the rest of the year"
    )
    short = serializers.DecimalField(max_digits=8, decimal_places=2)


class HeatGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(allow_null=True)


class HeatCompetencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class HeatCellSerializer(serializers.Serializer):
    group = serializers.IntegerField(allow_null=True)
    competency = serializers.IntegerField()
    mean_gap = serializers.FloatField()


class GapHeatmapSerializer(serializers.Serializer):
    groups = HeatGroupSerializer(many=True)
    competencies = HeatCompetencySerializer(many=True, help_text="largest total gap first")
    cells = HeatCellSerializer(many=True)


class BudgetUseSerializer(serializers.Serializer):
    agency_id = serializers.IntegerField()
    agency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True, help_text="null: not set")
    committed = serializers.DecimalField(max_digits=16, decimal_places=0)
    spent = serializers.DecimalField(max_digits=16, decimal_places=0)
    available = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True)
    pct = serializers.FloatField(allow_null=True, help_text="committed and spent, % of the ceiling")


class EffectivenessRowSerializer(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="only when several agencies are reported one by one")
    program_id = serializers.IntegerField()
    program = serializers.CharField()
    provider = serializers.CharField()
    participants = serializers.IntegerField()
    completion = serializers.FloatField(help_text="share passed")
    reaction = serializers.FloatField(allow_null=True, help_text="mean of the four aspects, 1–5")
    gain = serializers.FloatField(allow_null=True, help_text="mean post-test minus pre-test")
    followed = serializers.IntegerField(help_text="followed up by the supervisor")
    changed = serializers.FloatField(allow_null=True, help_text="share of the followed up whose behaviour changed")


class LearningReportViewSet(viewsets.GenericViewSet):
    """Reports of competency development for the agencies the caller reports on."""

    filter_backends = []
    pagination_class = None
    serializer_class = ComplianceRowSerializer

    def get_queryset(self):
        # The browsable API asks a list view for one to draw its filter form; the reports have none to filter.
        return JpEntry.objects.none()

    @extend_schema(parameters=[YEAR, AGENCY, GROUP], responses=ComplianceRowSerializer(many=True))
    @action(detail=False)
    def compliance(self, request):
        """PNS reaching 20 JP and PPPK above 24 JP per unit, agency or region (selectors.compliance_by)."""
        scope = report_scope(request, groups=GROUPS)
        rows = selectors.compliance_by(scope.employees(), scope.year, scope.group)
        return Response(ComplianceRowSerializer(rows, many=True).data)

    @extend_schema(parameters=[YEAR, AGENCY], responses=AtRiskRowSerializer(many=True))
    @action(detail=False, url_path="at-risk")
    def at_risk(self, request):
        """PNS behind the pace to 20 JP whose seats booked for the rest of the year do not cover it."""
        scope = report_scope(request)
        rows = selectors.at_risk(scope.employees(), scope.year, timezone.localdate())
        return Response(AtRiskRowSerializer(rows, many=True).data)

    @extend_schema(parameters=[AGENCY, GROUP], responses=GapHeatmapSerializer)
    @action(detail=False, url_path="gap-heatmap")
    def gap_heatmap(self, request):
        """Mean competency gap per unit, agency or region (assessed employees only)."""
        scope = report_scope(request, groups=GROUPS)
        heat = selectors.gap_heatmap(scope.employees(), scope.group)
        data = {
            "groups": [{"id": g, "name": name} for g, name in heat["groups"]],
            "competencies": [{"id": c, "code": code} for c, code in heat["competencies"]],
            "cells": [{"group": g, "competency": c, "mean_gap": v} for (g, c), v in heat["cells"].items()],
        }
        return Response(GapHeatmapSerializer(data).data)

    @extend_schema(parameters=[YEAR, AGENCY], responses=BudgetUseSerializer(many=True))
    @action(detail=False)
    def budget(self, request):
        """Per agency: the year's ceiling, committed, spent and left."""
        scope = report_scope(request)
        rows = selectors.budget_by_agency(scope.agency_ids, scope.year)
        for r in rows:
            r["pct"] = _pct(r["committed"] + r["spent"], r["amount"])
        return Response(BudgetUseSerializer(rows, many=True).data)

    @extend_schema(parameters=[YEAR, AGENCY], responses=EffectivenessRowSerializer(many=True))
    @action(detail=False)
    def effectiveness(self, request):
        """Per programme and provider: participants, completion, reaction, pre→post gain, behaviour changed."""
        scope = report_scope(request)
        return Response(EffectivenessRowSerializer(effectiveness_rows(scope), many=True).data)


# ---- optimal allocation -------------------------------------------------------------------------------------------


class RunInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    gap = serializers.FloatField(min_value=0, max_value=1000, default=rules.Weights.gap)
    compliance = serializers.FloatField(min_value=0, max_value=1000, default=rules.Weights.compliance)
    coaching = serializers.FloatField(min_value=0, max_value=10, default=rules.Weights.coaching)
    max_events = serializers.IntegerField(min_value=1, max_value=10, default=rules.Weights.max_events)


class PairSerializer(serializers.Serializer):
    employee = serializers.CharField(help_text="NIP")
    event = serializers.IntegerField()


class PlanSummarySerializer(serializers.Serializer):
    value = serializers.FloatField()
    cost = serializers.IntegerField()
    enrollments = PairSerializer(many=True)
    compliant = serializers.IntegerField(help_text="PNS brought to 20 JP")
    still_short = serializers.IntegerField()
    optimal = serializers.BooleanField(help_text="proved optimal (the exact plan)")
    gap = serializers.FloatField(
        allow_null=True, help_text="relative gap to the proven bound when the time limit stopped the solver"
    )


class StillShortSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    reason = serializers.ChoiceField(choices=list(REASON_TEXT))
    reason_text = serializers.CharField()
    jp = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="booked and already held seats")
    shortfall = serializers.DecimalField(max_digits=8, decimal_places=2)
    planned = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="JP the proposal gives")


class ProposalSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget = serializers.IntegerField(help_text="what was left of the year's budget")
    exact = PlanSummarySerializer()
    greedy = PlanSummarySerializer()
    gain = serializers.FloatField(help_text="exact value minus greedy value")
    gain_pct = serializers.FloatField(allow_null=True)
    seconds = serializers.FloatField(help_text="the whole computation: model, exact and greedy plan")
    solve_seconds = serializers.FloatField(help_text="the exact solve alone")
    time_limit = serializers.FloatField(help_text="seconds the solver was allowed")
    fallback = serializers.BooleanField(help_text="no plan within the time limit: the exact plan is the greedy one")
    stale = serializers.BooleanField(help_text="the data changed since the computation; it can no longer be accepted")
    still_short = StillShortSerializer(many=True)
    token = serializers.CharField(
        help_text="signed proposal to accept; empty when there is nothing to enrol or the data changed since"
    )


class RunSerializer(serializers.Serializer):
    uid = serializers.CharField()
    url = serializers.CharField(help_text="this run in the API")
    page = serializers.CharField(help_text="this run on the web")
    agency = serializers.IntegerField()
    year = serializers.IntegerField()
    weights = serializers.DictField()
    status = serializers.ChoiceField(choices=AllocationRun.Status.choices)
    status_text = serializers.CharField()
    stage = serializers.CharField(help_text="build, solve or greedy while running")
    stage_text = serializers.CharField()
    requested_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    elapsed = serializers.FloatField(help_text="seconds since it started (or was queued), until it finished")
    error = serializers.CharField(help_text="why it failed")
    result = ProposalSerializer(allow_null=True, help_text="when done")


class AcceptInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    token = serializers.CharField()


class AcceptResultSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    enrollments = serializers.ListField(child=serializers.IntegerField())


def _summary(plan, employees) -> dict:
    return {
        "value": plan.value,
        "cost": plan.cost,
        "enrollments": [{"employee": employees[p].nip, "event": e} for p, e in plan.pairs],
        "compliant": len(plan.compliant),
        "still_short": len(plan.still_short),
        "optimal": plan.optimal,
        "gap": plan.gap,
    }


def _run_data(request, run: AllocationRun) -> dict:
    data = {
        "uid": run.uid,
        "url": request.build_absolute_uri(reverse("learning-allocation-run", kwargs={"uid": run.uid})),
        "page": request.build_absolute_uri(
            reverse("learning:allocation_run", kwargs={"agency_id": run.agency_id, "uid": run.uid})
        ),
        "agency": run.agency_id,
        "year": run.year,
        "weights": run.weights,
        "status": run.status,
        "status_text": run.get_status_display(),
        "stage": run.stage,
        "stage_text": run.get_stage_display() if run.stage else "",
        "requested_by": str(run.requested_by),
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "elapsed": run_progress(run)["elapsed"],
        "error": run.error,
        "result": None,
    }
    if run.status == AllocationRun.Status.DONE:
        result = describe(run, user_id=request.user.pk)
        employees = result["employees"]
        data["result"] = {
            "year": result["year"],
            "budget": result["budget"],
            "exact": _summary(result["exact"], employees),
            "greedy": _summary(result["greedy"], employees),
            "gain": result["gain"],
            "gain_pct": result["gain_pct"],
            "seconds": result["seconds"],
            "solve_seconds": result["solve_seconds"],
            "time_limit": result["time_limit"],
            "fallback": result["fallback"],
            "stale": result["stale"],
            "still_short": result["short"],
            "token": result["token"],
        }
    return data


class AllocationViewSet(viewsets.GenericViewSet):
    """The optimal allocation of an agency's remaining training budget: the agency's HR."""

    filter_backends = []
    pagination_class = None
    serializer_class = RunSerializer

    @extend_schema(request=RunInputSerializer, responses={201: RunSerializer, 409: RunSerializer})
    @action(detail=False, methods=["post"])
    def runs(self, request):
        """Queue the computation of the exact plan beside the greedy one (a background task with a time
        limit); poll the run's url for its stage and, when done, its result and a signed token to accept.
        409 with the run still going when one for the same agency and year is queued or running."""
        actor = get_actor(request.user)
        q = valid(RunInputSerializer, request.data)
        agency = hr_agency(actor, q["agency"])
        weights = rules.Weights(
            gap=q["gap"], compliance=q["compliance"], coaching=q["coaching"], max_events=q["max_events"]
        )
        try:
            run = services.allocation_run_request(actor=actor, agency=agency, year=q["year"], weights=weights)
        except DomainError as exc:
            busy = allocation.active_run(agency.pk, q["year"]) if exc.code == "busy" else None
            if busy is None:
                raise
            return Response({"detail": exc.message} | _run_data(request, busy), status=status.HTTP_409_CONFLICT)
        run.refresh_from_db()  # with the in-process task backend it has already run
        return Response(RunSerializer(_run_data(request, run)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RunSerializer)
    @action(detail=False, url_path=r"runs/(?P<uid>[0-9a-f]{24})", url_name="run")
    def run(self, request, uid: str):
        """A run: its status and stage while it runs; when done the exact and greedy plans, who is still
        short and why, and a token to accept (empty once the data has changed since)."""
        actor = get_actor(request.user)
        candidate = AllocationRun.objects.filter(uid=uid).values_list("agency_id", flat=True).first()
        if candidate is None:
            raise Http404
        run = access_allocation_run(actor, candidate, uid)
        return Response(RunSerializer(_run_data(request, run)).data)

    @extend_schema(request=AcceptInputSerializer, responses={201: AcceptResultSerializer})
    @action(detail=False, methods=["post"])
    def accept(self, request):
        """Create the enrolments of a signed proposal still current (allocation.accept); refused when
        tampered with, someone else's, older than an hour or overtaken by any change since."""
        actor = get_actor(request.user)
        data = valid(AcceptInputSerializer, request.data)
        agency = hr_agency(actor, data["agency"])
        try:
            year, created = accept_signed(actor=actor, agency=agency, token=data["token"], user_id=request.user.pk)
        except DomainError as exc:
            raise DomainError(exc.message, field="token", code=exc.code) from None
        return Response({"year": year, "enrollments": [e.pk for e in created]}, status=status.HTTP_201_CREATED)
