import datetime
import importlib
import os

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import build_world

# Every test runs on a pinned clock, so none depends on the day it runs. The default is an ordinary
# working Monday morning in WIB; PAMONG_TEST_NOW (ISO 8601 with its offset) moves the whole suite to
# another instant, e.g. the awkward ones (31 Dec 23:30 WIB, 1 Jan 00:30 WIB, 29 Feb, a Friday 17:00 WIB)
# that scripts/test.sh re-runs the date-sensitive tests at. The clock ticks from there.
DEFAULT_NOW = "2026-11-23T09:00:00+07:00"


def pinned_now() -> datetime.datetime:
    raw = os.environ.get("PAMONG_TEST_NOW") or DEFAULT_NOW
    moment = datetime.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"PAMONG_TEST_NOW needs an offset (e.g. +07:00): {raw!r}")
    return moment


# The modules whose outcome follows from today's date (a year, a period, a deadline, an age, a budget):
# `-m dated` re-runs them at another pinned instant cheaply.
DATED = (
    "core/tests/test_calendar",
    "learning/",
    "performance/",
    "personnel/tests/",
    "publicservice/",
    "recruitment/",
    "exams/",
    "tests/test_demo.py",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "dated: the outcome follows from today's date (re-run at awkward dates)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(DATED) and "browser" not in item.keywords:
            item.add_marker(pytest.mark.dated)


@pytest.fixture(autouse=True)
def pinned_clock():
    """The whole suite's clock: PAMONG_TEST_NOW or DEFAULT_NOW, ticking."""
    with time_machine.travel(pinned_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def reference_data(db):
    """The rows migrations load; a transactional test's flush removes them, so put them back."""
    from django.apps import apps

    from core import calendar
    from core.models import HolidayYear
    from organization import reference as org_reference
    from organization.models import Province
    from personnel.data import reference as personnel_reference

    if not Province.objects.exists():
        org_reference.load(apps)
        personnel_reference.load(apps)
    if not HolidayYear.objects.exists():  # 2026's days off from its SKB, and the year confirmed
        for name in ("0005_holidays_2026", "0007_holiday_year_2026"):
            importlib.import_module(f"core.migrations.{name}").forwards(apps, None)
        calendar.forget(2026)


@pytest.fixture
def world(reference_data):
    return build_world()


@pytest.fixture
def login(client):
    """Log a user in as a browser would end up after the password and, for admins, the TOTP step."""

    def _login(user):
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login
