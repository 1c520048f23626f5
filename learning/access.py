"""The choke points of the learning app: whose competencies the actor may see and record, which development
plans they may read, which training events HR manages, whose learning done elsewhere they verify, which
agencies and employees the actor's reports cover, and the scope helpers the pages share."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from learning.choices import AssessmentSource
from learning.models import AllocationRun, Competency, DevelopmentPlan, ExternalLearning, TrainingEvent
from organization.access import access_agency
from organization.models import Agency
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


# --- Catalogue and enrolment -------------------------------------------------------------------------


def require_hr(actor) -> None:
    """Pages for the agency's HR: 403 for anyone without the role."""
    if not actor.can_write_registry:
        raise PermissionDenied


def access_event(actor, event_id: int) -> TrainingEvent:
    """An event to manage: 403 without the HR role, 404 when it belongs to another agency."""
    require_hr(actor)
    event = TrainingEvent.objects.select_related("program", "agency").filter(pk=event_id).first()
    if event is None or not actor.can_write_agency(event.agency_id):
        raise Http404
    return event


def competencies_visible_to(actor):
    """National competencies and the technical ones of the actor's agencies."""
    qs = Competency.objects.filter(active=True)
    if actor.write_agency_ids is not None:
        qs = qs.filter(Q(agency__isnull=True) | Q(agency_id__in=actor.write_agency_ids))
    return qs.order_by("kind", "code")


def external_learning_visible_to(actor):
    """Learning done elsewhere that the actor verifies: their agencies' (every agency's for the national admin)."""
    qs = ExternalLearning.objects.all()
    if actor.write_agency_ids is not None:
        qs = qs.filter(employee__agency_id__in=actor.write_agency_ids)
    return qs


# --- Reports -----------------------------------------------------------------------------------------


def report_agencies(actor) -> list[Agency]:
    """The agencies whose registry the actor reads; 404 for someone who reads none."""
    if actor.registry_agency_ids is not None and not actor.registry_agency_ids:
        raise Http404
    return list(Agency.objects.registry_visible_to(actor).only("id", "name", "code").order_by("name"))


def resolve_agency(agencies: list[Agency], wanted) -> Agency | None:
    """The agency asked for (404 outside the scope), the only one in scope, or None for all of them."""
    if wanted not in (None, ""):
        agency = next((a for a in agencies if str(a.pk) == str(wanted)), None)
        if agency is None:
            raise Http404
        return agency
    return agencies[0] if len(agencies) == 1 else None


def report_agency_ids(actor, agencies: list[Agency], agency: Agency | None) -> list[int] | None:
    """The agencies a report covers; None for every agency (the national admin with none chosen)."""
    if agency is not None:
        return [agency.pk]
    if actor.registry_agency_ids is None:
        return None
    return [a.pk for a in agencies]


def report_employees(actor, agency_ids: list[int] | None):
    """Active employees of the reported agencies, through the registry's own choke point."""
    qs = Employee.objects.visible_to(actor).active()
    return qs if agency_ids is None else qs.filter(agency_id__in=agency_ids)


# --- HR of an agency (catalogue, events, allocation) ---------------------------------------------------------


def hr_agencies(actor):
    """The agencies whose HR the actor is (every agency for the national admin)."""
    if actor.write_agency_ids is None:
        return Agency.objects.order_by("name")
    return Agency.objects.filter(pk__in=actor.write_agency_ids).order_by("name")


def hr_agency(actor, agency_id: int):
    """The agency if the actor is its HR (or the national admin); 404 otherwise."""
    agency = access_agency(actor, agency_id)
    if not actor.can_write_agency(agency.pk):
        raise Http404
    return agency


def access_allocation_run(actor, agency_id: int, uid: str) -> AllocationRun:
    """One of the agency's runs for its HR; 404 for anyone else and for another agency's run."""
    agency = hr_agency(actor, agency_id)
    run = AllocationRun.objects.filter(agency=agency, uid=uid).select_related("requested_by").first()
    if run is None:
        raise Http404
    run.agency = agency
    return run
