"""Open selection for JPT posts: conflicts declared first, independent immutable scores, top three."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import build_actor
from core.errors import DomainError
from core.models import AuditRecord
from recruitment.models import StageScore
from recruitment.open_selection import (
    candidate_add,
    conflicts_declare,
    member_add,
    member_desk,
    ranking,
    score_submit,
    scores_visible_to,
    selection_board,
    selection_create,
    selection_propose,
    stage_scores_submit,
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
        names = (conflicts or {}).get(i, [])
        conflicts_declare(actor=actor, selection=s, conflicts=[s.c[n] for n in names], note="ipar" if names else "")


def test_setup_refusals(world):
    admin = build_actor(world["admin_lpg"])
    members = [make_user(f"x.{i}") for i in range(3)]
    with pytest.raises(DomainError, match="100%"):
        selection_create(
            actor=admin,
            agency=world["lpg"]["agency"],
            position_title="x",
            members=members,
            candidates=["a", "b", "c"],
            stages=(("a", 50), ("b", 40)),
        )
    with pytest.raises(DomainError, match="tiga orang"):
        selection_create(
            actor=admin,
            agency=world["lpg"]["agency"],
            position_title="x",
            members=members[:2],
            candidates=["a", "b", "c"],
        )
    with pytest.raises(PermissionDenied):
        selection_create(
            actor=build_actor(world["admin_gtlo"]),
            agency=world["lpg"]["agency"],
            position_title="x",
            members=members,
            candidates=["a", "b", "c"],
        )


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
    assert scores_visible_to(sel.m[1], sel.st[1], sel.c["Budi"]) == []  # not before the whole stage is in
    for name in ("Andi", "Citra", "Dewi"):
        score_submit(actor=sel.m[1], stage=sel.st[1], candidate=sel.c[name], score=60)
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


def test_candidates_may_be_employees_of_the_agency_and_never_sit_on_their_own_committee(world):
    admin = build_actor(world["admin_lpg"])
    lpg, members = world["lpg"], [make_user(f"y.{i}") for i in range(2)]
    kw = dict(actor=admin, agency=lpg["agency"], position_title="Sekda")
    with pytest.raises(DomainError, match="bukan pegawai instansi ini"):
        selection_create(
            **kw, members=[*members, world["supervisor_lpg"]], candidates=["A", "B", world["gtlo"]["e_head"]]
        )
    with pytest.raises(DomainError, match="sudah menjadi peserta"):
        selection_create(**kw, members=[*members, world["supervisor_lpg"]], candidates=["A", "a ", "B"])
    with pytest.raises(DomainError, match="tidak dapat menjadi anggota panitia"):
        selection_create(**kw, members=[*members, world["supervisor_lpg"]], candidates=["A", "B", lpg["e_kabid"]])
    with pytest.raises(DomainError, match="sedikitnya 1%"):
        selection_create(
            **kw, members=[*members, world["supervisor_lpg"]], candidates=["A", "B", "C"], stages=(("a", 100), ("b", 0))
        )
    with pytest.raises(DomainError, match="tiga orang"):  # the same person twice is one member
        selection_create(**kw, members=[*members, members[0]], candidates=["A", "B", "C"])
    sel = selection_create(**kw, members=[*members, world["supervisor_lpg"]], candidates=["A", "B", lpg["e_head"]])
    assert sel.candidates.get(employee=lpg["e_head"]).name == "Kepala Lampung"


def test_adding_candidates_and_members(sel, world):
    with pytest.raises(PermissionDenied):
        candidate_add(actor=build_actor(world["admin_gtlo"]), selection=sel, name="Eko")
    c = candidate_add(actor=sel.admin, selection=sel, name="Eko")
    assert c.selection == sel and AuditRecord.objects.filter(action="open_selection.candidate_add").count() == 1
    with pytest.raises(DomainError, match="sudah menjadi peserta"):
        candidate_add(actor=sel.admin, selection=sel, name="eko")
    newcomer = make_user("pansel.baru")
    member_add(actor=sel.admin, selection=sel, user=newcomer)
    with pytest.raises(DomainError, match="sudah menjadi anggota"):
        member_add(actor=sel.admin, selection=sel, user=newcomer)
    linked = candidate_add(actor=sel.admin, selection=sel, employee=world["lpg"]["e_staff"])
    with pytest.raises(DomainError, match="tidak dapat menjadi anggota panitia"):
        member_add(actor=sel.admin, selection=sel, user=world["employee_lpg"])
    assert linked.name == "Staf Lampung"
    declare_all(sel)
    with pytest.raises(DomainError, match="setelah anggota panitia menyatakan"):
        candidate_add(actor=sel.admin, selection=sel, name="Fajar")
    assert AuditRecord.objects.filter(action="open_selection.member_add").count() == 1


def test_a_conflict_needs_a_note_and_a_score_two_decimals(sel):
    with pytest.raises(DomainError, match="Jelaskan hubungan"):
        conflicts_declare(actor=sel.m[0], selection=sel, conflicts=[sel.c["Andi"]])
    declare_all(sel)
    with pytest.raises(DomainError, match="dua angka desimal"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=Decimal("80.125"))
    with pytest.raises(DomainError, match="berupa angka"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score="x")
    s = score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=Decimal("80.10"))
    assert s.score == Decimal("80.10")


def test_a_stage_goes_in_all_or_nothing(sel):
    declare_all(sel, {0: ["Dewi"]})
    with pytest.raises(DomainError, match="tidak menilainya"):
        stage_scores_submit(actor=sel.m[0], stage=sel.st[0], scores={sel.c["Andi"]: 70, sel.c["Dewi"]: 80})
    assert not StageScore.objects.exists()
    with pytest.raises(DomainError, match="sedikitnya satu"):
        stage_scores_submit(actor=sel.m[0], stage=sel.st[0], scores={})
    sent = stage_scores_submit(actor=sel.m[0], stage=sel.st[0], scores={sel.c["Andi"]: 70, sel.c["Budi"]: 75})
    assert len(sent) == 2


def test_the_desk_shows_the_others_only_for_stages_the_member_has_sent(sel):
    declare_all(sel, {1: ["Dewi"]})
    for name in ("Andi", "Budi", "Citra", "Dewi"):
        score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c[name], score=60)
    _m, desk = member_desk(sel.m[1], sel)
    assert not desk[0].submitted and desk[0].open == 3 and all(r.others == [] for r in desk[0].rows)
    assert [r.conflicted for r in desk[0].rows] == [False, False, False, True]
    for name in ("Andi", "Budi", "Citra"):
        score_submit(actor=sel.m[1], stage=sel.st[0], candidate=sel.c[name], score=70)
    _m, desk = member_desk(sel.m[1], sel)
    assert desk[0].submitted and not desk[1].submitted
    assert [[s.score for s in r.others] for r in desk[0].rows] == [[60], [60], [60], [60]]
    assert [r.own.score if r.own else None for r in desk[0].rows] == [70, 70, 70, None]
    with pytest.raises(PermissionDenied):
        member_desk(sel.admin, sel)


def test_the_board_counts_what_is_due_and_what_came_in(sel):
    declare_all(sel, {2: ["Dewi"]})
    score_submit(actor=sel.m[0], stage=sel.st[0], candidate=sel.c["Andi"], score=50)
    board = selection_board(sel)
    assert [(p["received"], p["expected"]) for p in board.progress] == [(1, 11), (0, 11), (0, 11), (0, 11), (0, 11)]
    assert [(pm["done"], pm["expected"]) for pm in board.progress[0]["members"]] == [(1, 4), (0, 4), (0, 3)]
    andi = next(r for r in board.rows if r["candidate"].name == "Andi")
    assert andi["stages"][0]["mean"] == Decimal("50.00") and andi["stages"][0]["weighted"] == Decimal("5.000")
    assert not board.complete
