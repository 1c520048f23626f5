"""Writes to the personnel registry. Each one is atomic and records itself in the audit trail."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, diff, entry_for, snapshot
from core.errors import DomainError
from core.params import rule_param
from organization.models import Agency, Position
from personnel import rules
from personnel.choices import AssignmentKind, EmployeeType, RankScheme
from personnel.messages import message_for
from personnel.models import Assignment, EducationHistory, EducationLevel, Employee, Rank, RankHistory

EMPLOYEE_FIELDS = (
    "nip",
    "nip_lama",
    "nik",
    "name",
    "front_title",
    "back_title",
    "gender",
    "birth_place",
    "birth_date",
    "employee_type",
    "tmt_appointment",
    "email",
    "phone",
)


@dataclass(frozen=True)
class Finding:
    field: str
    message: str
    severity: str = "error"


def employee_findings(data: dict, *, today: datetime.date, min_age: int | None = None) -> list[Finding]:
    """Check an employee's identity fields against each other (NIP, NIK, dates, type)."""
    found: list[Finding] = []
    pppk = data.get("employee_type") == EmployeeType.PPPK
    if min_age is None:
        min_age = rule_param("nip.min_appointment_age", on=today, default=18)
    for p in rules.check_nip(
        data.get("nip", ""),
        pppk=pppk,
        birth_date=data.get("birth_date"),
        gender=data.get("gender"),
        tmt_appointment=data.get("tmt_appointment"),
        today=today,
        min_appointment_age=min_age,
    ):
        found.append(Finding(p.field, message_for(p), p.severity))
    for p in rules.check_nik(data.get("nik", "")):
        found.append(Finding(p.field, message_for(p), p.severity))
    birth = data.get("birth_date")
    if birth and birth > today:
        found.append(Finding("birth_date", _("Tanggal lahir tidak boleh di masa depan.")))
    tmt = data.get("tmt_appointment")
    if tmt and tmt > today:
        found.append(Finding("tmt_appointment", _("TMT pengangkatan tidak boleh di masa depan.")))
    if not (data.get("name") or "").strip():
        found.append(Finding("name", _("Nama wajib diisi.")))
    return found


def rank_fits_type(rank: Rank, employee_type: str) -> bool:
    return (rank.scheme == RankScheme.PPPK) == (employee_type == EmployeeType.PPPK)


def _raise(findings: list[Finding]):
    errors: dict[str, list[str]] = {}
    for f in findings:
        if f.severity == "error":
            errors.setdefault(f.field, []).append(f.message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)


def _require_write(actor, agency_id: int):
    if not actor.can_write_agency(agency_id):
        raise DomainError(_("Anda tidak berwenang mengubah data pegawai instansi ini."), code="forbidden")


def _check_position(position: Position | None, agency: Agency):
    if position is not None and position.agency_id != agency.pk:
        raise DomainError(_("Jabatan harus berada di instansi pegawai."), field="position")


def refresh_current(employee: Employee, *, today: datetime.date | None = None) -> list[str]:
    """Derive current rank, position, unit, education and retirement date from the histories."""
    today = today or timezone.localdate()
    rank = employee.rank_history.effective_on(today).order_by("-tmt", "-rank__order").select_related("rank").first()
    assignment = (
        employee.assignments.effective_on(today)
        .filter(kind=AssignmentKind.DEFINITIVE)
        .select_related("position")
        .order_by("-tmt", "-id")
        .first()
    )
    edu = employee.education_history.effective_on(today).select_related("level").order_by("-level__order").first()
    position = assignment.position if assignment else None
    employee.current_rank = rank.rank if rank else None
    employee.current_position = position
    employee.current_unit_id = position.unit_id if position else None
    employee.current_position_type = position.position_type if position else ""
    employee.current_education = edu.level if edu else None
    age = rules.retirement_age(
        position.level if position else None, on=today, override=position.retirement_age_override if position else None
    )
    employee.retirement_date = rules.retirement_date(employee.birth_date, age)
    return [
        "current_rank",
        "current_position",
        "current_unit",
        "current_position_type",
        "current_education",
        "retirement_date",
    ]


@transaction.atomic
def employee_create(
    *,
    actor,
    agency: Agency,
    data: dict,
    rank: Rank | None = None,
    rank_tmt: datetime.date | None = None,
    rank_decree: str = "",
    position: Position | None = None,
    position_tmt: datetime.date | None = None,
    position_decree: str = "",
    education: EducationLevel | None = None,
    education_date: datetime.date | None = None,
    education_number: str = "",
    education_major: str = "",
    today: datetime.date | None = None,
) -> Employee:
    """Register an employee with the first rank, position and education on record."""
    _require_write(actor, agency.pk)
    today = today or timezone.localdate()
    findings = employee_findings(data, today=today)
    if Employee.objects.filter(nip=data.get("nip")).exists():
        findings.append(Finding("nip", _("NIP ini sudah terdaftar.")))
    if rank is not None and not rank_fits_type(rank, data.get("employee_type")):
        findings.append(Finding("rank", _("Golongan tidak sesuai dengan jenis pegawai (PNS/PPPK).")))
    _raise(findings)
    _check_position(position, agency)
    employee = Employee(agency=agency, **{k: data.get(k, "") for k in EMPLOYEE_FIELDS if k in data})
    employee.save()
    if rank is not None:
        RankHistory.objects.create(
            employee=employee, rank=rank, tmt=rank_tmt or employee.tmt_appointment, decree_number=rank_decree
        )
    if position is not None:
        Assignment.objects.create(
            employee=employee,
            position=position,
            tmt=position_tmt or employee.tmt_appointment,
            decree_number=position_decree,
        )
    if education is not None:
        EducationHistory.objects.create(
            employee=employee,
            level=education,
            tmt=education_date or employee.tmt_appointment,
            decree_number=education_number,
            major=education_major,
        )
    employee.save(update_fields=refresh_current(employee, today=today))
    audit_log(
        actor=actor.user, entry=entry_for(employee, "employee.create", agency_id=agency.pk, after=snapshot(employee))
    )
    return employee


@transaction.atomic
def employee_update(
    *, actor, employee: Employee, data: dict, reason: str = "", today: datetime.date | None = None
) -> Employee:
    """Change an employee's identity fields; NIP consistency is checked against the new values."""
    _require_write(actor, employee.agency_id)
    today = today or timezone.localdate()
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    before = snapshot(employee)
    merged = {k: getattr(employee, k) for k in EMPLOYEE_FIELDS} | {
        k: v for k, v in data.items() if k in EMPLOYEE_FIELDS
    }
    findings = employee_findings(merged, today=today)
    if merged["nip"] != employee.nip and Employee.objects.filter(nip=merged["nip"]).exists():
        findings.append(Finding("nip", _("NIP ini sudah terdaftar.")))
    _raise(findings)
    for k, v in merged.items():
        setattr(employee, k, v)
    update = list(EMPLOYEE_FIELDS) + refresh_current(employee, today=today) + ["updated_at"]
    employee.save(update_fields=update)
    b, a = diff(before, snapshot(employee))
    audit_log(
        actor=actor.user,
        entry=entry_for(employee, "employee.update", agency_id=employee.agency_id, before=b, after=a, reason=reason),
    )
    return employee


def _history_write(actor, employee, action, obj, today):
    employee.save(update_fields=refresh_current(employee, today=today) + ["updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            obj, action, agency_id=employee.agency_id, after=snapshot(obj), reason=getattr(obj, "decree_number", "")
        ),
    )


@transaction.atomic
def rank_add(
    *,
    actor,
    employee: Employee,
    rank: Rank,
    tmt: datetime.date,
    decree_number: str,
    decree_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RankHistory:
    """Record a rank (kenaikan pangkat) with its decree; the current rank follows."""
    _require_write(actor, employee.agency_id)
    if not decree_number.strip():
        raise DomainError(_("Nomor SK wajib diisi."), field="decree_number")
    if not rank_fits_type(rank, employee.employee_type):
        raise DomainError(_("Golongan tidak sesuai dengan jenis pegawai (PNS/PPPK)."), field="rank")
    if tmt < employee.tmt_appointment:
        raise DomainError(_("TMT golongan tidak boleh sebelum TMT pengangkatan pertama."), field="tmt")
    if employee.rank_history.filter(rank=rank, tmt=tmt).exists():
        raise DomainError(_("Riwayat golongan ini sudah tercatat."), field="rank")
    row = RankHistory.objects.create(
        employee=employee, rank=rank, tmt=tmt, decree_number=decree_number, decree_date=decree_date
    )
    _history_write(actor, employee, "rankhistory.create", row, today or timezone.localdate())
    return row


@transaction.atomic
def assignment_add(
    *,
    actor,
    employee: Employee,
    position: Position,
    tmt: datetime.date,
    decree_number: str,
    kind: str = AssignmentKind.DEFINITIVE,
    end_date: datetime.date | None = None,
    decree_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Assignment:
    """Appoint an employee to a position (definitive, Plt or Plh); a new definitive post ends the old one."""
    _require_write(actor, employee.agency_id)
    _check_position(position, employee.agency)
    if not decree_number.strip():
        raise DomainError(_("Nomor SK wajib diisi."), field="decree_number")
    if end_date and end_date < tmt:
        raise DomainError(_("Tanggal berakhir tidak boleh sebelum TMT."), field="end_date")
    if not position.is_active:
        raise DomainError(_("Jabatan ini sudah tidak aktif."), field="position")
    if kind == AssignmentKind.DEFINITIVE:
        open_rows = employee.assignments.filter(kind=AssignmentKind.DEFINITIVE, end_date__isnull=True, tmt__lt=tmt)
        for old in open_rows:
            old.end_date = tmt - datetime.timedelta(days=1)
            old.save(update_fields=["end_date", "updated_at"])
    row = Assignment.objects.create(
        employee=employee,
        position=position,
        kind=kind,
        tmt=tmt,
        end_date=end_date,
        decree_number=decree_number,
        decree_date=decree_date,
    )
    _history_write(actor, employee, "assignment.create", row, today or timezone.localdate())
    return row


@transaction.atomic
def assignment_end(
    *, actor, assignment: Assignment, end_date: datetime.date, reason: str, today: datetime.date | None = None
) -> Assignment:
    """End an assignment (e.g. a Plt whose term is over)."""
    employee = assignment.employee
    _require_write(actor, employee.agency_id)
    if end_date < assignment.tmt:
        raise DomainError(_("Tanggal berakhir tidak boleh sebelum TMT."), field="end_date")
    before = snapshot(assignment)
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date", "updated_at"])
    employee.save(update_fields=refresh_current(employee, today=today or timezone.localdate()) + ["updated_at"])
    b, a = diff(before, snapshot(assignment))
    audit_log(
        actor=actor.user,
        entry=entry_for(assignment, "assignment.end", agency_id=employee.agency_id, before=b, after=a, reason=reason),
    )
    return assignment


@transaction.atomic
def education_add(
    *,
    actor,
    employee: Employee,
    level: EducationLevel,
    tmt: datetime.date,
    decree_number: str,
    major: str = "",
    institution: str = "",
    today: datetime.date | None = None,
) -> EducationHistory:
    """Record a diploma; the highest level earned becomes the current education."""
    _require_write(actor, employee.agency_id)
    if not decree_number.strip():
        raise DomainError(_("Nomor ijazah wajib diisi."), field="decree_number")
    row = EducationHistory.objects.create(
        employee=employee, level=level, tmt=tmt, decree_number=decree_number, major=major, institution=institution
    )
    _history_write(actor, employee, "educationhistory.create", row, today or timezone.localdate())
    return row


def employees_refresh_due(*, today: datetime.date | None = None) -> int:
    """Re-derive the current fields of employees whose rank or position changed on this day.

    Only derived columns change (nothing a person decided), so no audit record is written.
    """
    today = today or timezone.localdate()
    ids = set(RankHistory.objects.filter(tmt=today).values_list("employee_id", flat=True))
    ids |= set(Assignment.objects.filter(tmt=today).values_list("employee_id", flat=True))
    ids |= set(
        Assignment.objects.filter(end_date=today - datetime.timedelta(days=1)).values_list("employee_id", flat=True)
    )
    for emp in Employee.objects.filter(pk__in=ids):
        emp.save(update_fields=refresh_current(emp, today=today))
    return len(ids)
