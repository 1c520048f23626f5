"""The performance cycle over REST: the pages' reads through the same choke points (``visible_to`` for lists,
``access_*`` for one object), and one endpoint per workflow step, each calling the service that checks the
actor's part and writes the audit record.

Out of scope answers 404 exactly like missing; a service's PermissionDenied answers 403 and its DomainError
400 (core.api.exception_handler). An id in a request body is looked up inside the plan or year it belongs to;
an unknown one answers 400 on that field, the same whether it does not exist or is out of reach.
"""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from organization.access import access_agency, access_unit
from organization.models import Agency, OrgUnit, Position
from performance import selectors
from performance.access import access_skp, access_year
from performance.choices import (
    Aspect,
    Behaviour,
    CurvePolicy,
    Frequency,
    OrgPredikat,
    PlanState,
    Rating,
    Rounding,
    SkpStatus,
)
from performance.models import (
    Assessment,
    BehaviourExpectation,
    CoachingAction,
    CoachingPlan,
    Evidence,
    Feedback,
    Indicator,
    IndicatorPeriod,
    OrgRating,
    PerformanceSettings,
    PerformanceYear,
    Period,
    Realization,
    Rhk,
    RhkIndicator,
    Skp,
    SkpVersion,
)
from performance.services import during, plan, rating, setup
from performance.services.common import actor_employee, is_assessor, supervision_problem
from personnel.models import Employee
from personnel.querysets import employee_scope_q
from personnel.supervision import employee_snapshot

# ---- shared pieces -------------------------------------------------------------------------------


def _valid(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def _one(queryset, pk, field: str, message: str):
    """The object with this id in the queryset, or a 400 on the field (None when no id was given)."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise DomainError(message, field=field)
    return obj


def _period_in(perf_year_id: int, pk: int | None, field: str = "period") -> Period | None:
    return _one(
        Period.objects.filter(perf_year_id=perf_year_id).select_related("perf_year"),
        pk,
        field,
        _("Periode bukan bagian dari tahun kinerja ini."),
    )


def _rhk_in(skp: Skp, pk: int | None) -> Rhk | None:
    return _one(
        skp.rhks.select_related("skp__employee", "skp__perf_year"), pk, "rhk", _("RHK bukan bagian dari SKP ini.")
    )


def _pk(value) -> int:
    """An id from the URL: anything but digits names nothing, so 404."""
    if not str(value).isdigit():
        raise Http404
    return int(value)


def _query_id(request, name: str, *, required: bool = True) -> int | None:
    """An id from the query string: 400 when missing or not a number (its object is then looked up like a URL's)."""
    raw = request.query_params.get(name)
    if not raw:
        if required:
            raise DomainError(_("Parameter ini wajib diisi."), field=name)
        return None
    if not raw.isdigit():
        raise DomainError(_("Isi dengan angka id."), field=name)
    return int(raw)


def _query_param(name: str, description: str, *, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, int, OpenApiParameter.QUERY, required=required, description=description)


# ---- serializers: references ---------------------------------------------------------------------


class EmployeeRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        fields = ["nip", "name", "full_name"]


class PositionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "title"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "number", "label", "start", "end", "is_final"]


class RhkRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rhk
        fields = ["id", "text"]


class IndicatorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name"]


class PredikatCountsSerializer(serializers.Serializer):
    sangat_baik = serializers.IntegerField()
    baik = serializers.IntegerField()
    butuh_perbaikan = serializers.IntegerField()
    kurang = serializers.IntegerField()
    sangat_kurang = serializers.IntegerField()


class PlanStateCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    draft = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    assessed = serializers.IntegerField()


# ---- performance years ---------------------------------------------------------------------------


class PerformanceYearSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = PerformanceYear
        fields = ["id", "agency", "agency_id", "year", "frequency", "closed_at", "periods"]


class YearOpenSerializer(serializers.Serializer):
    agency = serializers.IntegerField(help_text="agency id")
    year = serializers.IntegerField()


class UnitPlanStatesSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="top-level unit (OPD)")
    counts = PlanStateCountsSerializer()
    total = serializers.IntegerField()


class PlanStatesSerializer(serializers.Serializer):
    totals = PlanStateCountsSerializer()
    by_unit = UnitPlanStatesSerializer(many=True)


class YearOverYearSerializer(PredikatCountsSerializer):
    year = serializers.IntegerField()


class OverdueSupervisorSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    position = serializers.CharField(source="employee.current_position.title", allow_null=True)
    waiting = serializers.IntegerField(help_text="plans waiting for approval too long")
    unrated = serializers.IntegerField(help_text="ended periods left unrated")


class RewardSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="pk")
    employee = EmployeeRefSerializer(source="skp.employee")
    position = serializers.CharField(source="skp.position.title")
    unit = serializers.CharField(source="skp.unit.name")

    class Meta:
        model = Assessment
        fields = ["assessment", "employee", "position", "unit", "predikat"]


class CoachingActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoachingAction
        fields = ["id", "action", "owner", "start", "due", "done_at"]


class CoachingPlanSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    period = serializers.IntegerField(source="assessment.period_id")
    period_label = serializers.CharField(source="assessment.period.label")
    predikat = serializers.CharField(source="assessment.predikat")
    actions = CoachingActionSerializer(many=True)

    class Meta:
        model = CoachingPlan
        fields = ["id", "employee", "assessment", "period", "period_label", "predikat", "status", "goal", "actions"]


class DashboardSerializer(serializers.Serializer):
    perf_year = serializers.IntegerField()
    year = serializers.IntegerField()
    agency = serializers.CharField()
    plan_states = PlanStatesSerializer()
    predikat_distribution = PredikatCountsSerializer(help_text="final annual predikat")
    year_over_year = YearOverYearSerializer(many=True)
    overdue_supervisors = OverdueSupervisorSerializer(many=True)
    rewards = RewardSerializer(many=True)
    coaching = CoachingPlanSerializer(many=True)


def coaching_plans():
    return (
        CoachingPlan.objects.select_related("employee", "assessment__period")
        .prefetch_related("actions")
        .order_by("employee__name", "id")
    )


def dashboard_data(perf_year: PerformanceYear) -> dict:
    """What the agency dashboard shows for the year, from the same selectors."""
    agency_id = perf_year.agency_id
    states = selectors.plan_states(agency_id, perf_year)
    units = {u.pk: (u.name, u.path) for u in OrgUnit.objects.filter(agency_id=agency_id, depth=0)}
    by_unit = selectors.top_units_of(states, units)
    return {
        "perf_year": perf_year.pk,
        "year": perf_year.year,
        "agency": perf_year.agency.code,
        "plan_states": {
            "totals": {s: sum(1 for r in states if r["state"] == s) for s in PlanState.values},
            "by_unit": [
                {"unit": name, "counts": {s: c.get(s, 0) for s in PlanState.values}, "total": sum(c.values())}
                for name, c in by_unit.items()
            ],
        },
        "predikat_distribution": selectors.predikat_distribution(perf_year),
        "year_over_year": selectors.year_over_year(agency_id),
        "overdue_supervisors": selectors.overdue_supervisors(perf_year),
        "rewards": list(selectors.rewards(perf_year)),
        "coaching": list(coaching_plans().filter(assessment__skp__perf_year=perf_year)),
    }


class PerformanceYearFilter(filters.FilterSet):
    agency = filters.NumberFilter(field_name="agency_id")
    year = filters.NumberFilter()
    open = filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", help_text="not closed yet")

    class Meta:
        model = PerformanceYear
        fields = []


class PerformanceYearViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Performance years of the agencies in the caller's scope (and of the caller's own agency), with periods."""

    serializer_class = PerformanceYearSerializer
    filterset_class = PerformanceYearFilter

    def get_queryset(self):
        return (
            PerformanceYear.objects.visible_to(get_actor(self.request.user))
            .select_related("agency")
            .prefetch_related("periods")
            .order_by("-year", "agency_id")
        )

    def get_object(self):
        year = access_year(get_actor(self.request.user), _pk(self.kwargs["pk"]))
        prefetch_related_objects([year], "periods")
        return year

    @extend_schema(request=YearOpenSerializer, responses={201: PerformanceYearSerializer})
    def create(self, request):
        """Open a year with its periods (setup.year_open): the agency's HR admin."""
        actor = get_actor(request.user)
        data = _valid(YearOpenSerializer, request.data)
        agency = _one(Agency.objects.visible_to(actor), data["agency"], "agency", _("Instansi tidak ditemukan."))
        py = setup.year_open(actor=actor, agency=agency, year=data["year"])
        prefetch_related_objects([py], "periods")
        return Response(self.get_serializer(py).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PerformanceYearSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the year once every approved plan has a final annual rating (rating.year_close)."""
        actor = get_actor(request.user)
        py = rating.year_close(actor=actor, perf_year=access_year(actor, _pk(pk)))
        prefetch_related_objects([py], "agency", "periods")
        return Response(self.get_serializer(py).data)

    @extend_schema(responses=DashboardSerializer)
    @action(detail=True)
    def dashboard(self, request, pk=None):
        """The agency dashboard: plan states, predikat curve, year over year, overdue supervisors, follow-up."""
        actor = get_actor(request.user)
        perf_year = access_year(actor, _pk(pk))
        if not actor.can_read_agency(perf_year.agency_id):
            raise Http404
        return Response(DashboardSerializer(dashboard_data(perf_year)).data)


# ---- agency settings -----------------------------------------------------------------------------


class PerformanceSettingsSerializer(serializers.ModelSerializer):
    agency = serializers.IntegerField(source="agency_id", read_only=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    curve_policy = serializers.ChoiceField(choices=CurvePolicy.choices)
    rounding = serializers.ChoiceField(choices=Rounding.choices)

    class Meta:
        model = PerformanceSettings
        fields = ["agency", "frequency", "curve_policy", "rounding"]


AGENCY_PATH = OpenApiParameter("agency_id", int, OpenApiParameter.PATH, description="agency id")


class PerformanceSettingsViewSet(viewsets.GenericViewSet):
    """An agency's choices where the regulation leaves them open; read by the dashboard's readers."""

    serializer_class = PerformanceSettingsSerializer
    filter_backends = []
    lookup_url_kwarg = "agency_id"

    def get_object(self) -> PerformanceSettings:
        actor = get_actor(self.request.user)
        agency = access_agency(actor, _pk(self.kwargs["agency_id"]))
        if not actor.can_read_agency(agency.pk):
            raise Http404
        return setup.settings_for(agency)

    @extend_schema(parameters=[AGENCY_PATH])
    def retrieve(self, request, agency_id=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(parameters=[AGENCY_PATH])
    def update(self, request, agency_id=None):
        """Change the period length, curve policy and rounding (setup.settings_update): the HR admin."""
        current = self.get_object()
        data = _valid(PerformanceSettingsSerializer, request.data)
        obj = setup.settings_update(actor=get_actor(request.user), agency=current.agency, **data)
        return Response(self.get_serializer(obj).data)


# ---- indicators (IKU) ----------------------------------------------------------------------------


class IndicatorPeriodSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(source="period.label")

    class Meta:
        model = IndicatorPeriod
        fields = ["id", "period", "period_label", "target", "realization", "evidence_url", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", allow_null=True)
    period_values = IndicatorPeriodSerializer(many=True)

    class Meta:
        model = Indicator
        fields = ["id", "perf_year", "unit", "unit_name", "code", "name", "measure", "annual_target", "period_values"]


class IndicatorCreateSerializer(serializers.Serializer):
    perf_year = serializers.IntegerField()
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="empty: an IKU of the agency")
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=300)
    measure = serializers.CharField(max_length=40)
    annual_target = serializers.DecimalField(max_digits=14, decimal_places=2)
    period_targets = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        required=False,
        help_text="target per period number; by default the annual target split cumulatively",
    )


class IndicatorRealizeSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text="id of the indicator's period value")
    realization = serializers.DecimalField(max_digits=14, decimal_places=2)
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class IndicatorFilter(filters.FilterSet):
    perf_year = filters.NumberFilter(field_name="perf_year_id")
    unit = filters.NumberFilter(field_name="unit_id")

    class Meta:
        model = Indicator
        fields = []


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indikator kinerja utama of the years the caller sees, with target and realization per period."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        years = PerformanceYear.objects.visible_to(get_actor(self.request.user)).values("pk")
        return (
            Indicator.objects.filter(perf_year__in=years)
            .select_related("unit")
            .prefetch_related(
                Prefetch(
                    "period_values",
                    queryset=IndicatorPeriod.objects.select_related("period").order_by("period__number"),
                )
            )
            .order_by("perf_year_id", "unit_id", "code")
        )

    @extend_schema(request=IndicatorCreateSerializer, responses={201: IndicatorSerializer})
    def create(self, request):
        """Add an IKU to the agency or a unit (setup.indicator_create): the HR admin."""
        actor = get_actor(request.user)
        data = _valid(IndicatorCreateSerializer, request.data)
        perf_year = _one(
            PerformanceYear.objects.visible_to(actor),
            data["perf_year"],
            "perf_year",
            _("Tahun kinerja tidak ditemukan."),
        )
        unit = _one(
            OrgUnit.objects.filter(agency_id=perf_year.agency_id),
            data.get("unit"),
            "unit",
            _("Unit tidak ditemukan di instansi ini."),
        )
        targets = {}
        for number, value in (data.get("period_targets") or {}).items():
            if not str(number).isdigit():
                raise DomainError(_("Kunci target adalah nomor periode."), field="period_targets")
            targets[int(number)] = value
        ind = setup.indicator_create(
            actor=actor,
            perf_year=perf_year,
            unit=unit,
            code=data["code"],
            name=data["name"],
            measure=data["measure"],
            annual_target=data["annual_target"],
            period_targets=targets,
        )
        return Response(self.get_serializer(self.get_queryset().filter(pk=ind.pk).first()).data, status=201)

    @extend_schema(request=IndicatorRealizeSerializer, responses=IndicatorSerializer)
    @action(detail=True, methods=["post"])
    def realize(self, request, pk=None):
        """Record what the indicator reached in a period, with evidence (setup.indicator_realize)."""
        actor = get_actor(request.user)
        indicator = self.get_object()
        data = _valid(IndicatorRealizeSerializer, request.data)
        value = _one(
            IndicatorPeriod.objects.filter(indicator=indicator).select_related("indicator__perf_year"),
            data["value"],
            "value",
            _("Nilai periode bukan milik indikator ini."),
        )
        setup.indicator_realize(
            actor=actor,
            value=value,
            realization=data["realization"],
            evidence_url=data["evidence_url"],
            note=data["note"],
        )
        return Response(self.get_serializer(self.get_object()).data)


# ---- plans (SKP) ---------------------------------------------------------------------------------


class RhkIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = RhkIndicator
        fields = ["aspect", "text", "target"]


class SupportedRhkSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer(source="skp.employee")

    class Meta:
        model = Rhk
        fields = ["id", "text", "employee"]


class RealizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Realization
        fields = ["id", "rhk", "period", "text", "updated_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "rhk", "period", "kind", "url", "file", "note", "created_at"]


class RhkSerializer(serializers.ModelSerializer):
    """An RHK with the supervisor's RHK it supports (or its IKU), its indicators, and progress per period."""

    supports = SupportedRhkSerializer(allow_null=True)
    indicator = IndicatorRefSerializer(allow_null=True)
    indicators = RhkIndicatorSerializer(many=True)
    realizations = RealizationSerializer(many=True, source="progress_realizations")
    evidence = EvidenceSerializer(many=True, source="progress_evidence")

    class Meta:
        model = Rhk
        fields = ["id", "text", "order", "supports", "indicator", "indicators", "realizations", "evidence"]


def _attach_progress(rhks, periods, realizations: dict, evidence: dict) -> list[Rhk]:
    """Put each RHK's realizations and evidence (keyed by (rhk id, period id)) on it, in period order."""
    for r in rhks:
        r.progress_realizations = [realizations[(r.pk, p.pk)] for p in periods if (r.pk, p.pk) in realizations]
        r.progress_evidence = [ev for p in periods for ev in evidence.get((r.pk, p.pk), [])]
    return rhks


def _rhk_out(rhk_id: int) -> dict:
    rhk = selectors.rhk_queryset().filter(pk=rhk_id).select_related("skp__perf_year").first()
    periods = list(rhk.skp.perf_year.periods.all())
    realizations = {(x.rhk_id, x.period_id): x for x in Realization.objects.filter(rhk=rhk)}
    evidence: dict = {}
    for ev in Evidence.objects.filter(rhk=rhk):
        evidence.setdefault((ev.rhk_id, ev.period_id), []).append(ev)
    return RhkSerializer(_attach_progress([rhk], periods, realizations, evidence)[0]).data


class ExpectationSerializer(serializers.Serializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices)
    text = serializers.CharField()


class SkpVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkpVersion
        fields = ["version", "approved_at", "content"]


class AssessmentSerializer(serializers.ModelSerializer):
    period_label = serializers.CharField(source="period.label")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "skp",
            "period",
            "period_label",
            "result_rating",
            "behaviour_rating",
            "behaviour_notes",
            "predikat",
            "status",
            "finalized_at",
            "curve_justification",
        ]


class FeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feedback
        fields = ["id", "rhk", "behaviour", "text", "reply", "replied_at", "author_label", "created_at"]


class RatingCountsSerializer(serializers.Serializer):
    above = serializers.IntegerField()
    meets = serializers.IntegerField()
    below = serializers.IntegerField()


class PeerCountsSerializer(serializers.Serializer):
    raters = serializers.IntegerField()
    values = serializers.DictField(child=RatingCountsSerializer(), help_text="per BerAKHLAK value")


class PeerSummarySerializer(serializers.Serializer):
    period = serializers.IntegerField()
    label = serializers.CharField()
    summary = PeerCountsSerializer(allow_null=True, help_text="null while fewer than three people have answered")


class PlanRightsSerializer(serializers.Serializer):
    owner = serializers.BooleanField(help_text="edits the plan, adds evidence and realizations, replies")
    assessor = serializers.BooleanField(help_text="the direct supervisor today: approves, gives feedback, rates")
    peer_input = serializers.BooleanField(help_text="may give anonymous 360° input")


class SkpSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    year = serializers.IntegerField(source="perf_year.year")
    agency = serializers.CharField(source="employee.agency.code")
    position = PositionRefSerializer()
    unit = UnitRefSerializer()
    assessor = EmployeeRefSerializer(allow_null=True)

    class Meta:
        model = Skp
        fields = [
            "id",
            "employee",
            "perf_year",
            "year",
            "agency",
            "position",
            "unit",
            "is_jpt",
            "status",
            "version",
            "assessor",
            "assessor_external",
            "submitted_at",
            "approved_at",
        ]


class SkpDetailSerializer(SkpSerializer):
    """The plan page: the cascade, workflow state, versions, and per period progress, feedback and ratings."""

    assessor_position = serializers.CharField(source="assessor_position.title", allow_null=True)
    supervision_problem = serializers.CharField(source="detail.supervision_problem", allow_null=True)
    can = PlanRightsSerializer(source="detail.can")
    periods = PeriodSerializer(many=True, source="detail.periods")
    rhks = RhkSerializer(many=True, source="detail.rhks")
    expectations = ExpectationSerializer(many=True, source="detail.expectations")
    versions = SkpVersionSerializer(many=True, source="detail.versions")
    assessments = AssessmentSerializer(many=True, source="detail.assessments")
    feedback = FeedbackSerializer(many=True, source="detail.feedback")
    peer_summaries = PeerSummarySerializer(many=True, source="detail.peer_summaries")

    class Meta(SkpSerializer.Meta):
        fields = SkpSerializer.Meta.fields + [
            "return_comment",
            "assessor_position",
            "supervision_problem",
            "can",
            "periods",
            "rhks",
            "expectations",
            "versions",
            "assessments",
            "feedback",
            "peer_summaries",
        ]


def _peer(period: Period, skp: Skp) -> dict:
    return {"period": period.pk, "label": period.label, "summary": selectors.peer_summary(skp, period)}


def skp_detail_data(actor, skp: Skp) -> dict:
    """The plan as the API shows it: selectors.skp_detail plus the caller's part in it."""
    data = selectors.skp_detail(skp)
    day = timezone.localdate()
    periods = data["periods"]
    by_id = {p.pk: p for p in periods}
    assessments = sorted(data["assessments"].values(), key=lambda a: by_id[a.period_id].number)
    for a in assessments:
        a.period = by_id[a.period_id]
    skp.detail = {
        "supervision_problem": supervision_problem(skp.employee, day),
        "can": {
            "owner": actor.employee_id == skp.employee_id,
            "assessor": is_assessor(actor, skp.employee, day),
            "peer_input": during.may_give_peer_input(actor, skp, day),
        },
        "periods": periods,
        "rhks": _attach_progress(data["rhks"], periods, data["realizations"], data["evidence"]),
        "expectations": [{"behaviour": b, "text": t} for b, t in data["expectations"].items()],
        "versions": data["versions"],
        "assessments": assessments,
        "feedback": data["feedback"],
        "peer_summaries": [_peer(p, skp) for p in periods],
    }
    return SkpDetailSerializer(skp).data


class SkpCreateSerializer(serializers.Serializer):
    perf_year = serializers.IntegerField()
    employee = serializers.CharField(required=False, allow_blank=True, help_text="NIP; by default the caller")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, help_text="what to change")


class RhkIndicatorInputSerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(choices=Aspect.choices)
    text = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)


class RhkInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=500)
    supports = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of the direct supervisor's RHK this one supports"
    )
    indicator = serializers.IntegerField(required=False, allow_null=True, help_text="id of the IKU (for a JPT's plan)")
    indicators = RhkIndicatorInputSerializer(many=True)


class ExpectationInputSerializer(serializers.Serializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices)
    text = serializers.CharField(allow_blank=True, help_text="empty removes the expectation")


class FeedbackInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    rhk = serializers.IntegerField(required=False, allow_null=True)
    behaviour = serializers.ChoiceField(choices=Behaviour.choices, required=False, allow_blank=True, default="")


class FeedbackReplySerializer(serializers.Serializer):
    feedback = serializers.IntegerField()
    reply = serializers.CharField(allow_blank=True)


class RealizationInputSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    period = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)


class EvidenceInputSerializer(serializers.Serializer):
    rhk = serializers.IntegerField()
    period = serializers.IntegerField()
    url = serializers.URLField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PeerInputSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    ratings = serializers.DictField(
        child=serializers.ChoiceField(choices=Rating.choices), help_text="BerAKHLAK value → rating"
    )


class PeerInputResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class AssessmentInputSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    result_rating = serializers.ChoiceField(
        choices=Rating.choices,
        required=False,
        allow_null=True,
        help_text="ignored for a unit head: the unit's predikat decides it",
    )
    behaviour_rating = serializers.ChoiceField(choices=Rating.choices)
    behaviour_notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class RhkOptionsSerializer(serializers.Serializer):
    supervisor_rhks = RhkRefSerializer(many=True, help_text="the direct supervisor's RHK this year, to support")
    indicators = IndicatorRefSerializer(many=True, help_text="IKU of the agency or the unit (a JPT's plan)")
    assessor = EmployeeRefSerializer(allow_null=True)
    assessor_external = serializers.CharField()
    supervision_problem = serializers.CharField(allow_null=True)


class SkpFilter(filters.FilterSet):
    perf_year = filters.NumberFilter(field_name="perf_year_id")
    year = filters.NumberFilter(field_name="perf_year__year")
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")
    assessor = filters.CharFilter(field_name="assessor__nip", help_text="NIP of the assessing official")
    status = filters.ChoiceFilter(choices=SkpStatus.choices)

    class Meta:
        model = Skp
        fields = []


PERIOD_QUERY = _query_param("period", "period id", required=True)
RHK_PATH = OpenApiParameter("rhk_id", int, OpenApiParameter.PATH)


class SkpViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """SKP plans the caller may read; each workflow step is its own endpoint, checked and audited by its service."""

    serializer_class = SkpSerializer
    filterset_class = SkpFilter

    def get_queryset(self):
        return (
            Skp.objects.visible_to(get_actor(self.request.user))
            .select_related("employee__agency", "perf_year", "position", "unit", "assessor")
            .order_by("-perf_year__year", "employee__name", "id")
        )

    def _plan(self, request, pk) -> tuple:
        actor = get_actor(request.user)
        return actor, access_skp(actor, _pk(pk))

    def _detail(self, actor, skp_id: int, code: int = 200) -> Response:
        return Response(skp_detail_data(actor, access_skp(actor, skp_id)), status=code)

    @extend_schema(responses=SkpDetailSerializer)
    def retrieve(self, request, pk=None):
        actor, skp = self._plan(request, pk)
        return Response(skp_detail_data(actor, skp))

    @extend_schema(request=SkpCreateSerializer, responses={201: SkpDetailSerializer})
    def create(self, request):
        """Start a plan for the year (plan.skp_create): one's own, or any employee's for the HR admin."""
        actor = get_actor(request.user)
        data = _valid(SkpCreateSerializer, request.data)
        perf_year = _one(
            PerformanceYear.objects.visible_to(actor),
            data["perf_year"],
            "perf_year",
            _("Tahun kinerja tidak ditemukan."),
        )
        if data.get("employee"):
            employee = (
                Employee.objects.visible_to(actor)
                .select_related("current_position__unit")
                .filter(nip=data["employee"])
                .first()
            )
            if employee is None:
                raise DomainError(_("Pegawai tidak ditemukan."), field="employee")
        else:
            employee = actor_employee(actor)
            if employee is None:
                raise DomainError(
                    _("Akun ini tidak terhubung ke data pegawai: sebutkan NIP pegawai."), field="employee"
                )
        skp = plan.skp_create(actor=actor, employee=employee, perf_year=perf_year)
        return self._detail(actor, skp.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the plan to the direct supervisor (plan.skp_submit): the owner."""
        actor, skp = self._plan(request, pk)
        plan.skp_submit(actor=actor, skp=skp)
        return self._detail(actor, skp.pk)

    @extend_schema(request=None, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the submitted plan (plan.skp_approve): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        plan.skp_approve(actor=actor, skp=skp)
        return self._detail(actor, skp.pk)

    @extend_schema(request=ReturnSerializer, responses=SkpDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send the plan back with what to change (plan.skp_return): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(ReturnSerializer, request.data)
        plan.skp_return(actor=actor, skp=skp, comment=data["comment"])
        return self._detail(actor, skp.pk)

    @extend_schema(responses=RhkOptionsSerializer)
    @action(detail=True, url_path="rhk-options")
    def rhk_options(self, request, pk=None):
        """What a new RHK may support: the direct supervisor's RHK, or for a JPT the IKU (the owner only)."""
        actor, skp = self._plan(request, pk)
        if actor.employee_id != skp.employee_id:
            raise Http404
        day = timezone.localdate()
        link = employee_snapshot(skp.employee, day).supervisor_of(skp.employee_id)
        supervisor_rhks = (
            Rhk.objects.filter(skp__employee_id=link.employee_id, skp__perf_year__year=skp.perf_year.year)
            if link.employee_id
            else Rhk.objects.none()
        )
        indicators = (
            Indicator.objects.filter(perf_year=skp.perf_year).filter(Q(unit__isnull=True) | Q(unit=skp.unit))
            if skp.is_jpt
            else Indicator.objects.none()
        )
        data = {
            "supervisor_rhks": list(supervisor_rhks),
            "indicators": list(indicators),
            "assessor": Employee.objects.filter(pk=link.employee_id).first() if link.employee_id else None,
            "assessor_external": link.external,
            "supervision_problem": supervision_problem(skp.employee, day),
        }
        return Response(RhkOptionsSerializer(data).data)

    def _sources(self, skp: Skp, data: dict) -> dict:
        """The RHK's link: the supervisor's RHK (the service's cascade check refuses a wrong one) or an IKU."""
        return {
            "supports": _one(
                Rhk.objects.select_related("skp__perf_year"),
                data.get("supports"),
                "supports",
                _("RHK atasan yang diintervensi tidak ditemukan."),
            ),
            "indicator": _one(
                Indicator.objects.filter(perf_year=skp.perf_year),
                data.get("indicator"),
                "indicator",
                _("IKU tidak ditemukan pada tahun kinerja ini."),
            ),
            "text": data["text"],
            "indicators": [(i["aspect"], i["text"], i["target"]) for i in data["indicators"]],
        }

    @extend_schema(request=RhkInputSerializer, responses={201: RhkSerializer})
    @action(detail=True, methods=["post"])
    def rhk(self, request, pk=None):
        """Add a work-result plan with its indicators (plan.rhk_add): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(RhkInputSerializer, request.data)
        rhk = plan.rhk_add(actor=actor, skp=skp, **self._sources(skp, data))
        return Response(_rhk_out(rhk.pk), status=status.HTTP_201_CREATED)

    @extend_schema(methods=["PUT"], parameters=[RHK_PATH], request=RhkInputSerializer, responses=RhkSerializer)
    @extend_schema(methods=["DELETE"], parameters=[RHK_PATH], request=None, responses={204: None})
    @action(detail=True, methods=["put", "delete"], url_path=r"rhks/(?P<rhk_id>[0-9]+)")
    def rhk_detail(self, request, pk=None, rhk_id=None):
        """Change (plan.rhk_update) or remove (plan.rhk_delete) a work-result plan: the owner."""
        actor, skp = self._plan(request, pk)
        rhk = skp.rhks.select_related("skp").filter(pk=rhk_id).first()
        if rhk is None:
            raise Http404
        if request.method == "DELETE":
            plan.rhk_delete(actor=actor, rhk=rhk)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _valid(RhkInputSerializer, request.data)
        plan.rhk_update(actor=actor, rhk=rhk, **self._sources(skp, data))
        return Response(_rhk_out(rhk.pk))

    @extend_schema(request=ExpectationInputSerializer, responses=ExpectationSerializer(many=True))
    @action(detail=True, methods=["post"])
    def expectation(self, request, pk=None):
        """Set (or with empty text remove) the supervisor's expectation for a BerAKHLAK value (plan.expectation_set)."""
        actor, skp = self._plan(request, pk)
        data = _valid(ExpectationInputSerializer, request.data)
        plan.expectation_set(actor=actor, skp=skp, behaviour=data["behaviour"], text=data["text"])
        rows = BehaviourExpectation.objects.filter(skp=skp).order_by("behaviour")
        return Response(ExpectationSerializer(rows, many=True).data)

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        """Give feedback on an RHK or a behaviour (during.feedback_give): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(FeedbackInputSerializer, request.data)
        fb = during.feedback_give(
            actor=actor, skp=skp, rhk=_rhk_in(skp, data.get("rhk")), behaviour=data["behaviour"], text=data["text"]
        )
        return Response(FeedbackSerializer(fb).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackReplySerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"], url_path="feedback-reply")
    def feedback_reply(self, request, pk=None):
        """Reply to a feedback note (during.feedback_reply): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(FeedbackReplySerializer, request.data)
        fb = _one(
            skp.feedback.select_related("skp__employee"),
            data["feedback"],
            "feedback",
            _("Umpan balik bukan bagian dari SKP ini."),
        )
        return Response(FeedbackSerializer(during.feedback_reply(actor=actor, feedback=fb, reply=data["reply"])).data)

    @extend_schema(request=RealizationInputSerializer, responses=RealizationSerializer)
    @action(detail=True, methods=["post"])
    def realization(self, request, pk=None):
        """Record what an RHK achieved in a period (during.realization_set): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(RealizationInputSerializer, request.data)
        rhk, period = _rhk_in(skp, data["rhk"]), _period_in(skp.perf_year_id, data["period"])
        obj = during.realization_set(actor=actor, rhk=rhk, period=period, text=data["text"])
        return Response(RealizationSerializer(obj).data)

    @extend_schema(request=EvidenceInputSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        """Attach a link or (multipart) a file as evidence of an RHK in a period (during.evidence_add): the owner."""
        actor, skp = self._plan(request, pk)
        data = _valid(EvidenceInputSerializer, request.data)
        rhk, period = _rhk_in(skp, data["rhk"]), _period_in(skp.perf_year_id, data["period"])
        ev = during.evidence_add(
            actor=actor, rhk=rhk, period=period, url=data["url"], file=data["file"], note=data["note"]
        )
        return Response(EvidenceSerializer(ev).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PeerInputSerializer, responses={201: PeerInputResultSerializer})
    @action(detail=True, methods=["post"], url_path="peer-input")
    def peer_input(self, request, pk=None):
        """Anonymous 360° input for a period (during.peer_input_submit): a peer or a direct subordinate.

        Peers do not read each other's plans, so the plan is found among those the caller reads or, failing that,
        among the plans of the caller's agency that the service's own rule lets them rate; anyone else gets 404."""
        actor = get_actor(request.user)
        skp = self._peer_target(actor, pk)
        data = _valid(PeerInputSerializer, request.data)
        period = _period_in(skp.perf_year_id, data["period"])
        n = during.peer_input_submit(actor=actor, skp=skp, period=period, ratings=data["ratings"])
        return Response({"count": n}, status=status.HTTP_201_CREATED)

    def _peer_target(self, actor, pk) -> Skp:
        skp_id = _pk(pk)
        try:
            return access_skp(actor, skp_id)
        except Http404:
            pass
        me = actor_employee(actor)
        if me is not None:
            skp = (
                Skp.objects.select_related("employee", "perf_year")
                .filter(pk=skp_id, employee__agency_id=me.agency_id)
                .first()
            )
            if skp is not None and during.may_give_peer_input(actor, skp, timezone.localdate()):
                return skp
        raise Http404

    @extend_schema(parameters=[PERIOD_QUERY], responses=PeerSummarySerializer)
    @action(detail=True, url_path="peer-summary")
    def peer_summary(self, request, pk=None):
        """360° input as counts per behaviour; the summary is null while fewer than three people have answered."""
        _actor, skp = self._plan(request, pk)
        period = skp.perf_year.periods.filter(pk=_query_id(request, "period")).first()
        if period is None:
            raise Http404
        return Response(PeerSummarySerializer(_peer(period, skp)).data)

    @extend_schema(request=AssessmentInputSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        """Rate a period, as a draft until the unit is finalized (rating.assessment_save): the direct supervisor."""
        actor, skp = self._plan(request, pk)
        data = _valid(AssessmentInputSerializer, request.data)
        a = rating.assessment_save(
            actor=actor,
            skp=skp,
            period=_period_in(skp.perf_year_id, data["period"]),
            result_rating=data.get("result_rating"),
            behaviour_rating=data["behaviour_rating"],
            behaviour_notes=data.get("behaviour_notes") or {},
        )
        return Response(AssessmentSerializer(a).data)


# ---- the supervisor's team -----------------------------------------------------------------------


class TeamAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "period", "predikat", "status"]


class TeamSkpSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skp
        fields = ["id", "status", "version", "submitted_at"]


class TeamMemberSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    position = serializers.CharField(source="employee.current_position.title", allow_null=True)
    acting = serializers.CharField(help_text="the caller's hold on the post above: definitive, plt or plh")
    skp = TeamSkpSerializer(allow_null=True)
    assessments = TeamAssessmentSerializer(many=True)


class CascadeLinkSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    rhk = RhkRefSerializer()


class CascadeRowSerializer(serializers.Serializer):
    rhk = RhkRefSerializer(allow_null=True, help_text="the caller's RHK; null groups RHK linked to none of them")
    supported_by = CascadeLinkSerializer(many=True)


@extend_schema_serializer(many=False)
class TeamSerializer(serializers.Serializer):
    perf_year = PerformanceYearSerializer(allow_null=True)
    members = TeamMemberSerializer(many=True)
    cascade = CascadeRowSerializer(many=True)


class TeamViewSet(viewsets.GenericViewSet):
    """The caller's direct subordinates: plan status, ratings per period, and the cascade of RHK."""

    serializer_class = TeamSerializer
    filter_backends = []
    pagination_class = None

    @extend_schema(parameters=[_query_param("perf_year", "a year of the caller's agency; the latest by default")])
    def list(self, request):
        actor = get_actor(request.user)
        me = actor_employee(actor)
        if me is None:
            raise Http404
        years = PerformanceYear.objects.filter(agency_id=me.agency_id).select_related("agency")
        wanted = _query_id(request, "perf_year", required=False)
        perf_year = (years.filter(pk=wanted) if wanted else years).prefetch_related("periods").first()
        if perf_year is None:
            if wanted:
                raise Http404
            return Response(TeamSerializer({"perf_year": None, "members": [], "cascade": []}).data)
        members = selectors.team(me, perf_year)
        own = Skp.objects.filter(employee=me, perf_year=perf_year).first()
        own_rhks = list(selectors.rhk_queryset().filter(skp=own)) if own else []
        periods = list(perf_year.periods.all())
        data = {
            "perf_year": perf_year,
            "members": [
                {
                    "employee": m.employee,
                    "acting": m.acting,
                    "skp": m.skp,
                    "assessments": [m.assessments[p.pk] for p in periods if p.pk in m.assessments],
                }
                for m in members
            ],
            "cascade": [
                {"rhk": r, "supported_by": [{"employee": e, "rhk": sub} for e, sub in pairs]}
                for r, pairs in selectors.cascade(own_rhks, members)
            ],
        }
        return Response(TeamSerializer(data).data)


# ---- a unit's rating round -----------------------------------------------------------------------


class OrgRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgRating
        fields = ["predikat", "note", "updated_at"]


class CurveLineSerializer(serializers.Serializer):
    predikat = serializers.ListField(child=serializers.CharField())
    kind = serializers.ChoiceField(choices=[("max", "max"), ("min", "min")])
    limit = serializers.IntegerField()
    actual = serializers.IntegerField()
    ok = serializers.BooleanField()
    pending = serializers.BooleanField(help_text="a minimum not reached while some are still unrated")
    binding = serializers.BooleanField(help_text="false: a soft line that only warns")
    headroom = serializers.IntegerField(allow_null=True, help_text="for a maximum: how many more it allows")
    text = serializers.CharField()


class RoundMemberSerializer(serializers.Serializer):
    skp = serializers.IntegerField()
    employee = EmployeeRefSerializer()
    position = serializers.CharField()
    unit = serializers.CharField()
    assessment = TeamAssessmentSerializer(allow_null=True)


@extend_schema_serializer(many=False)
class UnitRoundSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    period = PeriodSerializer()
    org_rating = OrgRatingSerializer(allow_null=True)
    size = serializers.IntegerField(help_text="people on the unit's curve")
    rated = serializers.IntegerField()
    all_final = serializers.BooleanField()
    lines = CurveLineSerializer(many=True, help_text="empty until the unit's predikat is set")
    members = RoundMemberSerializer(many=True)
    may_set_org_rating = serializers.BooleanField()
    may_finalize = serializers.BooleanField()


class RoundTargetSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    period = serializers.IntegerField()


class OrgRatingInputSerializer(RoundTargetSerializer):
    predikat = serializers.ChoiceField(choices=OrgPredikat.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class FinalizeInputSerializer(RoundTargetSerializer):
    justification = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="required when the ratings break the curve"
    )


def unit_round_data(actor, unit: OrgUnit, period: Period) -> dict:
    """The rating screen of a unit and period: its predikat, the curve against the ratings so far, who is on it."""
    rnd = rating.unit_round(unit, period)
    check = rnd.check
    day = timezone.localdate()
    return {
        "unit": unit,
        "period": period,
        "org_rating": rnd.org_rating,
        "size": len(rnd.skps),
        "rated": len(rnd.assessments),
        "all_final": rnd.all_final,
        "lines": [
            {
                "predikat": list(line.constraint.predikat),
                "kind": line.constraint.kind,
                "limit": line.limit,
                "actual": line.actual,
                "ok": line.ok,
                "pending": line.pending,
                "binding": line.constraint.binding,
                "headroom": line.headroom,
                "text": rating.describe_line(line),
            }
            for line in (check.lines if check else ())
        ],
        "members": [
            {
                "skp": s.pk,
                "employee": s.employee,
                "position": s.position.title,
                "unit": s.unit.name,
                "assessment": rnd.assessments.get(s.pk),
            }
            for s in rnd.skps
        ],
        "may_set_org_rating": setup.may_set_org_rating(actor, unit, min(period.end, day)),
        "may_finalize": rating.may_finalize(actor, unit, day),
    }


class UnitRoundViewSet(viewsets.GenericViewSet):
    """A unit's rating round for a period, addressed by ?unit=&period= (or the same two fields in a POST body):
    out of scope or a period of another agency answers 404, like the page."""

    serializer_class = UnitRoundSerializer
    filter_backends = []
    pagination_class = None

    def _target(self, actor, unit_id: int, period_id: int) -> tuple[OrgUnit, Period]:
        unit = access_unit(actor, unit_id)
        if not actor.can_read_agency(unit.agency_id) and not actor.employee_id:
            raise Http404
        period = (
            Period.objects.select_related("perf_year").filter(pk=period_id, perf_year__agency_id=unit.agency_id).first()
        )
        if period is None:
            raise Http404
        return unit, period

    @extend_schema(parameters=[_query_param("unit", "unit id", required=True), PERIOD_QUERY])
    def list(self, request):
        actor = get_actor(request.user)
        unit, period = self._target(actor, _query_id(request, "unit"), _query_id(request, "period"))
        return Response(UnitRoundSerializer(unit_round_data(actor, unit, period)).data)

    @extend_schema(request=OrgRatingInputSerializer, responses=UnitRoundSerializer)
    @action(detail=False, methods=["post"], url_path="org-rating")
    def org_rating(self, request):
        """Set the unit's predikat for the period (setup.org_rating_set): the superior of the unit's head."""
        actor = get_actor(request.user)
        data = _valid(OrgRatingInputSerializer, request.data)
        unit, period = self._target(actor, data["unit"], data["period"])
        setup.org_rating_set(actor=actor, unit=unit, period=period, predikat=data["predikat"], note=data["note"])
        return Response(UnitRoundSerializer(unit_round_data(actor, unit, period)).data)

    @extend_schema(request=FinalizeInputSerializer, responses=UnitRoundSerializer)
    @action(detail=False, methods=["post"])
    def finalize(self, request):
        """Make the unit's ratings final if the curve holds, or with a justification (rating.unit_finalize)."""
        actor = get_actor(request.user)
        data = _valid(FinalizeInputSerializer, request.data)
        unit, period = self._target(actor, data["unit"], data["period"])
        rating.unit_finalize(actor=actor, unit=unit, period=period, justification=data["justification"])
        return Response(UnitRoundSerializer(unit_round_data(actor, unit, period)).data)


# ---- assessments and follow-up -------------------------------------------------------------------


class AssessmentListSerializer(AssessmentSerializer):
    employee = EmployeeRefSerializer(source="skp.employee")
    year = serializers.IntegerField(source="period.perf_year.year")

    class Meta(AssessmentSerializer.Meta):
        fields = ["id", "employee", "year"] + AssessmentSerializer.Meta.fields[1:]


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="e.g. the number of the objection letter")


class AssessmentFilter(filters.FilterSet):
    period = filters.NumberFilter(field_name="period_id")
    perf_year = filters.NumberFilter(field_name="period__perf_year_id")
    skp = filters.NumberFilter(field_name="skp_id")
    status = filters.CharFilter()
    predikat = filters.CharFilter()

    class Meta:
        model = Assessment
        fields = []


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ratings of the plans the caller may read."""

    serializer_class = AssessmentListSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return (
            Assessment.objects.visible_to(get_actor(self.request.user))
            .select_related("skp__employee", "period__perf_year")
            .order_by("-period__perf_year__year", "period__number", "skp__employee__name", "id")
        )

    @extend_schema(request=ReopenSerializer, responses=AssessmentListSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Re-open a final rating for correction, with the reason on record (rating.assessment_reopen): the HR admin."""
        actor = get_actor(request.user)
        assessment = self.get_object()
        data = _valid(ReopenSerializer, request.data)
        rating.assessment_reopen(actor=actor, assessment=assessment, reason=data["reason"])
        return Response(self.get_serializer(self.get_object()).data)


class CoachingActionInputSerializer(serializers.Serializer):
    action = serializers.CharField(allow_blank=True, max_length=300)
    owner = serializers.CharField(allow_blank=True, max_length=200)
    start = serializers.DateField()
    due = serializers.DateField()


class CoachingPlanFilter(filters.FilterSet):
    perf_year = filters.NumberFilter(field_name="assessment__period__perf_year_id")
    status = filters.CharFilter()

    class Meta:
        model = CoachingPlan
        fields = []


class CoachingPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Coaching (pembinaan) for the employees the caller may read who were rated below Baik."""

    serializer_class = CoachingPlanSerializer
    filterset_class = CoachingPlanFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        if not actor.is_authenticated:
            return CoachingPlan.objects.none()
        return coaching_plans().filter(employee_scope_q(actor, "employee__"))

    @extend_schema(request=CoachingActionInputSerializer, responses={201: CoachingActionSerializer})
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None):
        """Add an action with its owner and dates (rating.coaching_action_add): the supervisor or the HR admin."""
        actor = get_actor(request.user)
        cp = self.get_object()
        data = _valid(CoachingActionInputSerializer, request.data)
        obj = rating.coaching_action_add(actor=actor, plan=cp, **data)
        return Response(CoachingActionSerializer(obj).data, status=status.HTTP_201_CREATED)
