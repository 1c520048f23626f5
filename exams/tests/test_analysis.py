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


class TestWeighted:
    WEIGHTS = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}

    def test_a_tkp_item_that_separates_well_has_no_flags(self):
        from exams.analysis import Response, analyse_weighted

        # the stronger the participant, the better the attitude chosen; every option used
        choices = ["a", "b", "b", "c", "c", "d", "d", "e", "e", "e"]
        s = analyse_weighted([Response(c, 10 * i) for i, c in enumerate(choices, 1)], self.WEIGHTS)
        assert s.difficulty == pytest.approx(sum(self.WEIGHTS[c] for c in choices) / 10 / 5)
        assert s.discrimination == pytest.approx((5 - 5 / 3) / 5)
        assert s.point_biserial > 0.9 and s.flags == []

    def test_an_unanswered_item_earns_nothing_and_nobody_means_no_figures(self):
        from exams.analysis import Response, analyse_weighted

        s = analyse_weighted([Response(None, 50), Response("e", 60)], self.WEIGHTS)
        assert s.difficulty == pytest.approx(0.5)
        assert analyse_weighted([], self.WEIGHTS).flags == ["no_responses"]
