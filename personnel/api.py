from django.db.models import prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.access import get_actor
from personnel.access import access_employee
from personnel.filters import EmployeeFilter
from personnel.models import Assignment, EducationHistory, Employee, Rank, RankHistory
from personnel.selectors import employee_list_qs
from personnel.supervision import supervisor_chain


class RankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["id", "code", "scheme", "name", "order"]


class EmployeeSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_rank = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_position = serializers.StringRelatedField()
    current_position_id = serializers.IntegerField(read_only=True)
    current_unit = serializers.StringRelatedField()
    current_unit_id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Employee
        fields = [
            "nip",
            "name",
            "full_name",
            "front_title",
            "back_title",
            "gender",
            "birth_date",
            "employee_type",
            "status",
            "tmt_appointment",
            "agency",
            "current_rank",
            "current_position",
            "current_position_id",
            "current_position_type",
            "current_unit",
            "current_unit_id",
            "retirement_date",
        ]


class RankHistorySerializer(serializers.ModelSerializer):
    rank = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RankHistory
        fields = ["rank", "tmt", "decree_number", "decree_date"]


class AssignmentSerializer(serializers.ModelSerializer):
    position = serializers.StringRelatedField()

    class Meta:
        model = Assignment
        fields = ["position_id", "position", "kind", "tmt", "end_date", "decree_number", "decree_date"]


class EducationSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EducationHistory
        fields = ["level", "major", "institution", "tmt", "decree_number"]


class EmployeeDetailSerializer(EmployeeSerializer):
    nik = serializers.CharField()
    rank_history = RankHistorySerializer(many=True)
    assignments = AssignmentSerializer(many=True)
    education_history = EducationSerializer(many=True)

    class Meta(EmployeeSerializer.Meta):
        fields = EmployeeSerializer.Meta.fields + [
            "nik",
            "birth_place",
            "rank_history",
            "assignments",
            "education_history",
        ]


class ChainStepSerializer(serializers.Serializer):
    nip = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    position = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    external = serializers.CharField()
    problem = serializers.CharField()
    problem_text = serializers.CharField()


ORDERINGS = {
    "name",
    "-name",
    "nip",
    "-nip",
    "retirement_date",
    "-retirement_date",
    "tmt_appointment",
    "-tmt_appointment",
}


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="NIP prefix or part of the name"),
            OpenApiParameter("agency", int),
            OpenApiParameter("unit", int, description="the unit and every unit below it"),
            OpenApiParameter("rank", int),
            OpenApiParameter("position_type", str),
            OpenApiParameter("employee_type", str),
            OpenApiParameter("status", str),
            OpenApiParameter("ordering", str, enum=sorted(ORDERINGS)),
        ]
    ),
)
class EmployeeViewSet(viewsets.ReadOnlyModelViewSet):
    """Employees in the caller's scope; one employee by NIP (404 when out of scope)."""

    lookup_field = "nip"
    filterset_class = None

    def get_queryset(self):
        return employee_list_qs(get_actor(self.request.user)).order_by("name", "id")

    def get_serializer_class(self):
        return EmployeeDetailSerializer if self.action == "retrieve" else EmployeeSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        flt = EmployeeFilter(self.request.query_params, queryset=queryset, actor=get_actor(self.request.user))
        if not flt.is_valid():
            raise ValidationError(flt.errors)
        ordering = self.request.query_params.get("ordering")
        if ordering:
            if ordering not in ORDERINGS:
                raise ValidationError({"ordering": [f"one of {', '.join(sorted(ORDERINGS))}"]})
            return flt.qs.order_by(ordering, "id")
        return flt.qs

    def get_object(self):
        employee = access_employee(get_actor(self.request.user), self.kwargs["nip"])
        prefetch_related_objects([employee], "rank_history__rank", "assignments__position", "education_history__level")
        return employee

    @extend_schema(responses=ChainStepSerializer(many=True))
    @action(detail=True, url_path="supervisors")
    def supervisors(self, request, nip=None):
        """The employee's supervisor chain today, up to the agency head or the first gap."""
        employee = access_employee(get_actor(request.user), nip)
        steps = supervisor_chain(employee)
        data = [
            {
                "nip": s.employee.nip if s.employee else None,
                "name": s.employee.full_name if s.employee else None,
                "position": str(s.position) if s.position else None,
                "kind": s.kind,
                "external": s.external,
                "problem": s.problem,
                "problem_text": s.problem_text,
            }
            for s in steps
        ]
        return Response(ChainStepSerializer(data, many=True).data)


class RankViewSet(viewsets.ReadOnlyModelViewSet):
    """PNS golongan/ruang and PPPK golongan."""

    queryset = Rank.objects.all()
    serializer_class = RankSerializer
