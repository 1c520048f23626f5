"""Closing a year at national scale: the distribution curve of every rated unit and the annual predikat
of every employee, computed set-wise in a handful of queries whatever the number of units or people.

The per-unit screen (``rating.unit_round``) answers for one unit at a time; national and agency
monitoring ask the same question of hundreds of thousands of units at once, so here the counting is
one ``GROUP BY`` in PostgreSQL and only the groups travel to Python.
"""

import functools
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, FilteredRelation, OuterRef, Q, When

from organization.models import OrgUnit
from performance import rules
from performance.choices import Rounding, SkpStatus
from performance.models import Assessment, OrgRating, PerformanceSettings, Period, Skp, SkpVersion

CHUNK = 20_000  # rows per fetch when streaming groups from a server-side cursor


@dataclass(frozen=True)
class UnitCurve:
    """One rated unit's curve for one period: who it covers, what they were given, and the check."""

    unit_id: int
    period_id: int
    agency_id: int
    org_predikat: str
    size: int  # plans the curve covers (rated or not)
    counts: dict[str, int]  # employee predikat given so far
    check: rules.CurveCheck

    @property
    def ok(self) -> bool:
        return self.check.ok

    @property
    def broken(self) -> tuple[rules.CurveLine, ...]:
        return self.check.broken


def curve_report(period: Period) -> list[UnitCurve]:
    """Check the curve of every unit that has a predikat for the period, in a fixed number of queries."""
    return _curves([period])


def curve_report_for_year(year: int, *, agency_id: int | None = None) -> list[UnitCurve]:
    """Check the annual curve (the final period) of every rated unit of every agency, or of one, for a year."""
    periods = Period.objects.filter(is_final=True, perf_year__year=year)
    if agency_id is not None:
        periods = periods.filter(perf_year__agency_id=agency_id)
    return _curves(list(periods))


def _curves(periods: list[Period]) -> list[UnitCurve]:
    """The curves of the units rated in these periods (at most one period per performance year).

    The population is ``rating.unit_round``'s, stated the other way round so that it can be counted in
    one pass: an approved plan (or one with an approved version) belongs to the curve of the nearest unit,
    at or above the plan's unit, that has a predikat for the period — unless the plan's post is a head
    post of that unit (an active post of the unit whose parent post is outside it). Plans under no rated
    unit belong to no curve. This is the same set as ``unit_round`` (which takes the subtree, then drops
    the rated sub-units' subtrees and its own head posts), so the two agree unit by unit; a test holds
    them to it.
    """
    period_of_year = {p.perf_year_id: p.pk for p in periods}
    if len(period_of_year) != len(periods):
        raise ValueError("one period per performance year")
    if not periods:
        return []
    period_ids = list(period_of_year.values())
    rated = {
        (unit_id, period_id): (predikat, agency_id)
        for unit_id, period_id, predikat, agency_id in OrgRating.objects.filter(period_id__in=period_ids).values_list(
            "unit_id", "period_id", "predikat", "unit__agency_id"
        )
    }
    if not rated:
        return []
    agency_ids = {agency_id for _p, agency_id in rated.values()}
    rounding = dict(PerformanceSettings.objects.filter(agency_id__in=agency_ids).values_list("agency_id", "rounding"))
    paths = dict(OrgUnit.objects.filter(agency_id__in=agency_ids).values_list("id", "path").iterator(CHUNK))
    rated_periods = {period_id for _u, period_id in rated}
    years = [year_id for year_id, period_id in period_of_year.items() if period_id in rated_periods]

    # One row per (year, unit, head post or not, predikat given), however many people are in it.
    head_post = Q(position__is_active=True) & (
        Q(position__parent__isnull=True) | ~Q(position__parent__unit_id=F("position__unit_id"))
    )
    groups = (
        Skp.objects.filter(perf_year_id__in=years)
        .filter(Q(status=SkpStatus.APPROVED) | Exists(SkpVersion.objects.filter(skp_id=OuterRef("pk"))))
        .annotate(
            rating=FilteredRelation("assessments", condition=Q(assessments__period_id__in=period_ids)),
            heads_unit=Case(When(head_post, then=F("position__unit_id"))),
        )
        .values_list("perf_year_id", "unit_id", "heads_unit", "rating__predikat")
        .annotate(n=Count("pk"))
        .order_by()
    )

    owner_of: dict[tuple[int, int], int | None] = {}

    def owner(unit_id: int, period_id: int) -> int | None:
        key = (unit_id, period_id)
        if key not in owner_of:  # a plan's unit outside the rated agencies has no path here: no curve
            ancestors = [int(x) for x in paths.get(unit_id, "").strip("/").split("/") if x]
            owner_of[key] = next((a for a in reversed(ancestors) if (a, period_id) in rated), None)
        return owner_of[key]

    sizes: Counter = Counter()
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for perf_year_id, unit_id, heads_unit, predikat, n in groups.iterator(CHUNK):
        period_id = period_of_year[perf_year_id]
        unit = owner(unit_id, period_id)
        if unit is None or heads_unit == unit:
            continue
        sizes[unit, period_id] += n
        if predikat is not None:
            counts[unit, period_id][predikat] += n

    report = []
    for (unit_id, period_id), (org_predikat, agency_id) in rated.items():
        given = dict(counts.get((unit_id, period_id), {}))
        size = sizes[unit_id, period_id]
        check = rules.check_curve(org_predikat, given, size, rounding.get(agency_id, Rounding.FLOOR_CEIL))
        report.append(UnitCurve(unit_id, period_id, agency_id, org_predikat, size, given, check))
    report.sort(key=lambda c: (c.period_id, paths.get(c.unit_id, "")))
    return report


@dataclass(frozen=True)
class PredikatMismatch:
    """An assessment whose stored predikat is not what the matrix gives for its two ratings."""

    assessment_id: int
    skp_id: int
    result_rating: str
    behaviour_rating: str
    stored: str
    expected: str | None  # None: a rating outside the matrix


@dataclass(frozen=True)
class AnnualPredikat:
    """The annual predikat of a year recomputed from the ratings, and where the stored one differs."""

    year: int
    rows: int
    counts: dict[str, int]  # annual predikat as the matrix gives it
    mismatches: list[PredikatMismatch]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def annual_predikat_check(year: int, *, agency_id: int | None = None) -> AnnualPredikat:
    """Recompute every annual predikat of the year from its two ratings and list those stored otherwise.

    The predikat is a function of the (result, behaviour) pair alone, so the matrix is applied once per
    distinct (result, behaviour, stored predikat) group of a single ``GROUP BY`` — at most 9 × 5 groups for
    millions of rows — and the mismatching rows are fetched, by their groups, only when there are any.
    """
    finals = Assessment.objects.filter(period__is_final=True, period__perf_year__year=year)
    if agency_id is not None:
        finals = finals.filter(period__perf_year__agency_id=agency_id)
    counts: Counter = Counter()
    rows, wrong = 0, []
    for result, behaviour, stored, n in (
        finals.values_list("result_rating", "behaviour_rating", "predikat").annotate(n=Count("pk")).order_by()
    ):
        expected = rules.MATRIX.get((result, behaviour))
        rows += n
        if expected is not None:
            counts[expected] += n
        if stored != expected:
            wrong.append(Q(result_rating=result, behaviour_rating=behaviour, predikat=stored))
    mismatches = []
    if wrong:
        for pk, skp_id, result, behaviour, stored in (
            finals.filter(functools.reduce(operator.or_, wrong))
            .values_list("pk", "skp_id", "result_rating", "behaviour_rating", "predikat")
            .order_by("pk")
            .iterator(CHUNK)
        ):
            expected = rules.MATRIX.get((result, behaviour))
            mismatches.append(PredikatMismatch(pk, skp_id, result, behaviour, stored, expected))
    return AnnualPredikat(year, rows, {p: counts[p] for p in rules.PREDIKAT_ORDER}, mismatches)
