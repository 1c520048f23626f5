"""Write validated rows in one transaction: every row of the choice, or none."""

import datetime

from django.db import transaction

from core.audit import Entry, audit_log_many
from core.bulk import build, bulk_insert
from personnel import rules
from personnel.choices import AssignmentKind
from personnel.importing.validate import ValidRow
from personnel.models import Assignment, EducationHistory, Employee, RankHistory

BATCH = 5000


def _employee(agency_id: int, r: ValidRow, today: datetime.date) -> Employee:
    pos = r.position if r.position_tmt <= today else None
    edu_date = r.education_date or r.data["tmt_appointment"]
    age = rules.retirement_age(
        pos.level if pos else None, on=today, override=pos.retirement_age_override if pos else None
    )
    return build(
        Employee,
        agency_id=agency_id,
        **r.data,
        current_rank_id=r.rank.pk if r.rank_tmt <= today else None,
        current_position_id=pos.pk if pos else None,
        current_unit_id=pos.unit_id if pos else None,
        current_position_type=pos.position_type if pos else "",
        current_education_id=r.education.pk if edu_date <= today else None,
        retirement_date=rules.retirement_date(r.data["birth_date"], age),
    )


def write_rows(*, actor, agency_id: int, rows: list[ValidRow], today: datetime.date, reason: str, progress=None) -> int:
    """Insert employees with their first rank, position and education, and one audit record each."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write_rows runs inside the import's transaction")
    written = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        employees = bulk_insert(Employee, [_employee(agency_id, r, today) for r in chunk])
        bulk_insert(
            RankHistory,
            [
                build(RankHistory, employee_id=e.pk, rank_id=r.rank.pk, tmt=r.rank_tmt, decree_number=r.rank_decree)
                for e, r in zip(employees, chunk)
            ],
        )
        bulk_insert(
            Assignment,
            [
                build(
                    Assignment,
                    employee_id=e.pk,
                    position_id=r.position.pk,
                    kind=AssignmentKind.DEFINITIVE,
                    tmt=r.position_tmt,
                    decree_number=r.position_decree,
                )
                for e, r in zip(employees, chunk)
            ],
        )
        bulk_insert(
            EducationHistory,
            [
                build(
                    EducationHistory,
                    employee_id=e.pk,
                    level_id=r.education.pk,
                    tmt=r.education_date or e.tmt_appointment,
                    decree_number=r.education_number or "-",
                )
                for e, r in zip(employees, chunk)
            ],
        )
        audit_log_many(
            actor=actor,
            entries=[
                Entry(
                    "employee.import",
                    "personnel.employee",
                    str(e.pk),
                    e.full_name,
                    agency_id,
                    None,
                    {"nip": e.nip, "row": r.row, "rank": r.rank.code, "position": r.position.code},
                    reason,
                )
                for e, r in zip(employees, chunk)
            ],
        )
        written += len(chunk)
        if progress:
            progress(written)
    return written
