import datetime

import pytest
from django.utils import timezone

from accounts.access import build_actor
from exams.models import ExamRoom, ExamSession, ExamSite, Option, Participant, Question
from recruitment.tests.conftest import period  # noqa: F401 - shared fixture
from tests.factories import make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def fill_bank(extra: int = 2) -> None:
    """A bank just large enough for the SKD blueprint (plus a few spare items per sub-test)."""
    for subtest, n in (("twk", 30), ("tiu", 35), ("tkp", 45)):
        for i in range(n + extra):
            q = Question.objects.create(
                code=f"{subtest.upper()}-{i:03d}", subtest=subtest, text=f"Soal {subtest.upper()} nomor {i}"
            )
            weights = [5, 0, 0, 0, 0] if subtest != "tkp" else [1, 2, 3, 4, 5]
            Option.objects.bulk_create(
                Option(question=q, label=lab, text=f"Pilihan {lab} soal {i}", points=w)
                for lab, w in zip("abcde", weights)
            )


@pytest.fixture
def cat(world):
    """A site with an operator, a 10-seat room, a session starting now, and three participants."""
    fill_bank()
    site = ExamSite.objects.create(name="UPT BKN Bandar Lampung")
    operator = make_user("operator.cat", totp=False)
    site.operators.add(operator)
    room = ExamRoom.objects.create(site=site, name="Ruang 1", seats=10)
    session = ExamSession.objects.create(
        code="LPG-01", room=room, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    people = [
        Participant.objects.create(
            session=session, number=f"26180{n:05d}", name=f"Peserta {n}", visually_impaired=n == 3
        )
        for n in (1, 2, 3)
    ]
    return {
        "site": site,
        "room": room,
        "session": session,
        "people": people,
        "operator": operator,
        "op": build_actor(operator),
        "later": timezone.now() + datetime.timedelta(seconds=1),
    }
