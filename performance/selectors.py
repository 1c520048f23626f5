"""Screen-shaped reads of the performance app, each with its own joins so pages run a fixed number of queries."""

from django.db.models import Count

from performance.models import PeerInput, Period, Skp
from performance.rules import PEER_MIN_RATERS


def peer_summary(skp: Skp, period: Period) -> dict | None:
    """360° input as counts per behaviour, or None while fewer than three people have answered."""
    raters = PeerInput.objects.filter(skp=skp, period=period).values("rater_id").distinct().count()
    if raters < PEER_MIN_RATERS:
        return None
    values: dict[str, dict[str, int]] = {}
    for row in (
        PeerInput.objects.filter(skp=skp, period=period).values("behaviour", "rating").annotate(n=Count("id"))
    ):
        values.setdefault(row["behaviour"], {"above": 0, "meets": 0, "below": 0})[row["rating"]] = row["n"]
    return {"raters": raters, "values": values}
