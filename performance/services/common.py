"""What the performance services share: who the actor is in the cycle, and refusals that say who fixes what."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.errors import DomainError
from organization.models import OrgUnit, Position
from personnel.models import Employee
from personnel.supervision import PROBLEM_TEXT, Link, employee_snapshot


def actor_employee(actor) -> Employee | None:
    return Employee.objects.filter(pk=actor.employee_id).first() if actor.employee_id else None


def resolve_assessor(employee: Employee, day: datetime.date) -> Link:
    """The employee's direct supervisor on the day, or a refusal naming who must fix what."""
    snap = employee_snapshot(employee, day)
    link = snap.supervisor_of(employee.pk)
    if link.problem:
        pos = snap.positions.get(link.problem_position_id) if link.problem_position_id else None
        raise DomainError(
            _("Atasan langsung tidak dapat ditentukan. %(fix)s") % {"fix": PROBLEM_TEXT[link.problem](pos)},
            code="no_supervisor",
        )
    return link


def require_owner(actor, employee: Employee) -> None:
    if actor.employee_id != employee.pk:
        raise PermissionDenied(_("Hanya pegawai pemilik SKP yang dapat melakukan ini."))


def is_assessor(actor, employee: Employee, day: datetime.date) -> bool:
    """Whether the actor is the employee's direct supervisor today (or, for a head reporting outside the
    registry, an HR admin of the agency acting for the regional head)."""
    snap = employee_snapshot(employee, day)
    link = snap.supervisor_of(employee.pk)
    if link.external:
        return actor.can_write_agency(employee.agency_id)
    return bool(link.employee_id) and link.employee_id == actor.employee_id


def require_assessor(actor, employee: Employee, day: datetime.date) -> None:
    if not is_assessor(actor, employee, day):
        raise PermissionDenied(_("Hanya atasan langsung (pejabat penilai) pegawai ini yang dapat melakukan ini."))


def head_positions(unit: OrgUnit):
    """Posts that lead the unit: active posts of the unit whose parent post is outside it."""
    return (
        Position.objects.filter(unit=unit, is_active=True)
        .exclude(parent__unit=unit)
        .select_related("agency", "parent", "unit")
        .order_by("path")
    )


def leads_unit(position: Position | None) -> OrgUnit | None:
    """The unit the post leads (it is one of the unit's head posts), or None."""
    if position is None:
        return None
    return position.unit if head_positions(position.unit).filter(pk=position.pk).exists() else None


def unit_head(unit: OrgUnit, day: datetime.date) -> tuple[Position | None, Employee | None]:
    """The unit's head post and who holds it on the day (definitive, else Plt, else Plh)."""
    from personnel.models import Assignment
    from personnel.supervision import KIND_PRIORITY

    pos = head_positions(unit).first()
    if pos is None:
        return None, None
    holders = sorted(
        Assignment.objects.effective_on(day).filter(position=pos, employee__status="active").select_related("employee"),
        key=lambda a: (KIND_PRIORITY[a.kind], -a.tmt.toordinal()),
    )
    return pos, holders[0].employee if holders else None


def supervision_problem(employee: Employee, day: datetime.date) -> str | None:
    """Why the employee's direct supervisor cannot be resolved and who must fix it, or None."""
    snap = employee_snapshot(employee, day)
    link = snap.supervisor_of(employee.pk)
    if not link.problem:
        return None
    return PROBLEM_TEXT[link.problem](snap.positions.get(link.problem_position_id) if link.problem_position_id else None)
