"""The supervisor's team, a unit's rating round, assessments and coaching plans over REST."""

from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from organization.access import access_unit
from organization.models import OrgUnit
from performance import selectors
from performance.api.common import (
    PERIOD_QUERY,
    EmployeeRefSerializer,
    PeriodSerializer,
    RhkRefSerializer,
    UnitRefSerializer,
    _query_id,
    _query_param,
    _valid,
)
from performance.api.plans import AssessmentSerializer
from performance.api.years import (
    CoachingActionSerializer,
    CoachingPlanSerializer,
    PerformanceYearSerializer,
    coaching_plans,
)
from performance.choices import OrgPredikat
from performance.models import Assessment, CoachingPlan, OrgRating, PerformanceYear, Period, Skp
from performance.services import rating, setup
from performance.services.common import actor_employee
from personnel.querysets import employee_scope_q

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
