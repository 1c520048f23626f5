import pytest

from accounts.access import build_actor
from publicservice.models import ServiceUnit


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ps(world):
    """A puskesmas in Lampung (the staff's division answers for it), another unit, and the actors."""
    lpg = world["lpg"]
    puskesmas = ServiceUnit.objects.create(
        agency=lpg["agency"], org_unit=lpg["div"], name="Puskesmas Kedaton", population=1200
    )
    other = ServiceUnit.objects.create(
        agency=lpg["agency"], org_unit=lpg["root"], name="UPT Samsat Bandar Lampung", population=5000
    )
    gtlo = ServiceUnit.objects.create(agency=world["gtlo"]["agency"], name="Dukcapil Gorontalo", population=3000)
    return {
        "unit": puskesmas,
        "other": other,
        "gtlo": gtlo,
        "officer": build_actor(world["complaints_lpg"]),
        "officer_gtlo": build_actor(world["complaints_gtlo"]),
        "staff": build_actor(world["employee_lpg"]),
        "national": build_actor(world["national"]),
    }
