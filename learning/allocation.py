"""The optimal allocation of an agency's remaining training budget: read the candidates (active employees
with their gaps, coaching plans and JP shortfall) and the events still open with their free seats, solve
the exact programme and the greedy plan beside it, and on acceptance create the enrolments."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log, entry_for
from core.errors import DomainError
from learning import rules, services
from learning.choices import SEATED, EnrollmentStatus
from learning.models import CompetencyStandard, Enrollment, ProgramCompetency, TrainingEvent
from learning.selectors import held_levels

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
    """The agency's candidates and open events as the optimiser sees them."""
    from performance.models import CoachingPlan
    from personnel.models import Employee

    today = today or timezone.localdate()
    staff = Employee.objects.filter(agency=agency, status="active")
    if unit is not None:
        staff = staff.filter(current_unit__path__startswith=unit.path)
    staff = staff.annotate(jp=Coalesce(Sum("jp_entries__jp", filter=Q(jp_entries__year=year)), Decimal(0)))
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
    booked = dict(
        Enrollment.objects.filter(
            employee_id__in=list(employees), status=EnrollmentStatus.ENROLLED, event__ends_on__year=year
        )
        .values("employee_id")
        .annotate(s=Sum("event__program__jp"))
        .values_list("employee_id", "s")
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
                e.jp + (booked.get(e.pk) or Decimal(0)),
                levels,
                e.pk in coached,
                frozenset(taken_events.get(e.pk, ())),
            )
        )
    rows = (
        TrainingEvent.objects.filter(agency=agency, cancelled=False, starts_on__gt=today, starts_on__year=year)
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


def propose(*, agency, year: int, weights: rules.Weights | None = None, today: datetime.date | None = None) -> dict:
    """The exact proposal, the greedy one beside it, and why the people left short are short."""
    weights = weights or rules.Weights()
    problem = build(agency=agency, year=year, today=today)
    exact = rules.allocate(problem.people, problem.events, problem.budget, weights)
    greedy = rules.allocate_greedy(problem.people, problem.events, problem.budget, weights)
    return {"problem": problem, "exact": exact, "greedy": greedy, "weights": weights}


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
