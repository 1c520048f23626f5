"""Reads of the recruitment app."""

import datetime

from django.db.models import Prefetch

from recruitment import rules
from recruitment.models import Formation, FormationQuota, PassingGrade


def passing_grade(period_kind: str, category: str, on: datetime.date) -> rules.PassingGrade | None:
    """The passing grade of a category in force on a date (the latest recorded on or before it)."""
    row = (
        PassingGrade.objects.filter(period_kind=period_kind, category=category, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return None
    return rules.PassingGrade(twk=row.twk, tiu=row.tiu, tkp=row.tkp, total=row.total, confidence=row.confidence)


def public_formations(*, period=None, agency=None, category: str = "", education=None, text: str = ""):
    """Published formations for the public search, with their quotas and required education."""
    qs = Formation.objects.public().search(text)
    if period is not None:
        qs = qs.filter(period=period)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category:
        qs = qs.filter(quotas__category=category)
    if education is not None:
        qs = qs.filter(education=education)
    return (
        qs.select_related("period", "agency", "unit")
        .prefetch_related(Prefetch("quotas", queryset=FormationQuota.objects.order_by("category")), "education")
        .distinct()
        .order_by("agency__name", "position_title", "pk")
    )
