"""The catalogue pages: the catalogue, programmes and events, HR's event page (seats, waiting list,
enrolment with a budget override, cancel, attendance, completion), the employee's training and JP
ledger with learning done elsewhere, the supervisor's decisions, HR's verification and budget, and the
public certificate check — each for every role, with every refusal shown in Indonesian."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from learning import services
from learning.choices import EnrollmentStatus
from learning.models import Attendance, Enrollment, ExternalLearning, JpEntry, Program, TrainingBudget, TrainingEvent
from learning.views import certificates
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

BASE = "/pengembangan/katalog/"
PDF = b"%PDF-1.4 bukti pelatihan"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def staff(lw, n):
    """``n`` more staff of the Lampung division (direct reports of the Kabid)."""
    return [
        make_employee(
            lw["lpg"]["agency"], lw["lpg"]["staff"], name=f"Peserta {i:02d}", birth=datetime.date(1991, 1, 1 + i)
        )
        for i in range(n)
    ]


def event_url(lw):
    return f"{BASE}angkatan/{lw['event'].pk}/"


def move_to_past(event):
    """Let the event have ended three days ago (completion needs an ended event)."""
    end = timezone.localdate() - datetime.timedelta(days=3)
    TrainingEvent.objects.filter(pk=event.pk).update(starts_on=end - datetime.timedelta(days=2), ends_on=end)
    event.refresh_from_db()


def completed(lw, actors, emp=None, post=Decimal(85)):
    emp = emp or lw["lpg"]["e_staff"]
    e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=emp)
    move_to_past(lw["event"])
    return services.enrollment_complete(actor=actors["admin_lpg"], enrollment=e, pre_score=Decimal(50), post_score=post)


def html(resp) -> str:
    return resp.content.decode()


# --- Who may open what ------------------------------------------------------------------------------


ROLES = ["admin_lpg", "admin_gtlo", "supervisor_lpg", "employee_lpg", "auditor_lpg", "national"]


@pytest.mark.parametrize(
    "page,expected",
    [
        ("", dict.fromkeys(ROLES, 200)),
        ("program/baru/", {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 200, "national": 200}),
        ("program/{program}/", dict.fromkeys(ROLES, 200)),
        ("angkatan/", {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 200, "national": 200}),
        ("angkatan/{event}/", {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 404, "national": 200}),
        ("saya/", {**dict.fromkeys(ROLES, 404), "supervisor_lpg": 200, "employee_lpg": 200}),
        ("persetujuan/", {**dict.fromkeys(ROLES, 404), "supervisor_lpg": 200, "employee_lpg": 403}),
        ("verifikasi/", {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 200, "national": 200}),
        ("anggaran/", {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 200, "national": 200}),
        (
            "anggaran/?instansi={lpg}",
            {**dict.fromkeys(ROLES, 403), "admin_lpg": 200, "admin_gtlo": 404, "national": 200},
        ),
        (
            "pegawai/{nip}/",
            {"admin_lpg": 200, "admin_gtlo": 404, "supervisor_lpg": 403, "employee_lpg": 302, "auditor_lpg": 200}
            | {"national": 200},
        ),
        ("sertifikat/", dict.fromkeys(ROLES, 200)),
    ],
)
def test_every_page_for_every_role(client, login, world, learning_world, page, expected):
    lw = learning_world
    url = BASE + page.format(
        program=lw["program"].pk, event=lw["event"].pk, lpg=lw["lpg"]["agency"].pk, nip=lw["lpg"]["e_staff"].nip
    )
    for role, status in expected.items():
        client.logout()
        login(world[role])
        assert client.get(url).status_code == status, (role, url)


@pytest.mark.parametrize("page", ["", "saya/", "angkatan/", "anggaran/", "verifikasi/", "persetujuan/"])
def test_signed_out_visitors_are_sent_to_log_in(client, learning_world, page):
    resp = client.get(BASE + page)
    assert resp.status_code == 302 and resp["Location"].startswith("/akun/")


def test_the_public_certificate_pages_need_no_login(client, learning_world):
    assert client.get(f"{BASE}sertifikat/").status_code == 200
    assert client.get(f"{BASE}sertifikat/ABCDEF123456/").status_code == 404


def test_posts_outside_the_scope_answer_404_or_403(client, login, world, learning_world):
    lw = learning_world
    gtlo_staff = world["gtlo"]["e_staff"]
    login(world["admin_gtlo"])
    assert client.post(event_url(lw), {"action": "enroll", "employee": gtlo_staff.pk}).status_code == 404
    login(world["admin_lpg"])
    # An employee of another agency cannot be enrolled from this event page.
    assert client.post(event_url(lw), {"action": "enroll", "employee": gtlo_staff.pk}).status_code == 404
    assert not Enrollment.objects.exists()
    login(world["employee_lpg"])
    assert client.post(event_url(lw), {"action": "enroll", "employee": gtlo_staff.pk}).status_code == 403
    assert client.post(f"{BASE}angkatan/{lw['event'].pk}/hadir/", {}).status_code == 403
    assert client.post(f"{BASE}program/{lw['program'].pk}/angkatan/baru/", {}).status_code == 403


# --- Catalogue and programmes ------------------------------------------------------------------------


class TestCatalogue:
    def test_search_by_text_modality_and_competency(self, client, login, world, learning_world, actors):
        lw = learning_world
        services.program_create(
            actor=actors["national"],
            code="E-SAKIP",
            title="E-learning SAKIP",
            jp=Decimal(10),
            modality="elearning",
            provider="KemenPANRB",
            cost=Decimal(0),
            targets={lw["integrity"]: 2},
        )
        login(world["employee_lpg"])
        page = html(client.get(BASE))
        assert "Pelatihan Manajemen ASN" in page and "E-learning SAKIP" in page
        by_text = html(client.get(BASE, {"q": "sakip"}))
        assert "E-learning SAKIP" in by_text and "Pelatihan Manajemen ASN" not in by_text
        by_modality = html(client.get(BASE, {"modality": "classical"}))
        assert "Pelatihan Manajemen ASN" in by_modality and "E-learning SAKIP" not in by_modality
        by_comp = html(client.get(BASE, {"competency": lw["integrity"].pk}))
        assert "E-learning SAKIP" in by_comp and "Pelatihan Manajemen ASN" not in by_comp

    def test_hr_creates_a_programme_with_targets(self, client, login, world, learning_world):
        lw = learning_world
        login(world["admin_lpg"])
        form = html(client.get(f"{BASE}program/baru/"))
        assert "T-ASN Manajemen ASN" in form and "M1 Integritas" in form
        data = {
            "code": "P-SDM",
            "title": "Analis SDM Aparatur",
            "jp": "32",
            "modality": "blended",
            "provider": "BKN",
            "cost": "750000",
            "has_tests": "on",
            "pass_score": "70",
            "competency_0": lw["asn"].pk,
            "level_0": "4",
        }
        resp = client.post(f"{BASE}program/baru/", data)
        program = Program.objects.get(code="P-SDM")
        assert resp.status_code == 302 and resp["Location"] == f"{BASE}program/{program.pk}/"
        assert [(t.competency.code, t.level) for t in program.targets.all()] == [("T-ASN", 4)]
        detail = html(client.get(resp["Location"]))
        assert "sampai level 4" in detail and "Blended learning" in detail

    def test_programme_refusals_in_indonesian(self, client, login, world, learning_world):
        lw = learning_world
        login(world["admin_lpg"])
        base = {"title": "X", "jp": "10", "modality": "classical", "provider": "Y", "cost": "0", "pass_score": "60"}
        dup = html(client.post(f"{BASE}program/baru/", {**base, "code": "P-ASN"}))
        assert "Kode program sudah dipakai." in dup
        level = html(
            client.post(f"{BASE}program/baru/", {**base, "code": "P-X", "competency_0": lw["asn"].pk, "level_0": "9"})
        )
        assert "Level T-ASN harus 1 sampai 4." in level
        zero = html(client.post(f"{BASE}program/baru/", {**base, "code": "P-Y", "jp": "0"}))
        assert "JP harus lebih dari nol." in zero
        assert not Program.objects.filter(code__in=["P-X", "P-Y"]).exists()

    def test_hr_opens_an_event_and_refusals_show(self, client, login, world, learning_world):
        lw = learning_world
        login(world["admin_lpg"])
        url = f"{BASE}program/{lw['program'].pk}/angkatan/baru/"
        start = timezone.localdate() + datetime.timedelta(days=60)
        data = {
            "agency": lw["lpg"]["agency"].pk,
            "name": "Angkatan II",
            "starts_on": start.isoformat(),
            "ends_on": (start - datetime.timedelta(days=1)).isoformat(),
            "place": "Bandar Lampung",
            "capacity": "30",
        }
        assert "Tanggal selesai sebelum tanggal mulai." in html(client.post(url, data))
        data["ends_on"] = (start + datetime.timedelta(days=4)).isoformat()
        resp = client.post(url, data)
        event = TrainingEvent.objects.get(name="Angkatan II")
        assert resp["Location"] == f"{BASE}angkatan/{event.pk}/"
        # Only its own agency may be chosen: a Gorontalo agency id is not a valid choice.
        other = client.post(url, {**data, "agency": world["gtlo"]["agency"].pk, "name": "Angkatan III"})
        assert other.status_code == 200 and not TrainingEvent.objects.filter(name="Angkatan III").exists()

    def test_catalogue_query_count_does_not_grow(
        self, client, login, world, learning_world, actors, django_assert_max_num_queries
    ):
        lw = learning_world
        for i in range(15):
            services.program_create(
                actor=actors["admin_lpg"],
                code=f"P-{i:02d}",
                title=f"Program {i:02d}",
                jp=Decimal(8),
                modality="seminar",
                provider="BPSDM",
                cost=Decimal(0),
                targets={lw["asn"]: 2, lw["integrity"]: 2},
            )
        login(world["employee_lpg"])
        client.get(BASE)
        with django_assert_max_num_queries(11):
            page = html(client.get(BASE))
        assert page.count("T-ASN · 2") == 15


# --- The event page: enrolment, budget, waiting list ----------------------------------------------------


class TestEventPage:
    def test_search_then_enrol_then_duplicate_is_refused(self, client, login, world, learning_world):
        lw = learning_world
        emp = lw["lpg"]["e_staff"]
        login(world["admin_lpg"])
        found = html(client.get(event_url(lw), {"cari": emp.nip[:10]}))
        assert f'data-testid="enroll-{emp.pk}"' in found
        resp = client.post(event_url(lw), {"action": "enroll", "employee": emp.pk}, follow=True)
        assert "Staf Lampung terdaftar; biaya Rp1.000.000 terikat pada anggaran." in html(resp)
        assert Enrollment.objects.get(employee=emp).status == EnrollmentStatus.ENROLLED
        page = html(client.get(event_url(lw)))
        assert 'data-testid="seats-used">1/2<' in page and 'data-testid="seats-free">1<' in page
        again = client.post(event_url(lw), {"action": "enroll", "employee": emp.pk}, follow=True)
        assert "Pegawai ini sudah terdaftar di angkatan ini." in html(again)
        assert Enrollment.objects.filter(employee=emp).count() == 1

    def test_budget_refusal_offers_the_override_which_needs_a_reason(
        self, client, login, world, learning_world, actors
    ):
        lw = learning_world
        services.budget_set(
            actor=actors["admin_lpg"], agency=lw["lpg"]["agency"], year=lw["year"], amount=Decimal(1_500_000)
        )
        a, b = staff(lw, 2)
        login(world["admin_lpg"])
        client.post(event_url(lw), {"action": "enroll", "employee": a.pk})
        page = html(client.get(event_url(lw)))
        assert 'data-testid="override"' not in page  # no refusal, no override form
        refused = client.post(event_url(lw), {"action": "enroll", "employee": b.pk})
        text = html(refused)
        assert refused.status_code == 400
        assert "Anggaran tidak cukup: sisa Rp500.000, biaya Rp1.000.000." in text
        assert 'data-testid="override"' in text and "Tetap daftarkan Peserta 01" in text
        assert not Enrollment.objects.filter(employee=b).exists()
        no_reason = client.post(event_url(lw), {"action": "override", "employee": b.pk, "reason": "  "})
        assert no_reason.status_code == 400 and "Tuliskan alasan melampaui anggaran." in html(no_reason)
        assert not Enrollment.objects.filter(employee=b).exists()
        client.post(event_url(lw), {"action": "override", "employee": b.pk, "reason": "Prioritas pimpinan"})
        e = Enrollment.objects.get(employee=b)
        assert e.status == EnrollmentStatus.ENROLLED and e.over_budget_reason == "Prioritas pimpinan"
        budget = html(client.get(f"{BASE}anggaran/", {"tahun": lw["year"]}))
        assert "Prioritas pimpinan" in budget and "Rp-500.000" in budget

    def test_no_budget_recorded_is_refused_in_indonesian(self, client, login, world, learning_world):
        lw = learning_world
        TrainingBudget.objects.all().delete()
        login(world["admin_lpg"])
        resp = client.post(event_url(lw), {"action": "enroll", "employee": lw["lpg"]["e_staff"].pk})
        assert f"Anggaran pengembangan kompetensi {lw['year']} belum ditetapkan." in html(resp)

    def test_pppk_limit_is_refused(self, client, login, world, learning_world):
        lw = learning_world
        pppk = make_employee(lw["lpg"]["agency"], lw["lpg"]["staff"], name="Pegawai PPPK", etype="pppk")
        JpEntry.objects.create(
            employee=pppk,
            year=lw["event"].ends_on.year,
            booked_on=timezone.localdate(),
            minutes=450,
            jp=Decimal(10),
            description="Sebelumnya",
        )
        login(world["admin_lpg"])
        resp = client.post(event_url(lw), {"action": "enroll", "employee": pppk.pk}, follow=True)
        assert "PPPK paling banyak 24 JP setahun; pendaftaran ini melampauinya." in html(resp)
        assert not Enrollment.objects.filter(employee=pppk).exists()

    def test_waiting_list_in_order_and_promotion_on_cancel(self, client, login, world, learning_world):
        lw = learning_world
        a, b, c, d = staff(lw, 4)
        login(world["admin_lpg"])
        for emp in (a, b, c, d):
            client.post(event_url(lw), {"action": "enroll", "employee": emp.pk})
        page = html(client.get(event_url(lw)))
        waiting = re.search(r'data-testid="waiting-list">(.*?)</ol>', page, re.S).group(1)
        assert waiting.index("Peserta 02") < waiting.index("Peserta 03")
        ea = Enrollment.objects.get(employee=a)
        no_reason = client.post(event_url(lw), {"action": "cancel", "enrollment": ea.pk, "reason": ""})
        assert no_reason.status_code == 400 and "Tuliskan alasan pembatalan." in html(no_reason)
        assert Enrollment.objects.get(pk=ea.pk).status == EnrollmentStatus.ENROLLED
        resp = client.post(event_url(lw), {"action": "cancel", "enrollment": ea.pk, "reason": "Sakit"}, follow=True)
        assert "Peserta 02 naik dari daftar tunggu." in html(resp)
        statuses = dict(Enrollment.objects.values_list("employee_id", "status"))
        assert statuses == {a.pk: "cancelled", b.pk: "enrolled", c.pk: "enrolled", d.pk: "waitlisted"}

    def test_an_enrolment_of_another_event_is_not_found(self, client, login, world, learning_world, actors):
        lw = learning_world
        other = services.event_create(
            actor=actors["admin_lpg"],
            program=lw["program"],
            agency=lw["lpg"]["agency"],
            name="Angkatan Lain",
            starts_on=lw["event"].starts_on,
            ends_on=lw["event"].ends_on,
            place="X",
            capacity=5,
        )
        e = services.enroll(actor=actors["admin_lpg"], event=other, employee=lw["lpg"]["e_staff"])
        login(world["admin_lpg"])
        resp = client.post(event_url(lw), {"action": "cancel", "enrollment": e.pk, "reason": "x"})
        assert resp.status_code == 404

    def test_event_page_query_count_does_not_grow(
        self, client, login, world, learning_world, django_assert_max_num_queries
    ):
        lw = learning_world
        TrainingEvent.objects.filter(pk=lw["event"].pk).update(capacity=12)
        services.budget_set(
            actor=services_actor(world), agency=lw["lpg"]["agency"], year=lw["year"], amount=Decimal(10**9)
        )
        people = staff(lw, 14)
        login(world["admin_lpg"])
        for emp in people:
            client.post(event_url(lw), {"action": "enroll", "employee": emp.pk})
        client.get(event_url(lw), {"cari": "Peserta"})
        with django_assert_max_num_queries(22):
            page = html(client.get(event_url(lw), {"cari": "Peserta"}))
        assert page.count('data-testid="cancel-') == 12 and page.count("<li>Peserta") == 2

    def test_event_list_query_count(self, client, login, world, learning_world, actors, django_assert_max_num_queries):
        lw = learning_world
        for i in range(10):
            services.event_create(
                actor=actors["admin_lpg"],
                program=lw["program"],
                agency=lw["lpg"]["agency"],
                name=f"Angkatan {i + 2}",
                starts_on=lw["event"].starts_on,
                ends_on=lw["event"].ends_on,
                place="X",
                capacity=5,
            )
        login(world["admin_lpg"])
        client.get(f"{BASE}angkatan/")
        with django_assert_max_num_queries(9):
            page = html(client.get(f"{BASE}angkatan/"))
        assert page.count(f"{BASE}angkatan/") >= 11


def services_actor(world):
    from accounts.access import build_actor

    return build_actor(world["admin_lpg"])


# --- Attendance and completion ---------------------------------------------------------------------------


class TestAttendanceAndCompletion:
    def test_htmx_toggles_a_cell_and_out_of_schedule_is_refused(self, client, login, world, learning_world, actors):
        lw = learning_world
        e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        login(world["admin_lpg"])
        url = f"{BASE}angkatan/{lw['event'].pk}/hadir/"
        day = lw["event"].starts_on
        cell = client.post(url, {"enrollment": e.pk, "day": day.isoformat(), "present": "1"}, HTTP_HX_REQUEST="true")
        assert cell.status_code == 200 and "bi-check-circle-fill" in html(cell) and "<html" not in html(cell)
        assert Attendance.objects.get(enrollment=e, day=day).present is True
        client.post(url, {"enrollment": e.pk, "day": day.isoformat()}, HTTP_HX_REQUEST="true")
        assert Attendance.objects.get(enrollment=e, day=day).present is False
        outside = (lw["event"].ends_on + datetime.timedelta(days=1)).isoformat()
        refused = client.post(url, {"enrollment": e.pk, "day": outside, "present": "1"}, HTTP_HX_REQUEST="true")
        assert "Tanggal di luar jadwal angkatan." in html(refused)
        plain = client.post(url, {"enrollment": e.pk, "day": outside, "present": "1"}, follow=True)
        assert "Tanggal di luar jadwal angkatan." in html(plain)
        assert Attendance.objects.filter(enrollment=e).count() == 1

    def test_completion_needs_the_post_test_then_books_jp_and_issues_a_certificate(
        self, client, login, world, learning_world, actors
    ):
        lw = learning_world
        emp = lw["lpg"]["e_staff"]
        e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=emp)
        login(world["admin_lpg"])
        early = client.post(event_url(lw), {"action": "complete", "enrollment": e.pk, "post_score": "80"})
        assert "Tanggal selesai harus setelah angkatan berakhir" in html(early)
        move_to_past(lw["event"])
        page = html(client.get(event_url(lw)))
        assert f'data-testid="complete-{e.pk}"' in page
        missing = client.post(event_url(lw), {"action": "complete", "enrollment": e.pk, "pre_score": "40"})
        assert missing.status_code == 400 and "Isi nilai post-test." in html(missing)
        out_of_range = client.post(event_url(lw), {"action": "complete", "enrollment": e.pk, "post_score": "140"})
        assert "Nilai 0 sampai 100." in html(out_of_range)
        resp = client.post(
            event_url(lw),
            {"action": "complete", "enrollment": e.pk, "pre_score": "40", "post_score": "80"},
            follow=True,
        )
        e.refresh_from_db()
        assert e.status == EnrollmentStatus.COMPLETED and len(e.certificate) == 12
        assert f"Staf Lampung lulus: 20 JP dibukukan, sertifikat {e.certificate}." in html(resp)
        assert f'data-testid="certificate-{e.pk}"' in html(resp)
        assert JpEntry.objects.get(enrollment=e).jp == Decimal(20)

    def test_low_attendance_fails_without_jp(self, client, login, world, learning_world, actors):
        lw = learning_world
        e = services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        login(world["admin_lpg"])
        url = f"{BASE}angkatan/{lw['event'].pk}/hadir/"
        for offset, present in ((0, "1"), (1, ""), (2, "")):
            day = lw["event"].starts_on + datetime.timedelta(days=offset)
            client.post(url, {"enrollment": e.pk, "day": day.isoformat(), "present": present})
        move_to_past(lw["event"])
        resp = client.post(event_url(lw), {"action": "complete", "enrollment": e.pk, "post_score": "95"}, follow=True)
        assert "Staf Lampung tidak lulus: tidak ada JP yang dibukukan." in html(resp)
        assert not JpEntry.objects.exists()


# --- The employee: requests, ledger, learning done elsewhere ----------------------------------------------


class TestMyTraining:
    def test_request_goes_to_the_supervisor_who_approves(self, client, login, world, learning_world):
        lw = learning_world
        login(world["employee_lpg"])
        page = html(client.get(f"{BASE}saya/"))
        assert f'data-testid="request-{lw["event"].pk}"' in page
        resp = client.post(f"{BASE}saya/minta/{lw['event'].pk}/", follow=True)
        assert "Permintaan dikirim ke atasan langsung" in html(resp)
        e = Enrollment.objects.get(employee=lw["lpg"]["e_staff"])
        assert e.status == EnrollmentStatus.REQUESTED
        assert "Diminta (menunggu atasan)" in html(resp)
        again = client.post(f"{BASE}saya/minta/{lw['event'].pk}/", follow=True)
        assert "Pegawai ini sudah terdaftar di angkatan ini." in html(again)
        year = lw["event"].ends_on.year
        for y, jp in ((year, 7), (year - 1, 30)):  # the year the event counts in, not another
            JpEntry.objects.create(
                employee=e.employee, year=y, booked_on=timezone.localdate(), minutes=45 * jp, jp=jp, description="x"
            )
        login(world["supervisor_lpg"])
        pending = html(client.get(f"{BASE}persetujuan/"))
        assert f'data-testid="approve-{e.pk}"' in pending
        assert f'>7 <span class="small text-muted">({year})</span>' in pending
        no_note = client.post(
            f"{BASE}persetujuan/", {"enrollment": e.pk, "decision": "reject", "note": ""}, follow=True
        )
        assert "Tuliskan alasan penolakan." in html(no_note)
        client.post(f"{BASE}persetujuan/", {"enrollment": e.pk, "decision": "approve"})
        assert Enrollment.objects.get(pk=e.pk).status == EnrollmentStatus.ENROLLED
        assert f'data-testid="approve-{e.pk}"' not in html(client.get(f"{BASE}persetujuan/"))

    def test_only_the_direct_supervisor_sees_and_decides(self, client, login, world, learning_world, actors):
        from tests.factories import make_user

        lw = learning_world
        e = services.enrollment_request(actor=actors["employee_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        head = make_user("kepala.lpg", employee=lw["lpg"]["e_head"])  # the Kabid's supervisor, not the staff's
        login(head)
        assert f'data-testid="approve-{e.pk}"' not in html(client.get(f"{BASE}persetujuan/"))
        assert client.post(f"{BASE}persetujuan/", {"enrollment": e.pk, "decision": "approve"}).status_code == 404
        login(world["supervisor_gtlo"])
        assert client.post(f"{BASE}persetujuan/", {"enrollment": e.pk, "decision": "approve"}).status_code == 404
        assert Enrollment.objects.get(pk=e.pk).status == EnrollmentStatus.REQUESTED

    def test_a_started_event_cannot_be_requested_and_others_agencies_are_not_found(
        self, client, login, world, learning_world, actors
    ):
        lw = learning_world
        login(world["employee_lpg"])
        move_to_past(lw["event"])
        assert f'data-testid="request-{lw["event"].pk}"' not in html(client.get(f"{BASE}saya/"))
        resp = client.post(f"{BASE}saya/minta/{lw['event'].pk}/", follow=True)
        assert "Angkatan ini sudah dimulai." in html(resp)
        gtlo_event = services.event_create(
            actor=actors["admin_gtlo"],
            program=lw["program"],
            agency=world["gtlo"]["agency"],
            name="Gorontalo I",
            starts_on=timezone.localdate() + datetime.timedelta(days=10),
            ends_on=timezone.localdate() + datetime.timedelta(days=11),
            place="Gorontalo",
            capacity=5,
        )
        assert client.post(f"{BASE}saya/minta/{gtlo_event.pk}/").status_code == 404

    def test_without_a_direct_supervisor_a_request_is_refused(self, client, login, world, learning_world):
        from tests.factories import make_user

        lw = learning_world
        login(make_user("kepala.lpg", employee=lw["lpg"]["e_head"]))  # answers to the Governor, outside the registry
        page = html(client.get(f"{BASE}saya/"))
        assert 'data-testid="no-supervisor"' in page and f'data-testid="request-{lw["event"].pk}"' not in page
        resp = client.post(f"{BASE}saya/minta/{lw['event'].pk}/", follow=True)
        assert "Atasan langsung Anda belum tercatat" in html(resp)
        assert not Enrollment.objects.exists()
        login(world["employee_lpg"])
        assert 'data-testid="no-supervisor"' not in html(client.get(f"{BASE}saya/"))

    def test_pppk_request_beyond_the_ceiling_is_refused(self, client, login, world, learning_world):
        from tests.factories import make_user

        lw = learning_world
        pppk = make_employee(lw["lpg"]["agency"], lw["lpg"]["staff"], name="Pegawai PPPK", etype="pppk")
        JpEntry.objects.create(
            employee=pppk,
            year=lw["event"].ends_on.year,
            booked_on=timezone.localdate(),
            minutes=450,
            jp=Decimal(10),
            description="Sebelumnya",
        )
        login(make_user("pppk.lpg", employee=pppk))
        page = html(client.get(f"{BASE}saya/", {"tahun": lw["event"].ends_on.year}))
        assert "10 dari batas 24 JP setahun (PPPK)" in page
        resp = client.post(f"{BASE}saya/minta/{lw['event'].pk}/", follow=True)
        assert "PPPK paling banyak 24 JP setahun; pendaftaran ini melampauinya." in html(resp)

    def test_ledger_progress_and_certificate_links(self, client, login, world, learning_world, actors):
        lw = learning_world
        e = completed(lw, actors)
        login(world["employee_lpg"])
        page = html(client.get(f"{BASE}saya/", {"tahun": lw["event"].ends_on.year}))
        assert "20 dari minimal 20 JP setahun" in page and "terpenuhi" in page
        assert 'style="width: 100%"' in page
        assert f"{BASE}sertifikat/{e.certificate}/" in page and f"{BASE}peserta/{e.pk}/sertifikat.pdf" in page
        other_year = html(client.get(f"{BASE}saya/", {"tahun": lw["event"].ends_on.year - 1}))
        assert "0 dari minimal 20 JP setahun" in other_year and "kurang 20 JP" in other_year

    def test_hr_sees_the_employees_ledger(self, client, login, world, learning_world, actors):
        lw = learning_world
        completed(lw, actors)
        login(world["admin_lpg"])
        page = html(client.get(f"{BASE}pegawai/{lw['lpg']['e_staff'].nip}/", {"tahun": lw["event"].ends_on.year}))
        assert "20 dari minimal 20 JP" in page and "Pelatihan Manajemen ASN" in page
        assert 'data-testid="external-form"' not in page and 'data-testid="open-events"' not in page

    def test_cancel_own_request_needs_a_reason(self, client, login, world, learning_world, actors):
        lw = learning_world
        e = services.enrollment_request(actor=actors["employee_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        login(world["employee_lpg"])
        resp = client.post(f"{BASE}saya/batal/{e.pk}/", {"reason": ""}, follow=True)
        assert "Tuliskan alasan pembatalan." in html(resp)
        client.post(f"{BASE}saya/batal/{e.pk}/", {"reason": "Tugas luar"})
        assert Enrollment.objects.get(pk=e.pk).status == EnrollmentStatus.CANCELLED
        login(world["supervisor_lpg"])
        assert client.post(f"{BASE}saya/batal/{e.pk}/", {"reason": "x"}).status_code == 404

    def test_my_page_query_count_does_not_grow(
        self, client, login, world, learning_world, actors, django_assert_max_num_queries
    ):
        lw = learning_world
        emp = lw["lpg"]["e_staff"]
        for i in range(8):
            ev = services.event_create(
                actor=actors["admin_lpg"],
                program=lw["program"],
                agency=lw["lpg"]["agency"],
                name=f"Angkatan {i + 2}",
                starts_on=lw["event"].starts_on,
                ends_on=lw["event"].ends_on,
                place="X",
                capacity=5,
            )
            if i % 2:
                services.enrollment_request(actor=actors["employee_lpg"], event=ev, employee=emp)
        for i in range(6):
            JpEntry.objects.create(
                employee=emp, year=lw["year"], booked_on=timezone.localdate(), minutes=90, jp=2, description=f"K{i}"
            )
        login(world["employee_lpg"])
        client.get(f"{BASE}saya/", {"tahun": lw["year"]})
        with django_assert_max_num_queries(17):  # 16, and the JP length the year's JP is counted with
            page = html(client.get(f"{BASE}saya/", {"tahun": lw["year"]}))
        assert page.count("Diminta (menunggu atasan)") == 4 and page.count('data-testid="request-') == 5


class TestExternalLearning:
    def submit(self, client, evidence, **over):
        day = timezone.localdate() - datetime.timedelta(days=5)
        data = {
            "title": "Webinar SAKIP",
            "provider": "KemenPANRB",
            "modality": "seminar",
            "started_on": day.isoformat(),
            "ended_on": day.isoformat(),
            "minutes": "150",
            "evidence": evidence,
            **over,
        }
        return client.post(f"{BASE}saya/eksternal/", data)

    def test_the_form_checks_in_the_browser_too(self, client, login, world, learning_world):
        login(world["employee_lpg"])
        page = html(client.get(f"{BASE}saya/"))
        assert 'accept=".pdf,.jpg,.jpeg"' in page and 'data-max-bytes="2097152"' in page
        assert 'enctype="multipart/form-data"' in page

    def test_wrong_type_and_too_large_are_refused(self, client, login, world, learning_world):
        login(world["employee_lpg"])
        fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
        resp = self.submit(client, fake)
        assert resp.status_code == 400 and "Bukti harus PDF atau JPG, paling besar 2 MB." in html(resp)
        big = SimpleUploadedFile("bukti.pdf", PDF + b"0" * (2 * 1024 * 1024), content_type="application/pdf")
        assert "Bukti harus PDF atau JPG, paling besar 2 MB." in html(self.submit(client, big))
        future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
        later = self.submit(client, SimpleUploadedFile("b.pdf", PDF), started_on=future, ended_on=future)
        assert "Kegiatan yang belum selesai belum dapat dilaporkan." in html(later)
        assert not ExternalLearning.objects.exists()

    def test_counts_only_after_hr_verifies(self, client, login, world, learning_world):
        emp = learning_world["lpg"]["e_staff"]
        login(world["employee_lpg"])
        resp = self.submit(client, SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"))
        assert resp.status_code == 302
        item = ExternalLearning.objects.get(employee=emp)
        assert "Menunggu verifikasi" in html(client.get(f"{BASE}saya/"))
        assert client.get(f"{BASE}eksternal/{item.pk}/bukti/").status_code == 200
        assert JpEntry.objects.count() == 0
        login(world["admin_gtlo"])
        assert f'data-testid="accept-{item.pk}"' not in html(client.get(f"{BASE}verifikasi/"))
        assert client.get(f"{BASE}eksternal/{item.pk}/bukti/").status_code == 404
        assert client.post(f"{BASE}verifikasi/", {"item": item.pk, "decision": "accept"}).status_code == 404
        login(world["supervisor_lpg"])
        assert client.get(f"{BASE}eksternal/{item.pk}/bukti/").status_code == 404
        login(world["admin_lpg"])
        queue = html(client.get(f"{BASE}verifikasi/"))
        assert f'data-testid="accept-{item.pk}"' in queue and "Webinar SAKIP" in queue
        evidence = client.get(f"{BASE}eksternal/{item.pk}/bukti/")
        assert b"".join(evidence.streaming_content).startswith(b"%PDF")
        client.post(f"{BASE}verifikasi/", {"item": item.pk, "decision": "accept"})
        assert JpEntry.objects.get(external=item).jp == Decimal("3.33")
        again = client.post(f"{BASE}verifikasi/", {"item": item.pk, "decision": "accept"}, follow=True)
        assert "Laporan ini sudah diverifikasi." in html(again)

    def test_rejection_needs_a_reason(self, client, login, world, learning_world):
        login(world["employee_lpg"])
        self.submit(client, SimpleUploadedFile("bukti.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg"))
        item = ExternalLearning.objects.get()
        login(world["admin_lpg"])
        resp = client.post(f"{BASE}verifikasi/", {"item": item.pk, "decision": "reject", "reason": ""}, follow=True)
        assert "Tuliskan alasan penolakan." in html(resp)
        client.post(f"{BASE}verifikasi/", {"item": item.pk, "decision": "reject", "reason": "Bukti tidak terbaca"})
        assert ExternalLearning.objects.get().status == "rejected"
        login(world["employee_lpg"])
        assert "Bukti tidak terbaca" in html(client.get(f"{BASE}saya/"))

    def test_queue_query_count_does_not_grow(self, client, login, world, learning_world, django_assert_max_num_queries):
        lw = learning_world
        day = timezone.localdate() - datetime.timedelta(days=5)
        for emp in staff(lw, 10):
            ExternalLearning.objects.create(
                employee=emp,
                title="Kursus daring",
                provider="X",
                modality="elearning",
                started_on=day,
                ended_on=day,
                minutes=90,
                evidence=SimpleUploadedFile("b.pdf", PDF),
            )
        login(world["admin_lpg"])
        client.get(f"{BASE}verifikasi/")
        with django_assert_max_num_queries(9):
            page = html(client.get(f"{BASE}verifikasi/"))
        assert page.count('data-testid="accept-') == 10


# --- The supervisor -------------------------------------------------------------------------------------


def test_approvals_query_count_does_not_grow(
    client, login, world, learning_world, actors, django_assert_max_num_queries
):
    from accounts.access import build_actor
    from tests.factories import make_user

    lw = learning_world
    for i, emp in enumerate(staff(lw, 8)):
        user = make_user(f"staf{i}", employee=emp)
        services.enrollment_request(actor=build_actor(user), event=lw["event"], employee=emp)
    login(world["supervisor_lpg"])
    client.get(f"{BASE}persetujuan/")
    with django_assert_max_num_queries(14):
        page = html(client.get(f"{BASE}persetujuan/"))
    assert page.count('data-testid="approve-') == 8


def test_approval_beyond_the_budget_is_refused_for_the_supervisor(client, login, world, learning_world, actors):
    lw = learning_world
    services.budget_set(actor=actors["admin_lpg"], agency=lw["lpg"]["agency"], year=lw["year"], amount=Decimal(0))
    e = services.enrollment_request(actor=actors["employee_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
    login(world["supervisor_lpg"])
    resp = client.post(f"{BASE}persetujuan/", {"enrollment": e.pk, "decision": "approve"}, follow=True)
    assert "Anggaran tidak cukup: sisa Rp0, biaya Rp1.000.000." in html(resp)
    assert 'data-testid="override"' not in html(resp)
    assert Enrollment.objects.get(pk=e.pk).status == EnrollmentStatus.REQUESTED


# --- Budget ------------------------------------------------------------------------------------------------


class TestBudget:
    def test_set_the_ceiling_for_the_agency_and_a_unit(self, client, login, world, learning_world, actors):
        lw = learning_world
        services.enroll(actor=actors["admin_lpg"], event=lw["event"], employee=lw["lpg"]["e_staff"])
        login(world["admin_lpg"])
        url = f"{BASE}anggaran/"
        page = html(client.get(url, {"tahun": lw["year"]}))
        assert "Rp2.500.000" in page and "Rp1.000.000" in page and "Rp1.500.000" in page
        assert 'id="chart-budget"' in page and 'data-chart="doughnut"' in page
        negative = client.post(url, {"year": lw["year"], "amount": "-5"})
        assert "Pagu tidak boleh negatif." in html(negative)
        resp = client.post(url, {"year": lw["year"], "amount": "3000000"})
        assert resp.status_code == 302
        assert TrainingBudget.objects.get(unit__isnull=True, year=lw["year"]).amount == 3_000_000
        client.post(url, {"year": lw["year"], "amount": "1200000", "unit": lw["lpg"]["div"].pk})
        units = html(client.get(url, {"tahun": lw["year"]}))
        row = re.search(r'data-testid="unit-budgets">.*?</table>', units, re.S).group(0)
        assert "Bidang Mutasi" in row and "Rp1.200.000" in row and "Rp200.000" in row

    def test_unknown_year_shows_the_missing_budget(self, client, login, world, learning_world):
        login(world["admin_lpg"])
        page = html(client.get(f"{BASE}anggaran/", {"tahun": learning_world["year"] + 1}))
        assert 'data-testid="no-budget"' in page

    def test_budget_page_query_count(self, client, login, world, learning_world, actors, django_assert_max_num_queries):
        from tests.factories import make_unit

        lw = learning_world
        ag = lw["lpg"]["agency"]
        for i in range(6):
            unit = make_unit(ag, f"U{i}", f"Unit {i}", lw["lpg"]["root"])
            services.budget_set(actor=actors["admin_lpg"], agency=ag, year=lw["year"], amount=1000, unit=unit)
        login(world["admin_lpg"])
        client.get(f"{BASE}anggaran/", {"tahun": lw["year"]})
        with django_assert_max_num_queries(15):
            page = html(client.get(f"{BASE}anggaran/", {"tahun": lw["year"]}))
        assert page.count("Rp1.000") >= 6


# --- Certificates ------------------------------------------------------------------------------------------


class TestCertificates:
    def test_a_valid_certificate_is_verified_without_login(self, client, learning_world, actors):
        lw = learning_world
        e = completed(lw, actors)
        nip = lw["lpg"]["e_staff"].nip
        resp = client.get(f"{BASE}sertifikat/{e.certificate.lower()}/")
        page = html(resp)
        assert resp.status_code == 200 and 'data-testid="certificate-valid"' in page
        assert "Staf Lampung" in page and "Pelatihan Manajemen ASN" in page and "BPSDM Provinsi Lampung" in page
        assert "Sah" in page and "20" in page
        assert nip not in page and f"{nip[:4]}••••••••••{nip[-4:]}" in page
        assert resp["X-Robots-Tag"].startswith("noindex")

    def test_the_lookup_form_goes_to_the_code(self, client, learning_world, actors):
        e = completed(learning_world, actors)
        resp = client.get(f"{BASE}sertifikat/", {"code": f" {e.certificate.lower()} "})
        assert resp["Location"] == f"{BASE}sertifikat/{e.certificate}/"

    def test_an_unknown_code_says_not_found(self, client, learning_world):
        resp = client.get(f"{BASE}sertifikat/0123456789AB/")
        assert resp.status_code == 404
        assert "Sertifikat dengan nomor 0123456789AB tidak ditemukan." in html(resp)

    def test_a_failed_participant_has_no_certificate_to_verify(self, client, learning_world, actors):
        e = completed(learning_world, actors, post=Decimal(10))
        assert e.status == EnrollmentStatus.NOT_COMPLETED and e.certificate == ""
        assert client.get(f"{BASE}sertifikat/{'X' * 12}/").status_code == 404

    def test_lookups_are_rate_limited_per_address(self, client, learning_world, actors, monkeypatch):
        e = completed(learning_world, actors)
        monkeypatch.setattr(certificates, "LOOKUPS_ALLOWED", 3)
        for n in range(3):
            assert client.get(f"{BASE}sertifikat/UNKNOWN{n:05d}/").status_code == 404
        limited = client.get(f"{BASE}sertifikat/{e.certificate}/")
        assert limited.status_code == 429 and "Terlalu banyak pemeriksaan dari alamat Anda." in html(limited)
        assert "Staf Lampung" not in html(limited)
        other = client.get(f"{BASE}sertifikat/{e.certificate}/", REMOTE_ADDR="10.9.8.7")
        assert other.status_code == 200

    def test_the_pdf_for_its_holder_and_hr_only(self, client, login, world, learning_world, actors):
        from pypdf import PdfReader

        e = completed(learning_world, actors)
        url = f"{BASE}peserta/{e.pk}/sertifikat.pdf"
        login(world["employee_lpg"])
        resp = client.get(url)
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
        assert "Staf Lampung" in text and e.certificate in text and "Pelatihan Manajemen ASN" in text
        login(world["admin_lpg"])
        assert client.get(url).status_code == 200
        for role in ("admin_gtlo", "supervisor_lpg", "auditor_lpg"):
            login(world[role])
            assert client.get(url).status_code == 404, role
