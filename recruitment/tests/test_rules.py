"""Passing grades, the ranking to the SKB and the final 40/60 integration (RULES.md §2.2–2.4)."""

import datetime
from decimal import Decimal

import pytest

from exams.rules import Score
from recruitment import rules as r


class TestPassingGrade:
    @pytest.mark.parametrize(
        "score,ok",
        [
            (Score(65, 80, 166), True),  # exactly at every minimum
            (Score(64, 150, 225), False),  # TWK one short, however high the rest
            (Score(150, 79, 225), False),
            (Score(150, 175, 165), False),
        ],
    )
    def test_umum_needs_every_subtest(self, score, ok):
        assert r.PASSING_GRADES[2024][r.UMUM].met_by(score) is ok

    @pytest.mark.parametrize(
        "score,ok", [(Score(100, 85, 126), True), (Score(101, 84, 130), False), (Score(100, 85, 125), False)]
    )
    def test_cumlaude_needs_311_total_and_tiu_85(self, score, ok):
        assert r.PASSING_GRADES[2024][r.CUMLAUDE].met_by(score) is ok

    @pytest.mark.parametrize("category", [r.DISABILITAS, r.PAPUA])
    def test_affirmative_categories_need_286_and_tiu_60(self, category):
        g = r.PASSING_GRADES[2023][category]
        assert g.met_by(Score(60, 60, 166)) and not g.met_by(Score(60, 59, 167)) and not g.met_by(Score(60, 60, 165))

    def test_weak_categories_are_flagged(self):
        assert r.PASSING_GRADES[2024][r.DAERAH_TERTINGGAL].confidence == "W"
        assert r.PASSING_GRADES[2024][r.KALIMANTAN] == r.PASSING_GRADES[2024][r.UMUM]


def c(id, twk, tiu, tkp, **kw):
    return r.Candidate(id, Score(twk, tiu, tkp), **kw)


GRADE = r.PASSING_GRADES[2024][r.UMUM]


class TestRankingToSkb:
    def test_three_times_the_quota_pass(self):
        cands = [c(i, 100, 100, 200 - i) for i in range(10)]
        ranked = r.rank_for_skb(cands, GRADE, quota=2)
        assert [x.candidate.id for x in ranked if x.passes] == [0, 1, 2, 3, 4, 5]

    def test_only_those_meeting_the_passing_grade_are_ranked(self):
        ranked = r.rank_for_skb([c("a", 60, 175, 225), c("b", 65, 80, 166)], GRADE, quota=1)
        assert [x.candidate.id for x in ranked] == ["b"]

    def test_ties_break_on_tkp_then_tiu_then_twk(self):
        cands = [
            c("twk", 110, 100, 190),  # total 400
            c("tiu", 100, 110, 190),
            c("tkp", 100, 100, 200),
            c("low", 100, 100, 199),  # 399
        ]
        assert [x.candidate.id for x in r.rank_for_skb(cands, GRADE, quota=5)] == ["tkp", "tiu", "twk", "low"]

    def test_everyone_tied_on_all_four_at_the_boundary_passes(self):
        cands = [c("a", 100, 100, 200), c("b", 90, 100, 200), c("c", 90, 100, 200), c("d", 90, 100, 200), c("e", 80, 100, 200)]
        ranked = r.rank_for_skb(cands, GRADE, quota=1)  # 3 seats: a, b, c … but d ties with c
        assert [x.candidate.id for x in ranked if x.passes] == ["a", "b", "c", "d"]
        assert [x.rank for x in ranked] == [1, 2, 2, 2, 5]

    def test_a_tie_on_total_only_does_not_extend_the_list(self):
        cands = [c("a", 100, 100, 200), c("b", 100, 100, 200), c("c", 110, 100, 190), c("d", 100, 110, 190)]
        ranked = r.rank_for_skb(cands, GRADE, quota=1)
        assert [x.candidate.id for x in ranked if x.passes] == ["a", "b", "d"]


class TestFinalScore:
    def test_forty_sixty_on_a_100_scale_with_three_decimals(self):
        # SKD 400/550 → 72.7272…; SKB 80/100 → 80: 0.4 × 72.7272… + 0.6 × 80 = 77.0909… → 77.091
        assert r.final_score(Score(100, 100, 200), 80, 100) == Decimal("77.091")

    def test_half_up_rounding(self):
        # 0.6 × 0.0375 = 0.0225 exactly: half up gives 0.023 (banker's rounding would give 0.022)
        assert r.final_score(Score(0, 0, 0), Decimal("0.0375"), 100) == Decimal("0.023")
        assert r.final_score(Score(55, 0, 0), 0, 100) == Decimal("4.000")

    def test_perfect_scores_give_100(self):
        assert r.final_score(Score(150, 175, 225), 500, 500) == Decimal("100.000")

    def test_final_ties_break_on_skd_then_subtests_then_ipk_then_age(self):
        older = datetime.date(1995, 1, 1)
        younger = datetime.date(1998, 1, 1)
        same = dict(skb=Decimal(80))
        cands = [
            c("young", 100, 100, 200, ipk=Decimal("3.50"), birth_date=younger, **same),
            c("old", 100, 100, 200, ipk=Decimal("3.50"), birth_date=older, **same),
            c("ipk", 100, 100, 200, ipk=Decimal("3.90"), birth_date=younger, **same),
        ]
        ranked = r.rank_final(cands, 100, quota=1)
        assert [x.candidate.id for x in ranked] == ["ipk", "old", "young"]
        assert [x.passes for x in ranked] == [True, False, False]

    def test_a_higher_final_score_beats_a_higher_skd(self):
        a = c("a", 150, 175, 225, skb=Decimal(0))  # 40.000
        b = c("b", 65, 80, 166, skb=Decimal(100))  # 0.4 × 56.5454… + 60 = 82.618
        assert [x.candidate.id for x in r.rank_final([a, b], 100, quota=1)] == ["b", "a"]

    def test_the_final_ranking_scales_the_skd_by_its_own_blueprint(self):
        from exams.rules import SKD_2018

        a = c("a", 100, 150, 200, skb=Decimal(60))  # SKD 450: 36.000 of 40 out of 500, 32.727 out of 550
        b = c("b", 80, 130, 190, skb=Decimal("66.5"))  # SKD 400: 32.000 / 29.091; SKB 39.900
        assert [x.candidate.id for x in r.rank_final([a, b], 100, quota=1, blueprint=SKD_2018)] == ["a", "b"]
        assert [x.candidate.id for x in r.rank_final([a, b], 100, quota=1)] == ["b", "a"]
