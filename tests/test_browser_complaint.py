"""A complaint from start to finish, in Debian's Chromium driven by Playwright: a citizen without an account
files it (the page does the proof of work) and keeps the code and key from the receipt; the complaint officer
finds it in the queue, verifies and forwards it to the unit; the unit's staff respond; the citizen opens the
status page with the code, unlocks it with the key, reads the response and rates it. No officer's name ever
shows on the citizen's pages."""

import os
from pathlib import Path

import pytest

from core.models import AuditRecord
from publicservice.models import Complaint, ComplaintEvent, ComplaintStatus
from publicservice.tests.conftest import fresh_cache, ps  # noqa: F401 - shared fixtures
from tests.test_browser import CHROMIUM, SHOTS, chromium_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]
DESCRIPTION = "Antrean di loket obat lebih dari tiga jam tanpa kejelasan, petugas tidak ada di tempat."
RESPONSE = "Mulai Senin loket obat dibuka dua dan antrean diberi nomor elektronik."


@pytest.fixture
def chromium(live_server, monkeypatch, settings, tmp_path):
    """A browser factory: each call is a new context (its own cookies), as for another person."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    settings.MEDIA_ROOT = tmp_path
    # Lighter work and no wait, so the test is quick; antispam's own tests cover the real thresholds.
    settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 10, "MIN_SECONDS": 0}
    with chromium_browser() as browser:

        def new_page():
            page = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
            page.set_default_timeout(15000)
            page.base = live_server.url
            return page

        yield new_page


def log_in(page, user, password="Kata-Sandi-Uji-123"):
    """Sign in with the password (these roles are not admins, so no second factor is asked)."""
    page.goto(page.base + "/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button:has-text('Masuk')")
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def test_a_complaint_goes_from_citizen_to_unit_and_back_with_a_rating(chromium, ps, world):  # noqa: F811
    unit = ps["unit"]
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The citizen files a public complaint, choosing the unit through the search.
    citizen = chromium()
    citizen.goto(citizen.base + "/layanan/lapor/")
    citizen.check("input[name=kind][value=complaint]")
    citizen.fill("#unit-search", "kedaton")
    citizen.click(f"[data-unit-code='{unit.code}']")
    assert "Puskesmas Kedaton" in citizen.inner_text("[data-testid=unit-chosen]")
    citizen.fill("#id_title", "Antrean obat lama")
    citizen.fill("#id_description", DESCRIPTION)
    citizen.check("input[name=confidentiality][value=public]")
    citizen.fill("#id_reporter_name", "Siti Pelapor")
    citizen.fill("#id_reporter_contact", "siti@warga.example")
    citizen.wait_for_selector("[data-pow-submit]:not([disabled])")
    citizen.click("[data-testid=submit]")
    citizen.wait_for_selector("[data-testid=reply-key]")
    code = citizen.inner_text("[data-testid=tracking-code]").strip()
    key = citizen.inner_text("[data-testid=reply-key]").strip()
    c = Complaint.objects.get()
    assert (c.tracking_code, c.unit, c.status) == (code, unit, ComplaintStatus.RECEIVED)

    # The complaint officer of Lampung opens the queue, the report, verifies and forwards it to the unit.
    officer = chromium()
    log_in(officer, world["complaints_lpg"])
    officer.goto(officer.base + "/layanan/petugas/")
    officer.click(f"[data-testid='row-{code}'] a")
    officer.wait_for_selector("[data-testid=forward]")
    assert "Siti Pelapor" in officer.inner_text("[data-testid=reporter]")
    assert officer.locator("#id_to_unit").input_value() == unit.code
    officer.fill("[data-testid=forward] textarea[name=note]", "Sudah diverifikasi, mohon ditindaklanjuti.")
    officer.select_option("[data-testid=forward-class]", "grievance")
    officer.click("[data-testid=forward] button")
    officer.wait_for_function(
        "document.querySelector('[data-testid=status]').textContent.includes('Diteruskan ke unit')"
    )
    c.refresh_from_db()
    assert c.status == ComplaintStatus.FORWARDED and c.response_due is not None

    # The staff of the division that serves the puskesmas find it in their unit's queue and respond.
    staff = chromium()
    log_in(staff, world["employee_lpg"])
    staff.goto(staff.base + "/layanan/petugas/unit/")
    staff.click(f"[data-testid='row-{code}'] a")
    staff.wait_for_selector("[data-testid=respond]")
    assert "Siti Pelapor" not in staff.inner_text("[data-testid=reporter]")  # the reporter's identity is not theirs
    assert staff.locator("[data-testid=forward]").count() == 0  # forwarding is the officer's, not the unit's
    staff.fill("[data-testid=respond] textarea[name=text]", RESPONSE)
    staff.click("[data-testid=respond] button")
    staff.wait_for_function("document.querySelector('[data-testid=status]').textContent.includes('Sudah ditanggapi')")

    # The citizen, on another device, types the code, unlocks with the key, reads the response and rates it.
    phone = chromium()
    phone.goto(phone.base + "/layanan/lacak/")
    phone.fill("input[name=code]", code.lower())
    phone.press("input[name=code]", "Enter")
    phone.wait_for_selector("[data-testid=key-form]")
    assert phone.locator("[data-testid=holder-actions]").count() == 0
    phone.fill("[data-testid=key-form] input[name=key]", key)
    phone.click("[data-testid=key-form] button")
    phone.wait_for_selector("[data-testid=rate-form]")
    assert RESPONSE in phone.inner_text("[data-testid=response]")
    phone.check("[data-testid=rate-form] input[name=rating][value='4']")
    phone.fill("[data-testid=rate-form] [name=comment]", "Cepat ditanggapi.")
    phone.click("[data-testid=rate-form] button")
    phone.wait_for_selector("text=Terima kasih atas penilaian Anda.")
    phone.screenshot(path=str(SHOTS / "complaint-rated.png"), full_page=True)
    html = phone.content()
    assert "4 / 5" in phone.inner_text("[data-testid=history]")
    officers = (world["complaints_lpg"], world["employee_lpg"])
    for user in officers:
        assert user.username not in html and user.full_name not in html
    assert "Staf Lampung" not in html

    c.refresh_from_db()
    assert (c.status, c.rating, c.rating_comment) == (ComplaintStatus.RESPONDED, 4, "Cepat ditanggapi.")
    kinds = list(c.events.order_by("at", "id").values_list("kind", "by"))
    assert kinds == [
        (ComplaintEvent.Kind.SUBMITTED, None),
        (ComplaintEvent.Kind.VERIFIED, world["complaints_lpg"].pk),
        (ComplaintEvent.Kind.RESPONSE, world["employee_lpg"].pk),
        (ComplaintEvent.Kind.RATED, None),
    ]
    assert c.events.get(kind=ComplaintEvent.Kind.RESPONSE).text == RESPONSE
    actions = set(AuditRecord.objects.filter(action__startswith="publicservice.").values_list("action", flat=True))
    assert {"publicservice.complaint_forward", "publicservice.complaint_respond"} <= actions
