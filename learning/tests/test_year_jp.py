"""A year's JP is the year's minutes over the JP length, rounded once (RULES.md §6; rules.year_jp and its SQL
twin selectors.year_jp): eighteen 50-minute sessions are 900 minutes, exactly 20 JP and "met", on every
surface that shows a year's JP — the ledger page, the employee's page for HR, the compliance reports by
unit, agency, region and employee with their exports, the at-risk list, the allocation's shortfall, the
PPPK ceiling and the API — while each entry keeps its own JP as booked (1.11, adding up to 19.98)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from learning import allocation, rules, selectors, services
from learning.models import JpEntry
from personnel.models import Employee
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

CATALOGUE = "/pengembangan/katalog/"
REPORTS = "/pengembangan/laporan/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def today() -> datetime.date:
    return timezone.localdate()


def session_programme(actor, code: str, jp: str):
    """A programme without tests or cost, defined in JP (a 50-minute session is 1.11 JP at 45 minutes)."""
    return services.program_create(
        actor=actor,
        code=code,
        title=f"Sesi {code}",
        jp=Decimal(jp),
        modality="classical",
        provider="BPSDM",
        cost=Decimal(0),
        targets={},
        has_tests=False,
    )


def complete_sessions(actor, program, employee, n: int) -> None:
    """``n`` events of the programme held today, each completed by the employee."""
    for i in range(n):
        event = services.event_create(
            actor=actor,
            program=program,
            agency=employee.agency,
            name=f"Sesi {program.code} {i + 1}",
            starts_on=today(),
            ends_on=today(),
            place="BPSDM",
            capacity=1,
        )
        seat = services.enroll(actor=actor, event=event, employee=employee)
        services.enrollment_complete(actor=actor, enrollment=seat)


def verified_sessions(employee_actor, hr_actor, employee, n: int, minutes: int = 50) -> None:
    """``n`` sessions of learning done elsewhere today, ``minutes`` each, verified by HR."""
    for i in range(n):
        item = services.external_submit(
            actor=employee_actor,
            employee=employee,
            title=f"Webinar {i + 1}",
            provider="LAN",
            modality="seminar",
            started_on=today(),
            ended_on=today(),
            minutes=minutes,
            evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf"),
        )
        services.external_verify(actor=hr_actor, item=item, accept=True)


@pytest.fixture
def eighteen(learning_world, world, actors):
    """The Lampung staff member's year: nine 50-minute sessions done elsewhere and verified, and nine
    completions of a 1.11-JP programme (50 minutes each). The Kabid has 17 such sessions."""
    hr = actors["admin_lpg"]
    program = session_programme(hr, "P-SESI", "1.11")
    staff, kabid = world["lpg"]["e_staff"], world["lpg"]["e_kabid"]
    verified_sessions(actors["employee_lpg"], hr, staff, 9)
    complete_sessions(hr, program, staff, 9)
    verified_sessions(actors["supervisor_lpg"], hr, kabid, 17)
    return {"staff": staff, "kabid": kabid, "year": rules.ledger_year(today()), "program": program}


def text(resp) -> str:
    assert resp.status_code == 200, resp.content[:300]
    return re.sub(r"\s+", " ", resp.content.decode())


def sheet(resp):
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    return [list(r) for r in load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True)]


class TestTheRule:
    @pytest.mark.parametrize(
        ("minutes", "per_jp", "jp"),
        [
            (900, 45, "20.00"),  # 18 × 50 minutes
            (899, 45, "19.98"),
            (50, 45, "1.11"),
            (3, 40, "0.08"),  # 0.075 exactly: half up (a float would give 0.07)
            (1, 40, "0.03"),  # 0.025 exactly
            (18, 40, "0.45"),
            (3999, 200, "20.00"),  # 19.995 exactly: met (as a float, 19.99)
            (0, 45, "0.00"),
        ],
    )
    def test_a_years_jp_from_its_minutes_rounded_once_half_up(self, minutes, per_jp, jp):
        assert rules.year_jp(minutes, per_jp) == Decimal(jp)
        assert rules.jp_hundredths(minutes, per_jp) == int(Decimal(jp) * 100)

    def test_not_the_sum_of_the_entries_rounded_jp(self):
        assert sum((rules.minutes_to_jp(50) for _ in range(18)), Decimal(0)) == Decimal("19.98")
        assert rules.year_jp(18 * 50) == Decimal("20.00")
        assert rules.compliance(rules.year_jp(18 * 50), "pns").met

    def test_a_programme_defined_in_jp_books_its_minutes(self):
        assert rules.jp_to_minutes(Decimal("1.11"), 45) == 50
        assert rules.jp_to_minutes(Decimal(20), 45) == 900


class TestLedger:
    def test_each_entry_keeps_its_own_jp_and_the_year_counts_the_minutes(self, eighteen):
        entries = list(JpEntry.objects.filter(employee=eighteen["staff"], year=eighteen["year"]))
        assert len(entries) == 18 and {(e.minutes, e.jp) for e in entries} == {(50, Decimal("1.11"))}
        assert sum(1 for e in entries if e.enrollment_id) == 9  # the 1.11-JP programme booked 50 minutes
        assert sum((e.jp for e in entries), Decimal(0)) == Decimal("19.98")
        assert selectors.jp_of_year(eighteen["staff"].pk, eighteen["year"]) == Decimal("20.00")
        assert selectors.year_total(eighteen["staff"].pk, eighteen["year"]) == {
            "minutes": 900,
            "minutes_per_jp": 45,
            "jp": Decimal("20.00"),
        }

    def test_the_employees_ledger_page_says_met(self, client, login, eighteen, world):
        login(world["employee_lpg"])
        page = text(client.get(f"{CATALOGUE}saya/", {"tahun": eighteen["year"]}))
        assert "20 dari minimal 20 JP setahun" in page and "terpenuhi" in page and "kurang" not in page
        assert 'data-testid="ledger-minutes">900<' in page and 'data-testid="ledger-jp">20<' in page
        assert page.count(">1,11<") + page.count(">1.11<") == 18  # each entry with its own JP

    def test_the_employee_profile_for_hr_says_met(self, client, login, eighteen, world):
        login(world["admin_lpg"])
        page = text(client.get(f"{CATALOGUE}pegawai/{eighteen['staff'].nip}/", {"tahun": eighteen["year"]}))
        assert "20 dari minimal 20 JP setahun" in page and "terpenuhi" in page
        kabid = text(client.get(f"{CATALOGUE}pegawai/{eighteen['kabid'].nip}/", {"tahun": eighteen["year"]}))
        assert "18,89 dari minimal 20 JP setahun" in kabid or "18.89 dari minimal 20 JP setahun" in kabid


class TestReports:
    @pytest.mark.parametrize("group", ["unit", "agency", "region"])
    def test_compliance_by_group_counts_the_staff_member_as_met(self, client, login, eighteen, world, group):
        login(world["admin_lpg"])
        resp = client.get(f"{REPORTS}kepatuhan-jp/", {"kelompok": group, "tahun": eighteen["year"]})
        rows = resp.context["rows"]
        assert sum(r["met"] for r in rows) == 1
        assert sum(r["jp_sum"] for r in rows) == Decimal("38.89")  # 20.00 + the Kabid's 850 minutes (18.89)
        data = sheet(
            client.get(f"{REPORTS}kepatuhan-jp/", {"kelompok": group, "tahun": eighteen["year"], "export": "xlsx"})
        )
        assert sum(r[2] for r in data[1:]) == 1

    def test_compliance_per_employee_and_its_export(self, client, login, eighteen, world):
        login(world["admin_lpg"])
        resp = client.get(f"{REPORTS}kepatuhan-jp/", {"kelompok": "employee", "tahun": eighteen["year"]})
        rows = {r["employee"].pk: (r["jp"], r["rule"].met) for r in resp.context["employee_rows"]}
        assert rows[eighteen["staff"].pk] == (Decimal("20.00"), True)
        assert rows[eighteen["kabid"].pk] == (Decimal("18.89"), False)
        params = {"kelompok": "employee", "tahun": eighteen["year"], "export": "xlsx"}
        by_nip = {r[0]: r for r in sheet(client.get(f"{REPORTS}kepatuhan-jp/", params))[1:]}
        assert by_nip[eighteen["staff"].nip][5] == 20 and by_nip[eighteen["staff"].nip][9] == "memenuhi"
        assert by_nip[eighteen["kabid"].nip][8] == pytest.approx(1.11)

    def test_the_staff_member_is_not_at_risk(self, eighteen, world):
        employees = Employee.objects.filter(agency=world["lpg"]["agency"])
        december = datetime.date(eighteen["year"], 12, 1)
        rows = {r["employee"].pk: r for r in selectors.at_risk(employees, eighteen["year"], december)}
        assert eighteen["staff"].pk not in rows
        assert rows[eighteen["kabid"].pk]["jp"] == Decimal("18.89")
        assert rows[eighteen["kabid"].pk]["short"] == Decimal("1.11")

    def test_seats_booked_ahead_count_in_the_same_minutes(self, eighteen, world, actors):
        """On 1 December the Kabid (850 minutes) is at risk; one more 1.11-JP session booked on 31 December
        makes 900 minutes, 20 JP, and he is not (as JP, 18.89 + 1.11 would be 20.00 too — but 17 × 1.11 +
        1.11 would say 19.98)."""
        hr, kabid, year = actors["admin_lpg"], eighteen["kabid"], eighteen["year"]
        employees = Employee.objects.filter(agency=world["lpg"]["agency"])
        december = datetime.date(year, 12, 1)
        assert kabid.pk in {r["employee"].pk for r in selectors.at_risk(employees, year, december)}
        last_day = datetime.date(year, 12, 31)
        event = services.event_create(
            actor=hr,
            program=eighteen["program"],
            agency=kabid.agency,
            name="Sesi tambahan",
            starts_on=last_day,
            ends_on=last_day,
            place="BPSDM",
            capacity=1,
        )
        services.enroll(actor=hr, event=event, employee=kabid)
        assert kabid.pk not in {r["employee"].pk for r in selectors.at_risk(employees, year, december)}


class TestAllocation:
    def test_the_staff_member_is_not_short_of_20_jp(self, eighteen, world):
        problem = allocation.build(agency=world["lpg"]["agency"], year=eighteen["year"])
        people = {p.id: p for p in problem.people}
        staff, kabid = people[eighteen["staff"].pk], people[eighteen["kabid"].pk]
        assert (staff.jp_done, staff.shortfall) == (Decimal("20.00"), 0)
        assert (kabid.jp_done, kabid.shortfall) == (Decimal("18.89"), Decimal("1.11"))

    def test_the_computed_run_lists_only_the_kabid_as_short(self, eighteen, world):
        out = allocation.propose(agency=world["lpg"]["agency"], year=eighteen["year"], time_limit=60)
        short = allocation.run_result(out, time_limit=60)["short"]
        assert str(eighteen["staff"].pk) not in short
        assert short[str(eighteen["kabid"].pk)] == {"jp": "18.89", "shortfall": "1.11"}


class TestPppkCeiling:
    def test_the_ceiling_is_judged_on_the_years_minutes(self, learning_world, world, actors):
        """21 sessions of 50 minutes (1,050 minutes, 23.33 JP; their own JP add up to 23.31) and a 0.69-JP
        programme (31 minutes): 1,081 minutes, 24.02 JP — over 24, though 23.31 + 0.69 would be 24.00."""
        from accounts.access import build_actor
        from tests.factories import make_user

        hr = actors["admin_lpg"]
        lpg = world["lpg"]
        pppk = make_employee(lpg["agency"], lpg["staff"], name="Pegawai PPPK", etype="pppk")
        verified_sessions(build_actor(make_user("pppk.lpg", employee=pppk)), hr, pppk, 21)
        extra = session_programme(hr, "P-069", "0.69")
        event = services.event_create(
            actor=hr,
            program=extra,
            agency=lpg["agency"],
            name="Penutup",
            starts_on=today(),
            ends_on=today(),
            place="BPSDM",
            capacity=1,
        )
        with pytest.raises(DomainError, match="PPPK paling banyak 24 JP"):
            services.enroll(actor=hr, event=event, employee=pppk)


class TestApi:
    def test_the_year_of_an_employee(self, client, login, eighteen, world):
        login(world["admin_lpg"])
        resp = client.get("/api/jp-entries/year/", {"employee": eighteen["staff"].nip, "year": eighteen["year"]})
        assert resp.status_code == 200, resp.content[:300]
        body = resp.json()
        assert (body["minutes"], body["minutes_per_jp"], body["jp"], body["met"], body["shortfall"]) == (
            900,
            45,
            "20.00",
            True,
            "0.00",
        )
        assert body["employee"]["nip"] == eighteen["staff"].nip
        entries = client.get("/api/jp-entries/", {"employee": eighteen["staff"].nip, "year": eighteen["year"]}).json()
        assert {e["jp"] for e in entries["results"]} == {"1.11"}

    def test_the_year_of_someone_out_of_reach_is_404(self, client, login, eighteen, world):
        login(world["admin_gtlo"])
        params = {"employee": eighteen["staff"].nip, "year": eighteen["year"]}
        assert client.get("/api/jp-entries/year/", params).status_code == 404
        login(world["admin_lpg"])
        assert client.get("/api/jp-entries/year/", {"employee": eighteen["staff"].nip}).status_code == 400

    def test_the_compliance_and_at_risk_reports(self, client, login, eighteen, world):
        login(world["admin_lpg"])
        rows = client.get("/api/learning-reports/compliance/", {"group": "unit", "year": eighteen["year"]}).json()
        assert sum(r["met"] for r in rows) == 1
        risk = client.get("/api/learning-reports/at-risk/", {"year": eighteen["year"]}).json()
        assert eighteen["staff"].nip not in {r["employee"]["nip"] for r in risk}
