from django.core.exceptions import PermissionDenied
from django.http import Http404

from personnel.models import Employee


def access_employee(actor, nip: str, *, for_write: bool = False) -> Employee:
    """The employee by NIP if the actor may read it (404 otherwise); 403 for a write they may not make."""
    employee = (
        Employee.objects.visible_to(actor)
        .select_related("agency", "current_rank", "current_position", "current_unit", "current_education")
        .filter(nip=nip)
        .first()
    )
    if employee is None:
        raise Http404
    if for_write and not actor.can_write_agency(employee.agency_id):
        raise PermissionDenied
    return employee
