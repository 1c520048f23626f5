import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.access import build_actor
from learning import rules, services
from learning.choices import CompetencyKind
from learning.models import Competency
from tests.factories import make_employee


@pytest.fixture
def actors(world):
    return {k: build_actor(world[k]) for k in ("admin_lpg", "admin_gtlo", "supervisor_lpg", "employee_lpg", "national")}


@pytest.fixture
def learning_world(world, actors):
    """Managerial 'Integritas' (5 levels) and technical 'Manajemen ASN' in Lampung, a standard for the
    staff post, a programme reaching level 3 for Rp1.000.000 and 20 JP, an event next month with two seats,
    and a budget of Rp2.500.000 for the year the event counts in (``year``: the year it ends)."""
    lpg = world["lpg"]
    # Loaded by migration 0002; a transactional test's flush removes it, so make it again then.
    integrity = Competency.objects.filter(code="M1", agency=None).first() or services.competency_create(
        actor=actors["national"],
        kind=CompetencyKind.MANAGERIAL,
        code="M1",
        name="Integritas",
        max_level=5,
        levels={k: f"Level {k}" for k in range(1, 6)},
    )
    asn = services.competency_create(
        actor=actors["admin_lpg"],
        kind=CompetencyKind.TECHNICAL,
        code="T-ASN",
        name="Manajemen ASN",
        max_level=4,
        levels={k: f"Level {k}" for k in range(1, 5)},
        agency=lpg["agency"],
        family="Kepegawaian",
    )
    services.standard_set(actor=actors["admin_lpg"], position=lpg["staff"], competency=integrity, required_level=3)
    services.standard_set(actor=actors["admin_lpg"], position=lpg["staff"], competency=asn, required_level=3)
    program = services.program_create(
        actor=actors["admin_lpg"],
        code="P-ASN",
        title="Pelatihan Manajemen ASN",
        jp=Decimal(20),
        modality="classical",
        provider="BPSDM Provinsi Lampung",
        cost=Decimal(1_000_000),
        targets={asn: 3},
    )
    start = timezone.localdate() + datetime.timedelta(days=30)
    event = services.event_create(
        actor=actors["admin_lpg"],
        program=program,
        agency=lpg["agency"],
        name="Angkatan I",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=2),
        place="BPSDM",
        capacity=2,
    )
    # The year the event's cost is charged to and its JP count in (the year it ends), whatever today is.
    year = rules.budget_year(event.ends_on)
    services.budget_set(actor=actors["admin_lpg"], agency=lpg["agency"], year=year, amount=Decimal(2_500_000))
    return {"integrity": integrity, "asn": asn, "program": program, "event": event, "lpg": lpg, "year": year}


@pytest.fixture
def candidates(learning_world, actors, world):
    """Three staff members at ASN level 1 for an event with two seats; head and Kabid have no gap."""
    lw, lpg = learning_world, world["lpg"]
    people = [lpg["e_staff"]] + [
        make_employee(lpg["agency"], lpg["staff"], name=f"Staf Alokasi {i}", birth=datetime.date(1992, 1, 1 + i))
        for i in range(2)
    ]
    for p in people:
        services.assessment_record(
            actor=actors["admin_lpg"],
            employee=p,
            competency=lw["asn"],
            level=1,
            source="cact",
            assessed_on=timezone.localdate(),
        )
    lw["people"] = people
    lw["agency"] = lpg["agency"]
    return lw
