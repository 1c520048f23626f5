import datetime

import pytest

from accounts.access import get_actor
from core.errors import DomainError
from core.models import AuditRecord
from personnel.models import EducationLevel, Employee, Rank
from personnel.services import assignment_add, assignment_end, education_add, employee_create, employee_update, rank_add
from tests.factories import make_nip

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


def data(**over):
    d = {
        "nip": make_nip(D(1992, 4, 2), D(2019, 3, 1), "F", serial=7),
        "nik": "1871014204920001",
        "name": "Sari Dewi",
        "gender": "F",
        "birth_date": D(1992, 4, 2),
        "employee_type": "pns",
        "tmt_appointment": D(2019, 3, 1),
    }
    d.update(over)
    return d


class TestEmployeeCreate:
    def test_creates_the_employee_with_first_histories_and_an_audit_record(self, world):
        lpg = world["lpg"]
        emp = employee_create(
            actor=get_actor(world["admin_lpg"]),
            agency=lpg["agency"],
            data=data(),
            rank=Rank.objects.get(code="III/a"),
            position=lpg["staff"],
            position_decree="SK/9",
            rank_decree="SK/8",
            education=EducationLevel.objects.get(code="S1"),
            today=TODAY,
        )
        assert (emp.current_rank.code, emp.current_position, emp.current_unit) == ("III/a", lpg["staff"], lpg["div"])
        assert emp.retirement_date == D(2050, 5, 1)
        rec = AuditRecord.objects.get(action="employee.create")
        assert (
            rec.actor_id == world["admin_lpg"].pk and rec.after["nip"] == emp.nip and rec.agency_id == lpg["agency"].pk
        )

    def test_refuses_an_inconsistent_nip_with_every_problem_on_its_field(self, world):
        with pytest.raises(DomainError) as exc:
            employee_create(
                actor=get_actor(world["admin_lpg"]),
                agency=world["lpg"]["agency"],
                data=data(gender="M", birth_date=D(1992, 4, 3)),
                today=TODAY,
            )
        assert set(exc.value.errors) == {"gender", "birth_date"}
        assert (
            Employee.objects.filter(name="Sari Dewi").count() == 0
            and not AuditRecord.objects.filter(action="employee.create").exists()
        )

    def test_refuses_a_duplicate_nip(self, world):
        with pytest.raises(DomainError, match="sudah terdaftar"):
            employee_create(
                actor=get_actor(world["admin_lpg"]),
                agency=world["lpg"]["agency"],
                data=data(
                    nip=world["lpg"]["e_staff"].nip,
                    birth_date=world["lpg"]["e_staff"].birth_date,
                    tmt_appointment=world["lpg"]["e_staff"].tmt_appointment,
                ),
                today=TODAY,
            )

    def test_refuses_a_pppk_rank_for_a_pns(self, world):
        with pytest.raises(DomainError) as exc:
            employee_create(
                actor=get_actor(world["admin_lpg"]),
                agency=world["lpg"]["agency"],
                data=data(),
                rank=Rank.objects.get(code="IX"),
                today=TODAY,
            )
        assert "rank" in exc.value.errors

    def test_refuses_another_agencys_position(self, world):
        with pytest.raises(DomainError):
            employee_create(
                actor=get_actor(world["admin_lpg"]),
                agency=world["lpg"]["agency"],
                data=data(),
                position=world["gtlo"]["staff"],
                today=TODAY,
            )
        assert not Employee.objects.filter(name="Sari Dewi").exists()

    @pytest.mark.parametrize("who", ["admin_gtlo", "auditor_lpg", "supervisor_lpg", "kanreg_lpg"])
    def test_refuses_actors_without_write_scope(self, world, who):
        with pytest.raises(DomainError, match="tidak berwenang"):
            employee_create(actor=get_actor(world[who]), agency=world["lpg"]["agency"], data=data(), today=TODAY)


class TestHistories:
    def test_a_promotion_changes_the_current_rank_and_is_audited_with_its_decree(self, world):
        emp = world["lpg"]["e_staff"]
        rank_add(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            rank=Rank.objects.get(code="III/b"),
            tmt=D(2026, 10, 1),
            decree_number="823/77/BKD/2026",
            today=TODAY,
        )
        emp.refresh_from_db()
        assert emp.current_rank.code == "III/b"
        assert AuditRecord.objects.get(action="rankhistory.create").reason == "823/77/BKD/2026"

    def test_a_future_promotion_is_recorded_but_not_current_yet(self, world):
        emp = world["lpg"]["e_staff"]
        rank_add(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            rank=Rank.objects.get(code="III/b"),
            tmt=D(2027, 4, 1),
            decree_number="SK/F",
            today=TODAY,
        )
        emp.refresh_from_db()
        assert emp.current_rank.code == "III/a"

    @pytest.mark.parametrize(
        "kw,field",
        [
            ({"decree_number": " "}, "decree_number"),
            ({"tmt": D(2000, 1, 1)}, "tmt"),
            ({"rank": "IX"}, "rank"),
        ],
    )
    def test_rank_refusals(self, world, kw, field):
        args = {"rank": "III/b", "tmt": D(2026, 10, 1), "decree_number": "SK/1"} | kw
        with pytest.raises(DomainError) as exc:
            rank_add(
                actor=get_actor(world["admin_lpg"]),
                employee=world["lpg"]["e_staff"],
                rank=Rank.objects.get(code=args["rank"]),
                tmt=args["tmt"],
                decree_number=args["decree_number"],
                today=TODAY,
            )
        assert exc.value.field == field

    def test_a_new_definitive_post_ends_the_previous_one(self, world):
        lpg = world["lpg"]
        emp = lpg["e_staff"]
        assignment_add(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            position=lpg["kabid"],
            tmt=D(2026, 11, 1),
            decree_number="SK/MUTASI",
            today=TODAY,
        )
        emp.refresh_from_db()
        old = emp.assignments.get(position=lpg["staff"])
        assert old.end_date == D(2026, 10, 31) and emp.current_position == lpg["kabid"]

    def test_a_plt_does_not_change_the_definitive_post(self, world):
        lpg = world["lpg"]
        emp = lpg["e_staff"]
        assignment_add(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            position=lpg["kabid"],
            kind="plt",
            tmt=D(2026, 11, 1),
            decree_number="SK/PLT",
            today=TODAY,
        )
        emp.refresh_from_db()
        assert emp.current_position == lpg["staff"]

    def test_ending_an_assignment_records_before_and_after(self, world):
        lpg = world["lpg"]
        a = lpg["e_kabid"].assignments.get()
        assignment_end(
            actor=get_actor(world["admin_lpg"]),
            assignment=a,
            end_date=D(2026, 11, 1),
            reason="SK/BERHENTI",
            today=TODAY,
        )
        rec = AuditRecord.objects.get(action="assignment.end")
        assert (
            rec.before == {"end_date": None} and rec.after == {"end_date": "2026-11-01"} and rec.reason == "SK/BERHENTI"
        )
        lpg["e_kabid"].refresh_from_db()
        assert lpg["e_kabid"].current_position is None

    def test_a_higher_degree_becomes_the_current_education(self, world):
        emp = world["lpg"]["e_staff"]
        education_add(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            level=EducationLevel.objects.get(code="S2"),
            tmt=D(2024, 9, 1),
            decree_number="IJZ/S2",
            today=TODAY,
        )
        emp.refresh_from_db()
        assert emp.current_education.code == "S2"


class TestEmployeeUpdate:
    def test_update_records_only_the_changed_fields(self, world):
        emp = world["lpg"]["e_staff"]
        employee_update(
            actor=get_actor(world["admin_lpg"]),
            employee=emp,
            data={"name": "Staf Lampung Baru"},
            reason="SK/NAMA",
            today=TODAY,
        )
        rec = AuditRecord.objects.get(action="employee.update")
        assert rec.before == {"name": "Staf Lampung"} and rec.after == {"name": "Staf Lampung Baru"}

    def test_changing_the_gender_against_the_nip_is_refused(self, world):
        with pytest.raises(DomainError) as exc:
            employee_update(
                actor=get_actor(world["admin_lpg"]), employee=world["lpg"]["e_staff"], data={"gender": "M"}, today=TODAY
            )
        assert "gender" in exc.value.errors
