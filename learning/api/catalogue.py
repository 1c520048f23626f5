"""The catalogue, events, enrolments (with request, decision, attendance, completion, cancellation and the
evaluations), the JP ledger, learning done elsewhere and budgets over REST. Every write is a service call."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.access import get_actor
from core.errors import DomainError
from learning import rules, selectors, services
from learning.api.common import (
    CompetencyRefSerializer,
    ProgramRefSerializer,
    detail,
    employee_by_nip,
    in_agencies,
    of_visible_employees,
    one,
    own_employee,
    valid,
    visible_competencies,
    visible_events,
)
from learning.choices import SEATED, EnrollmentStatus, ExternalStatus, FollowUp, Modality
from learning.models import (
    Attendance,
    Enrollment,
    ExternalLearning,
    JpEntry,
    Program,
    ProgramCompetency,
    ReactionSurvey,
    SupervisorFollowUp,
    TrainingBudget,
    TrainingEvent,
)
from organization.models import Agency, OrgUnit
from performance.api.common import EmployeeRefSerializer
from personnel.models import Employee

# ---- programmes ------------------------------------------------------------------------------------------


class ProgramTargetSerializer(serializers.ModelSerializer):
    competency = CompetencyRefSerializer()

    class Meta:
        model = ProgramCompetency
        fields = ["competency", "level"]


class ProgramSerializer(serializers.ModelSerializer):
    targets = ProgramTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "code",
            "title",
            "jp",
            "modality",
            "provider",
            "cost_per_participant",
            "description",
            "has_tests",
            "pass_score",
            "active",
            "targets",
        ]


class TargetInputSerializer(serializers.Serializer):
    competency = serializers.IntegerField()
    level = serializers.IntegerField(min_value=1)


class ProgramCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=200)
    jp = serializers.DecimalField(max_digits=6, decimal_places=2)
    modality = serializers.ChoiceField(choices=Modality.choices)
    provider = serializers.CharField(max_length=200)
    cost = serializers.DecimalField(max_digits=14, decimal_places=0, help_text="per participant (Rp)")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    has_tests = serializers.BooleanField(required=False, default=True)
    pass_score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=60)
    targets = TargetInputSerializer(many=True, required=False, default=list)


class ProgramFilter(filters.FilterSet):
    modality = filters.ChoiceFilter(choices=Modality.choices)
    active = filters.BooleanFilter()
    provider = filters.CharFilter(lookup_expr="icontains")
    competency = filters.NumberFilter(field_name="targets__competency_id")

    class Meta:
        model = Program
        fields = []


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The national catalogue of programmes with the competencies each develops."""

    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter

    def get_queryset(self):
        return Program.objects.prefetch_related("targets__competency").order_by("title", "id").distinct()

    @extend_schema(request=ProgramCreateSerializer, responses={201: ProgramSerializer})
    def create(self, request):
        """Add a programme (services.program_create): any agency's HR or the national admin."""
        actor = get_actor(request.user)
        data = valid(ProgramCreateSerializer, request.data)
        comps = visible_competencies(actor)
        targets = {
            one(comps, t["competency"], "targets", _("Kompetensi tidak ditemukan.")): t["level"]
            for t in data["targets"]
        }
        program = services.program_create(
            actor=actor,
            code=data["code"],
            title=data["title"],
            jp=data["jp"],
            modality=data["modality"],
            provider=data["provider"],
            cost=data["cost"],
            targets=targets,
            description=data["description"],
            has_tests=data["has_tests"],
            pass_score=data["pass_score"],
        )
        return Response(ProgramSerializer(detail(self.get_queryset(), program.pk)).data, status=status.HTTP_201_CREATED)


# ---- events ----------------------------------------------------------------------------------------------------


class TrainingEventSerializer(serializers.ModelSerializer):
    program = ProgramRefSerializer()
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    seats_taken = serializers.IntegerField(read_only=True)
    waitlisted = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingEvent
        fields = [
            "id",
            "program",
            "agency",
            "agency_id",
            "name",
            "starts_on",
            "ends_on",
            "place",
            "capacity",
            "seats_taken",
            "waitlisted",
            "cancelled",
        ]


class EventCreateSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    agency = serializers.IntegerField(help_text="organising agency id")
    name = serializers.CharField(max_length=100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=32767)


def _counts_in_year(event: str):
    """A filter method: the events (or enrolments) whose JP and cost belong to the year asked for."""

    def method(queryset, name, value):
        return queryset.filter(selectors.counts_in_year(int(value), event=event))

    return method


class EventFilter(filters.FilterSet):
    program = filters.NumberFilter(field_name="program_id")
    agency = filters.NumberFilter(field_name="agency_id")
    year = filters.NumberFilter(
        method=_counts_in_year(""), help_text="the year its JP and cost count in: the year it ends"
    )
    starts_after = filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    cancelled = filters.BooleanFilter()

    class Meta:
        model = TrainingEvent
        fields = []


def _events(actor):
    return (
        visible_events(actor)
        .select_related("program", "agency")
        .annotate(
            seats_taken=Count("enrollments", filter=Q(enrollments__status__in=SEATED)),
            waitlisted=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
        )
    )


class TrainingEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Events (angkatan) of the agencies the caller sees, with seats taken and the waiting list."""

    serializer_class = TrainingEventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return _events(get_actor(self.request.user)).order_by("starts_on", "id")

    @extend_schema(request=EventCreateSerializer, responses={201: TrainingEventSerializer})
    def create(self, request):
        """Open an event of a programme (services.event_create): the organising agency's HR."""
        actor = get_actor(request.user)
        data = valid(EventCreateSerializer, request.data)
        program = one(Program.objects.all(), data["program"], "program", _("Program tidak ditemukan."))
        agency = one(Agency.objects.visible_to(actor), data["agency"], "agency", _("Instansi tidak ditemukan."))
        event = services.event_create(
            actor=actor,
            program=program,
            agency=agency,
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            place=data["place"],
            capacity=data["capacity"],
        )
        return Response(
            TrainingEventSerializer(detail(self.get_queryset(), event.pk)).data, status=status.HTTP_201_CREATED
        )


# ---- enrolments ---------------------------------------------------------------------------------------------------


class EnrollmentSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()
    program = serializers.CharField(source="event.program.title", read_only=True)
    event_name = serializers.CharField(source="event.name", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "event",
            "program",
            "event_name",
            "employee",
            "status",
            "cost",
            "over_budget_reason",
            "waitlisted_at",
            "pre_score",
            "post_score",
            "completed_on",
            "certificate",
            "created_at",
        ]


class EnrollInputSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    employee = serializers.CharField(help_text="NIP")
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text="to go beyond the budget"
    )


class RequestInputSerializer(serializers.Serializer):
    event = serializers.IntegerField()


class DecideInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CompleteInputSerializer(serializers.Serializer):
    pre_score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    post_score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["day", "present"]


class ReactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReactionSurvey
        fields = ["relevance", "material", "facilitator", "organisation", "comment", "submitted_at"]


class ReactionInputSerializer(serializers.Serializer):
    relevance = serializers.IntegerField(min_value=1, max_value=5)
    material = serializers.IntegerField(min_value=1, max_value=5)
    facilitator = serializers.IntegerField(min_value=1, max_value=5)
    organisation = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisorFollowUp
        fields = ["outcome", "note", "submitted_at"]


class FollowUpInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FollowUp.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class EnrollmentFilter(filters.FilterSet):
    event = filters.NumberFilter(field_name="event_id")
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")
    status = filters.ChoiceFilter(choices=EnrollmentStatus.choices)
    year = filters.NumberFilter(
        method=_counts_in_year("event"), help_text="the year the event's JP and cost count in: the year it ends"
    )

    class Meta:
        model = Enrollment
        fields = []


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enrolments of the employees the caller reads and in the events of the agencies whose registry the
    caller reads; each step of the workflow is its own endpoint, checked and audited by its service."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        scope = of_visible_employees(actor)
        if scope and actor.registry_agency_ids:  # an empty Q is everything: OR-ing would narrow it
            scope |= in_agencies(actor.registry_agency_ids, "event__agency_id")
        return (
            Enrollment.objects.filter(scope)
            .select_related("employee", "event__program")
            .order_by("-event__starts_on", "employee__name", "id")
        )

    def _out(self, enrollment_id: int, code: int = 200) -> Response:
        return Response(EnrollmentSerializer(detail(self.get_queryset(), enrollment_id)).data, status=code)

    def _event(self, actor, pk):
        return one(visible_events(actor), pk, "event", _("Angkatan tidak ditemukan."))

    @extend_schema(request=EnrollInputSerializer, responses={201: EnrollmentSerializer})
    def create(self, request):
        """Enrol an employee: a seat with its cost committed, or the waiting list when full (services.enroll): HR."""
        actor = get_actor(request.user)
        data = valid(EnrollInputSerializer, request.data)
        event = self._event(actor, data["event"])
        employee = employee_by_nip(actor, data["employee"])
        e = services.enroll(actor=actor, event=event, employee=employee, override_reason=data["override_reason"])
        return self._out(e.pk, status.HTTP_201_CREATED)

    @extend_schema(request=RequestInputSerializer, responses={201: EnrollmentSerializer})
    @action(detail=False, methods=["post"], url_path="request")
    def request_seat(self, request):
        """Ask to join an event; the direct supervisor decides (services.enrollment_request): the employee."""
        actor = get_actor(request.user)
        data = valid(RequestInputSerializer, request.data)
        event = self._event(actor, data["event"])
        e = services.enrollment_request(actor=actor, event=event, employee=own_employee(actor))
        return self._out(e.pk, status.HTTP_201_CREATED)

    @extend_schema(request=DecideInputSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve (a seat or the waiting list) or reject with a note (services.enrollment_decide): the supervisor."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(DecideInputSerializer, request.data)
        services.enrollment_decide(actor=actor, enrollment=e, **data)
        return self._out(e.pk)

    @extend_schema(request=CancelInputSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel before the event; the seat goes to the waiting list (services.enrollment_cancel): HR or the employee."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(CancelInputSerializer, request.data)
        services.enrollment_cancel(actor=actor, enrollment=e, reason=data["reason"])
        return self._out(e.pk)

    @extend_schema(request=AttendanceSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record a day's attendance (services.attendance_record): the organising agency's HR."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(AttendanceSerializer, request.data)
        row = services.attendance_record(actor=actor, enrollment=e, day=data["day"], present=data["present"])
        return Response(AttendanceSerializer(row).data)

    @extend_schema(request=CompleteInputSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close the participant's event with the scores; passing books the JP (services.enrollment_complete): HR."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(CompleteInputSerializer, request.data)
        services.enrollment_complete(actor=actor, enrollment=e, **data)
        return self._out(e.pk)

    @extend_schema(request=ReactionInputSerializer, responses={201: ReactionSerializer})
    @action(detail=True, methods=["post"])
    def reaction(self, request, pk=None):
        """The participant's reaction survey after the event (services.reaction_submit)."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(ReactionInputSerializer, request.data)
        survey = services.reaction_submit(actor=actor, enrollment=e, **data)
        return Response(ReactionSerializer(survey).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Three months after completion: has the behaviour changed (services.follow_up_submit): the supervisor."""
        actor = get_actor(request.user)
        e = detail(self.get_queryset(), pk)
        data = valid(FollowUpInputSerializer, request.data)
        row = services.follow_up_submit(actor=actor, enrollment=e, **data)
        return Response(FollowUpSerializer(row).data, status=status.HTTP_201_CREATED)


# ---- the JP ledger -----------------------------------------------------------------------------------------------


class JpEntrySerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()

    class Meta:
        model = JpEntry
        fields = ["id", "employee", "year", "booked_on", "minutes", "jp", "description", "enrollment", "external"]


class JpYearSerializer(serializers.Serializer):
    employee = EmployeeRefSerializer()
    year = serializers.IntegerField()
    minutes = serializers.IntegerField(help_text="minutes booked to the year")
    minutes_per_jp = serializers.IntegerField(help_text="the JP length in force on 31 December of the year")
    jp = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="minutes / JP length, rounded once")
    required = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, help_text="PNS: 20")
    limit = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, help_text="PPPK: 24")
    met = serializers.BooleanField()
    shortfall = serializers.DecimalField(max_digits=8, decimal_places=2)
    over_limit = serializers.BooleanField()


class JpEntryFilter(filters.FilterSet):
    year = filters.NumberFilter()
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")

    class Meta:
        model = JpEntry
        fields = []


class JpEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The JP ledger of the employees the caller reads (written by completions and verifications only)."""

    serializer_class = JpEntrySerializer
    filterset_class = JpEntryFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        return (
            JpEntry.objects.filter(of_visible_employees(actor))
            .select_related("employee")
            .order_by("-year", "employee__name", "booked_on", "id")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("employee", str, required=True, description="NIP"),
            OpenApiParameter("year", int, required=True),
        ],
        responses=JpYearSerializer,
    )
    @action(detail=False)
    def year(self, request):
        """An employee's JP of a year as the rules judge it: the year's minutes over the JP length, rounded once."""
        actor = get_actor(request.user)
        year = _int_param(request, "year")
        if not 2000 <= year <= 2100:
            raise DomainError(_("Tahun 2000 sampai 2100."), field="year")
        nip = request.query_params.get("employee") or ""
        employee = Employee.objects.visible_to(actor).filter(nip=nip).first() if nip else None
        if employee is None:
            raise Http404
        total = selectors.year_total(employee.pk, year)
        rule = rules.compliance(total["jp"], employee.employee_type)
        data = total | {
            "employee": employee,
            "year": year,
            "required": rule.required,
            "limit": rule.limit,
            "met": rule.met,
            "shortfall": rule.shortfall,
            "over_limit": rule.over_limit,
        }
        return Response(JpYearSerializer(data).data)


# ---- learning done elsewhere ----------------------------------------------------------------------------------------


class ExternalLearningSerializer(serializers.ModelSerializer):
    employee = EmployeeRefSerializer()

    class Meta:
        model = ExternalLearning
        fields = [
            "id",
            "employee",
            "title",
            "provider",
            "modality",
            "started_on",
            "ended_on",
            "minutes",
            "status",
            "verified_at",
            "reason",
            "created_at",
        ]


class ExternalSubmitSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=200)
    modality = serializers.ChoiceField(choices=Modality.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1)
    evidence = serializers.FileField(help_text="certificate, PDF or JPG up to 2 MB")


class VerifyInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ExternalFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ExternalStatus.choices)
    employee = filters.CharFilter(field_name="employee__nip", help_text="NIP")

    class Meta:
        model = ExternalLearning
        fields = []


class ExternalLearningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Learning done elsewhere by the employees the caller reads; it counts once HR verifies it."""

    serializer_class = ExternalLearningSerializer
    filterset_class = ExternalFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        return (
            ExternalLearning.objects.filter(of_visible_employees(actor))
            .select_related("employee")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=ExternalSubmitSerializer, responses={201: ExternalLearningSerializer})
    def create(self, request):
        """Report one's own learning done elsewhere with evidence (services.external_submit): the employee."""
        actor = get_actor(request.user)
        data = valid(ExternalSubmitSerializer, request.data)
        item = services.external_submit(actor=actor, employee=own_employee(actor), **data)
        return Response(
            ExternalLearningSerializer(detail(self.get_queryset(), item.pk)).data, status=status.HTTP_201_CREATED
        )

    def get_parsers(self):
        return [MultiPartParser(), FormParser(), JSONParser()]

    @extend_schema(request=VerifyInputSerializer, responses=ExternalLearningSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Accept (JP booked) or reject with a reason (services.external_verify): the employee's HR."""
        actor = get_actor(request.user)
        item = detail(self.get_queryset(), pk)
        data = valid(VerifyInputSerializer, request.data)
        services.external_verify(actor=actor, item=item, accept=data["accept"], reason=data["reason"])
        return Response(ExternalLearningSerializer(detail(self.get_queryset(), item.pk)).data)


# ---- budgets -----------------------------------------------------------------------------------------------------------


class TrainingBudgetSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)

    class Meta:
        model = TrainingBudget
        fields = ["id", "agency", "agency_id", "unit", "unit_name", "year", "amount", "updated_at"]


class BudgetSetSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=16, decimal_places=0)
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="a unit's own ceiling")


class BudgetPositionSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True, help_text="null: not set")
    committed = serializers.DecimalField(max_digits=16, decimal_places=0)
    spent = serializers.DecimalField(max_digits=16, decimal_places=0)
    available = serializers.DecimalField(max_digits=16, decimal_places=0, allow_null=True)


class BudgetFilter(filters.FilterSet):
    agency = filters.NumberFilter(field_name="agency_id")
    year = filters.NumberFilter()

    class Meta:
        model = TrainingBudget
        fields = []


def _int_param(request, name: str, *, required: bool = True) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        if required:
            raise DomainError(_("Parameter ini wajib diisi."), field=name)
        return None
    if not raw.isdigit():
        raise DomainError(_("Isi dengan angka."), field=name)
    return int(raw)


class TrainingBudgetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Training budgets of the agencies whose registry the caller reads."""

    serializer_class = TrainingBudgetSerializer
    filterset_class = BudgetFilter

    def get_queryset(self):
        actor = get_actor(self.request.user)
        if actor.registry_agency_ids is not None and not actor.registry_agency_ids:
            return TrainingBudget.objects.none()
        return (
            TrainingBudget.objects.filter(in_agencies(actor.registry_agency_ids, "agency_id"))
            .select_related("agency", "unit")
            .order_by("-year", "agency__name", "unit__path", "id")
        )

    @extend_schema(request=BudgetSetSerializer, responses=TrainingBudgetSerializer)
    def create(self, request):
        """Set the year's ceiling of an agency or one of its units (services.budget_set): the agency's HR."""
        actor = get_actor(request.user)
        data = valid(BudgetSetSerializer, request.data)
        agency = one(Agency.objects.visible_to(actor), data["agency"], "agency", _("Instansi tidak ditemukan."))
        unit = one(
            OrgUnit.objects.filter(agency=agency), data["unit"], "unit", _("Unit bukan bagian dari instansi ini.")
        )
        budget = services.budget_set(actor=actor, agency=agency, year=data["year"], amount=data["amount"], unit=unit)
        return Response(TrainingBudgetSerializer(detail(self.get_queryset(), budget.pk)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", int, required=True, description="agency id"),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("unit", int, description="unit id, for a unit's own ceiling"),
        ],
        responses=BudgetPositionSerializer,
    )
    @action(detail=False)
    def position(self, request):
        """The year's ceiling, what enrolments committed, what completions spent and what is left."""
        actor = get_actor(request.user)
        agency_id, year = _int_param(request, "agency"), _int_param(request, "year")
        unit_id = _int_param(request, "unit", required=False)
        if not 2000 <= year <= 2100:
            raise DomainError(_("Tahun 2000 sampai 2100."), field="year")
        if not actor.can_read_agency(agency_id) or not Agency.objects.filter(pk=agency_id).exists():
            raise Http404
        return Response(BudgetPositionSerializer(services.budget_position(agency_id, year, unit_id)).data)
