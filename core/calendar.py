"""The working-day calendar: Monday to Friday, minus each year's days off (Asia/Jakarta).

A year's days off are
- the five fixed-date national holidays (``FIXED``): code, in every year, with no data entry;
- the days entered as data (``core.Holiday``) from the year's joint decree (SKB) of the ministers of
  religious affairs, manpower and PANRB: the moveable holidays and the collective leave (cuti bersama);
- while the year is not confirmed (``core.HolidayYear``), also the estimate of the ``holidays`` package
  (Indonesia, public holidays and collective leave), so that a deadline already skips the probable Idul Fitri.
  Once the SKB is entered and the year confirmed, only the fixed dates and the entered days count.

A deadline of n working days runs from the first working day after the day something arrives and ends at the
close of the n-th working day. A deadline whose count reaches into an unconfirmed year is provisional.

The writes (``holiday_add``, ``holiday_remove``, ``holiday_year_prefill``, ``holiday_year_confirm``) are in
``core.services``: each recomputes every stored deadline a working-day clock governs.
"""

import contextlib
import contextvars
import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils.translation import gettext_lazy

WIB = ZoneInfo("Asia/Jakarta")
CACHE_SECONDS = 3600

# UU/Keppres: the same date every year, whatever the year's SKB says about the others.
FIXED: tuple[tuple[int, int, Any], ...] = (
    (1, 1, gettext_lazy("Tahun Baru Masehi")),
    (5, 1, gettext_lazy("Hari Buruh Internasional")),
    (6, 1, gettext_lazy("Hari Lahir Pancasila")),
    (8, 17, gettext_lazy("Hari Proklamasi Kemerdekaan Republik Indonesia")),
    (12, 25, gettext_lazy("Hari Raya Natal")),
)
# The holidays package's categories for Indonesia: national holidays, and "government" = cuti bersama.
ESTIMATE_CATEGORIES = ("public", "government")
# Product decision (a constant, not a regulation): from this day (month, day) the holidays page warns when next
# year's SKB has not been confirmed yet. The SKB usually appears in September or October.
WARN_FROM = (10, 1)


# --- the days off ------------------------------------------------------------------------------------


def fixed_holidays(year: int) -> dict[datetime.date, str]:
    """The fixed-date national holidays of a year (they need no data)."""
    return {datetime.date(year, month, day): str(name) for month, day, name in FIXED}


def is_fixed(day: datetime.date) -> bool:
    return any((day.month, day.day) == (month, d) for month, d, _name in FIXED)


@functools.lru_cache(maxsize=64)
def _estimate(year: int) -> tuple[tuple[datetime.date, str], ...]:
    import holidays as package

    found = package.country_holidays("ID", years=year, categories=ESTIMATE_CATEGORIES, language="id")
    return tuple(sorted((day, name) for day, name in found.items() if day.year == year))


def estimated_holidays(year: int) -> dict[datetime.date, str]:
    """The ``holidays`` package's days off for a year: national holidays and collective leave, the Islamic
    ones estimated (marked "perkiraan")."""
    return dict(_estimate(year))


def days_off(year: int, *, entered: Iterable[datetime.date], confirmed: bool) -> frozenset[datetime.date]:
    """A year's days off from the days entered for it and whether its SKB is confirmed (no database)."""
    days = set(fixed_holidays(year)) | {d for d in entered if d.year == year}
    if not confirmed:
        days |= set(estimated_holidays(year))
    return frozenset(days)


class _Year(NamedTuple):
    off: frozenset[datetime.date]
    confirmed: bool


# Inside ``uncached()``: the years read so far in this context, instead of the shared cache.
_local: contextvars.ContextVar[dict[int, _Year] | None] = contextvars.ContextVar("calendar_local", default=None)


def _key(year: int) -> str:
    return f"calendar:year:v2:{year}"


def _load(years: list[int]) -> dict[int, _Year]:
    from core.models import Holiday, HolidayYear

    if not years:
        return {}
    confirmed = set(HolidayYear.objects.filter(year__in=years, confirmed=True).values_list("year", flat=True))
    entered: dict[int, list[datetime.date]] = {y: [] for y in years}
    rows = Holiday.objects.filter(
        date__gte=datetime.date(min(years), 1, 1), date__lte=datetime.date(max(years), 12, 31)
    )
    for day in rows.values_list("date", flat=True):
        if day.year in entered:
            entered[day.year].append(day)
    return {y: _Year(days_off(y, entered=entered[y], confirmed=y in confirmed), y in confirmed) for y in years}


def _years(years: Iterable[int]) -> dict[int, _Year]:
    wanted = sorted(set(years))
    local = _local.get()
    if local is not None:
        local.update(_load([y for y in wanted if y not in local]))
        return {y: local[y] for y in wanted}
    got = cache.get_many([_key(y) for y in wanted])
    out = {y: got[_key(y)] for y in wanted if _key(y) in got}
    missing = _load([y for y in wanted if y not in out])
    if missing:
        cache.set_many({_key(y): v for y, v in missing.items()}, CACHE_SECONDS)
    return out | missing


def holidays(years: Iterable[int]) -> frozenset[datetime.date]:
    """The days off of the given years (cached; a change clears the cache when it commits)."""
    days: set[datetime.date] = set()
    for year in _years(years).values():
        days |= year.off
    return frozenset(days)


def is_confirmed(year: int) -> bool:
    """Whether the year's SKB has been entered and confirmed."""
    return _years([year])[year].confirmed


def unconfirmed_years(years: Iterable[int]) -> list[int]:
    """The years among these whose SKB is not confirmed, in order."""
    return [y for y, v in sorted(_years(years).items()) if not v.confirmed]


def provisional(start: datetime.date, end: datetime.date) -> bool:
    """Whether counting the working days after ``start`` up to ``end`` touches an unconfirmed year."""
    if end <= start:
        return False
    return bool(unconfirmed_years(range((start + datetime.timedelta(days=1)).year, end.year + 1)))


def forget(*years: int) -> None:
    """Drop the cached days off of these years."""
    cache.delete_many([_key(y) for y in years])


@contextlib.contextmanager
def uncached() -> Iterator[None]:
    """Read the calendar from the database, bypassing the shared cache (and never filling it): inside a
    transaction that changes the calendar, what is read may still be rolled back."""
    token = _local.set({})
    try:
        yield
    finally:
        _local.reset(token)


# --- counting ----------------------------------------------------------------------------------------


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


class Deadline(NamedTuple):
    due: datetime.datetime
    provisional: bool  # the count reaches into a year whose SKB is not confirmed: the date may still move


def deadline(received: datetime.datetime, working_days: int) -> Deadline:
    """``due_at`` and whether it is provisional (it counts days of a year not yet confirmed)."""
    due = due_at(received, working_days)
    return Deadline(due, provisional(received.astimezone(WIB).date(), due.date()))


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


# --- reads for the holidays page ---------------------------------------------------------------------

FIXED_SOURCE, ENTERED, ESTIMATED = "fixed", "entered", "estimated"


@dataclass(frozen=True)
class Day:
    date: datetime.date
    name: str
    source: str  # FIXED_SOURCE (code), ENTERED (a Holiday row) or ESTIMATED (the package, unconfirmed years)
    fixed: bool
    holiday: Any = None  # the Holiday row, when entered
    kind: str = ""


def year_days(year: int) -> list[Day]:
    """Every day off of a year as the holidays page lists it: the fixed dates, the entered rows and, while
    the year is not confirmed, the package's estimate for the dates not entered (two queries)."""
    from core.models import Holiday

    rows = {h.date: h for h in Holiday.objects.filter(date__year=year)}
    fixed = fixed_holidays(year)
    out = [Day(h.date, h.name, ENTERED, h.date in fixed, holiday=h, kind=h.kind) for h in rows.values()] + [
        Day(d, name, FIXED_SOURCE, True, kind=Holiday.Kind.NATIONAL) for d, name in fixed.items() if d not in rows
    ]
    if not is_confirmed(year):
        out += [
            Day(d, name, ESTIMATED, False, kind=estimate_kind(name))
            for d, name in estimated_holidays(year).items()
            if d not in rows and d not in fixed
        ]
    return sorted(out, key=lambda day: (day.date, day.name))


def estimate_kind(name: str) -> str:
    from core.models import Holiday

    return Holiday.Kind.COLLECTIVE_LEAVE if name.lower().startswith("cuti bersama") else Holiday.Kind.NATIONAL


def confirmation_due(today: datetime.date) -> int | None:
    """Next year, when it is not confirmed and today is on or after ``WARN_FROM``: the page warns HR."""
    if (today.month, today.day) < WARN_FROM:
        return None
    return None if is_confirmed(today.year + 1) else today.year + 1
