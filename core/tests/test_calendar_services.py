"""The calendar's writes: who may change it, what each refuses, the audit record, the clocks of every module
recomputed in the same transaction (settings.WORKING_DAY_CLOCKS) and the cache cleared only on commit."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from accounts.access import SYSTEM, build_actor
from core import calendar
from core import services as core_services
from core.errors import DomainError
from core.models import AuditRecord, Holiday, HolidayYear

pytestmark = pytest.mark.django_db
D = datetime.date
CALLS: list[dict] = []


def record_clock(*, actor, years, reason):
    """A module's clock hook, as settings.WORKING_DAY_CLOCKS names it: sees the change uncommitted."""
    CALLS.append({"years": years, "reason": reason, "off": calendar.holidays(years)})
    return 2


@pytest.fixture(autouse=True)
def hooks(settings):
    cache.clear()
    CALLS.clear()
    settings.WORKING_DAY_CLOCKS = ["core.tests.test_calendar_services.record_clock"]
    yield
    cache.clear()


def audits(action: str) -> int:
    return AuditRecord.objects.filter(action=action).count()


class TestHolidayAdd:
    def test_records_the_day_audits_recomputes_the_clocks_and_clears_the_cache_on_commit(
        self, django_capture_on_commit_callbacks
    ):
        day = D(2027, 6, 2)  # a Wednesday the estimate does not know
        assert day not in calendar.holidays([2027])  # cached now
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            change = core_services.holiday_add(actor=SYSTEM, date=day, name="Hari Raya Uji", kind="national")
        assert (change.year, change.moved, change.holiday.date) == (2027, 2, day)
        assert CALLS[0]["years"] == frozenset({2027}) and day in CALLS[0]["off"]  # the hook saw the new day
        assert "Hari Raya Uji" in CALLS[0]["reason"] and audits("core.holiday_add") == 1
        assert day not in calendar.holidays([2027])  # the cache keeps the old days until the commit
        for callback in callbacks:
            callback()
        assert day in calendar.holidays([2027])

    @pytest.mark.parametrize(
        ("date", "message"),
        [(D(2027, 8, 17), "hari libur tetap"), (D(2026, 3, 20), "sudah tercatat")],
    )
    def test_refuses_a_fixed_date_and_a_day_already_entered(self, date, message):
        with pytest.raises(DomainError, match=message):
            core_services.holiday_add(actor=SYSTEM, date=date, name="Lagi", kind="national")
        assert CALLS == [] and audits("core.holiday_add") == 0

    def test_only_the_national_scope(self, world):
        with pytest.raises(PermissionDenied):
            core_services.holiday_add(actor=build_actor(world["admin_lpg"]), date=D(2027, 6, 2), name="x", kind="national")
        assert not Holiday.objects.filter(date=D(2027, 6, 2)).exists()


class TestHolidayRemove:
    def test_removes_audits_and_recomputes(self):
        holiday = Holiday.objects.create(date=D(2027, 3, 11), name="Idul Fitri", kind="national")
        change = core_services.holiday_remove(actor=SYSTEM, holiday=holiday, reason="salah tanggal")
        assert change.year == 2027 and not Holiday.objects.filter(pk=holiday.pk).exists()
        record = AuditRecord.objects.get(action="core.holiday_remove")
        assert record.reason == "salah tanggal" and record.before["date"] == "2027-03-11"
        assert len(CALLS) == 1

    def test_a_fixed_date_row_stays(self):
        new_year = Holiday.objects.get(date=D(2026, 1, 1))
        with pytest.raises(DomainError, match="tetap"):
            core_services.holiday_remove(actor=SYSTEM, holiday=new_year)
        assert Holiday.objects.filter(pk=new_year.pk).exists() and CALLS == []


class TestYear:
    def test_prefill_enters_the_estimate_except_fixed_dates_for_review(self):
        change = core_services.holiday_year_prefill(actor=SYSTEM, year=2027)
        entered = dict(Holiday.objects.filter(date__year=2027).values_list("date", "kind"))
        expected = {d for d in calendar.estimated_holidays(2027) if not calendar.is_fixed(d)}
        assert set(entered) == expected and change.year == 2027
        assert entered[D(2027, 3, 9)] == "collective_leave" and entered[D(2027, 3, 10)] == "national"
        assert audits("core.holiday_year_prefill") == 1
        assert not calendar.is_confirmed(2027)  # a pre-fill is a draft: HR checks it, then confirms
        with pytest.raises(DomainError, match="belum tercatat"):
            core_services.holiday_year_prefill(actor=SYSTEM, year=2027)

    def test_confirm_needs_the_decree_and_the_days(self):
        with pytest.raises(DomainError, match="nomor SKB"):
            core_services.holiday_year_confirm(actor=SYSTEM, year=2027, decree=" ")
        with pytest.raises(DomainError, match="Belum ada hari libur 2027"):
            core_services.holiday_year_confirm(actor=SYSTEM, year=2027, decree="SKB 2027")
        assert not HolidayYear.objects.filter(year=2027, confirmed=True).exists() and CALLS == []

    def test_confirm_drops_the_estimate_and_records_who_and_which_decree(self, world):
        Holiday.objects.create(date=D(2027, 3, 11), name="Idul Fitri 1448 H", kind="national")
        national = build_actor(world["national"])
        change = core_services.holiday_year_confirm(actor=national, year=2027, decree="1234/2026, 5/2026, 6/2026")
        row = HolidayYear.objects.get(year=2027)
        assert (row.confirmed, row.decree, row.confirmed_by) == (True, "1234/2026, 5/2026, 6/2026", world["national"])
        assert row.confirmed_at is not None and change.moved == 2
        assert D(2027, 3, 10) not in CALLS[0]["off"]  # the hook counted without the estimate already
        assert audits("core.holiday_year_confirm") == 1

    def test_the_year_writes_refuse_anyone_but_the_national_scope(self, world):
        actor = build_actor(world["complaints_lpg"])
        for write in (
            lambda: core_services.holiday_year_prefill(actor=actor, year=2027),
            lambda: core_services.holiday_year_confirm(actor=actor, year=2027, decree="x"),
        ):
            with pytest.raises(PermissionDenied):
                write()
        assert not Holiday.objects.filter(date__year=2027).exists()
