"""The competency-development reports (JP compliance, who is at risk, the gap heat map, budget use,
effectiveness) and the optimal allocation over REST, with the same scope as the report pages: agency HR and
auditors their agency, a regional office its provinces' agencies, the national admin every agency."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from learning import rules, selectors
from learning.api.common import valid
from learning.models import JpEntry
from learning.views.allocation import REASON_TEXT, accept_signed, hr_agency, run_proposal
from learning.views.reports import (
    Scope,
    budget_use,
    default_group,
    effectiveness_rows,
    report_agencies,
    resolve_agency,
)
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
        return Response(BudgetUseSerializer(budget_use(scope.agency_ids, scope.year), many=True).data)

    @extend_schema(parameters=[YEAR, AGENCY], responses=EffectivenessRowSerializer(many=True))
    @action(detail=False)
    def effectiveness(self, request):
        """Per programme and provider: participants, completion, reaction, pre→post gain, behaviour changed."""
        scope = report_scope(request)
        return Response(EffectivenessRowSerializer(effectiveness_rows(scope), many=True).data)


# ---- optimal allocation -------------------------------------------------------------------------------------------


class ProposeQuerySerializer(serializers.Serializer):
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
    seconds = serializers.FloatField()
    still_short = StillShortSerializer(many=True)
    token = serializers.CharField(help_text="signed proposal to accept; empty when there is nothing to enrol")


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
    }


class AllocationViewSet(viewsets.GenericViewSet):
    """The optimal allocation of an agency's remaining training budget: the agency's HR."""

    filter_backends = []
    pagination_class = None
    serializer_class = ProposalSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", int, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("gap", float, description="weight per competency level closed"),
            OpenApiParameter("compliance", float, description="weight per PNS brought to 20 JP"),
            OpenApiParameter("coaching", float, description="extra share of the gap value under a coaching plan"),
            OpenApiParameter("max_events", int, description="events per person"),
        ],
        responses=ProposalSerializer,
    )
    @action(detail=False)
    def propose(self, request):
        """The exact 0/1 plan beside the greedy one, who is still short and why, and a signed token to accept."""
        actor = get_actor(request.user)
        q = valid(ProposeQuerySerializer, request.query_params)
        agency = hr_agency(actor, q["agency"])
        weights = rules.Weights(
            gap=q["gap"], compliance=q["compliance"], coaching=q["coaching"], max_events=q["max_events"]
        )
        result = run_proposal(agency=agency, year=q["year"], weights=weights, user_id=request.user.pk)
        employees = result["employees"]
        data = {
            "year": result["year"],
            "budget": result["budget"],
            "exact": _summary(result["exact"], employees),
            "greedy": _summary(result["greedy"], employees),
            "gain": result["gain"],
            "gain_pct": result["gain_pct"],
            "seconds": result["seconds"],
            "still_short": result["short"],
            "token": result["token"],
        }
        return Response(ProposalSerializer(data).data)

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
