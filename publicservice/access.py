"""The choke points of the public-service app: which complaints an officer handles or responds to, one
report by its tracking code, and what of it they see; and which action plans (rencana tindak lanjut) they
read and follow up.

Who sees what (the same rules as ``services.can_handle`` / ``services.can_respond``):

- handlers — complaint officers and HR of the report's agency, the national admin — see the agency's
  reports whole: the text, the reporter's identity, attachments, every event, every action;
- the staff of the unit a report is with see it once it has been forwarded, to follow it up and respond:
  never the reporter's name or contact, and no attachment of an anonymous report.

Anything else answers 404, exactly like a report that does not exist.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import Actor
from accounts.choices import Role
from publicservice.action_plans import may_manage, may_read, survey_agencies
from publicservice.models import ActionPlan, Complaint, ComplaintStatus, Confidentiality

# What the staff of a unit see: reports forwarded to it, followed up, answered, closed.
RESPONDER_STATUSES = (
    ComplaintStatus.FORWARDED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESPONDED,
    ComplaintStatus.CLOSED,
)


@dataclass(frozen=True)
class OfficerScope:
    """The reports an actor handles (by agency) and those they respond to (by the org units their own unit
    lies in)."""

    actor: Actor
    agency_ids: frozenset | None  # None: every agency
    org_unit_ids: frozenset

    @property
    def handles_any(self) -> bool:
        return self.agency_ids is None or bool(self.agency_ids)

    def handles(self, complaint: Complaint) -> bool:
        return self.agency_ids is None or complaint.agency_id in self.agency_ids

    def responds(self, complaint: Complaint) -> bool:
        return complaint.status in RESPONDER_STATUSES and complaint.unit.org_unit_id in self.org_unit_ids

    def handled(self):
        qs = Complaint.objects.all()
        return qs if self.agency_ids is None else qs.filter(agency_id__in=self.agency_ids)

    def responded(self):
        return Complaint.objects.filter(unit__org_unit_id__in=self.org_unit_ids, status__in=RESPONDER_STATUSES)

    def complaints(self):
        """Every report the actor may open, handled or responded to."""
        if self.agency_ids is None:
            return Complaint.objects.all()
        return Complaint.objects.filter(
            Q(agency_id__in=self.agency_ids) | Q(unit__org_unit_id__in=self.org_unit_ids, status__in=RESPONDER_STATUSES)
        )


def officer_scope(actor: Actor) -> OfficerScope:
    """The actor's reach over complaints, computed once per request (two small queries at most)."""
    user = actor.user
    if user is None:
        return OfficerScope(actor, frozenset(), frozenset())
    cached = getattr(user, "_pamong_officer_scope", None)
    if cached is not None and cached.actor is actor:
        return cached
    if actor.write_agency_ids is None:
        agencies = None
    else:
        officer_of = user.role_assignments.filter(role=Role.COMPLAINT_OFFICER).values_list("agency_id", flat=True)
        agencies = frozenset(actor.write_agency_ids) | frozenset(officer_of)
    units: frozenset = frozenset()
    if actor.employee_id:
        from personnel.models import Employee

        path = Employee.objects.filter(pk=actor.employee_id).values_list("current_unit__path", flat=True).first()
        units = frozenset(int(p) for p in (path or "").strip("/").split("/") if p.isdigit())
    scope = OfficerScope(actor, agencies, units)
    user._pamong_officer_scope = scope
    return scope


def access_complaint(scope: OfficerScope, code: str) -> Complaint:
    """The report with this tracking code, if the actor handles or responds to it; else 404."""
    c = (
        Complaint.objects.select_related("unit__org_unit", "unit__agency", "agency", "merged_into")
        .filter(tracking_code=(code or "").strip().upper())
        .first()
    )
    if c is None or not (scope.handles(c) or scope.responds(c)):
        raise Http404
    return c


def sees_identity(scope: OfficerScope, c: Complaint) -> bool:
    """Only those who handle the report see who filed it (for an anonymous report as for any other)."""
    return scope.handles(c)


def sees_attachments(scope: OfficerScope, c: Complaint) -> bool:
    """Unit staff see the evidence of a report unless the reporter asked to stay anonymous (a photo or a
    scan may name them)."""
    return scope.handles(c) or c.confidentiality != Confidentiality.ANONYMOUS


# --- Action plans ------------------------------------------------------------------------------------------


def plans_visible_to(actor):
    """Action plans the actor may read: those of the agencies whose surveys they read, and their own."""
    scope = survey_agencies(actor)
    qs = ActionPlan.objects.all()
    if scope is None:
        return qs
    mine = Q(owner_id=actor.employee_id) if actor.employee_id else Q(pk__in=[])
    return qs.filter(Q(unit__agency_id__in=scope) | mine)


def access_plan(actor, plan_id: int, *, for_write: bool = False) -> ActionPlan:
    """The action plan if the actor may read it (or is its owner); 404 otherwise."""
    plan = ActionPlan.objects.select_related("unit__agency", "campaign", "owner").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    owner = actor.employee_id is not None and plan.owner_id == actor.employee_id
    if not (owner or may_read(actor, plan.unit.agency_id)):
        raise Http404
    if for_write and not (owner or may_manage(actor, plan.unit.agency_id)):
        raise PermissionDenied(_("Anda tidak menangani rencana tindak lanjut ini."))
    return plan
