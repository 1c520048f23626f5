"""The suite's clock is pinned (conftest.py), so no test depends on the day it runs."""

import datetime

from django.utils import timezone

from conftest import pinned_now


def test_every_test_starts_at_the_pinned_instant():
    assert abs(timezone.now() - pinned_now()) < datetime.timedelta(minutes=1)
    assert timezone.localdate() == pinned_now().astimezone(timezone.get_current_timezone()).date()


def test_the_pinned_clock_ticks(pinned_clock):
    before = timezone.now()
    pinned_clock.shift(datetime.timedelta(hours=1))
    assert timezone.now() - before >= datetime.timedelta(hours=1)
