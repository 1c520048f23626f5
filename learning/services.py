"""Writes of competency development. Every service takes ``actor``, checks its scope and writes its audit
record in the same transaction. Money: enrolling commits an event's cost to the agency's budget of the
year the event counts in (rules.budget_year: the year it ends, the year its JP are booked to), completion
(passed or not) spends it; a cancelled seat frees it and the first person on the waiting list moves up."""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for, snapshot
from core.errors import DomainError
from learning import rules, selectors
from learning.choices import CLOSED_STATUSES, SEATED, EnrollmentStatus, ExternalStatus, PlanStatus
from learning.models import (
    AllocationRun,
    Attendance,
    Competency,
    CompetencyAssessment,
    CompetencyStandard,
    DevelopmentPlan,
    DevelopmentPlanItem,
    Enrollment,
    ExternalLearning,
    JpEntry,
    Program,
    ReactionSurvey,
    SupervisorFollowUp,
    TrainingBudget,
    TrainingEvent,
    certificate_code,
)

FOLLOW_UP_AFTER = datetime.timedelta(days=90)
# A run still marked running this long after its time limit lost its worker (killed, redeployed).
ALLOCATION_ABANDONED_AFTER = datetime.timedelta(minutes=30)


def _require_hr(actor, agency_id: int) -> None:
    if not actor.can_write_agency(agency_id):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat melakukan ini."))


def _is_supervisor_of(actor, employee) -> bool:
    from personnel.supervision import direct_supervisor

    return actor.employee_id is not None and direct_supervisor(employee).employee_id == actor.employee_id


# --- Dictionary, standards, assessments ----------------------------------------------------------


@transaction.atomic
def competency_create(
    *,
    actor,
    kind: str,
    code: str,
    name: str,
    max_level: int,
    levels: dict[int, str],
    agency=None,
    family: str = "",
    description: str = "",
) -> Competency:
    """Add a competency with a description per level: national kinds by the national admin, technical
    ones by the agency's HR."""
    from learning.choices import CompetencyKind
    from learning.models import CompetencyLevel

    if kind == CompetencyKind.TECHNICAL:
        if agency is None:
            raise DomainError(_("Kompetensi teknis milik satu instansi."), field="agency")
        _require_hr(actor, agency.pk)
    elif actor.write_agency_ids is not None:
        raise PermissionDenied(_("Kompetensi manajerial dan sosial kultural ditetapkan secara nasional."))
    if not code.strip() or not name.strip():
        raise DomainError(_("Kode dan nama kompetensi wajib diisi."), field="name")
    if sorted(levels) != list(range(1, max_level + 1)) or any(not str(v).strip() for v in levels.values()):
        raise DomainError(_("Setiap level dari 1 sampai %(n)s perlu deskripsi.") % {"n": max_level}, field="levels")
    if Competency.objects.filter(
        code=code.strip(), agency=agency if kind == CompetencyKind.TECHNICAL else None
    ).exists():
        raise DomainError(_("Kode kompetensi sudah dipakai."), field="code")
    comp = Competency.objects.create(
        kind=kind,
        code=code.strip(),
        name=name.strip(),
        description=description,
        agency=agency if kind == CompetencyKind.TECHNICAL else None,
        family=family.strip(),
        max_level=max_level,
    )
    CompetencyLevel.objects.bulk_create(
        CompetencyLevel(competency=comp, level=k, description=v.strip()) for k, v in sorted(levels.items())
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            comp, "learning.competency_create", agency_id=agency.pk if agency else None, after=snapshot(comp)
        ),
    )
    return comp


@transaction.atomic
def standard_set(*, actor, position, competency: Competency, required_level: int | None) -> CompetencyStandard | None:
    """Set (or with ``None`` remove) the level a position requires of a competency."""
    _require_hr(actor, position.agency_id)
    if competency.agency_id not in (None, position.agency_id):
        raise DomainError(_("Kompetensi teknis instansi lain tidak dapat dipakai."), field="competency")
    before = CompetencyStandard.objects.filter(position=position, competency=competency).first()
    if required_level is None:
        if before:
            before.delete()
        result = None
    else:
        if not 1 <= required_level <= competency.max_level:
            raise DomainError(_("Level harus 1 sampai %(n)s.") % {"n": competency.max_level}, field="required_level")
        result, _c = CompetencyStandard.objects.update_or_create(
            position=position, competency=competency, defaults={"required_level": required_level}
        )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            position,
            "learning.standard_set",
            agency_id=position.agency_id,
            before={"competency": competency.code, "level": before.required_level if before else None},
            after={"competency": competency.code, "level": required_level},
        ),
    )
    return result


@transaction.atomic
def assessment_record(
    *, actor, employee, competency: Competency, level: int, source: str, assessed_on: datetime.date, note: str = ""
) -> CompetencyAssessment:
    """Record a competency result: HR records any source; a supervisor records their own rating of a
    subordinate; an employee records a self-assessment."""
    from learning.choices import AssessmentSource

    if source not in AssessmentSource.values:
        raise DomainError(_("Pilih sumber penilaian."), field="source")
    if source == AssessmentSource.SELF:
        allowed = actor.employee_id == employee.pk
    elif source == AssessmentSource.SUPERVISOR:
        allowed = _is_supervisor_of(actor, employee) or actor.can_write_agency(employee.agency_id)
    else:
        allowed = actor.can_write_agency(employee.agency_id)
    if not allowed:
        raise PermissionDenied(_("Anda tidak berwenang mencatat penilaian ini."))
    if competency.agency_id not in (None, employee.agency_id):
        raise DomainError(_("Kompetensi teknis instansi lain tidak dapat dipakai."), field="competency")
    if not 1 <= level <= competency.max_level:
        raise DomainError(_("Level harus 1 sampai %(n)s.") % {"n": competency.max_level}, field="level")
    if assessed_on > timezone.localdate():
        raise DomainError(_("Tanggal penilaian tidak boleh di masa depan."), field="assessed_on")
    result = CompetencyAssessment.objects.create(
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        assessed_on=assessed_on,
        recorded_by=actor.user,
        note=note,
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            employee,
            "learning.assessment_record",
            agency_id=employee.agency_id,
            after={"competency": competency.code, "level": level, "source": source, "on": assessed_on.isoformat()},
        ),
    )
    return result


# --- Development plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_build(*, actor, employee, year: int, career_goal: str = "") -> DevelopmentPlan:
    """Draft (or refresh the draft of) the employee's plan for a year from their gaps (largest first),
    the open actions of their performance coaching plan and their career goal."""
    from learning.selectors import employee_gaps
    from performance.models import CoachingAction

    if not (actor.employee_id == employee.pk or actor.can_write_agency(employee.agency_id)):
        raise PermissionDenied(_("Rencana ini milik pegawai lain."))
    plan, _c = DevelopmentPlan.objects.get_or_create(employee=employee, year=year)
    if plan.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise DomainError(_("Rencana yang sudah diajukan atau disetujui tidak dapat disusun ulang."), code="state")
    plan.career_goal = career_goal.strip() or plan.career_goal
    plan.status = PlanStatus.DRAFT
    plan.save()
    plan.items.filter(origin__in=[DevelopmentPlanItem.Origin.GAP, DevelopmentPlanItem.Origin.COACHING]).delete()
    items = []
    for g in employee_gaps(employee):
        if g.gap is not None and g.gap > 0:
            program = g.programs[0] if g.programs else None
            items.append(
                DevelopmentPlanItem(
                    plan=plan,
                    origin=DevelopmentPlanItem.Origin.GAP,
                    competency=g.competency,
                    gap=g.gap,
                    activity=program.title
                    if program
                    else _("Pengembangan %(c)s ke level %(l)s") % {"c": g.competency.name, "l": g.required},
                    program=program,
                    planned_jp=program.jp if program else Decimal(0),
                )
            )
    for action in CoachingAction.objects.filter(plan__employee=employee, done_at__isnull=True, due__year__gte=year):
        items.append(
            DevelopmentPlanItem(
                plan=plan,
                origin=DevelopmentPlanItem.Origin.COACHING,
                coaching_action=action,
                activity=action.action[:300],
            )
        )
    DevelopmentPlanItem.objects.bulk_create(items)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            plan, "learning.plan_build", agency_id=employee.agency_id, after={"year": year, "items": len(items)}
        ),
    )
    return plan


@transaction.atomic
def plan_submit(*, actor, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The employee sends the plan to their direct supervisor."""
    from personnel.supervision import direct_supervisor

    plan = DevelopmentPlan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    if actor.employee_id != plan.employee_id:
        raise PermissionDenied(_("Hanya pegawai yang bersangkutan yang mengajukan rencananya."))
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise DomainError(_("Rencana ini sudah diajukan."), code="state")
    if not plan.items.exists():
        raise DomainError(_("Rencana masih kosong."), code="empty")
    link = direct_supervisor(plan.employee)
    if link.employee_id is None:
        raise DomainError(_("Atasan langsung belum tercatat; hubungi admin kepegawaian."), code="no_supervisor")
    plan.status, plan.supervisor_id = PlanStatus.SUBMITTED, link.employee_id
    plan.save(update_fields=["status", "supervisor", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(plan, "learning.plan_submit", agency_id=plan.employee.agency_id, after={"status": plan.status}),
    )
    return plan


@transaction.atomic
def plan_decide(*, actor, plan: DevelopmentPlan, approve: bool, note: str = "") -> DevelopmentPlan:
    """The supervisor approves the plan or returns it with a note."""
    plan = DevelopmentPlan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise DomainError(_("Rencana ini tidak sedang menunggu persetujuan."), code="state")
    if actor.employee_id is None or actor.employee_id != plan.supervisor_id:
        raise PermissionDenied(_("Hanya atasan langsung yang memutuskan rencana ini."))
    if not approve and not note.strip():
        raise DomainError(_("Tuliskan alasan pengembalian."), field="note")
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.decided_at, plan.supervisor_note = timezone.now(), note.strip()
    plan.save(update_fields=["status", "decided_at", "supervisor_note", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            plan,
            "learning.plan_decide",
            agency_id=plan.employee.agency_id,
            after={"status": plan.status},
            reason=note.strip(),
        ),
    )
    return plan


# --- Catalogue and events --------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *, actor, code: str, title: str, jp: Decimal, modality: str, provider: str, cost: Decimal, targets: dict, **extra
) -> Program:
    """Add a programme to the catalogue (any agency's HR or the national admin): competencies it develops and to which level."""
    from learning.choices import Modality
    from learning.models import ProgramCompetency

    if not actor.can_write_registry:
        raise PermissionDenied(_("Hanya admin kepegawaian yang mengelola katalog."))
    if modality not in Modality.values:
        raise DomainError(_("Pilih moda pembelajaran."), field="modality")
    if Decimal(jp) <= 0:
        raise DomainError(_("JP harus lebih dari nol."), field="jp")
    if Decimal(cost) < 0:
        raise DomainError(_("Biaya tidak boleh negatif."), field="cost")
    if Program.objects.filter(code=code.strip()).exists():
        raise DomainError(_("Kode program sudah dipakai."), field="code")
    program = Program.objects.create(
        code=code.strip(),
        title=title.strip(),
        jp=jp,
        modality=modality,
        provider=provider.strip(),
        cost_per_participant=cost,
        **extra,
    )
    for comp, level in targets.items():
        if not 1 <= level <= comp.max_level:
            raise DomainError(
                _("Level %(c)s harus 1 sampai %(n)s.") % {"c": comp.code, "n": comp.max_level}, field="targets"
            )
        ProgramCompetency.objects.create(program=program, competency=comp, level=level)
    audit_log(actor=actor.user, entry=entry_for(program, "learning.program_create", after=snapshot(program)))
    return program


@transaction.atomic
def event_create(
    *, actor, program: Program, agency, name: str, starts_on, ends_on, place: str, capacity: int
) -> TrainingEvent:
    _require_hr(actor, agency.pk)
    if ends_on < starts_on:
        raise DomainError(_("Tanggal selesai sebelum tanggal mulai."), field="ends_on")
    if capacity < 1:
        raise DomainError(_("Kapasitas minimal 1."), field="capacity")
    if not program.active:
        raise DomainError(_("Program ini tidak aktif."), field="program")
    event = TrainingEvent.objects.create(
        program=program,
        agency=agency,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        capacity=capacity,
    )
    audit_log(
        actor=actor.user, entry=entry_for(event, "learning.event_create", agency_id=agency.pk, after=snapshot(event))
    )
    return event


# --- Budget ----------------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor, agency, year: int, amount: Decimal, unit=None) -> TrainingBudget:
    _require_hr(actor, agency.pk)
    if Decimal(amount) < 0:
        raise DomainError(_("Pagu tidak boleh negatif."), field="amount")
    budget, _c = TrainingBudget.objects.update_or_create(
        agency=agency, unit=unit, year=year, defaults={"amount": amount}
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            budget, "learning.budget_set", agency_id=agency.pk, after={"year": year, "amount": str(amount)}
        ),
    )
    return budget


def budget_position(agency_id: int, year: int, unit_id: int | None = None) -> dict:
    """The year's ceiling, what enrolments have committed, what completions have spent, and what is left;
    an event's seats count in the year the event ends (rules.budget_year)."""
    budget = (
        TrainingBudget.objects.filter(agency_id=agency_id, year=year, unit_id=unit_id)
        .values_list("amount", flat=True)
        .first()
    )
    seats = Enrollment.objects.filter(selectors.counts_in_year(year), event__agency_id=agency_id)
    if unit_id is not None:
        seats = seats.filter(employee__current_unit_id=unit_id)
    use = seats.aggregate(
        committed=Sum("cost", filter=Q(status=EnrollmentStatus.ENROLLED)),
        spent=Sum("cost", filter=Q(status__in=CLOSED_STATUSES)),
    )
    committed, spent = use["committed"] or Decimal(0), use["spent"] or Decimal(0)
    return {
        "amount": budget,
        "committed": committed,
        "spent": spent,
        "available": None if budget is None else budget - committed - spent,
    }


def _check_budget(actor, event: TrainingEvent, cost: Decimal, override_reason: str) -> str:
    """Refuse a cost beyond the remaining budget of the event's year (rules.budget_year) unless an authorised
    user overrides with a reason."""
    if cost <= 0:
        return ""
    year = rules.budget_year(event.ends_on)
    TrainingBudget.objects.select_for_update().filter(agency_id=event.agency_id, year=year).first()
    position = budget_position(event.agency_id, year)
    if position["available"] is not None and position["available"] >= cost:
        return ""
    if not override_reason.strip():
        if position["amount"] is None:
            raise DomainError(
                _("Anggaran pengembangan kompetensi %(y)s belum ditetapkan.") % {"y": year},
                code="budget",
            )
        raise DomainError(
            _(
                "Anggaran tidak cukup: sisa Rp%(left)s, biaya Rp%(cost)s. Hanya admin yang berwenang dapat melampaui dengan alasan."
            )
            % {"left": f"{position['available']:,.0f}".replace(",", "."), "cost": f"{cost:,.0f}".replace(",", ".")},
            code="budget",
        )
    if not actor.can_write_agency(event.agency_id):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi penyelenggara yang dapat melampaui anggaran."))
    return override_reason.strip()


# --- Enrolment ---------------------------------------------------------------------------------------


def _seats_taken(event: TrainingEvent) -> int:
    return event.enrollments.filter(status__in=SEATED).count()


def _seat(actor, enrollment: Enrollment, override_reason: str) -> None:
    """Give the enrolment a seat (committing its cost) or put it on the waiting list when the event is full."""
    event = enrollment.event
    if _seats_taken(event) >= event.capacity:
        enrollment.status, enrollment.waitlisted_at = EnrollmentStatus.WAITLISTED, timezone.now()
        return
    cost = event.program.cost_per_participant
    enrollment.over_budget_reason = _check_budget(actor, event, cost, override_reason)
    enrollment.status, enrollment.cost = EnrollmentStatus.ENROLLED, cost


def _lock_event(event: TrainingEvent) -> TrainingEvent:
    event = TrainingEvent.objects.select_for_update().select_related("program").get(pk=event.pk)
    if event.cancelled:
        raise DomainError(_("Angkatan ini dibatalkan."), code="cancelled")
    return event


def _already(event, employee) -> None:
    if (
        Enrollment.objects.filter(event=event, employee=employee)
        .exclude(status__in=[EnrollmentStatus.CANCELLED, EnrollmentStatus.REJECTED])
        .exists()
    ):
        raise DomainError(_("Pegawai ini sudah terdaftar di angkatan ini."), code="duplicate")


def _check_pppk(employee, event) -> None:
    """A PPPK's year with the seats already held and this event counted in stays within 24 JP (one
    rules.year_jp of all the minutes together)."""
    if employee.employee_type != "pppk":
        return
    year = rules.ledger_year(event.ends_on)
    per_jp = selectors.year_minutes_per_jp(year)
    seats = Enrollment.objects.filter(
        selectors.counts_in_year(year), employee=employee, status=EnrollmentStatus.ENROLLED
    )
    more = selectors.booked_minutes(seats, per_jp).get(employee.pk, 0) + rules.jp_to_minutes(event.program.jp, per_jp)
    if selectors.jp_of_year(employee.pk, year, plus_minutes=more, minutes_per_jp=per_jp) > rules.PPPK_MAX_JP:
        raise DomainError(_("PPPK paling banyak 24 JP setahun; pendaftaran ini melampauinya."), code="pppk_limit")


@transaction.atomic
def enroll(*, actor, event: TrainingEvent, employee, override_reason: str = "") -> Enrollment:
    """HR enrols an employee of its agency: a seat (cost committed) or the waiting list when full."""
    event = _lock_event(event)
    _require_hr(actor, employee.agency_id)
    if event.ends_on < timezone.localdate():
        raise DomainError(_("Angkatan ini sudah selesai."), code="past")
    _already(event, employee)
    _check_pppk(employee, event)
    e = Enrollment(event=event, employee=employee, requested_by=actor.user, decided_by=actor.user)
    _seat(actor, e, override_reason)
    e.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            e,
            "learning.enroll",
            agency_id=employee.agency_id,
            after={"event": event.pk, "employee": employee.nip, "status": e.status, "cost": str(e.cost)},
            reason=e.over_budget_reason,
        ),
    )
    return e


@transaction.atomic
def enrollment_request(*, actor, event: TrainingEvent, employee) -> Enrollment:
    """An employee asks to join an event; their direct supervisor decides."""
    event = _lock_event(event)
    if actor.employee_id != employee.pk:
        raise PermissionDenied(_("Permintaan hanya untuk diri sendiri."))
    if event.starts_on < timezone.localdate():
        raise DomainError(_("Angkatan ini sudah dimulai."), code="past")
    _already(event, employee)
    _check_pppk(employee, event)
    e = Enrollment.objects.create(
        event=event, employee=employee, status=EnrollmentStatus.REQUESTED, requested_by=actor.user
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(e, "learning.enrollment_request", agency_id=employee.agency_id, after={"event": event.pk}),
    )
    return e


@transaction.atomic
def enrollment_decide(
    *, actor, enrollment: Enrollment, approve: bool, note: str = "", override_reason: str = ""
) -> Enrollment:
    """The supervisor (or the agency's HR, who may also override the budget with a reason) approves — a seat
    or the waiting list; the budget still applies — or rejects a request."""
    e = Enrollment.objects.select_for_update().select_related("employee", "event__program").get(pk=enrollment.pk)
    if e.status != EnrollmentStatus.REQUESTED:
        raise DomainError(_("Permintaan ini sudah diputuskan."), code="state")
    if not (_is_supervisor_of(actor, e.employee) or actor.can_write_agency(e.employee.agency_id)):
        raise PermissionDenied(_("Hanya atasan langsung atau admin kepegawaian yang memutuskan permintaan ini."))
    e.event = _lock_event(e.event)
    if approve:
        _seat(actor, e, override_reason)
    else:
        if not note.strip():
            raise DomainError(_("Tuliskan alasan penolakan."), field="note")
        e.status = EnrollmentStatus.REJECTED
    e.decided_by = actor.user
    e.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            e,
            "learning.enrollment_decide",
            agency_id=e.employee.agency_id,
            after={"status": e.status},
            reason=note.strip(),
        ),
    )
    return e


@transaction.atomic
def enrollment_cancel(*, actor, enrollment: Enrollment, reason: str) -> Enrollment:
    """Cancel before the event starts; the seat and its money go to the first on the waiting list."""
    e = Enrollment.objects.select_for_update().select_related("employee", "event__program").get(pk=enrollment.pk)
    if not (actor.can_write_agency(e.employee.agency_id) or actor.employee_id == e.employee_id):
        raise PermissionDenied(_("Anda tidak dapat membatalkan pendaftaran ini."))
    if e.status not in (EnrollmentStatus.REQUESTED, EnrollmentStatus.WAITLISTED, EnrollmentStatus.ENROLLED):
        raise DomainError(_("Pendaftaran ini tidak dapat dibatalkan lagi."), code="state")
    if not reason.strip():
        raise DomainError(_("Tuliskan alasan pembatalan."), field="reason")
    event = _lock_event(e.event)
    if event.starts_on <= timezone.localdate():
        raise DomainError(_("Angkatan sudah dimulai; pendaftaran tidak dapat dibatalkan."), code="started")
    freed = e.status == EnrollmentStatus.ENROLLED
    e.status, e.cost = EnrollmentStatus.CANCELLED, Decimal(0)
    e.save(update_fields=["status", "cost", "updated_at"])
    promoted = None
    if freed:
        nxt = event.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by("waitlisted_at", "pk").first()
        if nxt is not None:
            nxt.event = event
            try:
                with transaction.atomic():
                    _seat(actor, nxt, "")
                    nxt.save()
                    promoted = nxt
            except DomainError:
                pass  # no money for the next one: they stay on the list until HR decides
    audit_log(
        actor=actor.user,
        entry=entry_for(
            e,
            "learning.enrollment_cancel",
            agency_id=e.employee.agency_id,
            after={"promoted": promoted.employee_id if promoted else None},
            reason=reason.strip(),
        ),
    )
    return e


@transaction.atomic
def attendance_record(*, actor, enrollment: Enrollment, day: datetime.date, present: bool) -> Attendance:
    e = Enrollment.objects.select_related("event").get(pk=enrollment.pk)
    _require_hr(actor, e.event.agency_id)
    if e.status != EnrollmentStatus.ENROLLED:
        raise DomainError(_("Kehadiran hanya untuk peserta terdaftar."), code="state")
    if not e.event.starts_on <= day <= e.event.ends_on:
        raise DomainError(_("Tanggal di luar jadwal angkatan."), field="day")
    row, _c = Attendance.objects.update_or_create(enrollment=e, day=day, defaults={"present": present})
    audit_log(
        actor=actor.user,
        entry=entry_for(
            e, "learning.attendance", agency_id=e.event.agency_id, after={"day": day.isoformat(), "present": present}
        ),
    )
    return row


def _book(employee, *, year: int, on: datetime.date, minutes: int, jp: Decimal, description: str, **source) -> JpEntry:
    return JpEntry.objects.create(
        employee=employee, year=year, booked_on=on, minutes=minutes, jp=jp, description=description[:300], **source
    )


@transaction.atomic
def enrollment_complete(
    *,
    actor,
    enrollment: Enrollment,
    pre_score: Decimal | None = None,
    post_score: Decimal | None = None,
    completed_on: datetime.date | None = None,
) -> Enrollment:
    """Close a participant's event: passed (post-test at or above the pass mark, when the programme tests)
    books the programme's JP to the year it ended and issues a certificate; either way the cost is spent."""
    e = Enrollment.objects.select_for_update().select_related("employee", "event__program").get(pk=enrollment.pk)
    event, program = e.event, e.event.program
    _require_hr(actor, event.agency_id)
    if e.status != EnrollmentStatus.ENROLLED:
        raise DomainError(_("Hanya peserta terdaftar yang dapat diselesaikan."), code="state")
    completed_on = completed_on or event.ends_on
    if completed_on < event.ends_on or completed_on > timezone.localdate():
        raise DomainError(
            _("Tanggal selesai harus setelah angkatan berakhir dan tidak di masa depan."), field="completed_on"
        )
    for name, score in (("pre_score", pre_score), ("post_score", post_score)):
        if score is not None and not 0 <= Decimal(score) <= 100:
            raise DomainError(_("Nilai 0 sampai 100."), field=name)
    if program.has_tests and post_score is None:
        raise DomainError(_("Isi nilai post-test."), field="post_score")
    days = list(e.attendance.values_list("present", flat=True))
    attended_enough = not days or sum(days) / len(days) >= 0.8
    passed = attended_enough and (not program.has_tests or Decimal(post_score) >= program.pass_score)
    e.pre_score, e.post_score, e.completed_on = pre_score, post_score, completed_on
    e.status = EnrollmentStatus.COMPLETED if passed else EnrollmentStatus.NOT_COMPLETED
    if passed:
        e.certificate = certificate_code()
        per_jp = selectors.minutes_per_jp(completed_on)
        _book(
            e.employee,
            year=rules.ledger_year(event.ends_on),
            on=completed_on,
            minutes=rules.jp_to_minutes(program.jp, per_jp),
            jp=program.jp,
            description=str(event),
            enrollment=e,
        )
    e.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            e,
            "learning.enrollment_complete",
            agency_id=event.agency_id,
            after={
                "status": e.status,
                "post": str(post_score),
                "jp": str(program.jp if passed else 0),
                "attended": attended_enough,
            },
        ),
    )
    return e


# --- Learning done elsewhere -------------------------------------------------------------------------


@transaction.atomic
def external_submit(
    *, actor, employee, title: str, provider: str, modality: str, started_on, ended_on, minutes: int, evidence
) -> ExternalLearning:
    """The employee reports learning done elsewhere, with evidence; it counts once HR verifies it."""
    from learning.choices import Modality
    from recruitment.rules import sniff

    if actor.employee_id != employee.pk:
        raise PermissionDenied(_("Hanya untuk pembelajaran sendiri."))
    if modality not in Modality.values:
        raise DomainError(_("Pilih moda pembelajaran."), field="modality")
    if ended_on < started_on:
        raise DomainError(_("Tanggal selesai sebelum tanggal mulai."), field="ended_on")
    if ended_on > timezone.localdate():
        raise DomainError(_("Kegiatan yang belum selesai belum dapat dilaporkan."), field="ended_on")
    if minutes < 1 or minutes > 60 * 24 * ((ended_on - started_on).days + 1):
        raise DomainError(_("Durasi tidak masuk akal untuk tanggal tersebut."), field="minutes")
    head = evidence.read(8)
    evidence.seek(0)
    if sniff(head) is None or evidence.size > 2 * 1024 * 1024:
        raise DomainError(_("Bukti harus PDF atau JPG, paling besar 2 MB."), field="evidence")
    item = ExternalLearning.objects.create(
        employee=employee,
        title=title.strip(),
        provider=provider.strip(),
        modality=modality,
        started_on=started_on,
        ended_on=ended_on,
        minutes=minutes,
        evidence=evidence,
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(item, "learning.external_submit", agency_id=employee.agency_id, after={"minutes": minutes}),
    )
    return item


@transaction.atomic
def external_verify(*, actor, item: ExternalLearning, accept: bool, reason: str = "") -> ExternalLearning:
    """HR accepts (JP booked to the year it ended) or rejects with a reason."""
    item = ExternalLearning.objects.select_for_update().select_related("employee").get(pk=item.pk)
    _require_hr(actor, item.employee.agency_id)
    if item.status != ExternalStatus.SUBMITTED:
        raise DomainError(_("Laporan ini sudah diverifikasi."), code="state")
    if not accept and not reason.strip():
        raise DomainError(_("Tuliskan alasan penolakan."), field="reason")
    item.status = ExternalStatus.VERIFIED if accept else ExternalStatus.REJECTED
    item.verified_by, item.verified_at, item.reason = actor.user, timezone.now(), reason.strip()
    item.save()
    if accept:
        _book(
            item.employee,
            year=rules.ledger_year(item.ended_on),
            on=item.ended_on,
            minutes=item.minutes,
            jp=rules.minutes_to_jp(item.minutes, selectors.minutes_per_jp(item.ended_on)),
            description=f"{item.title} ({item.provider})",
            external=item,
        )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            item,
            "learning.external_verify",
            agency_id=item.employee.agency_id,
            after={"status": item.status},
            reason=reason.strip(),
        ),
    )
    return item


# --- Evaluation -----------------------------------------------------------------------------------------


@transaction.atomic
def reaction_submit(
    *,
    actor,
    enrollment: Enrollment,
    relevance: int,
    material: int,
    facilitator: int,
    organisation: int,
    comment: str = "",
) -> ReactionSurvey:
    e = Enrollment.objects.select_related("employee").get(pk=enrollment.pk)
    if actor.employee_id != e.employee_id:
        raise PermissionDenied(_("Hanya peserta yang mengisi evaluasi ini."))
    if e.status not in CLOSED_STATUSES:
        raise DomainError(_("Evaluasi diisi setelah pelatihan selesai."), code="state")
    if ReactionSurvey.objects.filter(enrollment=e).exists():
        raise DomainError(_("Evaluasi sudah diisi."), code="duplicate")
    scores = (relevance, material, facilitator, organisation)
    if any(not 1 <= s <= 5 for s in scores):
        raise DomainError(_("Nilai 1 sampai 5."), code="range")
    survey = ReactionSurvey.objects.create(
        enrollment=e,
        relevance=relevance,
        material=material,
        facilitator=facilitator,
        organisation=organisation,
        comment=comment.strip(),
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(e, "learning.reaction_submit", agency_id=e.employee.agency_id, after={"scores": list(scores)}),
    )
    return survey


@transaction.atomic
def follow_up_submit(
    *, actor, enrollment: Enrollment, outcome: str, note: str = "", today: datetime.date | None = None
) -> SupervisorFollowUp:
    """Three months after completion the supervisor says whether the behaviour changed."""
    from learning.choices import FollowUp

    today = today or timezone.localdate()
    e = Enrollment.objects.select_related("employee").get(pk=enrollment.pk)
    if not _is_supervisor_of(actor, e.employee):
        raise PermissionDenied(_("Hanya atasan langsung yang mengisi tindak lanjut ini."))
    if e.status != EnrollmentStatus.COMPLETED or e.completed_on is None:
        raise DomainError(_("Tindak lanjut hanya untuk pelatihan yang diselesaikan."), code="state")
    if today < e.completed_on + FOLLOW_UP_AFTER:
        due = e.completed_on + FOLLOW_UP_AFTER
        raise DomainError(
            _("Tindak lanjut diisi tiga bulan setelah selesai (mulai %(d)s).") % {"d": due.strftime("%d-%m-%Y")},
            code="early",
        )
    if outcome not in FollowUp.values:
        raise DomainError(_("Pilih hasil tindak lanjut."), field="outcome")
    if SupervisorFollowUp.objects.filter(enrollment=e).exists():
        raise DomainError(_("Tindak lanjut sudah diisi."), code="duplicate")
    row = SupervisorFollowUp.objects.create(
        enrollment=e, supervisor_id=actor.employee_id, outcome=outcome, note=note.strip()
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(e, "learning.follow_up", agency_id=e.employee.agency_id, after={"outcome": outcome}),
    )
    return row


# --- Optimal allocation -----------------------------------------------------------------------------------


def _allocation_busy(run: AllocationRun) -> DomainError:
    return DomainError(
        _(
            "Perhitungan alokasi tahun %(year)s untuk instansi ini masih berjalan (%(status)s); "
            "tunggu hasilnya sebelum meminta yang baru."
        )
        % {"year": run.year, "status": run.get_status_display().lower()},
        code="busy",
    )


@transaction.atomic
def allocation_run_request(*, actor, agency, year: int, weights: rules.Weights) -> AllocationRun:
    """Queue the computation of the agency's optimal allocation for a year (a background task)."""
    _require_hr(actor, agency.pk)
    now = timezone.now()
    S = AllocationRun.Status
    active = list(
        AllocationRun.objects.select_for_update().filter(agency=agency, year=year, status__in=AllocationRun.ACTIVE)
    )
    limit = datetime.timedelta(seconds=settings.LEARNING_ALLOCATION_TIME_LIMIT)
    for run in active:
        if run.status == S.RUNNING and run.started_at and run.started_at < now - limit - ALLOCATION_ABANDONED_AFTER:
            run.status, run.stage, run.finished_at = S.FAILED, "", now
            run.error = _("Perhitungan terhenti tanpa hasil (proses latar berhenti).")
            run.save(update_fields=["status", "stage", "finished_at", "error", "updated_at"])
            audit_log(
                actor=actor.user,
                entry=entry_for(run, "learning.allocation_abandon", agency_id=agency.pk, after={"year": year}),
            )
        else:
            raise _allocation_busy(run)
    try:
        with transaction.atomic():
            run = AllocationRun.objects.create(
                agency=agency, year=year, weights=dataclasses.asdict(weights), requested_by=actor.user
            )
    except IntegrityError:  # another request queued one a moment ago
        raise _allocation_busy(AllocationRun(year=year, status=S.QUEUED)) from None
    audit_log(
        actor=actor.user,
        entry=entry_for(
            run, "learning.allocation_request", agency_id=agency.pk, after={"year": year, "weights": run.weights}
        ),
    )
    from learning.tasks import solve_allocation

    transaction.on_commit(lambda: solve_allocation.enqueue(run.pk))
    return run
