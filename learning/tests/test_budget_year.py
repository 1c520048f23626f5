"""The budget year of an event is the year its learning counts in: the year it ends (rules.budget_year, the
same as rules.ledger_year). An event from 28 December to 3 January commits and spends January's budget, books
its JP to January's year, is offered by January's allocation and not December's, and its pages say so."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.errors import DomainError
from learning import allocation, rules, selectors, services
from learning.models import JpEntry, TrainingBudget
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


def text(resp) -> str:
    assert resp.status_code == 200, resp.content[:300]
    return re.sub(r"\s+", " ", resp.content.decode())


@pytest.fixture
def straddling(learning_world, actors):
    """The ASN programme (Rp1.000.000, 20 JP) from 28 December to 3 January, the next such turn of the year
    still ahead; December's year has Rp10.000.000, January's exactly one seat's Rp1.000.000."""
    lw, hr = learning_world, actors["admin_lpg"]
    today = timezone.localdate()
    december = today.year if today < datetime.date(today.year, 12, 28) else today.year + 1
    event = services.event_create(
        actor=hr,
        program=lw["program"],
        agency=lw["lpg"]["agency"],
        name="Angkatan Tahun Baru",
        starts_on=datetime.date(december, 12, 28),
        ends_on=datetime.date(december + 1, 1, 3),
        place="BPSDM",
        capacity=3,
    )
    agency = lw["lpg"]["agency"]
    services.budget_set(actor=hr, agency=agency, year=december, amount=Decimal(10_000_000))
    services.budget_set(actor=hr, agency=agency, year=december + 1, amount=Decimal(1_000_000))
    return lw | {"turn": event, "december": december, "january": december + 1, "agency": agency}


class TestTheRule:
    def test_the_budget_year_is_the_year_the_event_ends(self):
        assert rules.budget_year(datetime.date(2027, 1, 3)) == 2027 == rules.ledger_year(datetime.date(2027, 1, 3))
        assert rules.spans_years(datetime.date(2026, 12, 28), datetime.date(2027, 1, 3))
        assert not rules.spans_years(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))


class TestMoney:
    def test_enrolling_commits_januarys_budget(self, straddling, actors, world):
        s = straddling
        assert s["turn"].counts_in_year == s["january"] and s["turn"].spans_years
        services.enroll(actor=actors["admin_lpg"], event=s["turn"], employee=world["lpg"]["e_staff"])
        january = services.budget_position(s["agency"].pk, s["january"])
        december = services.budget_position(s["agency"].pk, s["december"])
        assert (january["committed"], january["available"]) == (Decimal(1_000_000), 0)
        assert december["committed"] == 0 and december["available"] == Decimal(10_000_000)
        [row] = [r for r in selectors.budget_by_agency(None, s["january"]) if r["agency_id"] == s["agency"].pk]
        assert {k: row[k] for k in january} == january
        # December's ten million do not pay for a second seat: January's budget is spent.
        other = make_employee(s["agency"], world["lpg"]["staff"], name="Staf Kedua")
        with pytest.raises(DomainError, match="Anggaran tidak cukup: sisa Rp0"):
            services.enroll(actor=actors["admin_lpg"], event=s["turn"], employee=other)

    def test_without_januarys_budget_it_is_refused(self, straddling, actors, world):
        s = straddling
        TrainingBudget.objects.filter(year=s["january"]).delete()
        with pytest.raises(DomainError, match=f"Anggaran pengembangan kompetensi {s['january']} belum ditetapkan"):
            services.enroll(actor=actors["admin_lpg"], event=s["turn"], employee=world["lpg"]["e_staff"])

    def test_completion_spends_januarys_budget_and_books_januarys_jp(self, straddling, actors, world, pinned_clock):
        s, staff = straddling, world["lpg"]["e_staff"]
        seat = services.enroll(actor=actors["admin_lpg"], event=s["turn"], employee=staff)
        pinned_clock.move_to(datetime.datetime(s["january"], 1, 4, 10, 0, tzinfo=WIB))
        services.enrollment_complete(
            actor=actors["admin_lpg"], enrollment=seat, pre_score=Decimal(50), post_score=Decimal(80)
        )
        entry = JpEntry.objects.get(enrollment=seat)
        assert (entry.year, entry.jp, entry.minutes) == (s["january"], Decimal(20), 900)
        assert selectors.jp_of_year(staff.pk, s["january"]) == Decimal(20)
        assert selectors.jp_of_year(staff.pk, s["december"]) == 0
        january = services.budget_position(s["agency"].pk, s["january"])
        assert (january["committed"], january["spent"]) == (0, Decimal(1_000_000))
        assert services.budget_position(s["agency"].pk, s["december"])["spent"] == 0


class TestAllocation:
    def test_decembers_allocation_does_not_offer_it_januarys_does(self, straddling):
        s = straddling
        december = allocation.build(agency=s["agency"], year=s["december"])
        january = allocation.build(agency=s["agency"], year=s["january"])
        assert s["turn"].pk not in {e.id for e in december.events}
        assert s["turn"].pk in {e.id for e in january.events}
        assert january.budget == 1_000_000 and december.budget == 10_000_000
        # Every event offered for a year counts in that year.
        for year, problem in ((s["december"], december), (s["january"], january)):
            assert all(rules.budget_year(problem.event_rows[e.id].ends_on) == year for e in problem.events)


class TestPages:
    def test_the_event_page_names_januarys_budget_and_jp(self, client, login, straddling, world, actors):
        s = straddling
        login(world["admin_lpg"])
        page = text(client.get(f"/pengembangan/katalog/angkatan/{s['turn'].pk}/"))
        assert f"anggaran dan JP tahun {s['january']}" in page and f"Sisa anggaran {s['january']}" in page
        day = datetime.date(s["december"], 12, 28)
        ordinary = services.event_create(
            actor=actors["admin_lpg"],
            program=s["program"],
            agency=s["agency"],
            name="Angkatan Desember",
            starts_on=day,
            ends_on=day,
            place="BPSDM",
            capacity=3,
        )
        page = text(client.get(f"/pengembangan/katalog/angkatan/{ordinary.pk}/"))
        assert 'data-testid="counts-in-year"' not in page and f"Sisa anggaran {s['december']}" in page

    def test_the_programme_and_the_employees_list_say_it_too(self, client, login, straddling, world):
        s = straddling
        login(world["employee_lpg"])
        programme = text(client.get(f"/pengembangan/katalog/program/{s['program'].pk}/"))
        spanning = [e for e in s["program"].events.filter(cancelled=False) if e.spans_years]
        assert programme.count('data-testid="counts-in-year"') == len(spanning) >= 1
        assert f"anggaran dan JP tahun {s['january']}" in programme
        mine = text(client.get("/pengembangan/katalog/saya/"))
        assert f"anggaran dan JP tahun {s['january']}" in mine

    def test_the_api_year_filters_are_the_budget_year(self, client, login, straddling, world, actors):
        s = straddling
        services.enroll(actor=actors["admin_lpg"], event=s["turn"], employee=world["lpg"]["e_staff"])
        login(world["admin_lpg"])

        def ids(url, year):
            resp = client.get(url, {"year": year})
            assert resp.status_code == 200, resp.content[:300]
            return {r["id"] for r in resp.json()["results"]}

        assert s["turn"].pk in ids("/api/training-events/", s["january"])
        assert s["turn"].pk not in ids("/api/training-events/", s["december"])
        [seat] = [r for r in client.get("/api/enrollments/").json()["results"] if r["event"] == s["turn"].pk]
        assert seat["id"] in ids("/api/enrollments/", s["january"])
        assert seat["id"] not in ids("/api/enrollments/", s["december"])
