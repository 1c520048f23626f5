"""Screen-shaped reads of the performance app, each with its own joins so pages run a fixed number of queries."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from performance import rules
from performance.choices import AssessmentStatus, PlanState, SkpStatus
from performance.models import (
    Assessment,
    Evidence,
    Feedback,
    Indicator,
    IndicatorPeriod,
    OrgRating,
    PeerInput,
    PerformanceYear,
    Period,
    Realization,
    Rhk,
    Skp,
)
from performance.rules import PEER_MIN_RATERS
from personnel.models import Employee
from personnel.supervision import agency_snapshot


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


# ---- pages ---------------------------------------------------------------------------------------

APPROVAL_DAYS = 7  # a plan waiting longer than this makes its supervisor overdue
RATING_DAYS = 14  # a period ended longer ago than this should be rated


def rhk_queryset():
    return Rhk.objects.select_related("supports", "supports__skp__employee", "indicator").prefetch_related("indicators")


def skp_detail(skp: Skp) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    periods = list(skp.perf_year.periods.all())
    rhks = list(rhk_queryset().filter(skp=skp))
    evidence = defaultdict(list)
    for ev in Evidence.objects.filter(rhk__skp=skp).select_related("period"):
        evidence[(ev.rhk_id, ev.period_id)].append(ev)
    realizations = {(r.rhk_id, r.period_id): r for r in Realization.objects.filter(rhk__skp=skp)}
    assessments = {a.period_id: a for a in Assessment.objects.filter(skp=skp)}
    return {
        "periods": periods,
        "rhks": rhks,
        "evidence": evidence,
        "realizations": realizations,
        "assessments": assessments,
        "feedback": list(Feedback.objects.filter(skp=skp).select_related("rhk")),
        "expectations": {e.behaviour: e.text for e in skp.expectations.all()},
        "versions": list(skp.versions.all()),
    }


@dataclass
class TeamMember:
    employee: Employee
    skp: Skp | None
    acting: str  # the kind of the actor's hold on the post above (definitive / plt / plh)
    assessments: dict = field(default_factory=dict)  # period id -> Assessment


def team(actor_employee: Employee, perf_year: PerformanceYear, day: datetime.date | None = None) -> list[TeamMember]:
    """The actor's direct subordinates today with their plans and ratings: a constant number of queries."""
    day = day or timezone.localdate()
    snap = agency_snapshot(actor_employee.agency_id, day)
    members = {}
    for emp_id in snap.definitive:
        link = snap.supervisor_of(emp_id)
        if link.employee_id == actor_employee.pk:
            members[emp_id] = link.kind
    employees = Employee.objects.filter(pk__in=members, status="active").select_related(
        "current_position", "current_rank", "current_unit"
    )
    skps = {
        s.employee_id: s
        for s in Skp.objects.filter(perf_year=perf_year, employee_id__in=members).prefetch_related(
            # Only what the team page shows: the cascade needs each RHK's text and link, the grid the predikat.
            Prefetch("rhks", queryset=Rhk.objects.only("id", "skp_id", "text", "supports_id", "order")),
            Prefetch("assessments", queryset=Assessment.objects.only("id", "skp_id", "period_id", "predikat", "status")),
        )
    }
    out = []
    for e in sorted(employees, key=lambda e: e.name):
        skp = skps.get(e.pk)
        out.append(
            TeamMember(e, skp, members[e.pk], {a.period_id: a for a in skp.assessments.all()} if skp else {})
        )
    return out


def cascade(own_rhks: list[Rhk], members: list[TeamMember]) -> list[tuple[Rhk, list[tuple[Employee, Rhk]]]]:
    """The supervisor's RHK, each with the team's RHK that support it; unlinked ones under None."""
    under = defaultdict(list)
    for m in members:
        if m.skp is None:
            continue
        for r in m.skp.rhks.all():
            under[r.supports_id].append((m.employee, r))
    rows = [(r, under.pop(r.pk, [])) for r in own_rhks]
    stray = [pair for pairs in under.values() for pair in pairs]
    if stray:
        rows.append((None, stray))
    return rows


def plan_states(agency_id: int, perf_year: PerformanceYear) -> list[dict]:
    """Per active employee: unit and the state of the year's plan (not started … assessed)."""
    final = perf_year.periods.filter(is_final=True).values("pk")[:1]
    skp = Skp.objects.filter(employee=OuterRef("pk"), perf_year=perf_year)
    rows = (
        Employee.objects.filter(agency_id=agency_id, status="active")
        .annotate(
            skp_status=Subquery(skp.values("status")[:1]),
            assessed=Exists(
                Assessment.objects.filter(
                    skp__employee=OuterRef("pk"),
                    skp__perf_year=perf_year,
                    period__in=final,
                    status=AssessmentStatus.FINAL,
                )
            ),
        )
        .values("pk", "current_unit_id", "current_unit__name", "current_unit__path", "skp_status", "assessed")
    )
    out = []
    for r in rows:
        if r["assessed"]:
            state = PlanState.ASSESSED
        elif r["skp_status"] is None:
            state = PlanState.NOT_STARTED
        elif r["skp_status"] in (SkpStatus.DRAFT, SkpStatus.RETURNED):
            state = PlanState.DRAFT
        else:
            state = PlanState(r["skp_status"])
        out.append(r | {"state": state})
    return out


def top_units_of(rows: list[dict], units: dict[int, tuple[str, str]]) -> dict:
    """Group plan states by the first level of the tree (the OPD: dinas, badan, RSUD …)."""
    by_unit: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        path = r["current_unit__path"] or ""
        top_id = int(path.strip("/").split("/")[0]) if path else None
        name = units.get(top_id, ("—", ""))[0] if top_id else "—"
        by_unit[name][r["state"]] += 1
    return dict(sorted(by_unit.items()))


def overdue_supervisors(perf_year: PerformanceYear, day: datetime.date | None = None) -> list[dict]:
    """Supervisors with plans waiting for approval too long, or ended periods left unrated."""
    day = day or timezone.localdate()
    waiting = Counter(
        Skp.objects.filter(
            perf_year=perf_year,
            status=SkpStatus.SUBMITTED,
            submitted_at__lt=timezone.now() - datetime.timedelta(days=APPROVAL_DAYS),
        ).values_list("assessor_id", flat=True)
    )
    ended = [p for p in perf_year.periods.all() if p.end < day - datetime.timedelta(days=RATING_DAYS)]
    unrated: Counter = Counter()
    if ended:
        rated = set(
            Assessment.objects.filter(skp__perf_year=perf_year, period__in=ended).values_list("skp_id", "period_id")
        )
        for skp_id, assessor_id in Skp.objects.filter(perf_year=perf_year, status=SkpStatus.APPROVED).values_list(
            "pk", "assessor_id"
        ):
            unrated[assessor_id] += sum((skp_id, p.pk) not in rated for p in ended)
    ids = {i for i in set(waiting) | {k for k, v in unrated.items() if v} if i}
    people = {e.pk: e for e in Employee.objects.filter(pk__in=ids).select_related("current_position")}
    rows = [
        {"employee": people[i], "waiting": waiting.get(i, 0), "unrated": unrated.get(i, 0)}
        for i in ids
        if i in people
    ]
    return sorted(rows, key=lambda r: (-(r["waiting"] + r["unrated"]), r["employee"].name))


def predikat_distribution(perf_year: PerformanceYear, period=None) -> dict[str, int]:
    qs = Assessment.objects.filter(skp__perf_year=perf_year, status=AssessmentStatus.FINAL)
    qs = qs.filter(period=period) if period else qs.filter(period__is_final=True)
    counts = Counter(qs.values_list("predikat", flat=True))
    return {p: counts.get(p, 0) for p in rules.PREDIKAT_ORDER}


def year_over_year(agency_id: int) -> list[dict]:
    """Annual predikat distribution per year of the agency."""
    rows = (
        Assessment.objects.filter(skp__perf_year__agency_id=agency_id, period__is_final=True, status="final")
        .values_list("skp__perf_year__year", "predikat")
    )
    by_year: dict[int, Counter] = defaultdict(Counter)
    for year, pred in rows:
        by_year[year][pred] += 1
    return [{"year": y, **{p: c.get(p, 0) for p in rules.PREDIKAT_ORDER}} for y, c in sorted(by_year.items())]


def indicators_of(perf_year: PerformanceYear) -> list[tuple[Indicator, list[IndicatorPeriod]]]:
    values = defaultdict(list)
    for v in IndicatorPeriod.objects.filter(indicator__perf_year=perf_year).select_related("period").order_by("period__number"):
        values[v.indicator_id].append(v)
    return [(i, values[i.pk]) for i in Indicator.objects.filter(perf_year=perf_year).select_related("unit")]


def rewards(perf_year: PerformanceYear):
    """Employees rated Sangat Baik in the annual assessment (candidates for reward)."""
    return (
        Assessment.objects.filter(
            skp__perf_year=perf_year, period__is_final=True, status="final", predikat=rules.SANGAT_BAIK
        )
        .select_related("skp__employee", "skp__position", "skp__unit")
        .order_by("skp__employee__name")
    )


def org_ratings(perf_year: PerformanceYear) -> dict:
    return {(o.unit_id, o.period_id): o for o in OrgRating.objects.filter(period__perf_year=perf_year)}


def public_voice(unit, period) -> dict | None:
    """Complaints and satisfaction results about the unit in the period, for its assessment screens.

    The public-service module answers (publicservice.feedback): None when no service unit answers to
    this unit, and the screens show nothing."""
    if unit is None or period is None:
        return None
    from publicservice.feedback import public_voice as voice

    return voice(unit, period.start, period.end)


def peer_targets(actor_employee: Employee, day: datetime.date) -> list[Skp]:
    """Plans of this year on which the employee may give 360° input: peers (same direct supervisor)
    and the direct supervisor (from a subordinate). One snapshot of the agency, then one query."""
    snap = agency_snapshot(actor_employee.agency_id, day)
    mine = snap.supervisor_of(actor_employee.pk)
    ids = set()
    if mine.employee_id:
        ids.add(mine.employee_id)
        for emp_id in snap.definitive:
            if emp_id != actor_employee.pk and snap.supervisor_of(emp_id).employee_id == mine.employee_id:
                ids.add(emp_id)
    return list(
        Skp.objects.filter(
            employee_id__in=ids,
            perf_year__agency_id=actor_employee.agency_id,
            perf_year__year=day.year,
            perf_year__closed_at__isnull=True,
            status=SkpStatus.APPROVED,
        )
        .select_related("employee", "position", "perf_year")
        .order_by("employee__name")
    )
