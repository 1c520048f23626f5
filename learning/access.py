"""The choke points of the learning app: whose competencies the actor may see and record, which development
plans they may read, and the scope helpers the competency and plan pages share."""

from django.db.models import Q
from django.http import Http404

from learning.choices import AssessmentSource
from learning.models import DevelopmentPlan
from personnel.models import Employee

# --- Scope -------------------------------------------------------------------------------------------


def is_direct_supervisor(actor, employee: Employee) -> bool:
    """Whether the actor is the employee's direct supervisor today."""
    from personnel.supervision import direct_supervisor

    return actor.employee_id is not None and direct_supervisor(employee).employee_id == actor.employee_id


def reads_registry(actor) -> bool:
    """Whether the actor reads the personnel registry of at least one agency."""
    return actor.registry_agency_ids is None or bool(actor.registry_agency_ids)


def direct_reports(actor) -> list[int]:
    """Ids of the actor's direct reports today (one agency snapshot: a constant number of queries)."""
    from personnel.supervision import agency_snapshot

    me = Employee.objects.filter(pk=actor.employee_id).values_list("agency_id", flat=True).first()
    if me is None:
        return []
    snap = agency_snapshot(me)
    return [e for e in snap.definitive if snap.supervisor_of(e).employee_id == actor.employee_id]


# --- Competencies ------------------------------------------------------------------------------------


def access_person(actor, nip: str) -> Employee:
    """The employee whose competencies the actor may see: themselves, a direct report, or anyone in the
    agencies whose registry the actor reads; 404 otherwise."""
    employee = (
        Employee.objects.visible_to(actor)
        .select_related("agency", "current_position", "current_unit")
        .filter(nip=nip)
        .first()
    )
    if employee is None:
        raise Http404
    if employee.pk == actor.employee_id or actor.can_read_agency(employee.agency_id):
        return employee
    if is_direct_supervisor(actor, employee):  # visible_to also lets in indirect reports; this page does not
        return employee
    raise Http404


def allowed_sources(actor, employee: Employee) -> list[str]:
    """The sources the actor may record for the employee: HR all, the direct supervisor theirs, the employee self."""
    if actor.can_write_agency(employee.agency_id):
        return list(AssessmentSource.values)
    out = []
    if is_direct_supervisor(actor, employee):
        out.append(AssessmentSource.SUPERVISOR)
    if actor.employee_id == employee.pk:
        out.append(AssessmentSource.SELF)
    return out


# --- Development plans -------------------------------------------------------------------------------


def plans_visible_to(actor):
    """Plans the actor may read: their own, those sent to them as supervisor, and their agencies' (HR, readers)."""
    if not actor.is_authenticated:
        return DevelopmentPlan.objects.none()
    if actor.registry_agency_ids is None:
        return DevelopmentPlan.objects.all()
    q = Q(employee__agency_id__in=actor.registry_agency_ids) if actor.registry_agency_ids else Q(pk__in=[])
    if actor.employee_id is not None:
        q |= Q(employee_id=actor.employee_id) | Q(supervisor_id=actor.employee_id)
    return DevelopmentPlan.objects.filter(q)


def access_plan(actor, plan_id: int) -> DevelopmentPlan:
    """The plan if the actor may read it; 404 otherwise (the services check who may change it)."""
    plan = (
        plans_visible_to(actor)
        .select_related("employee", "employee__agency", "employee__current_position", "employee__current_unit")
        .select_related("supervisor")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    return plan
