"""The choke points of the recruitment app: whose selection an actor runs as its committee, which applications
they read, and one application, formation or agency within that reach. The pages and the API both ask here.

- The selection committee of an agency (a role assignment per agency) runs that agency's selection: its
  applications, verification, SKD ranking, SKB scores and final result. The national admin runs every agency's.
- An applicant reads their own applications, nothing else.

Anything else answers 404, exactly like a record that does not exist.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import Actor
from accounts.choices import Role
from organization.models import Agency
from recruitment.models import Application, Formation, RecruitmentPeriod


@dataclass(frozen=True)
class CommitteeScope:
    """The agencies whose selection the actor runs (``None``: every agency, the national admin)."""

    actor: Actor
    agency_ids: frozenset[int] | None

    @property
    def any(self) -> bool:
        return self.agency_ids is None or bool(self.agency_ids)

    def covers(self, agency_id: int) -> bool:
        return self.agency_ids is None or agency_id in self.agency_ids

    def applications(self) -> QuerySet[Application]:
        """The applications to the formations of the actor's agencies: the committee's desk."""
        qs = Application.objects.all()
        return qs if self.agency_ids is None else qs.filter(formation__agency_id__in=self.agency_ids)

    def visible_applications(self) -> QuerySet[Application]:
        """The committee's applications and the actor's own (as an applicant)."""
        if self.agency_ids is None:
            return Application.objects.all()
        user = self.actor.user
        if user is None:
            return Application.objects.none()
        return Application.objects.filter(Q(applicant__user=user) | Q(formation__agency_id__in=self.agency_ids))


def committee_scope(actor: Actor) -> CommitteeScope:
    """Resolve the agencies whose selection committee the actor sits on (every agency for the national admin)."""
    if actor.write_agency_ids is None:
        return CommitteeScope(actor, None)
    user = actor.user
    if user is None:
        return CommitteeScope(actor, frozenset())
    ids = user.role_assignments.filter(role=Role.SELECTION_COMMITTEE).values_list("agency_id", flat=True)
    return CommitteeScope(actor, frozenset(ids))


def require_committee(actor: Actor, agency_id: int) -> None:
    """Refuse (403) anyone but the selection committee of this agency or the national admin."""
    if not committee_scope(actor).covers(agency_id):
        raise PermissionDenied(_("Hanya panitia seleksi instansi ini yang dapat melakukan ini."))


def access_committee_agency(actor: Actor, agency_id: int) -> None:
    """The committee of the agency or the national admin; anyone else gets the 404 of a missing page."""
    if not committee_scope(actor).covers(agency_id):
        raise Http404


def access_formation(actor: Actor, formation_id: int) -> Formation:
    """A formation whose selection the actor runs (its ranking, SKB scores, final list); 404 otherwise."""
    formation = Formation.objects.select_related("period", "agency", "unit").filter(pk=formation_id).first()
    if formation is None:
        raise Http404
    access_committee_agency(actor, formation.agency_id)
    return formation


def access_period_agency(actor: Actor, period_id: int, agency_id: int) -> tuple[RecruitmentPeriod, Agency]:
    """A period and an agency whose selection the actor runs (SKB import, publication); 404 otherwise."""
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    access_committee_agency(actor, agency.pk)
    period = RecruitmentPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise Http404
    return period, agency


def access_application(actor: Actor, number: str) -> Application:
    """An application by its registration number: the applicant's own or one the committee runs; 404 otherwise."""
    application = committee_scope(actor).visible_applications().filter(registration_number=number).first()
    if application is None:
        raise Http404
    return application
