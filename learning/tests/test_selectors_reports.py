"""selectors.effectiveness and the budget selectors: a row per agency when asked, in one query whatever the
number of agencies, and the same figures as asking agency by agency."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from learning import rules, selectors, services
from learning.models import TrainingEvent

pytestmark = pytest.mark.django_db

AGENCY_KEYS = ("agency", "agency_id")


def ended() -> datetime.date:
    """Yesterday on the pinned clock (read when a test runs, never when the module is imported)."""
    return timezone.localdate() - datetime.timedelta(days=1)


def closed(actor, program, employee, *, post=Decimal(80)):
    """An event of the programme held by the employee's agency, ended yesterday, with the employee's seat
    closed (passed at a post-test of 80, failed below the programme's pass mark). Enrolled while the event
    was today and then moved to yesterday, so both years have a budget (on 1 January they differ)."""
    today, day = timezone.localdate(), ended()
    event = services.event_create(
        actor=actor,
        program=program,
        agency=employee.agency,
        name=f"Angkatan {employee.pk}-{program.pk}",
        starts_on=today,
        ends_on=today,
        place="BPSDM",
        capacity=5,
    )
    for year in {rules.budget_year(today), rules.budget_year(day)}:
        services.budget_set(actor=actor, agency=employee.agency, year=year, amount=Decimal(10**8))
    seat = services.enroll(actor=actor, event=event, employee=employee)
    TrainingEvent.objects.filter(pk=event.pk).update(starts_on=day, ends_on=day)
    return services.enrollment_complete(
        actor=actor, enrollment=seat, pre_score=Decimal(50), post_score=post, completed_on=day
    )


@pytest.fixture
def trained(learning_world, world, actors):
    """Lampung: the ASN programme passed by the staff member and failed by the head, and an orientation
    (titled before it) passed by the Kabid. Gorontalo: its staff member passed the ASN programme."""
    lw, lpg = learning_world, world["lpg"]
    orientation = services.program_create(
        actor=actors["admin_lpg"],
        code="P-ORI",
        title="Orientasi Kepegawaian",
        jp=Decimal(10),
        modality="classical",
        provider="BKD Lampung",
        cost=Decimal(500_000),
        targets={lw["asn"]: 2},
    )
    closed(actors["admin_lpg"], lw["program"], lpg["e_staff"])
    closed(actors["admin_lpg"], lw["program"], lpg["e_head"], post=Decimal(40))
    closed(actors["admin_lpg"], orientation, lpg["e_kabid"])
    closed(actors["admin_gtlo"], lw["program"], world["gtlo"]["e_staff"])
    return lw


def _ids(world):
    return [world["lpg"]["agency"].pk, world["gtlo"]["agency"].pk]


class TestEffectiveness:
    def test_per_agency_rows_name_the_agency_in_name_then_title_order(self, trained, world):
        rows = selectors.effectiveness(_ids(world), ended().year, per_agency=True)
        lpg, gtlo = world["lpg"]["agency"], world["gtlo"]["agency"]
        assert [(r["agency_id"], r["agency"], r["program"], r["participants"], r["completion"]) for r in rows] == [
            (gtlo.pk, "Gorontalo", "Pelatihan Manajemen ASN", 1, 1.0),
            (lpg.pk, "Lampung", "Orientasi Kepegawaian", 1, 1.0),
            (lpg.pk, "Lampung", "Pelatihan Manajemen ASN", 2, 0.5),
        ]

    def test_per_agency_rows_are_what_each_agency_alone_gets(self, trained, world):
        rows = selectors.effectiveness(None, ended().year, per_agency=True)
        for pk in _ids(world):
            mine = [{k: v for k, v in r.items() if k not in AGENCY_KEYS} for r in rows if r["agency_id"] == pk]
            assert mine == selectors.effectiveness([pk], ended().year)

    def test_without_per_agency_the_agencies_are_counted_together(self, trained, world):
        rows = selectors.effectiveness(_ids(world), ended().year)
        assert [(r["program"], r["participants"], r["completion"]) for r in rows] == [
            ("Orientasi Kepegawaian", 1, 1.0),
            ("Pelatihan Manajemen ASN", 3, pytest.approx(2 / 3)),
        ]
        assert not any(k in r for r in rows for k in AGENCY_KEYS)
        assert selectors.effectiveness(None, ended().year) == rows

    def test_the_agencies_and_the_year_are_kept(self, trained, world):
        [row] = selectors.effectiveness([world["gtlo"]["agency"].pk], ended().year)
        assert (row["program"], row["participants"]) == ("Pelatihan Manajemen ASN", 1)
        assert selectors.effectiveness([], ended().year, per_agency=True) == []
        assert selectors.effectiveness(_ids(world), ended().year - 1, per_agency=True) == []

    @pytest.mark.parametrize("per_agency", [False, True])
    def test_one_query_for_any_number_of_agencies(self, trained, world, django_assert_num_queries, per_agency):
        for ids in ([world["lpg"]["agency"].pk], _ids(world), None):
            with django_assert_num_queries(1):
                assert selectors.effectiveness(ids, ended().year, per_agency=per_agency)


class TestBudget:
    def test_per_agency_in_three_queries(self, trained, world, django_assert_num_queries):
        with django_assert_num_queries(3):
            rows = selectors.budget_by_agency(None, ended().year)
        assert [r["agency"] for r in rows] == ["Gorontalo", "Lampung"]
        for r in rows:
            position = services.budget_position(r["agency_id"], ended().year)
            assert {k: r[k] for k in position} == position
        with django_assert_num_queries(3):
            [row] = selectors.budget_by_agency([world["gtlo"]["agency"].pk], ended().year)
        assert (row["agency"], row["spent"]) == ("Gorontalo", Decimal(1_000_000))

    def test_unit_ceilings_in_two_queries(self, trained, world, actors, django_assert_num_queries):
        lpg = world["lpg"]
        agency = lpg["agency"]
        with django_assert_num_queries(1):
            assert selectors.budget_by_unit(agency.pk, ended().year) == []
        services.budget_set(actor=actors["admin_lpg"], agency=agency, unit=lpg["div"], year=ended().year, amount=10**7)
        with django_assert_num_queries(2):
            [unit] = selectors.budget_by_unit(agency.pk, ended().year)
        position = services.budget_position(agency.pk, ended().year, lpg["div"].pk)
        assert unit["unit"] == "Bidang Mutasi"
        assert {k: unit[k] for k in position} == position
