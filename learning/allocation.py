"""The optimal allocation of an agency's remaining training budget: read the candidates (active employees
with their gaps, coaching plans and JP shortfall) and the events still open with their free seats, solve
the exact programme and the greedy plan beside it, and on acceptance create the enrolments.

At the size an agency reaches (10,000 candidates × 300 events) building the model takes most of a minute and
proving optimality ten, so the solve runs as a background task (learning.tasks.solve_allocation → run_solve)
with a time limit, and keeps its result on an AllocationRun for the pages to show."""

import dataclasses
import datetime
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log, entry_for
from core.errors import DomainError
from learning import rules, services
from learning.choices import SEATED, EnrollmentStatus
from learning.models import AllocationRun, CompetencyStandard, Enrollment, ProgramCompetency, TrainingEvent
from learning.selectors import (
    booked_minutes,
    counts_in_year,
    employee_year_jp,
    held_levels,
    year_minutes,
    year_minutes_per_jp,
)

logger = logging.getLogger(__name__)

REASONS = {
    "budget": gettext_lazy("anggaran tidak cukup"),
    "seats": gettext_lazy("kursi angkatan yang sesuai penuh"),
    "no_event": gettext_lazy("tidak ada angkatan yang sesuai"),
    "limit": gettext_lazy("batas 24 JP PPPK"),
}


@dataclass
class Problem:
    people: list[rules.Person]
    events: list[rules.Event]
    budget: int
    employees: dict
    event_rows: dict


def build(*, agency, year: int, today: datetime.date | None = None, unit=None) -> Problem:
    """The agency's candidates and open events as the optimiser sees them: each person's JP of the year
    with the seats they already hold counted in (one rules.year_jp of all the minutes), and the events not
    started yet whose JP count in ``year`` and whose cost is charged to its budget (rules.budget_year: the
    events ending in ``year``)."""
    from performance.models import CoachingPlan
    from personnel.models import Employee

    today = today or timezone.localdate()
    staff = Employee.objects.filter(agency=agency, status="active")
    if unit is not None:
        staff = staff.filter(current_unit__path__startswith=unit.path)
    per_jp = year_minutes_per_jp(year)
    staff = staff.annotate(minutes=year_minutes(year), jp=employee_year_jp(year, per_jp))
    employees = {e.pk: e for e in staff.select_related("current_unit", "current_position")}
    held = held_levels(list(employees))
    standards: dict[int, list[tuple[int, int]]] = {}
    for pos, comp, level in CompetencyStandard.objects.filter(
        position_id__in={e.current_position_id for e in employees.values()}
    ).values_list("position_id", "competency_id", "required_level"):
        standards.setdefault(pos, []).append((comp, level))
    coached = set(
        CoachingPlan.objects.filter(employee_id__in=list(employees), status="open").values_list(
            "employee_id", flat=True
        )
    )
    booked = booked_minutes(
        Enrollment.objects.filter(
            counts_in_year(year), employee_id__in=list(employees), status=EnrollmentStatus.ENROLLED
        ),
        per_jp,
    )
    taken_events: dict[int, set[int]] = {}
    for emp, ev in (
        Enrollment.objects.filter(employee_id__in=list(employees))
        .exclude(status__in=[EnrollmentStatus.CANCELLED, EnrollmentStatus.REJECTED])
        .values_list("employee_id", "event_id")
    ):
        taken_events.setdefault(emp, set()).add(ev)
    people = []
    for e in employees.values():
        levels = {}
        for comp, required in standards.get(e.current_position_id, ()):
            h = held.get((e.pk, comp))
            if h is not None and h < required:
                levels[comp] = (h, required)
        people.append(
            rules.Person(
                e.pk,
                e.employee_type,
                rules.year_jp(e.minutes + booked.get(e.pk, 0), per_jp),
                levels,
                e.pk in coached,
                frozenset(taken_events.get(e.pk, ())),
            )
        )
    rows = (
        TrainingEvent.objects.filter(
            counts_in_year(year, event=""), agency=agency, cancelled=False, starts_on__gt=today
        )
        .select_related("program")
        .annotate(taken=Count("enrollments", filter=Q(enrollments__status__in=SEATED)))
    )
    targets: dict[int, dict[int, int]] = {}
    for prog, comp, level in ProgramCompetency.objects.filter(program__events__in=rows).values_list(
        "program_id", "competency_id", "level"
    ):
        targets.setdefault(prog, {})[comp] = level
    events, event_rows = [], {}
    for ev in rows:
        free = ev.capacity - ev.taken
        if free <= 0:
            continue
        event_rows[ev.pk] = ev
        events.append(
            rules.Event(
                ev.pk,
                cost=int(ev.program.cost_per_participant),
                seats=free,
                jp=ev.program.jp,
                targets=targets.get(ev.program_id, {}),
                starts_on=ev.starts_on,
                ends_on=ev.ends_on,
                open_to_all=not targets.get(ev.program_id),
            )
        )
    available = services.budget_position(agency.pk, year)["available"]
    budget = int(max(available or 0, 0))
    return Problem(people, events, budget, employees, event_rows)


def _d(value) -> str:
    return str(Decimal(value).quantize(rules.HUNDREDTH))


def fingerprint(problem: Problem) -> str:
    """A digest of everything the optimiser read: equal digests, equal problems."""
    people = [
        [p.id, p.employee_type, _d(p.jp_done), sorted(p.levels.items()), p.coaching, sorted(p.excluded)]
        for p in sorted(problem.people, key=lambda p: p.id)
    ]
    events = [
        [e.id, e.cost, e.seats, _d(e.jp), sorted(e.targets.items()), str(e.starts_on), str(e.ends_on), e.open_to_all]
        for e in sorted(problem.events, key=lambda e: e.id)
    ]
    raw = json.dumps([problem.budget, people, events], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def propose(
    *,
    agency,
    year: int,
    weights: rules.Weights | None = None,
    today: datetime.date | None = None,
    time_limit: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """The exact proposal (the best found within ``time_limit`` seconds), the greedy one beside it, and why
    the people left short are short; ``progress`` hears each stage (AllocationRun.Stage) as it starts."""
    weights = weights or rules.Weights()
    say = progress or (lambda stage: None)
    say(AllocationRun.Stage.BUILD)
    started = time.perf_counter()
    problem = build(agency=agency, year=year, today=today)
    built = time.perf_counter()
    say(AllocationRun.Stage.SOLVE)
    try:
        exact = rules.allocate(problem.people, problem.events, problem.budget, weights, time_limit=time_limit)
    except rules.SolveTimeout:
        exact = None
    solved = time.perf_counter()
    say(AllocationRun.Stage.GREEDY)
    greedy = rules.allocate_greedy(problem.people, problem.events, problem.budget, weights)
    # No plan at all within the limit: the greedy one is feasible, so it is the best plan known.
    fallback = exact is None
    if fallback:
        exact = dataclasses.replace(greedy, optimal=False, gap=None)
    return {
        "problem": problem,
        "exact": exact,
        "greedy": greedy,
        "weights": weights,
        "fallback": fallback,
        "build_seconds": built - started,
        "solve_seconds": solved - built,
        "seconds": time.perf_counter() - started,
    }


# --- the background run ------------------------------------------------------------------------------------


def proposal_data(plan: rules.Proposal) -> dict:
    """A proposal as JSON keeps it (AllocationRun.result)."""
    return {
        "pairs": [list(x) for x in plan.pairs],
        "value": plan.value,
        "cost": plan.cost,
        "compliant": sorted(plan.compliant),
        "still_short": {str(k): v for k, v in sorted(plan.still_short.items())},
        "optimal": plan.optimal,
        "gap": plan.gap,
    }


def proposal_from(data: dict) -> rules.Proposal:
    """The proposal a run kept, as rules computed it."""
    return rules.Proposal(
        pairs=[(int(p), int(e)) for p, e in data["pairs"]],
        value=data["value"],
        cost=data["cost"],
        compliant=set(data["compliant"]),
        still_short={int(k): v for k, v in data["still_short"].items()},
        optimal=data["optimal"],
        gap=data.get("gap"),
    )


def run_result(out: dict, *, time_limit: float) -> dict:
    """What a run keeps: both plans, the numbers the page shows beside them and the problem's fingerprint.
    The seats, JP and cost of the planned events and the JP of those left short are kept too, so that the
    result reads the same after the data has moved on."""
    problem, exact, greedy = out["problem"], out["exact"], out["greedy"]
    people = {p.id: p for p in problem.people}
    events = {e.id: e for e in problem.events}
    return {
        "exact": proposal_data(exact),
        "greedy": proposal_data(greedy),
        "fingerprint": fingerprint(problem),
        "budget": problem.budget,
        "candidates": len(problem.people),
        "short_before": sum(1 for p in problem.people if p.shortfall > 0),
        "open_events": len(problem.events),
        "events": {
            str(eid): {"seats": events[eid].seats, "jp": _d(events[eid].jp), "cost": events[eid].cost}
            for eid in sorted({e for _p, e in exact.pairs})
        },
        "short": {
            str(pid): {"jp": _d(people[pid].jp_done), "shortfall": _d(people[pid].shortfall)}
            for pid in sorted(exact.still_short)
        },
        "fallback": out["fallback"],
        "time_limit": time_limit,
        "build_seconds": round(out["build_seconds"], 3),
        "solve_seconds": round(out["solve_seconds"], 3),
        "seconds": round(out["seconds"], 3),
    }


def run_solve(run_id: int) -> None:
    """Compute a queued run: mark it running, record each stage, then keep the result (done) or the error
    (failed). A run is never left running by an exception."""
    S = AllocationRun.Status
    run = AllocationRun.objects.select_related("agency").filter(pk=run_id).first()
    now = timezone.now()
    # Claimed with a conditional update, so a task delivered twice computes once.
    if run is None or not AllocationRun.objects.filter(pk=run_id, status=S.QUEUED).update(
        status=S.RUNNING, stage=AllocationRun.Stage.BUILD, started_at=now, updated_at=now
    ):
        return

    def progress(stage: str) -> None:
        AllocationRun.objects.filter(pk=run_id).update(stage=stage, updated_at=timezone.now())

    time_limit = settings.LEARNING_ALLOCATION_TIME_LIMIT
    try:
        out = propose(
            agency=run.agency,
            year=run.year,
            weights=rules.Weights(**run.weights),
            time_limit=time_limit,
            progress=progress,
        )
        result = run_result(out, time_limit=time_limit)
    except BaseException as exc:
        logger.exception("allocation run %s failed", run.uid)
        now = timezone.now()
        AllocationRun.objects.filter(pk=run_id).update(
            status=S.FAILED, stage="", finished_at=now, updated_at=now, error=(str(exc) or type(exc).__name__)[:2000]
        )
        if not isinstance(exc, Exception):  # the worker is stopping: let it
            raise
        return
    now = timezone.now()
    AllocationRun.objects.filter(pk=run_id).update(
        status=S.DONE, stage="", finished_at=now, updated_at=now, result=result
    )


def active_run(agency_id: int, year: int) -> AllocationRun | None:
    """The agency's run for the year still queued or running, if any."""
    return (
        AllocationRun.objects.filter(agency_id=agency_id, year=year, status__in=AllocationRun.ACTIVE)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def accept(*, actor, agency, pairs: list[tuple[int, int]], year: int) -> list[Enrollment]:
    """Create the proposed enrolments; any refusal (a seat or money gone since) undoes them all."""
    from personnel.models import Employee

    if not actor.can_write_agency(agency.pk):
        raise DomainError(_("Hanya admin kepegawaian instansi ini yang dapat menerima usulan."), code="access")
    if not pairs:
        raise DomainError(_("Usulan kosong."), code="empty")
    people = {e.pk: e for e in Employee.objects.filter(agency=agency, pk__in={p for p, _e in pairs})}
    events = {e.pk: e for e in TrainingEvent.objects.filter(agency=agency, pk__in={e for _p, e in pairs})}
    created = []
    for p, e in pairs:
        if p not in people or e not in events:
            raise DomainError(_("Usulan memuat pegawai atau angkatan di luar instansi ini."), code="scope")
        enrollment = services.enroll(actor=actor, event=events[e], employee=people[p])
        if enrollment.status != EnrollmentStatus.ENROLLED:
            raise DomainError(_("Angkatan %(e)s sudah penuh; susun ulang usulan.") % {"e": events[e]}, code="seats")
        created.append(enrollment)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            agency, "learning.allocation_accept", agency_id=agency.pk, after={"year": year, "enrollments": len(created)}
        ),
    )
    return created
