"""The national list of holidays: fixed dates, entered days and the estimate of unconfirmed years, each
action on its own POST address through its form, the warning before the year turns, and who may use it."""

import datetime

import pytest
from django.urls import reverse

from core import calendar
from core.models import AuditRecord, Holiday, HolidayYear

pytestmark = pytest.mark.django_db
D = datetime.date
WIB = calendar.WIB


def u(name, *args):
    return reverse(f"publicservice:{name}", args=list(args))


def listed(client, year: int) -> dict:
    r = client.get(u("officer_holidays"), {"tahun": year})
    assert r.status_code == 200
    return {d.date: d for d in r.context["days"]}


@pytest.fixture
def national(client, login, world):
    login(world["national"])
    return world["national"]


class TestThePage:
    def test_a_confirmed_year_lists_its_skb_days_and_fixed_dates(self, client, national):
        r = client.get(u("officer_holidays"), {"tahun": 2026})
        html = r.content.decode()
        assert r.context["confirmed"] and 'data-testid="confirmed"' in html and "1497/2025" in html
        days = {d.date: d for d in r.context["days"]}
        assert len(days) == 25 and all(d.source == calendar.ENTERED for d in days.values())
        assert days[D(2026, 8, 17)].fixed and not days[D(2026, 3, 20)].fixed
        # A fixed date offers no removal; an SKB day does.
        assert f'data-testid="remove-{days[D(2026, 3, 20)].holiday.pk}"' in html
        assert f'data-testid="remove-{days[D(2026, 8, 17)].holiday.pk}"' not in html

    def test_an_unconfirmed_year_shows_the_fixed_dates_and_the_estimate_marked_as_such(self, client, national):
        r = client.get(u("officer_holidays"), {"tahun": 2027})
        html = r.content.decode()
        assert not r.context["confirmed"] and 'data-testid="unconfirmed"' in html and "Belum dikonfirmasi" in html
        days = {d.date: d for d in r.context["days"]}
        assert days[D(2027, 12, 25)].source == calendar.FIXED_SOURCE and "tetap" in html
        assert days[D(2027, 3, 10)].source == calendar.ESTIMATED and "perkiraan" in html
        assert 'data-testid="prefill"' in html and 'data-testid="confirm"' in html

    @pytest.mark.parametrize(
        ("today", "warned"),
        [
            (datetime.datetime(2026, 9, 30, 9, 0, tzinfo=WIB), False),
            (datetime.datetime(2026, 10, 1, 9, 0, tzinfo=WIB), True),
            (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIB), True),
        ],
    )
    def test_from_october_the_page_warns_while_next_year_is_not_confirmed(
        self, client, login, world, pinned_clock, today, warned
    ):
        pinned_clock.move_to(today)
        login(world["national"])  # after moving the clock, so the session is fresh then
        html = client.get(u("officer_holidays")).content.decode()
        assert ('data-testid="warn-next-year"' in html) is warned
        if warned:
            assert "Hari libur 2027 belum dikonfirmasi" in html
            Holiday.objects.create(date=D(2027, 3, 10), name="Idul Fitri", kind="national")
            HolidayYear.objects.create(year=2027, confirmed=True, decree="SKB 2027")
            calendar.forget(2027)
            assert 'data-testid="warn-next-year"' not in client.get(u("officer_holidays")).content.decode()


class TestActions:
    def test_add_and_remove_a_day_each_on_its_own_address_and_the_calendar_follows(
        self, client, national, django_capture_on_commit_callbacks
    ):
        day = D(2031, 6, 3)  # a Tuesday the estimate does not know
        assert day not in calendar.holidays([2031])  # cached now
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(
                u("officer_holiday_add"), {"date": "2031-06-03", "name": "Hari Raya Uji", "kind": "national"}
            )
        assert r.status_code == 302 and r["Location"].endswith("?tahun=2031")
        assert day in calendar.holidays([2031]) and AuditRecord.objects.filter(action="core.holiday_add").count() == 1
        assert listed(client, 2031)[day].source == calendar.ENTERED
        holiday = Holiday.objects.get(date=day)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(u("officer_holiday_remove", holiday.pk), {"reason": "salah catat"})
        assert r.status_code == 302
        assert day not in calendar.holidays([2031]) and not Holiday.objects.filter(date=day).exists()
        assert AuditRecord.objects.get(action="core.holiday_remove").reason == "salah catat"

    @pytest.mark.parametrize(
        ("date", "message"),
        [("2026-03-20", "sudah tercatat"), ("2031-08-17", "hari libur tetap")],
    )
    def test_adding_a_day_already_off_is_refused_on_the_page(self, client, national, date, message):
        r = client.post(u("officer_holiday_add"), {"date": date, "name": "Lagi", "kind": "national"})
        assert r.status_code == 400 and message in r.content.decode()
        assert not AuditRecord.objects.filter(action="core.holiday_add").exists()

    def test_removing_an_unknown_day_is_404_and_a_fixed_one_is_refused(self, client, national):
        assert client.post(u("officer_holiday_remove", 999999), {}).status_code == 404
        new_year = Holiday.objects.get(date=D(2026, 1, 1))
        r = client.post(u("officer_holiday_remove", new_year.pk), {})
        assert r.status_code == 400 and "tidak dapat dihapus" in r.content.decode()
        assert Holiday.objects.filter(pk=new_year.pk).exists()

    def test_prefill_then_confirm_a_year(self, client, national, world, django_capture_on_commit_callbacks):
        r = client.post(u("officer_holiday_confirm", 2027), {"decree": "SKB 2027"})
        assert r.status_code == 400 and "catat dulu" in r.content.decode()  # nothing entered yet
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(u("officer_holiday_prefill", 2027), {}).status_code == 302
        days = listed(client, 2027)
        assert days[D(2027, 3, 10)].source == calendar.ENTERED and not calendar.is_confirmed(2027)
        r = client.post(u("officer_holiday_confirm", 2027), {"decree": ""})
        assert r.status_code == 400 and "nomor SKB" in r.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(u("officer_holiday_confirm", 2027), {"decree": "1/2026, 2/2026, 3/2026"})
        assert r.status_code == 302 and calendar.is_confirmed(2027)
        row = HolidayYear.objects.get(year=2027)
        assert (row.decree, row.confirmed_by) == ("1/2026, 2/2026, 3/2026", world["national"])
        html = client.get(u("officer_holidays"), {"tahun": 2027}).content.decode()
        assert "Dikonfirmasi (SKB 1/2026, 2/2026, 3/2026)" in html and 'data-testid="prefill"' not in html
        assert client.post(u("officer_holiday_prefill", 2027), {}).status_code == 400  # a confirmed year stays

    def test_the_actions_only_accept_post_and_years_in_range(self, client, national):
        assert client.get(u("officer_holiday_add")).status_code == 405
        assert client.get(u("officer_holiday_confirm", 2027)).status_code == 405
        assert client.post(u("officer_holiday_confirm", 1990), {"decree": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["admin_lpg", "complaints_lpg", "employee_lpg", "auditor_lpg"])
def test_only_the_national_admin(client, login, world, role):
    login(world[role])
    assert client.get(u("officer_holidays")).status_code == 404
    holiday = Holiday.objects.get(date=D(2026, 3, 20))
    for url, data in (
        (u("officer_holiday_add"), {"date": "2031-06-03", "name": "x", "kind": "national"}),
        (u("officer_holiday_remove", holiday.pk), {}),
        (u("officer_holiday_prefill", 2027), {}),
        (u("officer_holiday_confirm", 2027), {"decree": "x"}),
    ):
        assert client.post(url, data).status_code == 404
    assert not Holiday.objects.filter(date=D(2031, 6, 3)).exists() and Holiday.objects.filter(pk=holiday.pk).exists()
    assert not Holiday.objects.filter(date__year=2027).exists() and not HolidayYear.objects.filter(year=2027).exists()
