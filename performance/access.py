"""The choke points of the performance app: one object, for reading or for a named write."""

from django.http import Http404

from performance.models import PerformanceYear, Skp


def access_year(actor, year_id: int, *, for_write: bool = False) -> PerformanceYear:
    """The performance year if the actor may see it (and administer it, for a write); 404 otherwise."""
    year = PerformanceYear.objects.visible_to(actor).select_related("agency").filter(pk=year_id).first()
    if year is None or (for_write and not actor.can_write_agency(year.agency_id)):
        raise Http404
    return year


def access_skp(actor, skp_id: int) -> Skp:
    """The plan if the actor may read it; 404 otherwise (writes check the actor's part in the service)."""
    skp = (
        Skp.objects.visible_to(actor)
        .select_related(
            "employee",
            "employee__agency",
            "perf_year",
            "position",
            "unit",
            "assessor",
            "assessor_position",
        )
        .filter(pk=skp_id)
        .first()
    )
    if skp is None:
        raise Http404
    return skp
