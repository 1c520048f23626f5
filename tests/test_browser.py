"""Click through the pages people use, in Debian's Chromium driven by Playwright."""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from personnel.tests.test_import import csv_bytes, good_rows

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("PAMONG_SCREENSHOTS", "/tmp/pamong-screens"))


@contextlib.contextmanager
def chromium_browser():
    """Debian's Chromium under Playwright's sync API (the caller allows Django's async-unsafe calls).

    On the way out it also closes the database connections: a query the test makes between Playwright
    calls (log_in reads the TOTP device) can leave a connection of its own open (Playwright's sync API
    switches greenlets; Django keeps a connection per context), which would outlive the test and keep
    PostgreSQL from dropping the test database at the end of the run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def page(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with chromium_browser() as browser:
        ctx = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
        pg = ctx.new_page()
        pg.set_default_timeout(15000)
        pg.base = live_server.url
        yield pg


def log_in(page, user, password="Kata-Sandi-Uji-123"):
    page.goto(page.base + "/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button:has-text('Masuk')")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        page.wait_for_url("**/akun/dua-faktor/**")
        page.fill("#id_code", f"{totp(device.bin_key):06d}")
        page.click("button:has-text('Verifikasi')")


def test_admin_logs_in_with_totp_searches_and_opens_a_profile(page, world):
    log_in(page, world["admin_lpg"])
    page.goto(page.base + "/pegawai/")
    page.fill("input[name=q]", "Staf")
    page.wait_for_function("document.querySelector('[data-testid=result-count]').textContent.trim().startsWith('1 ')")
    assert "Staf Lampung" in page.inner_text("[data-testid=employee-table]")
    page.click(f"text={world['lpg']['e_staff'].nip}")
    page.wait_for_selector("[data-testid=employee-name]")
    assert page.inner_text("[data-testid=employee-name]") == "Staf Lampung"
    chain = page.inner_text("[data-testid=supervisor-chain]")
    assert "Kabid Lampung" in chain and "Kepala Lampung" in chain and "Gubernur Lampung" in chain
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "profile.png"), full_page=True)


def test_a_wrong_totp_code_is_refused_in_indonesian(page, world):
    page.goto(page.base + "/akun/masuk/")
    page.fill("#id_username", "admin.lpg")
    page.fill("#id_password", "Kata-Sandi-Uji-123")
    page.click("button:has-text('Masuk')")
    page.wait_for_url("**/akun/dua-faktor/**")
    page.fill("#id_code", "000000")
    page.click("button:has-text('Verifikasi')")
    assert "Kode salah" in page.inner_text("main")
    page.goto(page.base + "/pegawai/")
    assert "/akun/dua-faktor/" in page.url


def test_import_a_file_with_one_bad_row_and_see_it_reported(page, world, tmp_path):
    rows = good_rows(3)
    rows[1]["Jenis Kelamin"] = "P"  # disagrees with the NIP's gender digit
    f = tmp_path / "pegawai.csv"
    f.write_bytes(csv_bytes(rows))
    log_in(page, world["admin_lpg"])
    page.goto(page.base + "/pegawai/impor/")
    page.set_input_files("#id_file", str(f))
    page.click("button:has-text('Unggah dan periksa')")
    page.wait_for_selector("[data-testid=issues]")
    assert page.inner_text("[data-testid=error-rows]") == "1"
    issues = page.inner_text("[data-testid=issues]")
    assert "3" in issues and "Jenis Kelamin" in issues and "digit ke-15 NIP" in issues
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "import.png"), full_page=True)
    page.check("#mode-valid")
    page.click("button:has-text('Simpan ke registri')")
    page.wait_for_selector("[data-testid=job-message]")
    assert "2 pegawai tersimpan" in page.inner_text("[data-testid=job-message]")


def test_agency_overview_draws_its_charts(page, world):
    log_in(page, world["admin_lpg"])
    page.goto(page.base + f"/organisasi/instansi/{world['lpg']['agency'].pk}/")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 7 && window.Chart !== undefined")
    assert page.inner_text("[data-testid=headcount]") == "3"
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => Chart.getChart(c)).length"
    )
    assert drawn == 7
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)


def test_english_is_selectable(page, world):
    log_in(page, world["admin_lpg"])
    page.goto(page.base + "/pegawai/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
