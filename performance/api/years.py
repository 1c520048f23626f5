"""Performance years (with the agency dashboard), an agency's performance settings, and indicators (IKU)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from organization.access import access_agency
from organization.models import Agency, OrgUnit
from performance import selectors
from performance.access import access_year
from performance.api.common import (
    EmployeeRefSerializer,
    PeriodSerializer,
    PlanStateCountsSerializer,
    PredikatCountsSerializer,
    _one,
    _pk,
    _valid,
)
from performance.choices import CurvePolicy, Frequency, PlanState, Rounding
from performance.models import (
    Assessment,
    CoachingAction,
    CoachingPlan,
    Indicator,
    IndicatorPeriod,
    PerformanceSettings,
    PerformanceYear,
)
from performance.services import rating, setup

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
