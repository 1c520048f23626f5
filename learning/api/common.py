"""Pieces the competency-development API modules share: who may see what, request parsing and the small
reference serializers."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.errors import DomainError
from learning.models import Competency, Program, TrainingEvent
from personnel.models import Employee
from personnel.querysets import employee_scope_q

# ---- scope -----------------------------------------------------------------------------------------


def in_agencies(ids, field: str) -> Q:
    """Rows of the given agencies (``None`` means every agency)."""
    return Q() if ids is None else Q(**{f"{field}__in": ids})


def of_visible_employees(actor, prefix: str = "employee__") -> Q:
    """Rows about an employee the actor reads (their agencies, themselves, whoever reports to them)."""
    return employee_scope_q(actor, prefix)


def visible_competencies(actor):
    """The national dictionary and the technical competencies of the agencies whose structure the actor sees."""
    if actor.org_agency_ids is None:
        return Competency.objects.all()
    return Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id__in=actor.org_agency_ids))


def visible_events(actor):
    """Events organised by an agency whose structure the actor sees (their own agency for an employee)."""
    return TrainingEvent.objects.filter(in_agencies(actor.org_agency_ids, "agency_id"))


# ---- request parsing ---------------------------------------------------------------------------------


def valid(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def one(queryset, pk, field: str, message: str):
    """The object with this id in the queryset, or a 400 on the field (None when no id was given)."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise DomainError(message, field=field)
    return obj


def employee_by_nip(actor, nip: str, field: str = "employee") -> Employee:
    """An employee the actor reads, by NIP; a 400 on the field whether missing or out of reach."""
    employee = Employee.objects.visible_to(actor).select_related("agency").filter(nip=nip).first()
    if employee is None:
        raise DomainError(_("Pegawai tidak ditemukan."), field=field)
    return employee


def own_employee(actor, field: str = "employee") -> Employee:
    employee = Employee.objects.filter(pk=actor.employee_id).first() if actor.employee_id else None
    if employee is None:
        raise DomainError(_("Akun ini tidak terhubung ke data pegawai."), field=field)
    return employee


def detail(queryset, pk):
    """One row of a scoped queryset by the id in the URL: 404 when missing or out of scope."""
    if not str(pk).isdigit():
        raise Http404
    obj = queryset.filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return obj


# ---- reference serializers -----------------------------------------------------------------------------


class CompetencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competency
        fields = ["id", "code", "name"]


class ProgramRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "code", "title", "jp", "provider"]
