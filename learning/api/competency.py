"""The competency dictionary, the standards of positions, assessed levels and individual development plans over
REST. Reads go through the same scope as the pages; every write is a service call that checks the caller's
part and writes its audit record."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import get_actor
from learning import services
from learning.api.common import (
    CompetencyRefSerializer,
    detail,
    employee_by_nip,
    in_agencies,
    of_visible_employees,
    one,
    own_employee,
    valid,
    visible_competencies,
)
from learning.choices import AssessmentSource, CompetencyKind, PlanStatus
from learning.models import (
    Competency,
    CompetencyAssessment,
    CompetencyLevel,
    CompetencyStandard,
    DevelopmentPlan,
    DevelopmentPlanItem,
)
from organization.models import Agency, Position
from performance.api.common import EmployeeRefSerializer

# ---- dictionary --------------------------------------------------------------------------------------


class CompetencyLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyLevel
        fields = ["level", "description"]


class CompetencySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="technical, managerial or socio_cultural")
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    levels = CompetencyLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "kind", "code", "name", "description", "agency", "family", "max_level", "active", "levels"]


class CompetencyCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CompetencyKind.choices)
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.IntegerField(required=False, allow_null=True, help_text="agency id (technical only)")
    family = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    levels = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        min_length=1,
        max_length=9,
        help_text="the behaviour described at level 1, 2, … (as many levels as items)",
    )


class CompetencyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CompetencyKind.choices)
    agency = filters.NumberFilter(field_name="agency_id")
    active = filters.BooleanFilter()

    class Meta:
        model = Competency
        fields = []


class CompetencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The national competencies and the technical ones of the agencies the caller sees, with level texts."""

    serializer_class = CompetencySerializer
    filterset_class = CompetencyFilter

    def get_queryset(self):
        return (
            visible_competencies(get_actor(self.request.user))
            .select_related("agency")
            .prefetch_related("levels")
            .order_by("kind", "code", "id")
        )

    @extend_schema(request=CompetencyCreateSerializer, responses={201: CompetencySerializer})
    def create(self, request):
        """Add a competency (services.competency_create): national kinds by the national admin, technical
        ones by the agency's HR."""
        actor = get_actor(request.user)
        data = valid(CompetencyCreateSerializer, request.data)
        agency = one(Agency.objects.visible_to(actor), data.get("agency"), "agency", _("Instansi tidak ditemukan."))
        comp = services.competency_create(
            actor=actor,
            kind=data["kind"],
            code=data["code"],
            name=data["name"],
            description=data["description"],
            agency=agency,
            family=data["family"],
            max_level=len(data["levels"]),
            levels={i: text for i, text in enumerate(data["levels"], 1)},
        )
        return Response(CompetencySerializer(detail(self.get_queryset(), comp.pk)).data, status=status.HTTP_201_CREATED)


# ---- standards ---------------------------------------------------------------------------------------------


class CompetencyStandardSerializer(serializers.ModelSerializer):
    competency = CompetencyRefSerializer()

    class Meta:
        model = CompetencyStandard
        fields = ["id", "position", "competency", "required_level"]


class StandardSetSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    competency = serializers.IntegerField()
    required_level = serializers.IntegerField(allow_null=True, help_text="null removes the standard")


class StandardFilter(filters.FilterSet):
    position = filters.NumberFilter(field_name="position_id")
    competency = filters.NumberFilter(field_name="competency_id")
    agency = filters.NumberFilter(field_name="position__agency_id")

    class Meta:
        model = CompetencyStandard
        fields = []


class CompetencyStandardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The levels positions require, for the agencies whose structure the caller sees."""

    serializer_class = CompetencyStandardSerializer
    filterset_class = StandardFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        return (
            CompetencyStandard.objects.filter(in_agencies(actor.org_agency_ids, "position__agency_id"))
            .select_related("competency")
            .order_by("position_id", "competency__code", "id")
        )

    @extend_schema(request=StandardSetSerializer, responses={200: CompetencyStandardSerializer, 204: None})
    def create(self, request):
        """Set, or with a null level remove, a position's required level (services.standard_set): the agency's HR."""
        actor = get_actor(request.user)
        data = valid(StandardSetSerializer, request.data)
        position = one(
            Position.objects.visible_to(actor).select_related("agency"),
            data["position"],
            "position",
            _("Jabatan tidak ditemukan."),
        )
        competency = one(
            visible_competencies(actor), data["competency"], "competency", _("Kompetensi tidak ditemukan.")
        )
        result = services.standard_set(
            actor=actor, position=position, competency=competency, required_level=data["required_level"]
        )
        if result is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(CompetencyStandardSerializer(result).data)


# ---- assessed levels -----------------------------------------------------------------------------------------


class CompetencyAssessmentSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    competency = CompetencyRefSerializer()

    class Meta:
        model = CompetencyAssessment
        fields = ["id", "employee", "competency", "level", "source", "assessed_on", "note"]


class AssessmentRecordSerializer(serializers.Serializer):
    employee = serializers.CharField(help_text="NIP")
    competency = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1)
    source = serializers.ChoiceField(choices=AssessmentSource.choices)
    assessed_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class AssessmentFilter(filters.FilterSet):
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")
    competency = filters.NumberFilter(field_name="competency_id")
    source = filters.ChoiceFilter(choices=AssessmentSource.choices)

    class Meta:
        model = CompetencyAssessment
        fields = []


class CompetencyAssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Competency results of the employees the caller reads, latest first."""

    serializer_class = CompetencyAssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        return (
            CompetencyAssessment.objects.filter(of_visible_employees(actor))
            .select_related("employee", "competency")
            .order_by("-assessed_on", "-id")
        )

    @extend_schema(request=AssessmentRecordSerializer, responses={201: CompetencyAssessmentSerializer})
    def create(self, request):
        """Record a result (services.assessment_record): HR any source, the supervisor their rating, the
        employee a self-assessment."""
        actor = get_actor(request.user)
        data = valid(AssessmentRecordSerializer, request.data)
        employee = employee_by_nip(actor, data["employee"])
        competency = one(
            visible_competencies(actor), data["competency"], "competency", _("Kompetensi tidak ditemukan.")
        )
        result = services.assessment_record(
            actor=actor,
            employee=employee,
            competency=competency,
            level=data["level"],
            source=data["source"],
            assessed_on=data["assessed_on"],
            note=data["note"],
        )
        return Response(CompetencyAssessmentSerializer(result).data, status=status.HTTP_201_CREATED)


# ---- development plans ------------------------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer):
    competency = CompetencyRefSerializer(allow_null=True)

    class Meta:
        model = DevelopmentPlanItem
        fields = ["id", "origin", "competency", "gap", "coaching_action", "activity", "program", "planned_jp"]


class DevelopmentPlanSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    supervisor = EmployeeRefSerializer(allow_null=True)
    items = PlanItemSerializer(many=True)

    class Meta:
        model = DevelopmentPlan
        fields = [
            "id",
            "employee",
            "year",
            "career_goal",
            "status",
            "supervisor",
            "decided_at",
            "supervisor_note",
            "items",
            "updated_at",
        ]


class PlanBuildSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    employee = serializers.CharField(required=False, allow_blank=True, help_text="NIP; by default the caller")
    career_goal = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PlanDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PlanFilter(filters.FilterSet):
    year = filters.NumberFilter()
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")
    status = filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = DevelopmentPlan
        fields = []


class DevelopmentPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Development plans of the employees the caller reads, and those submitted to the caller."""

    serializer_class = DevelopmentPlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        scope = of_visible_employees(actor)
        if scope and actor.employee_id is not None:  # an empty Q is everything: OR-ing would narrow it
            scope |= Q(supervisor_id=actor.employee_id)
        return (
            DevelopmentPlan.objects.filter(scope)
            .select_related("employee", "supervisor")
            .prefetch_related(Prefetch("items", DevelopmentPlanItem.objects.select_related("competency")))
            .order_by("-year", "employee__name", "id")
        )

    def _out(self, plan_id: int, code: int = 200) -> Response:
        return Response(DevelopmentPlanSerializer(detail(self.get_queryset(), plan_id)).data, status=code)

    @extend_schema(request=PlanBuildSerializer, responses={201: DevelopmentPlanSerializer})
    def create(self, request):
        """Draft (or refresh the draft of) a year's plan from the gaps, coaching actions and career goal
        (services.plan_build): the employee, or the HR admin for any employee."""
        actor = get_actor(request.user)
        data = valid(PlanBuildSerializer, request.data)
        employee = employee_by_nip(actor, data["employee"]) if data.get("employee") else own_employee(actor)
        plan = services.plan_build(actor=actor, employee=employee, year=data["year"], career_goal=data["career_goal"])
        return self._out(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DevelopmentPlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the plan to the direct supervisor (services.plan_submit): the employee."""
        actor = get_actor(request.user)
        plan = detail(self.get_queryset(), pk)
        services.plan_submit(actor=actor, plan=plan)
        return self._out(plan.pk)

    @extend_schema(request=PlanDecideSerializer, responses=DevelopmentPlanSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve, or return with a note (services.plan_decide): the direct supervisor."""
        actor = get_actor(request.user)
        plan = detail(self.get_queryset(), pk)
        data = valid(PlanDecideSerializer, request.data)
        services.plan_decide(actor=actor, plan=plan, approve=data["approve"], note=data["note"])
        return self._out(plan.pk)
