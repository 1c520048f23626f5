import datetime

import pytest
from django.utils import timezone

from accounts.access import build_actor
from personnel.models import EducationLevel
from recruitment.services import formation_create, period_create


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def period(world):
    now = timezone.now()
    p = period_create(
        actor=build_actor(world["national"]),
        kind="cpns",
        year=2026,
        name="Seleksi CPNS 2026",
        opens=now,
        closes=now + datetime.timedelta(days=14),
    )
    p.published_at = now
    p.save()
    return p


def make_formation(world, period, key="lpg", title="Analis SDM Aparatur", quotas=None):
    w = world[key]
    return formation_create(
        actor=build_actor(world[f"admin_{key}"]),
        period=period,
        agency=w["agency"],
        unit=w["div"],
        position_title=title,
        education=[EducationLevel.objects.get(code="S1")],
        quotas=quotas or {"umum": 3, "cumlaude": 1},
    )
