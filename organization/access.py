from django.http import Http404

from organization.models import Agency, OrgUnit, Position


def access_agency(actor, agency_id: int, *, for_write: bool = False) -> Agency:
    """The agency if the actor may see (or change) its structure; 404 otherwise."""
    agency = Agency.objects.visible_to(actor).select_related("province", "regency").filter(pk=agency_id).first()
    if agency is None or (for_write and not actor.can_write_agency(agency.pk)):
        raise Http404
    return agency


def access_unit(actor, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.visible_to(actor).select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def access_position(actor, position_id: int) -> Position:
    pos = Position.objects.visible_to(actor).select_related("agency", "unit").filter(pk=position_id).first()
    if pos is None:
        raise Http404
    return pos
