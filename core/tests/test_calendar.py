"""Working days: weekends, national holidays and collective leave, year boundaries, deadlines that fall on holidays."""

import datetime

import pytest

from core import calendar
from core.models import Holiday

D = datetime.date


@pytest.fixture
def off(db):
    from django.core.cache import cache

    cache.clear()
    return calendar.holidays([2026, 2027])


def test_the_2026_days_off_are_loaded(off):
    assert len([d for d in off if d.year == 2026]) == 25
    assert D(2026, 3, 20) in off and D(2026, 12, 24) in off


def test_weekends_and_holidays_do_not_count(off):
    # Friday 13 Mar 2026 + 5 working days: 16, 17, then 18–24 March is Nyepi and Idul Fitri (with the
    # weekend), so 25, 26, 27.
    assert calendar.add_working_days(D(2026, 3, 13), 5, off) == D(2026, 3, 27)
    assert calendar.add_working_days(D(2026, 3, 13), 0, off) == D(2026, 3, 13)


def test_something_arriving_on_a_saturday_starts_counting_on_monday(off):
    assert calendar.add_working_days(D(2026, 11, 28), 1, off) == D(2026, 11, 30)


def test_across_the_year_boundary(off):
    # 23 Dec 2026 (Wed): 24 cuti bersama, 25 Natal, 26–27 weekend, 28, 29, 30, 31, 1 Jan 2027 is a Friday
    # (no 2027 data yet: it counts as a working day until the year's SKB is entered).
    assert calendar.add_working_days(D(2026, 12, 23), 5, off) == D(2027, 1, 1)
    Holiday.objects.create(date=D(2027, 1, 1), name="Tahun Baru 2027", kind="national")
    calendar.forget(2027)
    assert calendar.add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)


def test_a_deadline_ends_at_the_close_of_its_last_working_day_in_wib(off):
    received = datetime.datetime(2026, 8, 14, 23, 30, tzinfo=datetime.UTC)  # Saturday 15 Aug 06:30 WIB
    due = calendar.due_at(received, 3, off)
    # Monday 17 Aug is Independence Day: 18, 19, 20
    assert due == datetime.datetime(2026, 8, 20, 23, 59, 59, tzinfo=calendar.WIB)


def test_working_days_between(off):
    assert calendar.working_days_between(D(2026, 3, 13), D(2026, 3, 27), off) == 5
    assert calendar.working_days_between(D(2026, 3, 27), D(2026, 3, 13), off) == 0
