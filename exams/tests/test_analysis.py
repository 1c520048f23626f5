"""Item analysis on hand-made response sets whose statistics are known."""

import pytest

from exams.analysis import Response, analyse_keyed

OPTS = ["a", "b", "c", "d", "e"]


def test_a_good_item_separates_strong_from_weak():
    # 10 participants: the five strongest answer right, the five weakest spread over the distractors.
    responses = [Response("a", 500 - i) for i in range(5)] + [Response(o, 200 - i) for i, o in enumerate("bcdeb")]
    s = analyse_keyed(responses, "a", OPTS)
    assert s.difficulty == 0.5
    assert s.discrimination == 1.0  # upper 3 all right, lower 3 all wrong
    assert s.point_biserial == pytest.approx(1.0, abs=0.05)
    assert s.options["b"] == 0.2 and s.flags == []


def test_a_reversed_item_is_flagged_for_its_key():
    responses = [Response("b", 500 - i) for i in range(5)] + [Response("a", 200 - i) for i in range(5)]
    s = analyse_keyed(responses, "a", OPTS)
    assert s.discrimination == -1.0
    assert "negative_discrimination" in s.flags and "upper_group_prefers_distractor" in s.flags


def test_easy_hard_and_unused_distractors():
    everyone = [Response("a", 100 + i) for i in range(20)]
    s = analyse_keyed(everyone, "a", OPTS)
    assert s.difficulty == 1.0 and "too_easy" in s.flags
    assert {f for f in s.flags if f.startswith("unused")} == {f"unused_distractor:{o}" for o in "bcde"}
    assert s.point_biserial is None  # no variance in correctness
    nobody = [Response("b", 100 + i) for i in range(20)]
    assert "too_hard" in analyse_keyed(nobody, "a", OPTS).flags


def test_no_responses():
    assert analyse_keyed([], "a", OPTS).flags == ["no_responses"]
