"""The report pages (JP compliance, at risk by month, gap heat map, budget use, effectiveness) with their xlsx
exports for every role, the optimal allocation page from proposal to accepted enrolments, and the evaluation
pages (reaction survey, supervisor's follow-up) with every refusal."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditRecord
from learning import selectors, services
from learning.choices import EnrollmentStatus
from learning.models import AllocationRun, Enrollment, ReactionSurvey, SupervisorFollowUp, TrainingEvent
from learning.views.allocation import SALT
from tests.factories import make_agency, make_employee

pytestmark = pytest.mark.django_db

BASE = "/pengembangan/laporan/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def today():
    return timezone.localdate()


def book_jp(actor, employee, minutes: int, day=None):
    """Learning done elsewhere, verified: the ledger gets minutes/45 JP in the year it ended."""
    day = day or today()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    item = services.external_submit(
        actor=actor,
        employee=employee,
        title="Webinar",
        provider="LAN",
        modality="seminar",
        started_on=day,
        ended_on=day,
        minutes=minutes,
        evidence=pdf,
    )
    from accounts.access import build_actor

    hr = build_actor(_admin_of(employee))
    services.external_verify(actor=hr, item=item, accept=True)


def _admin_of(employee):
    from accounts.models import User

    return User.objects.filter(role_assignments__role="agency_admin", role_assignments__agency=employee.agency).first()


def sheet(resp):
    assert resp.status_code == 200, resp.content[:300]
    assert resp["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(resp.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def finished(lw, actors, employee, *, days_ago: int, post=Decimal(80), by="admin_lpg"):
    """Enrol the employee in a fresh event of the programme held by the employee's agency, move it into the
    past and complete it (``by`` names the HR actor doing so)."""
    actor = actors[by]
    event = services.event_create(
        actor=actor,
        program=lw["program"],
        agency=employee.agency,
        name=f"Angkatan {employee.pk}-{days_ago}",
        starts_on=today(),
        ends_on=today(),
        place="BPSDM",
        capacity=5,
    )
    services.budget_set(actor=actor, agency=employee.agency, year=today().year, amount=10**8)
    e = services.enroll(actor=actor, event=event, employee=employee)
    ended = today() - datetime.timedelta(days=days_ago)
    TrainingEvent.objects.filter(pk=event.pk).update(starts_on=ended, ends_on=ended)
    return services.enrollment_complete(
        actor=actor, enrollment=e, pre_score=Decimal(50), post_score=post, completed_on=ended
    )


@pytest.fixture
def reported(learning_world, actors, world):
    """Lampung: the staff member has 20 JP this year, the Kabid 4 JP; the head none. Gorontalo: its staff
    member has 10 JP. The staff member is assessed at level 1 of the level-3 ASN competency."""
    lw = learning_world
    lpg, gtlo = world["lpg"], world["gtlo"]
    book_jp(actors["employee_lpg"], lpg["e_staff"], 900)
    book_jp(actors["supervisor_lpg"], lpg["e_kabid"], 180)
    from accounts.access import build_actor

    book_jp(build_actor(world["employee_gtlo"]), gtlo["e_staff"], 450)
    services.assessment_record(
        actor=actors["admin_lpg"],
        employee=lpg["e_staff"],
        competency=lw["asn"],
        level=1,
        source="cact",
        assessed_on=today(),
    )
    return lw


# --- scope --------------------------------------------------------------------------------------------------

REPORTS = ["", "kepatuhan-jp/", "risiko-jp/", "kesenjangan/", "anggaran/", "efektivitas/"]


@pytest.mark.parametrize("path", REPORTS)
@pytest.mark.parametrize("who", ["employee_lpg", "supervisor_lpg", "committee_lpg", "applicant"])
def test_people_without_a_registry_scope_get_404(client, login, reported, world, who, path):
    login(world[who])
    assert client.get(BASE + path).status_code == 404


@pytest.mark.parametrize("path", REPORTS)
def test_an_agency_outside_the_scope_is_404(client, login, reported, world, path):
    login(world["admin_lpg"])
    assert client.get(BASE + path, {"instansi": world["gtlo"]["agency"].pk}).status_code == 404
    assert client.get(BASE + path, {"instansi": "x"}).status_code == 404
    assert client.get(BASE + path).status_code == 200


def test_anonymous_is_sent_to_login(client, reported):
    assert client.get(BASE + "kepatuhan-jp/").status_code == 302


class TestCompliance:
    def _rows(self, resp):
        return {r["name"]: (r["pns"], r["met"]) for r in resp.context["rows"]}

    def test_agency_hr_sees_its_units(self, client, login, reported, world):
        login(world["admin_lpg"])
        resp = client.get(BASE + "kepatuhan-jp/")
        assert resp.context["scope"].group == "unit"
        # BKD root holds the head; the division holds the Kabid (4 JP) and the staff member (20 JP).
        assert self._rows(resp) == {"BKD Lampung": (1, 0), "Bidang Mutasi": (2, 1)}
        assert resp.context["totals"]["pct"] == pytest.approx(33.3)
        assert b"chart-compliance" in resp.content

    @pytest.mark.parametrize(
        "who,expected",
        [
            ("admin_lpg", {"Lampung": (3, 1)}),
            ("auditor_lpg", {"Lampung": (3, 1)}),
            ("kanreg_lpg", {"Lampung": (3, 1)}),
            ("admin_gtlo", {"Gorontalo": (3, 0)}),
            ("national", {"Lampung": (3, 1), "Gorontalo": (3, 0)}),
        ],
    )
    def test_each_role_sees_its_agencies(self, client, login, reported, world, who, expected):
        login(world[who])
        assert self._rows(client.get(BASE + "kepatuhan-jp/", {"kelompok": "agency"})) == expected

    def test_by_region_for_the_national_admin(self, client, login, reported, world):
        login(world["national"])
        resp = client.get(BASE + "kepatuhan-jp/", {"kelompok": "region"})
        names = {r["name"] for r in resp.context["rows"]}
        assert names == {world["lpg"]["agency"].province.name, world["gtlo"]["agency"].province.name}

    def test_per_employee_with_export(self, client, login, reported, world):
        login(world["admin_lpg"])
        resp = client.get(BASE + "kepatuhan-jp/", {"kelompok": "employee"})
        rows = {r["employee"].pk: (r["jp"], r["rule"].met) for r in resp.context["employee_rows"]}
        lpg = world["lpg"]
        assert rows == {
            lpg["e_head"].pk: (0, False),
            lpg["e_kabid"].pk: (Decimal(4), False),
            lpg["e_staff"].pk: (Decimal(20), True),
        }
        data = sheet(client.get(BASE + "kepatuhan-jp/", {"kelompok": "employee", "export": "xlsx"}))
        assert data[0][:2] == ["NIP", "Nama"]
        by_nip = {r[0]: r for r in data[1:]}
        assert by_nip[lpg["e_staff"].nip][5] == 20 and by_nip[lpg["e_staff"].nip][9] == "memenuhi"
        assert by_nip[lpg["e_head"].nip][8] == 20

    def test_export_has_the_table(self, client, login, reported, world):
        login(world["national"])
        data = sheet(client.get(BASE + "kepatuhan-jp/", {"kelompok": "agency", "export": "xlsx"}))
        assert data[0][0] == "Instansi"
        assert sorted((r[0], r[1], r[2]) for r in data[1:]) == [("Gorontalo", 3, 0), ("Lampung", 3, 1)]

    def test_another_year_has_no_jp(self, client, login, reported, world):
        login(world["admin_lpg"])
        resp = client.get(BASE + "kepatuhan-jp/", {"tahun": today().year - 1})
        assert sum(r["met"] for r in resp.context["rows"]) == 0


class TestAtRisk:
    def test_behind_the_pace_unless_booked_ahead(self, client, login, reported, world, actors):
        lw, lpg = reported, world["lpg"]
        event = services.event_create(
            actor=actors["admin_lpg"],
            program=lw["program"],
            agency=lpg["agency"],
            name="Hari ini",
            starts_on=today(),
            ends_on=today(),
            place="BPSDM",
            capacity=3,
        )
        services.budget_set(actor=actors["admin_lpg"], agency=lpg["agency"], year=today().year, amount=10**8)
        services.enroll(actor=actors["admin_lpg"], event=event, employee=lpg["e_head"])  # 20 JP booked ahead
        login(world["admin_lpg"])
        resp = client.get(BASE + "risiko-jp/")
        # The head's 20 JP booked ahead cover him; the staff member has 20 JP; the Kabid's 4 JP keep pace
        # with 20 JP a year through February only.
        behind = today().month >= 3
        rows = resp.context["page"].object_list
        assert [r["employee"].pk for r in rows] == ([lpg["e_kabid"].pk] if behind else [])
        if behind:
            assert rows[0]["short"] == Decimal(16)
        data = sheet(client.get(BASE + "risiko-jp/", {"export": "xlsx"}))
        assert [r[0] for r in data[1:]] == ([lpg["e_kabid"].nip] if behind else [])

    def test_by_month_counts_who_lagged_the_pace(self, client, login, reported, world):
        login(world["admin_lpg"])
        months = client.get(BASE + "risiko-jp/").context["months"]
        assert [m["month"] for m in months] == list(range(1, today().month + 1))
        month = months[-1]
        # All JP was booked this month: the staff member (20 JP) is on pace; the Kabid (4 JP) is on pace only
        # while the pace is at most 4 JP (January and February).
        expected_behind = 2 if month["pace"] > 4 else 1
        assert (month["total"], month["behind"]) == (3, expected_behind)
        if len(months) > 1:
            assert months[-2]["behind"] == 3  # before this month nobody had anything

    def test_a_past_year_runs_to_december(self, client, login, reported, world):
        login(world["admin_lpg"])
        months = client.get(BASE + "risiko-jp/", {"tahun": today().year - 1}).context["months"]
        assert len(months) == 12 and all(m["behind"] == 3 for m in months)


class TestGaps:
    def test_heat_map_and_export(self, client, login, reported, world):
        login(world["admin_lpg"])
        resp = client.get(BASE + "kesenjangan/")
        assert [code for _c, code in resp.context["competencies"]] == ["T-ASN"]
        assert resp.context["rows"] == [
            ("BKD Lampung", [(None, "bg-light text-muted")]),  # nobody there is assessed
            ("Bidang Mutasi", [(2.0, "bg-danger text-white")]),
        ]
        data = sheet(client.get(BASE + "kesenjangan/", {"export": "xlsx"}))
        assert data == [["Unit kerja", "T-ASN"], ["BKD Lampung", None], ["Bidang Mutasi", 2]]

    def test_other_agencies_do_not_see_it(self, client, login, reported, world):
        login(world["admin_gtlo"])
        resp = client.get(BASE + "kesenjangan/")
        assert resp.context["competencies"] == []
        assert [name for name, _cells in resp.context["rows"]] == ["BKD Gorontalo", "Bidang Mutasi"]
        assert all(cells == [] for _name, cells in resp.context["rows"])


class TestBudget:
    def test_ceiling_committed_spent(self, client, login, reported, world, actors):
        lw = reported
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=world["lpg"]["e_staff"])
        login(world["admin_lpg"])
        resp = client.get(BASE + "anggaran/", {"tahun": lw["year"]})
        [row] = resp.context["rows"]
        assert (row["amount"], row["committed"], row["spent"], row["available"]) == (
            Decimal(2_500_000),
            Decimal(1_000_000),
            0,
            Decimal(1_500_000),
        )
        data = sheet(client.get(BASE + "anggaran/", {"tahun": lw["year"], "export": "xlsx"}))
        assert data[1][:5] == ["Lampung", 2500000, 1000000, 0, 1500000]

    def test_the_grouped_figures_match_the_service(self, reported, world, actors):
        lw = reported
        finished(lw, actors, world["lpg"]["e_kabid"], days_ago=1)
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=world["lpg"]["e_staff"])
        for year in {lw["year"], today().year, (today() - datetime.timedelta(days=1)).year}:
            for row in selectors.budget_by_agency(None, year):
                position = services.budget_position(row["agency_id"], year)
                assert {k: row[k] for k in position} == position

    def test_unit_ceilings_of_one_agency(self, client, login, reported, world, actors):
        lw = reported
        services.budget_set(
            actor=actors["admin_lpg"],
            agency=world["lpg"]["agency"],
            unit=world["lpg"]["div"],
            year=lw["year"],
            amount=5,
        )
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=world["lpg"]["e_staff"])
        login(world["admin_lpg"])
        [unit] = client.get(BASE + "anggaran/", {"tahun": lw["year"]}).context["units"]
        position = services.budget_position(world["lpg"]["agency"].pk, lw["year"], world["lpg"]["div"].pk)
        assert (unit["unit"], unit["committed"], unit["available"]) == (
            "Bidang Mutasi",
            position["committed"],
            position["available"],
        )

    def test_gorontalo_sees_none_of_it(self, client, login, reported, world):
        login(world["admin_gtlo"])
        assert client.get(BASE + "anggaran/", {"tahun": reported["year"]}).context["rows"] == []


class TestEffectiveness:
    def test_per_programme_and_provider(self, client, login, reported, world, actors):
        lw = reported
        e = finished(lw, actors, world["lpg"]["e_staff"], days_ago=100)
        services.reaction_submit(
            actor=actors["employee_lpg"], enrollment=e, relevance=5, material=4, facilitator=4, organisation=3
        )
        services.follow_up_submit(actor=actors["supervisor_lpg"], enrollment=e, outcome="changed")
        finished(lw, actors, world["lpg"]["e_head"], days_ago=100, post=Decimal(40))
        year = (today() - datetime.timedelta(days=100)).year
        login(world["admin_lpg"])
        resp = client.get(BASE + "efektivitas/", {"tahun": year})
        [row] = resp.context["rows"]
        assert (row["participants"], row["completion_pct"], row["reaction"], row["changed_pct"]) == (
            2,
            50.0,
            4.0,
            100.0,
        )
        assert resp.context["providers"][0]["participants"] == 2
        data = sheet(client.get(BASE + "efektivitas/", {"tahun": year, "export": "xlsx"}))
        assert data[1][:4] == ["Pelatihan Manajemen ASN", "BPSDM Provinsi Lampung", 2, 50]

    def test_a_regional_office_sees_rows_per_agency(self, client, login, reported, world, actors):
        make_agency("KAB-1801", "18", "Lampung Selatan")  # a second agency in the office's region, no training
        finished(reported, actors, world["lpg"]["e_staff"], days_ago=100)
        year = (today() - datetime.timedelta(days=100)).year
        login(world["kanreg_lpg"])
        resp = client.get(BASE + "efektivitas/", {"tahun": year})
        assert len(resp.context["scope"].agencies) == 2 and resp.context["by_agency"]
        assert [(r["agency"], r["participants"]) for r in resp.context["rows"]] == [("Lampung", 1)]
        data = sheet(client.get(BASE + "efektivitas/", {"tahun": year, "export": "xlsx"}))
        assert data[0][0] == "Instansi" and data[1][:2] == ["Lampung", "Pelatihan Manajemen ASN"]
        login(world["national"])
        [row] = client.get(BASE + "efektivitas/", {"tahun": year}).context["rows"]
        assert "agency" not in row and row["participants"] == 1
        login(world["admin_gtlo"])
        assert client.get(BASE + "efektivitas/", {"tahun": year}).context["rows"] == []

    def test_a_regional_office_is_answered_in_the_same_queries_for_any_number_of_agencies(
        self, client, login, reported, world, actors
    ):
        finished(reported, actors, world["lpg"]["e_staff"], days_ago=100)
        south = make_agency("KAB-1801", "18", "Lampung Selatan")
        finished(reported, actors, make_employee(south, name="Staf Lampung Selatan"), days_ago=100, by="national")
        year = (today() - datetime.timedelta(days=100)).year
        url = BASE + "efektivitas/"
        login(world["kanreg_lpg"])
        client.get(url, {"tahun": year})
        two = _queries(client, url, tahun=year)
        for code, name in (("KAB-1802", "Lampung Tengah"), ("KAB-1803", "Lampung Barat")):
            finished(reported, actors, make_employee(make_agency(code, "18", name)), days_ago=100, by="national")
        resp = client.get(url, {"tahun": year})
        assert [r["agency"] for r in resp.context["rows"]] == [
            "Lampung",
            "Lampung Barat",
            "Lampung Selatan",
            "Lampung Tengah",
        ]
        assert _queries(client, url, tahun=year) == two


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path,params,limit",
    [
        ("", {}, 9),
        ("kepatuhan-jp/", {}, 9),
        ("kepatuhan-jp/", {"kelompok": "employee"}, 10),
        ("risiko-jp/", {}, 13),  # 12, and the JP length the year's JP is counted with
        ("kesenjangan/", {}, 12),
        ("anggaran/", {}, 12),
        ("efektivitas/", {}, 9),
    ],
)
def test_reports_do_not_grow_with_the_rows(
    client, login, reported, world, django_assert_max_num_queries, path, params, limit
):
    login(world["admin_lpg"])
    client.get(BASE + path, params)
    few = _queries(client, BASE + path, **params)
    lpg = world["lpg"]
    for i in range(15):
        make_employee(lpg["agency"], lpg["staff"], name=f"Tambahan {i:02d}")
    many = _queries(client, BASE + path, **params)
    assert many == few
    with django_assert_max_num_queries(limit):
        client.get(BASE + path, params)


# --- optimal allocation -----------------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Ask for a computation as the weights form does; the in-process task backend computes it when the
    request commits, so the page the form redirects to shows the result (or the form again, refused)."""

    def _run(client, agency_id, year, **weights):
        params = {"tahun": year, "gap": 10, "compliance": 25, "coaching": 0.5, "max_events": 3} | weights
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(f"{BASE}alokasi/{agency_id}/hitung/", params)
        return client.get(resp["Location"]) if resp.status_code == 302 else resp

    return _run


class TestAllocationPage:
    def test_propose_then_accept_creates_the_enrolments(self, client, run, login, candidates, world):
        lw, agency = candidates, world["lpg"]["agency"]
        login(world["admin_lpg"])
        resp = run(client, agency.pk, lw["year"])
        result = resp.context["result"]
        assert result["exact"].value >= result["greedy"].value
        assert len(result["exact"].pairs) == 2 and result["exact"].cost == 2_000_000
        assert result["gain"] == pytest.approx(result["exact"].value - result["greedy"].value)
        reasons = {r["employee"].pk: r["reason"] for r in result["short"]}
        chosen = {p for p, _e in result["exact"].pairs}
        [left_out] = [p.pk for p in lw["people"] if p.pk not in chosen]
        assert reasons[left_out] == "seats"
        assert reasons[world["lpg"]["e_head"].pk] == "no_event"
        assert "kursi angkatan yang sesuai penuh" in resp.content.decode()
        mark = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
        resp = client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": result["token"]}, follow=True)
        assert "2 pendaftaran dibuat" in resp.content.decode()
        got = set(Enrollment.objects.filter(status=EnrollmentStatus.ENROLLED).values_list("employee_id", "event_id"))
        assert got == set(result["exact"].pairs)
        actions = list(AuditRecord.objects.filter(id__gt=mark).values_list("action", flat=True))
        assert actions.count("learning.enroll") == 2 and "learning.allocation_accept" in actions

    def test_the_same_proposal_twice_is_stale(self, client, run, login, candidates, world):
        agency = world["lpg"]["agency"]
        login(world["admin_lpg"])
        token = run(client, agency.pk, candidates["year"]).context["result"]["token"]
        client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": token})
        resp = client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": token}, follow=True)
        assert "Data berubah sejak usulan dihitung" in resp.content.decode()
        assert Enrollment.objects.count() == 2

    def test_a_budget_change_since_makes_it_stale(self, client, run, login, candidates, world, actors):
        agency = world["lpg"]["agency"]
        login(world["admin_lpg"])
        token = run(client, agency.pk, candidates["year"]).context["result"]["token"]
        services.budget_set(actor=actors["admin_lpg"], agency=agency, year=candidates["year"], amount=Decimal(900_000))
        resp = client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": token}, follow=True)
        assert "Data berubah" in resp.content.decode()
        assert not Enrollment.objects.exists()

    def test_a_tampered_proposal_is_refused(self, client, run, login, candidates, world):
        agency = world["lpg"]["agency"]
        login(world["admin_lpg"])
        token = run(client, agency.pk, candidates["year"]).context["result"]["token"]
        payload = signing.loads(token, salt=SALT)
        payload["p"] = [[world["lpg"]["e_head"].pk, candidates["event"].pk]]
        for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), signing.dumps(payload, salt="x")):
            resp = client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": forged}, follow=True)
            assert "Usulan tidak sah" in resp.content.decode()
        assert not Enrollment.objects.exists()

    def test_someone_elses_proposal_is_refused(self, client, run, login, candidates, world):
        agency = world["lpg"]["agency"]
        login(world["admin_lpg"])
        token = run(client, agency.pk, candidates["year"]).context["result"]["token"]
        login(world["national"])
        resp = client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": token}, follow=True)
        assert "bukan milik Anda" in resp.content.decode()
        assert not Enrollment.objects.exists()

    def test_weights_change_the_proposal(self, client, run, login, candidates, world):
        login(world["admin_lpg"])
        resp = run(client, world["lpg"]["agency"].pk, candidates["year"], gap=0, compliance=0)
        assert resp.context["result"]["exact"].pairs == []
        assert resp.context["result"]["token"] == ""

    def test_bad_weights_are_shown(self, client, run, login, candidates, world):
        login(world["admin_lpg"])
        resp = run(client, world["lpg"]["agency"].pk, candidates["year"], max_events=0)
        assert resp.status_code == 200 and "result" not in resp.context and resp.context["form"].errors["max_events"]
        assert not AllocationRun.objects.exists()

    @pytest.mark.parametrize("who", ["admin_gtlo", "auditor_lpg", "kanreg_lpg", "employee_lpg", "supervisor_lpg"])
    def test_only_the_agencys_hr_and_the_national_admin(self, client, run, login, candidates, world, who):
        agency = world["lpg"]["agency"]
        login(world[who])
        assert client.get(f"{BASE}alokasi/{agency.pk}/").status_code == 404
        assert client.post(f"{BASE}alokasi/{agency.pk}/hitung/", {"tahun": candidates["year"]}).status_code == 404
        assert client.post(f"{BASE}alokasi/{agency.pk}/terima/", {"usulan": "x"}).status_code == 404
        assert not AllocationRun.objects.exists()
        login(world["national"])
        assert run(client, agency.pk, candidates["year"]).status_code == 200

    def test_the_index_sends_hr_to_its_agency(self, client, login, candidates, world):
        login(world["admin_lpg"])
        resp = client.get(f"{BASE}alokasi/")
        assert resp.status_code == 302 and resp["Location"].endswith(f"/alokasi/{world['lpg']['agency'].pk}/")
        login(world["national"])
        assert client.get(f"{BASE}alokasi/").status_code == 200
        login(world["employee_lpg"])
        assert client.get(f"{BASE}alokasi/").status_code == 404


# --- evaluation -------------------------------------------------------------------------------------------------


class TestReaction:
    def test_the_participant_rates_once(self, client, login, learning_world, world, actors):
        e = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=2)
        login(world["employee_lpg"])
        assert [x.pk for x in client.get(BASE + "evaluasi/").context["pending"]] == [e.pk]
        url = f"{BASE}evaluasi/reaksi/{e.pk}/"
        scores = {"relevance": 5, "material": 4, "facilitator": 4, "organisation": 3, "comment": "Bagus"}
        resp = client.post(url, scores)
        assert resp.status_code == 302
        survey = ReactionSurvey.objects.get(enrollment=e)
        assert (survey.relevance, survey.organisation, survey.comment) == (5, 3, "Bagus")
        assert AuditRecord.objects.filter(action="learning.reaction_submit").count() == 1
        resp = client.post(url, scores)
        assert resp.status_code == 400 and "Evaluasi sudah diisi" in resp.content.decode()
        assert client.get(BASE + "evaluasi/").context["pending"] == []

    def test_out_of_range_scores_are_refused(self, client, login, learning_world, world, actors):
        e = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=2)
        login(world["employee_lpg"])
        resp = client.post(
            f"{BASE}evaluasi/reaksi/{e.pk}/", {"relevance": 6, "material": 4, "facilitator": 4, "organisation": 3}
        )
        assert resp.status_code == 400 and not ReactionSurvey.objects.exists()

    def test_not_before_the_training_is_over(self, client, login, learning_world, world, actors):
        e = services.enroll(actor=actors["admin_lpg"], event=learning_world["event"], employee=world["lpg"]["e_staff"])
        login(world["employee_lpg"])
        resp = client.post(
            f"{BASE}evaluasi/reaksi/{e.pk}/", {"relevance": 5, "material": 4, "facilitator": 4, "organisation": 3}
        )
        assert resp.status_code == 400 and "setelah pelatihan selesai" in resp.content.decode()

    @pytest.mark.parametrize("who", ["supervisor_lpg", "admin_lpg", "employee_gtlo"])
    def test_someone_elses_training_is_404(self, client, login, learning_world, world, actors, who):
        e = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=2)
        login(world[who])
        assert client.get(f"{BASE}evaluasi/reaksi/{e.pk}/").status_code == 404


class TestFollowUp:
    def test_the_supervisor_follows_up_after_three_months(self, client, login, learning_world, world, actors):
        old = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=95)
        finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=10)  # not due yet
        login(world["supervisor_lpg"])
        assert client.get(BASE + "evaluasi/").context["due_count"] == 1
        assert [e.pk for e in client.get(BASE + "evaluasi/tindak-lanjut/").context["rows"]] == [old.pk]
        resp = client.post(f"{BASE}evaluasi/tindak-lanjut/{old.pk}/", {"outcome": "changed", "note": "Lebih rapi"})
        assert resp.status_code == 302
        assert SupervisorFollowUp.objects.get(enrollment=old).outcome == "changed"
        assert AuditRecord.objects.filter(action="learning.follow_up").count() == 1
        assert client.get(BASE + "evaluasi/tindak-lanjut/").context["rows"] == []
        resp = client.post(f"{BASE}evaluasi/tindak-lanjut/{old.pk}/", {"outcome": "partly"})
        assert resp.status_code == 400 and "sudah diisi" in resp.content.decode()

    def test_too_early_is_refused(self, client, login, learning_world, world, actors):
        recent = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=10)
        login(world["supervisor_lpg"])
        resp = client.post(f"{BASE}evaluasi/tindak-lanjut/{recent.pk}/", {"outcome": "changed"})
        assert resp.status_code == 400 and "tiga bulan setelah selesai" in resp.content.decode()
        assert not SupervisorFollowUp.objects.exists()

    def test_a_failed_training_is_not_followed_up(self, client, login, learning_world, world, actors):
        failed = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=95, post=Decimal(10))
        login(world["supervisor_lpg"])
        assert client.get(BASE + "evaluasi/tindak-lanjut/").context["rows"] == []
        resp = client.post(f"{BASE}evaluasi/tindak-lanjut/{failed.pk}/", {"outcome": "changed"})
        assert resp.status_code == 400 and "diselesaikan" in resp.content.decode()

    def test_an_unknown_outcome_is_refused(self, client, login, learning_world, world, actors):
        old = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=95)
        login(world["supervisor_lpg"])
        assert client.post(f"{BASE}evaluasi/tindak-lanjut/{old.pk}/", {"outcome": "maybe"}).status_code == 400
        assert not SupervisorFollowUp.objects.exists()

    @pytest.mark.parametrize("who", ["employee_lpg", "admin_lpg", "supervisor_gtlo"])
    def test_only_the_direct_supervisor(self, client, login, learning_world, world, actors, who):
        old = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=95)
        login(world[who])
        assert client.get(f"{BASE}evaluasi/tindak-lanjut/{old.pk}/").status_code == 404
        assert client.post(f"{BASE}evaluasi/tindak-lanjut/{old.pk}/", {"outcome": "changed"}).status_code == 404
        assert not SupervisorFollowUp.objects.exists()

    def test_the_list_is_for_supervisors_only(self, client, login, learning_world, world):
        login(world["employee_lpg"])
        assert client.get(BASE + "evaluasi/tindak-lanjut/").status_code == 404
        login(world["admin_lpg"])
        assert client.get(BASE + "evaluasi/").status_code == 404

    def test_the_effectiveness_report_counts_it(self, learning_world, world, actors):
        old = finished(learning_world, actors, world["lpg"]["e_staff"], days_ago=95)
        services.follow_up_submit(actor=actors["supervisor_lpg"], enrollment=old, outcome="unchanged")
        [row] = selectors.effectiveness([world["lpg"]["agency"].pk], old.event.ends_on.year)
        assert (row["followed"], row["changed"]) == (1, 0)
