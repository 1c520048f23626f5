"""The working-day calendar: Monday to Friday, minus national holidays and collective leave days
(``core.Holiday``, yearly data). A deadline of n working days runs from the first working day after the
day something arrives and ends at the close of the n-th working day (Asia/Jakarta)."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.cache import cache

WIB = ZoneInfo("Asia/Jakarta")
CACHE_SECONDS = 3600


def holidays(years: Iterable[int]) -> frozenset[datetime.date]:
    """The days off of the given years (cached; saving a Holiday clears the cache)."""
    from core.models import Holiday

    days: set[datetime.date] = set()
    for year in sorted(set(years)):
        key = f"calendar:holidays:{year}"
        got = cache.get(key)
        if got is None:
            got = sorted(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
            cache.set(key, got, CACHE_SECONDS)
        days.update(got)
    return frozenset(days)


def forget(year: int) -> None:
    cache.delete(f"calendar:holidays:{year}")


def is_working_day(day: datetime.date, off: frozenset[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in off


def add_working_days(day: datetime.date, n: int, off: frozenset[datetime.date] | None = None) -> datetime.date:
    """The n-th working day after ``day`` (``day`` itself never counts; n = 0 gives ``day``)."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    off = off if off is not None else holidays(range(day.year, day.year + 2 + n // 200))
    current, left = day, n
    while left:
        current += datetime.timedelta(days=1)
        if is_working_day(current, off):
            left -= 1
    return current


def due_at(
    received: datetime.datetime, working_days: int, off: frozenset[datetime.date] | None = None
) -> datetime.datetime:
    """The end (23:59:59 WIB) of the n-th working day after the day ``received`` falls on in WIB."""
    day = received.astimezone(WIB).date()
    last = add_working_days(day, working_days, off)
    return datetime.datetime.combine(last, datetime.time(23, 59, 59), tzinfo=WIB)


def working_days_between(start: datetime.date, end: datetime.date, off: frozenset[datetime.date] | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    if end <= start:
        return 0
    off = off if off is not None else holidays(range(start.year, end.year + 1))
    n, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        n += is_working_day(current, off)
    return n
