"""Open selection for JPT posts: conflicts declared first, independent immutable scores, top three."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import build_actor
from core.errors import DomainError
from core.models import AuditRecord
from recruitment.open_selection import (
    conflicts_declare,
    ranking,
    score_submit,
    scores_visible_to,
    selection_create,
    selection_propose,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sel(world):
    members = [make_user(f"pansel.{i}") for i in range(3)]
    s = selection_create(
        actor=build_actor(world["admin_lpg"]),
        agency=world["lpg"]["agency"],
        position_title="Kepala Dinas Kesehatan",
        members=members,
        candidates=["Andi", "Budi", "Citra", "Dewi"],
    )
    s.m = [build_actor(u) for u in members]
    s.c = {c.name: c for c in s.candidates.all()}
    s.st = list(s.stages.all())
    s.admin = build_actor(world["admin_lpg"])
    return s


def score_all(s, table, skip=()):
    """table: candidate -> score every member gives at every stage."""
    for i, actor in enumerate(s.m):
        for name, value in table.items():
            for st in s.st:
                if (i, name) in skip:
                    continue
                score_submit(actor=actor, stage=st, candidate=s.c[name], score=Decimal(value + i))


def declare_all(s, conflicts=None):
    for i, actor in enumerate(s.m):
        conflicts_declare(actor=actor, selection=s, conflicts=[s.c[n] for n in (conflicts or {}).get(i, [])])


def test_setup_refusals(world):
    admin = build_actor(world["admin_lpg"])
    members = [make_user(f"x.{i}") for i in range(3)]
    with pytest.raises(DomainError, match="100%"):
        selection_create(actor=admin, agency=world["lpg"]["agency"], position_title="x", members=members, candidates=["a", "b", "c"], stages=(("a", 50), ("b", 40)))
    with pytest.raises(DomainError, match="tiga orang"):
        selection_create(actor=admin, agency=world["lpg"]["agency"], position_title="x", members=members[:2], candidates=["a", "b", "c"])
    with pytest.raises(PermissionDenied):
        selection_create(actor=build_actor(world["admin_gtlo"]), agency=world["lpg"]["agency"], position_title="x", members=members, candidates=["a", "b", "c"])


def test_no_score_before_the_conflict_statement_nor_on_a_conflicted_candidate(sel):
    with pytest.raises(DomainError, match="konflik kepentingan sebelum"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=80)
    declare_all(sel, {0: ["Andi"]})
    with pytest.raises(DomainError, match="tidak menilainya"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=80)
    with pytest.raises(DomainError, match="sudah dibuat"):
        conflicts_declare(actor=sel.m[0], selection=sel, conflicts=[])


def test_scores_are_immutable_and_hidden_until_one_has_scored(sel):
    declare_all(sel)
    score_submit(actor=sel.m[0], stage=sel.st[1], candidate=sel.c["Budi"], score=70)
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        score_submit(actor=sel.m[0], stage=sel.st[1], candidate=sel.c["Budi"], score=95)
    assert scores_visible_to(sel.m[1], sel.st[1], sel.c["Budi"]) == []  # not before own score
    score_submit(actor=sel.m[1], stage=sel.st[1], candidate=sel.c["Budi"], score=72)
    assert sorted(s.score for s in scores_visible_to(sel.m[1], sel.st[1], sel.c["Budi"])) == [70, 72]
    with pytest.raises(PermissionDenied):
        score_submit(actor=sel.admin, stage=sel.st[1], candidate=sel.c["Budi"], score=72)
    with pytest.raises(DomainError, match="0 dan 100"):
        score_submit(actor=sel.m[2], stage=sel.st[1], candidate=sel.c["Budi"], score=101)


def test_weighted_ranking_and_the_best_three_proposed(sel):
    declare_all(sel, {2: ["Dewi"]})
    with pytest.raises(DomainError, match="Belum semua"):
        selection_propose(actor=sel.admin, selection=sel)
    score_all(sel, {"Andi": 70, "Budi": 80, "Citra": 90, "Dewi": 85}, skip={(2, "Dewi")})
    rows = ranking(sel)
    assert [r["candidate"].name for r in rows] == ["Citra", "Dewi", "Budi", "Andi"]
    assert rows[0]["score"] == Decimal("91.000")  # mean of 90, 91, 92 at every stage
    assert rows[1]["score"] == Decimal("85.500") and rows[1]["complete"]  # only the two members without conflict
    top = selection_propose(actor=sel.admin, selection=sel)
    assert [t["candidate"] for t in top] == ["Citra", "Dewi", "Budi"]
    assert AuditRecord.objects.filter(action="open_selection.propose").exists()
    with pytest.raises(DomainError, match="sudah diusulkan"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=1)
