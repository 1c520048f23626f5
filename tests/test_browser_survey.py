"""The satisfaction survey as a citizen meets it: a phone-sized Chromium (Debian's, driven by Playwright)
opens the link of a desk, finds every answer a thumb can reach without zooming or scrolling sideways, sends
an incomplete questionnaire and is told what is missing, completes it, is thanked, and cannot answer twice
the same day."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from publicservice import rules
from publicservice.models import SurveyCampaign, SurveyPoint, SurveyResponse
from publicservice.tests.conftest import fresh_cache, ps  # noqa: F401 - shared fixtures
from tests.test_browser import CHROMIUM, SHOTS, chromium_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]
PHONE = {"width": 360, "height": 740}  # a common small Android screen


@pytest.fixture
def phone(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with chromium_browser() as browser:
        ctx = browser.new_context(locale="id-ID", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        yield page


@pytest.fixture
def desk(ps, settings):  # noqa: F811 - the imported fixture
    settings.PUBLICSERVICE_ANTISPAM = {"POW_BITS": 8, "MIN_SECONDS": 0}
    today = timezone.localdate()
    campaign = SurveyCampaign.objects.create(
        unit=ps["unit"],
        name="Semester II 2026",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        population=1200,
    )
    return SurveyPoint.objects.create(campaign=campaign, label="Loket Farmasi")


def ready(page):
    """Wait until the browser has done its share of the challenge and the button is enabled."""
    page.wait_for_function("!document.querySelector('[data-testid=survey-submit]').disabled")


def test_a_citizen_fills_in_the_survey_on_a_phone(phone, desk):
    page = phone
    page.goto(f"{page.base}/layanan/survei/s/{desk.code}/")
    assert page.inner_text("[data-testid=survey-unit]") == "Puskesmas Kedaton" and "Loket Farmasi" in page.content()
    # Nothing is wider than the screen, and every answer is a large target.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.eval_on_selector_all("label.answer", "ls => ls.map((l) => l.getBoundingClientRect().height)")
    widths = page.eval_on_selector_all("label.answer", "ls => ls.map((l) => l.getBoundingClientRect().width)")
    assert len(heights) == 36 and min(heights) >= 44 and min(widths) >= PHONE["width"] * 0.7
    assert page.inner_text("[data-testid=question-U4]").count("Gratis") == 1

    # Sent with two questions and the gender left out: told what is missing, nothing stored.
    ready(page)
    for code in rules.CODES:
        if code not in ("U3", "U8"):
            page.locator(f"[data-testid=question-{code}] label.answer").nth(2).tap()
    for name, index in (("age_band", 2), ("education", 4), ("occupation", 1)):
        page.locator(f"[data-testid=profile-{name}] label").nth(index).tap()
    page.tap("[data-testid=survey-submit]")
    page.wait_for_selector("[data-testid=survey-error]")
    assert page.locator("[data-testid=question-U3] .text-danger").inner_text() == "Pilih salah satu jawaban."
    assert page.locator("[data-testid=question-U1] input:checked").get_attribute("value") == "3"
    assert not SurveyResponse.objects.exists()

    # Completed: thanked, and the answers are the ones tapped.
    ready(page)
    page.locator("[data-testid=question-U3] label.answer").nth(3).tap()
    page.locator("[data-testid=question-U8] label.answer").nth(1).tap()
    page.locator("[data-testid=profile-gender] label").nth(1).tap()
    page.fill("textarea[name=suggestion]", "Tambah kursi di ruang tunggu")
    page.tap("[data-testid=survey-submit]")
    page.wait_for_selector("[data-testid=survey-thanks]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "survey-thanks-phone.png"), full_page=True)
    r = SurveyResponse.objects.get()
    assert (r.point, r.u1, r.u3, r.u8, r.gender, r.suggestion) == (desk, 3, 4, 2, "F", "Tambah kursi di ruang tunggu")

    # The same phone, the same day: refused kindly.
    page.goto(f"{page.base}/layanan/survei/s/{desk.code}/")
    page.screenshot(path=str(SHOTS / "survey-form-phone.png"), full_page=True)
    ready(page)
    for code in rules.CODES:
        page.locator(f"[data-testid=question-{code}] label.answer").nth(3).tap()
    for name in ("age_band", "gender", "education", "occupation"):
        page.locator(f"[data-testid=profile-{name}] label").first.tap()
    page.tap("[data-testid=survey-submit]")
    page.wait_for_selector("[data-testid=survey-error]")
    assert "sudah mengisi survei hari ini" in page.inner_text("[data-testid=survey-error]")
    assert SurveyResponse.objects.count() == 1
