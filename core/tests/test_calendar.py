"""Working days: weekends, national holidays and collective leave, fixed-date holidays in every year, the
package's estimate beneath a year whose SKB is not confirmed, provisional deadlines, year boundaries."""

import datetime

import pytest

from core import calendar
from core.models import Holiday, HolidayYear

D = datetime.date
WIB = calendar.WIB


@pytest.fixture(autouse=True)
def fresh_cache():
    """The calendar's cache outlives a test's rolled-back transaction: start each test without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def off(db):
    return calendar.holidays([2026, 2027])


def confirm(year: int) -> None:
    HolidayYear.objects.update_or_create(year=year, defaults={"confirmed": True, "decree": f"SKB {year}"})
    calendar.forget(year)


def test_the_2026_days_off_are_loaded_and_the_year_is_confirmed(off):
    assert len([d for d in off if d.year == 2026]) == 25
    assert D(2026, 3, 20) in off and D(2026, 12, 24) in off
    assert calendar.is_confirmed(2026) and not calendar.is_confirmed(2027)


def test_weekends_and_holidays_do_not_count(off):
    # Friday 13 Mar 2026 + 5 working days: 16, 17, then 18–24 March is Nyepi and Idul Fitri (with the
    # weekend), so 25, 26, 27.
    assert calendar.add_working_days(D(2026, 3, 13), 5, off) == D(2026, 3, 27)
    assert calendar.add_working_days(D(2026, 3, 13), 0, off) == D(2026, 3, 13)


def test_something_arriving_on_a_saturday_starts_counting_on_monday(off):
    assert calendar.add_working_days(D(2026, 11, 28), 1, off) == D(2026, 11, 30)


def test_across_the_year_boundary_new_year_is_a_day_off_without_2027_data(off):
    # 23 Dec 2026 (Wed): 24 cuti bersama, 25 Natal, 26–27 weekend, 28, 29, 30, 31, then Friday 1 January 2027
    # (a fixed-date holiday: no 2027 data needed), the weekend, and Monday 4 January is the fifth.
    assert not Holiday.objects.filter(date__year=2027).exists()
    assert calendar.add_working_days(D(2026, 12, 23), 5, off) == D(2027, 1, 4)
    assert calendar.add_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)
    due = calendar.deadline(datetime.datetime(2026, 12, 23, 10, 0, tzinfo=WIB), 5)
    assert due == (datetime.datetime(2027, 1, 4, 23, 59, 59, tzinfo=WIB), True)


@pytest.mark.parametrize("day", [D(2030, 1, 1), D(2030, 5, 1), D(2030, 6, 1), D(2030, 8, 17), D(2030, 12, 25)])
def test_the_fixed_date_holidays_hold_in_any_year_with_no_data(db, day):
    assert not Holiday.objects.filter(date__year=2030).exists()
    assert day in calendar.holidays([2030])
    confirm(2030)  # even a confirmed year whose SKB rows forgot them: the fixed dates are code
    assert day in calendar.holidays([2030]) and calendar.is_fixed(day)


def test_a_confirmed_year_without_rows_has_only_its_fixed_dates_and_weekends(db):
    confirm(2030)
    assert sorted(calendar.holidays([2030])) == [
        D(2030, 1, 1),
        D(2030, 5, 1),
        D(2030, 6, 1),
        D(2030, 8, 17),
        D(2030, 12, 25),
    ]
    # Tuesday 30 April 2030 + 1: Wednesday 1 May is Labour Day, so Thursday 2 May.
    assert calendar.add_working_days(D(2030, 4, 30), 1) == D(2030, 5, 2)
    # Friday 16 August 2030 + 1: the weekend, Monday 19 (17 August falls on Saturday).
    assert calendar.add_working_days(D(2030, 8, 16), 1) == D(2030, 8, 19)


def test_an_unconfirmed_year_counts_the_package_estimate_until_its_skb_is_confirmed(db):
    estimate = calendar.estimated_holidays(2027)
    eid = D(2027, 3, 10)  # Idul Fitri 1448 H (perkiraan)
    assert "perkiraan" in estimate[eid] and eid in calendar.holidays([2027])
    assert D(2027, 3, 9) in calendar.holidays([2027])  # cuti bersama, from the package's "government" category
    # The SKB enters Idul Fitri a day later; until confirmed both days are off, afterwards only the SKB's.
    Holiday.objects.create(date=D(2027, 3, 11), name="Idul Fitri 1448 H", kind="national")
    calendar.forget(2027)
    assert {eid, D(2027, 3, 11)} <= calendar.holidays([2027])
    confirm(2027)
    days = calendar.holidays([2027])
    assert eid not in days and D(2027, 3, 11) in days and D(2027, 1, 1) in days
    assert sorted(days) == sorted([D(2027, 3, 11), *calendar.fixed_holidays(2027)])


def test_a_deadline_is_provisional_while_it_reaches_into_an_unconfirmed_year(db):
    start = datetime.datetime(2026, 12, 23, 10, 0, tzinfo=WIB)
    assert calendar.deadline(start, 5).provisional
    assert not calendar.deadline(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=WIB), 5).provisional  # all in 2026
    assert calendar.provisional(D(2026, 12, 23), D(2027, 1, 4))
    assert not calendar.provisional(D(2026, 12, 23), D(2026, 12, 31))
    assert not calendar.provisional(D(2027, 1, 4), D(2027, 1, 4))  # nothing counted
    Holiday.objects.create(date=D(2027, 3, 10), name="Idul Fitri", kind="national")
    confirm(2027)
    assert calendar.deadline(start, 5) == (datetime.datetime(2027, 1, 4, 23, 59, 59, tzinfo=WIB), False)


def test_a_deadline_ends_at_the_close_of_its_last_working_day_in_wib(off):
    received = datetime.datetime(2026, 8, 14, 23, 30, tzinfo=datetime.UTC)  # Saturday 15 Aug 06:30 WIB
    due = calendar.due_at(received, 3, off)
    # Monday 17 Aug is Independence Day: 18, 19, 20
    assert due == datetime.datetime(2026, 8, 20, 23, 59, 59, tzinfo=WIB)


def test_late_on_new_years_eve_in_wib_is_already_the_next_year_in_utc_terms(db):
    # 31 Dec 2026 23:30 WIB is 16:30 UTC the same day: the day it arrives is the 31st in WIB; 1 Jan off,
    # 2–3 weekend, so the first working day after it is Monday 4 January 2027.
    received = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert calendar.due_at(received, 1) == datetime.datetime(2027, 1, 4, 23, 59, 59, tzinfo=WIB)
    # 1 Jan 2027 00:30 WIB is still 31 December in UTC, but it arrives on the holiday: Monday 4 is the first.
    received = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
    assert calendar.due_at(received, 1) == datetime.datetime(2027, 1, 4, 23, 59, 59, tzinfo=WIB)


def test_a_leap_day_counts_like_any_other_working_day(db):
    # Tuesday 29 Feb 2028 + 1 is Wednesday 1 March (2028 is unconfirmed: its estimate has no holiday then).
    assert D(2028, 3, 1) not in calendar.holidays([2028])
    assert calendar.add_working_days(D(2028, 2, 28), 1) == D(2028, 2, 29)
    assert calendar.add_working_days(D(2028, 2, 29), 1) == D(2028, 3, 1)


def test_working_days_between(off):
    assert calendar.working_days_between(D(2026, 3, 13), D(2026, 3, 27), off) == 5
    assert calendar.working_days_between(D(2026, 3, 27), D(2026, 3, 13), off) == 0
    assert calendar.working_days_between(D(2026, 12, 23), D(2027, 1, 4)) == 5


@pytest.mark.parametrize(
    ("today", "warned"),
    [(D(2026, 9, 30), None), (D(2026, 10, 1), 2027), (D(2026, 12, 31), 2027), (D(2026, 1, 2), None)],
)
def test_hr_is_warned_from_october_when_next_year_is_not_confirmed(db, today, warned):
    assert calendar.confirmation_due(today) == warned
    confirm(2027)
    assert calendar.confirmation_due(today) is None


def test_the_year_lists_fixed_entered_and_estimated_days(db):
    Holiday.objects.create(date=D(2027, 3, 11), name="Idul Fitri 1448 H", kind="national")
    Holiday.objects.create(date=D(2027, 1, 1), name="Tahun Baru 2027", kind="national")
    days = {d.date: d for d in calendar.year_days(2027)}
    assert (days[D(2027, 1, 1)].source, days[D(2027, 1, 1)].fixed) == (calendar.ENTERED, True)
    assert (days[D(2027, 5, 1)].source, days[D(2027, 5, 1)].fixed) == (calendar.FIXED_SOURCE, True)
    assert days[D(2027, 3, 11)].source == calendar.ENTERED and days[D(2027, 3, 11)].holiday is not None
    assert days[D(2027, 3, 10)].source == calendar.ESTIMATED
    assert days[D(2027, 3, 9)].kind == Holiday.Kind.COLLECTIVE_LEAVE
    confirm(2027)
    assert calendar.ESTIMATED not in {d.source for d in calendar.year_days(2027)}


def test_the_cache_is_bypassed_and_left_alone_inside_uncached(db):
    from django.core.cache import cache

    cache.clear()
    with calendar.uncached():
        assert D(2027, 1, 1) in calendar.holidays([2027])
    assert cache.get(calendar._key(2027)) is None
    calendar.holidays([2027])
    assert cache.get(calendar._key(2027)) is not None
