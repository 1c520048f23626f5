"""Closing a year at national scale: the distribution curve of every rated unit and the annual predikat
of every employee, computed set-wise in a handful of queries whatever the number of units or people.

The per-unit screen (``rating.unit_round``) answers for one unit at a time; national and agency
monitoring ask the same question of hundreds of thousands of units at once, so here the counting is
one ``GROUP BY`` in PostgreSQL and only the groups travel to Python.
"""

import functools
import operator
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from organization.models import OrgUnit, Position
from performance import rules
from performance.choices import Rounding, SkpStatus
from performance.models import Assessment, OrgRating, Period, Skp, SkpVersion

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
    return _curves(Period.objects.filter(pk=period.pk))


def curve_report_for_year(year: int, *, agency_id: int | None = None) -> list[UnitCurve]:
    """Check the annual curve (the final period) of every rated unit of every agency, or of one, for a year."""
    periods = Period.objects.filter(is_final=True, perf_year__year=year)
    if agency_id is not None:
        periods = periods.filter(perf_year__agency_id=agency_id)
    return _curves(periods)


def _curves(periods: QuerySet[Period]) -> list[UnitCurve]:
    """The curves of the units rated in these periods (at most one period per performance year).

    The population is ``rating.unit_round``'s, stated the other way round so that it can be counted in
    one pass: an approved plan (or one with an approved version) belongs to the curve of the nearest unit,
    at or above the plan's unit, that has a predikat for the period — unless the plan's post is a head
    post of that unit (an active post of the unit whose parent post is outside it). Plans under no rated
    unit belong to no curve. This is the same set as ``unit_round`` (which takes the subtree, then drops
    the rated sub-units' subtrees and its own head posts), so the two agree unit by unit; a test holds
    them to it. PostgreSQL counts per (year, unit, post) — a few rows a unit whatever its size — and
    Python attributes those rows to curves by the unit paths.
    """
    period_rows = list(periods.values_list("perf_year_id", "pk"))
    period_of_year = dict(period_rows)
    if len(period_of_year) != len(period_rows):
        raise ValueError("one period per performance year")
    rated = {
        (unit_id, period_id): (predikat, agency_id, rounding or Rounding.FLOOR_CEIL)
        for unit_id, period_id, predikat, agency_id, rounding in OrgRating.objects.filter(
            period__in=periods
        ).values_list(
            "unit_id", "period_id", "predikat", "unit__agency_id", "unit__agency__performance_settings__rounding"
        )
    }
    if not rated:
        return []
    agency_ids = {agency_id for _p, agency_id, _r in rated.values()}
    paths = dict(OrgUnit.objects.filter(agency_id__in=agency_ids).values_list("id", "path").iterator(CHUNK))
    rated_units = OrgRating.objects.filter(period__in=periods).values("unit_id")
    head_of = dict(
        Position.objects.filter(unit__in=rated_units, is_active=True)
        .exclude(parent__unit=F("unit"))
        .values_list("pk", "unit_id")
        .iterator(CHUNK)
    )

    # One row per (year, unit, post): how many approved plans, and how many of each predikat given.
    groups = (
        Skp.objects.filter(perf_year__in=periods.values("perf_year_id"))
        .filter(Q(status=SkpStatus.APPROVED) | Exists(SkpVersion.objects.filter(skp_id=OuterRef("pk"))))
        # Subquery(): FilteredRelation refuses a bare queryset; a literal id list made PostgreSQL walk
        # the period index over the whole table instead of hashing one pass of it.
        .annotate(
            rating=FilteredRelation("assessments", condition=Q(assessments__period__in=Subquery(periods.values("pk"))))
        )
        .values_list("perf_year_id", "unit_id", "position_id")
        .annotate(
            size=Count("pk"),
            **{p: Count("pk", filter=Q(rating__predikat=p)) for p in rules.PREDIKAT_ORDER},
        )
        .order_by()
    )

    owner_of: dict[tuple[int, int], int | None] = {}  # (plan's unit, year) -> the unit whose curve it is on
    totals: dict[tuple[int, int], list[int]] = {}  # (rated unit, period) -> [size, count per predikat…]
    for perf_year_id, unit_id, position_id, *numbers in groups.iterator(CHUNK):
        owner = owner_of.get((unit_id, perf_year_id), -1)
        if owner == -1:  # first time this unit is seen: walk up its path (outside the rated agencies: no curve)
            period_id = period_of_year[perf_year_id]
            ancestors = paths.get(unit_id, "").strip("/").split("/")
            owner = next((int(a) for a in reversed(ancestors) if a and (int(a), period_id) in rated), None)
            owner_of[unit_id, perf_year_id] = owner
        if owner is None or head_of.get(position_id) == owner:
            continue
        key = (owner, period_of_year[perf_year_id])
        if (acc := totals.get(key)) is None:
            totals[key] = numbers  # a fresh list from the unpacking: safe to add into
        else:
            for i, x in enumerate(numbers):
                acc[i] += x

    report = []
    empty = (0,) * (1 + len(rules.PREDIKAT_ORDER))
    checks: dict[tuple, rules.CurveCheck] = {}  # the check depends on these numbers only; units share them
    for (unit_id, period_id), (org_predikat, agency_id, rounding) in rated.items():
        numbers = tuple(totals.get((unit_id, period_id), empty))
        counts = {p: n for p, n in zip(rules.PREDIKAT_ORDER, numbers[1:], strict=True) if n}
        key = (org_predikat, rounding, numbers)
        if (check := checks.get(key)) is None:
            check = checks[key] = rules.check_curve(org_predikat, counts, numbers[0], rounding)
        report.append(UnitCurve(unit_id, period_id, agency_id, org_predikat, numbers[0], counts, check))
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
            .order_by()  # sorted here: ordering by id in SQL walks the whole primary key index
            .iterator(CHUNK)
        ):
            expected = rules.MATRIX.get((result, behaviour))
            mismatches.append(PredikatMismatch(pk, skp_id, result, behaviour, stored, expected))
        mismatches.sort(key=lambda m: m.assessment_id)
    return AnnualPredikat(year, rows, {p: counts[p] for p in rules.PREDIKAT_ORDER}, mismatches)
