"""Competency development as its people meet it, in Debian's Chromium driven by Playwright: the employee sees
a gap and plans the year, the supervisor approves the plan, HR enrols, takes attendance and completes the
employee, who then finds the JP in their ledger and a certificate that anyone can verify without logging in."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from learning import services
from learning.choices import AssessmentSource, EnrollmentStatus, PlanStatus
from learning.models import Attendance, DevelopmentPlan, Enrollment, JpEntry, TrainingEvent
from learning.tests.conftest import actors, learning_world  # noqa: F401 - shared fixtures
from tests.test_browser import CHROMIUM, SHOTS, chromium_browser, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]

CAREER_ACTIVITY = "Magang di Bidang Mutasi"
UNKNOWN_CODE = "FFFF0000FFFF"


@pytest.fixture
def open_as(live_server, monkeypatch):
    """Open a page in a browser context of its own, logged in as the user given (or nobody)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with chromium_browser() as browser:

        def _open(user=None):
            ctx = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            page.set_default_timeout(10000)
            page.base = live_server.url
            if user is not None:
                log_in(page, user)
            return page

        yield _open


@pytest.fixture
def assessed(world, learning_world, actors):  # noqa: F811 - the imported fixtures
    """The learning world with HR's assessment-centre result for the staff member: level 1 of the
    technical competency the post requires at level 3."""
    lw = learning_world
    services.assessment_record(
        actor=actors["admin_lpg"],
        employee=lw["lpg"]["e_staff"],
        competency=lw["asn"],
        level=1,
        source=AssessmentSource.ASSESSMENT_CENTRE,
        assessed_on=timezone.localdate() - datetime.timedelta(days=10),
        note="Assessment center BKD",
    )
    return lw


def success(page) -> str:
    return page.inner_text("main .alert-success")


def test_plan_enrol_attend_complete_and_verify_the_certificate(open_as, world, assessed):
    lw = assessed
    staff, program, event = lw["lpg"]["e_staff"], lw["program"], lw["event"]
    year = timezone.localdate().year

    # 1. The employee sees the gap, builds the plan for the year, adds a career activity and submits it.
    me = open_as(world["employee_lpg"])
    me.goto(me.base + "/pengembangan/saya/")
    assert me.inner_text("h1") == "Kompetensi saya"
    assert me.inner_text("[data-testid=open-gaps]") == "1"
    gap_row = me.locator("[data-testid=gaps] tbody tr", has_text="T-ASN")
    cells = gap_row.locator("td").all_inner_texts()
    assert [c.strip() for c in cells[1:4]] == ["3", "1", "2"]  # required, held, gap
    assert "Pelatihan Manajemen ASN" in cells[4] and "20 JP" in cells[4]
    assert "belum dinilai" in me.inner_text("[data-testid=gaps] tbody tr:has-text('M1')")

    me.click("a.btn:has-text('Rencana pengembangan saya')")
    me.wait_for_selector("[data-testid=no-plan]")
    me.fill("#id_career_goal", "Analis SDM Aparatur Ahli Pertama")
    me.click(f"[data-testid=plan-build] button:has-text('Susun rencana {year}')")
    me.wait_for_selector("[data-testid=plan-items]")
    assert "Rencana disusun dari kesenjangan" in success(me)
    items = me.inner_text("[data-testid=plan-items] tbody")
    assert "Pelatihan Manajemen ASN" in items and "T-ASN" in items
    assert me.inner_text("[data-testid=planned-jp]") == "20"

    me.fill("#id_activity", CAREER_ACTIVITY)
    me.fill("#id_planned_jp", "8")
    me.click("[data-testid=plan-item-add] button")
    me.wait_for_selector(f"[data-testid=plan-items] tbody tr:has-text('{CAREER_ACTIVITY}')")
    assert me.inner_text("[data-testid=planned-jp]") == "28"

    me.click("[data-testid=plan-submit] button")
    me.wait_for_selector("text=Menunggu keputusan Kabid Lampung.")
    assert "Rencana diajukan kepada atasan langsung." in success(me)
    assert me.inner_text("[data-testid=plan-status]") == "Diajukan"
    assert me.locator("[data-testid=plan-submit]").count() == 0  # nothing left to change

    # 2. The supervisor finds it among the team's plans and approves it.
    boss = open_as(world["supervisor_lpg"])
    boss.goto(boss.base + "/pengembangan/rencana/tim/")
    assert boss.inner_text("[data-testid=waiting]") == "1 rencana menunggu keputusan Anda."
    row = boss.locator("[data-testid=team-plans] tbody tr", has_text="Staf Lampung")
    assert "Diajukan" in row.inner_text() and "28" in row.inner_text()
    row.locator("a:has-text('Putuskan')").click()
    boss.wait_for_selector("[data-testid=plan-decide]")
    assert CAREER_ACTIVITY in boss.inner_text("[data-testid=plan-items]")
    boss.click("[data-testid=plan-decide] button[value=approve]")
    boss.wait_for_url("**/pengembangan/rencana/tim/")
    assert "Rencana disetujui." in success(boss)
    assert "Disetujui" in boss.locator("[data-testid=team-plans] tbody tr", has_text="Staf Lampung").inner_text()
    plan = DevelopmentPlan.objects.get(employee=staff, year=year)
    assert (plan.status, plan.supervisor_id, plan.items.count()) == (PlanStatus.APPROVED, lw["lpg"]["e_kabid"].pk, 2)

    # 3. HR opens the event, finds the employee by NIP and enrols them.
    hr = open_as(world["admin_lpg"])
    hr.goto(hr.base + "/pengembangan/katalog/angkatan/")
    hr.click("[data-testid=event-list] a:has-text('Angkatan I')")
    hr.wait_for_selector("[data-testid=seats-used]")
    assert hr.inner_text("[data-testid=seats-used]") == "0/2"
    hr.fill("input[name=cari]", staff.nip)
    hr.press("input[name=cari]", "Enter")
    hr.wait_for_selector("[data-testid=search-results]")
    assert hr.locator("[data-testid=search-results] li").count() == 1
    assert "Staf Lampung" in hr.inner_text("[data-testid=search-results]")
    hr.click(f"[data-testid=enroll-{staff.pk}]")
    hr.wait_for_function("document.querySelector('[data-testid=seats-used]').textContent.trim() === '1/2'")
    assert "Staf Lampung terdaftar; biaya Rp1.000.000 terikat pada anggaran." in success(hr)
    enrollment = Enrollment.objects.get(event=event, employee=staff)
    assert enrollment.status == EnrollmentStatus.ENROLLED

    # The event takes place: its three days are now behind us.
    end = timezone.localdate() - datetime.timedelta(days=1)
    days = [end - datetime.timedelta(days=n) for n in (2, 1, 0)]
    TrainingEvent.objects.filter(pk=event.pk).update(starts_on=days[0], ends_on=end)
    hr.reload()
    hr.wait_for_selector("[data-testid=attendance]")
    for day in days:
        cell = f"[data-testid=att-{enrollment.pk}-{day:%Y%m%d}]"
        assert hr.locator(f"{cell} .bi-circle").count() == 1  # not yet recorded
        hr.click(f"{cell} button")  # htmx swaps the cell in place
        hr.wait_for_selector(f"{cell} .bi-check-circle-fill")
    assert sorted(Attendance.objects.filter(enrollment=enrollment).values_list("day", "present")) == [
        (d, True) for d in days
    ]

    hr.reload()
    attendance_row = hr.locator("[data-testid=attendance] tbody tr", has_text="Staf Lampung")
    assert attendance_row.locator("td").last.inner_text() == "100"
    hr.click("[data-testid=participants] summary:has-text('Selesaikan')")
    hr.fill(f"#pre-{enrollment.pk}", "55")
    hr.fill(f"#post-{enrollment.pk}", "85")
    assert hr.input_value(f"#done-{enrollment.pk}") == end.isoformat()
    hr.click(f"[data-testid=complete-{enrollment.pk}] button")
    hr.wait_for_selector(f"[data-testid=certificate-{enrollment.pk}]")
    enrollment.refresh_from_db()
    code = enrollment.certificate
    assert enrollment.status == EnrollmentStatus.COMPLETED and len(code) == 12
    assert (enrollment.pre_score, enrollment.post_score, enrollment.completed_on) == (Decimal(55), Decimal(85), end)
    assert f"Staf Lampung lulus: 20 JP dibukukan, sertifikat {code}." in success(hr)
    assert hr.inner_text(f"[data-testid=certificate-{enrollment.pk}]") == code
    participant = hr.locator("[data-testid=participants] tbody tr", has_text="Staf Lampung").inner_text()
    assert "Lulus / selesai" in participant and "55,00 → 85,00" in participant
    entry = JpEntry.objects.get(enrollment=enrollment)
    assert (entry.employee_id, entry.jp, entry.year, entry.booked_on) == (staff.pk, program.jp, end.year, end)

    # 4. The employee finds the JP in the ledger of the year it counts in, and the certificate.
    me.goto(me.base + f"/pengembangan/katalog/saya/?tahun={end.year}")
    summary = me.inner_text("[data-testid=jp-summary]")
    assert "20 dari minimal 20 JP setahun" in summary and "terpenuhi" in summary
    assert me.get_attribute(".progress", "aria-valuenow") == "100"
    assert me.evaluate("document.querySelector('.progress-bar').style.width") == "100%"
    ledger = me.locator("[data-testid=ledger] tbody tr").all_inner_texts()
    assert len(ledger) == 1 and "Pelatihan Manajemen ASN — Angkatan I" in ledger[0] and ledger[0].endswith("20")
    certificates = me.inner_text("[data-testid=certificates]")
    assert "Pelatihan Manajemen ASN" in certificates and code in certificates
    SHOTS.mkdir(parents=True, exist_ok=True)
    me.screenshot(path=str(SHOTS / "learning-ledger.png"), full_page=True)

    # Anyone checks it on the public page, without logging in.
    public = open_as()
    public.goto(public.base + "/pengembangan/katalog/sertifikat/")
    public.fill("input[name=code]", code.lower())  # typed as read, in any case
    public.click("button:has-text('Periksa')")
    public.wait_for_url(f"**/pengembangan/katalog/sertifikat/{code}/")
    valid = public.inner_text("[data-testid=certificate-valid]")
    assert "Sertifikat sah" in valid and code in valid
    assert "Pelatihan Manajemen ASN (Angkatan I)" in valid and "BPSDM Provinsi Lampung" in valid
    masked = staff.nip[:4] + "•" * (len(staff.nip) - 8) + staff.nip[-4:]
    assert public.inner_text("[data-testid=masked-nip]") == masked
    assert staff.nip not in public.content()  # the birth date in the NIP stays hidden
    assert public.locator("button:has-text('Keluar')").count() == 0  # nobody is logged in here
    public.screenshot(path=str(SHOTS / "learning-certificate.png"), full_page=True)

    assert UNKNOWN_CODE != code
    public.fill("input[name=code]", UNKNOWN_CODE)
    with public.expect_response(lambda r: r.url.endswith(f"/sertifikat/{UNKNOWN_CODE}/")) as answer:
        public.click("button:has-text('Periksa')")
    assert answer.value.status == 404
    assert public.inner_text("[data-testid=certificate-unknown]").strip() == (
        f"Sertifikat dengan nomor {UNKNOWN_CODE} tidak ditemukan. Periksa kembali nomornya; "
        "sertifikat yang tidak terdaftar di sini tidak dapat dianggap sah."
    )
    assert public.locator("[data-testid=certificate-valid]").count() == 0
