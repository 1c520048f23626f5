"""SKD scoring (RULES.md §2.1), cell by cell."""

import pytest

from exams import rules as r


def keyed(subtest, key="a"):
    return r.Item(subtest, {o: (5 if o == key else 0) for o in "abcde"})


def tkp(weights=(1, 2, 3, 4, 5)):
    return r.Item(r.TKP, dict(zip("abcde", weights, strict=True)))


def test_the_2021_blueprint():
    b = r.SKD_2021
    assert [(p.subtest, p.questions, p.maximum) for p in b.parts] == [
        ("twk", 30, 150),
        ("tiu", 35, 175),
        ("tkp", 45, 225),
    ]
    assert (b.questions, b.maximum) == (110, 550)
    assert b.minutes_for(visually_impaired=False) == 100 and b.minutes_for(visually_impaired=True) == 130


def test_the_2018_blueprint_for_legacy_records():
    assert (r.SKD_2018.questions, r.SKD_2018.maximum) == (100, 500)


def test_keyed_items_score_five_or_nothing_and_tkp_by_weight():
    items = [keyed(r.TWK), keyed(r.TIU, "c"), tkp((3, 5, 1, 2, 4))]
    assert r.score(items, {0: "a", 1: "c", 2: "b"}) == r.Score(5, 5, 5)
    assert r.score(items, {0: "b", 1: "a", 2: "c"}) == r.Score(0, 0, 1)  # wrong answers cost nothing


def test_unanswered_and_unknown_choices_earn_nothing():
    items = [keyed(r.TWK), tkp()]
    assert r.score(items, {}) == r.Score(0, 0, 0)
    assert r.score(items, {0: None, 1: "z"}).total == 0


def test_a_perfect_sheet_scores_550():
    items = [keyed(r.TWK)] * 30 + [keyed(r.TIU)] * 35 + [tkp()] * 45
    assert r.score(items, {i: ("e" if i >= 65 else "a") for i in range(110)}).total == 550


@pytest.mark.parametrize(
    "item",
    [
        r.Item(r.TKP, {"a": 1, "b": 1, "c": 3}),  # weights repeat
        r.Item(r.TKP, {"a": 0, "b": 6}),  # outside 1..5
        r.Item(r.TWK, {"a": 5, "b": 5}),  # two keys
        r.Item(r.TIU, {"a": 4, "b": 0}),  # key worth 4
        r.Item(r.TIU, {"a": 5}),  # one option
    ],
)
def test_badly_scored_items_are_refused(item):
    with pytest.raises(ValueError):
        r.check_item(item)


def test_well_scored_items_pass():
    r.check_item(keyed(r.TWK))
    r.check_item(tkp((5, 4, 3, 2, 1)))
