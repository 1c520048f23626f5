"""The performance regulation's tables, cell by cell (RULES.md §1)."""

import datetime

import pytest

from performance import rules as r


class TestMatrix:
    @pytest.mark.parametrize(
        "result,behaviour,expected",
        [
            (r.ABOVE, r.BELOW, r.KURANG),
            (r.ABOVE, r.MEETS, r.BAIK),
            (r.ABOVE, r.ABOVE, r.SANGAT_BAIK),
            (r.MEETS, r.BELOW, r.KURANG),
            (r.MEETS, r.MEETS, r.BAIK),
            (r.MEETS, r.ABOVE, r.BAIK),
            (r.BELOW, r.BELOW, r.SANGAT_KURANG),
            (r.BELOW, r.MEETS, r.BUTUH_PERBAIKAN),
            (r.BELOW, r.ABOVE, r.BUTUH_PERBAIKAN),
        ],
    )
    def test_each_cell_of_the_kuadran(self, result, behaviour, expected):
        assert r.predikat(result, behaviour) == expected

    def test_only_above_above_is_sangat_baik(self):
        assert [k for k, v in r.MATRIX.items() if v == r.SANGAT_BAIK] == [(r.ABOVE, r.ABOVE)]

    def test_an_unknown_rating_is_refused(self):
        with pytest.raises(KeyError):
            r.predikat("excellent", r.MEETS)


def test_berakhlak_has_seven_values_with_three_guides_each():
    assert len(r.BERAKHLAK) == 7
    assert all(len(guides) == 3 for _c, _n, guides in r.BERAKHLAK)
    assert sum(len(g) for _c, _n, g in r.BERAKHLAK) == 21
    assert r.BERAKHLAK[0][1] == "Berorientasi Pelayanan" and r.BERAKHLAK[-1][1] == "Kolaboratif"


class TestCurve:
    def check(self, org, size, **counts):
        return r.check_curve(org, counts, size)

    def test_istimewa_caps_sangat_baik_at_70_percent(self):
        assert self.check(r.ISTIMEWA, 10, sangat_baik=7, baik=3).ok
        broken = self.check(r.ISTIMEWA, 10, sangat_baik=8, baik=2).broken
        assert [(b.constraint.predikat, b.limit, b.actual) for b in broken] == [((r.SANGAT_BAIK,), 7, 8)]

    def test_istimewa_majority_is_only_a_warning(self):
        c = self.check(r.ISTIMEWA, 10, sangat_baik=2, baik=8)
        assert c.ok and len(c.warnings) == 1

    def test_baik_needs_someone_below_baik(self):
        c = self.check(r.BAIK, 5, baik=3, sangat_baik=2)
        assert not c.ok and c.broken[0].constraint.predikat == (r.BUTUH_PERBAIKAN, r.KURANG)
        assert self.check(r.BAIK, 5, baik=3, sangat_baik=1, kurang=1).ok

    def test_butuh_perbaikan_floor_and_sangat_baik_cap(self):
        assert self.check(r.BUTUH_PERBAIKAN, 10, butuh_perbaikan=6, baik=3, sangat_baik=1).ok
        assert not self.check(r.BUTUH_PERBAIKAN, 10, butuh_perbaikan=5, baik=5).ok
        assert not self.check(r.BUTUH_PERBAIKAN, 10, butuh_perbaikan=6, baik=2, sangat_baik=2).ok

    def test_kurang_pattern(self):
        assert self.check(r.KURANG, 10, kurang=6, butuh_perbaikan=1, baik=3).ok
        assert not self.check(r.KURANG, 10, kurang=6, baik=4).ok  # no Butuh Perbaikan

    def test_sangat_kurang_allows_no_sangat_baik(self):
        assert self.check(r.SANGAT_KURANG, 10, sangat_kurang=6, kurang=1, baik=3).ok
        assert not self.check(r.SANGAT_KURANG, 10, sangat_kurang=6, kurang=1, baik=2, sangat_baik=1).ok

    @pytest.mark.parametrize(
        "size,max_baik,min_low",
        [(1, 0, 1), (2, 1, 1), (3, 2, 1), (4, 2, 1), (5, 3, 1), (6, 4, 1), (7, 4, 1), (8, 5, 1), (9, 6, 1)],
    )
    def test_small_units_baik_caps_round_down(self, size, max_baik, min_low):
        c = r.check_curve(r.BAIK, {}, size)
        assert c.lines[0].limit == max_baik and c.lines[1].limit == min_low

    @pytest.mark.parametrize(
        "size,min_bp,max_sb", [(1, 1, 0), (2, 2, 0), (3, 2, 0), (4, 3, 0), (5, 3, 0), (6, 4, 0), (7, 5, 0), (8, 5, 0), (9, 6, 0)]
    )
    def test_small_units_floors_round_up(self, size, min_bp, max_sb):
        c = r.check_curve(r.BUTUH_PERBAIKAN, {}, size)
        assert (c.lines[0].limit, c.lines[1].limit) == (min_bp, max_sb)

    def test_exact_shares_do_not_round_away(self):
        assert r.check_curve(r.BAIK, {}, 10).lines[0].limit == 7
        assert r.check_curve(r.KURANG, {}, 10).lines[0].limit == 6

    def test_other_roundings_are_configurable(self):
        assert r.check_curve(r.BAIK, {}, 3, rounding="lenient").lines[0].limit == 3
        assert r.check_curve(r.BAIK, {}, 3, rounding="nearest").lines[0].limit == 2
        with pytest.raises(ValueError):
            r.check_curve(r.BAIK, {}, 3, rounding="up")

    def test_a_floor_not_reached_is_pending_while_people_are_unrated(self):
        c = r.check_curve(r.BUTUH_PERBAIKAN, {"butuh_perbaikan": 2}, 5)
        assert not c.broken and not c.ok and c.lines[0].pending
        c = r.check_curve(r.BUTUH_PERBAIKAN, {"butuh_perbaikan": 1, "baik": 3}, 5)
        assert c.broken  # only one left to rate: the floor of 3 cannot be reached

    def test_would_break_says_which_predikat_has_no_room_left(self):
        c = r.check_curve(r.ISTIMEWA, {"sangat_baik": 7}, 10)
        assert c.would_break(r.SANGAT_BAIK) and not c.would_break(r.BAIK)


class TestCreditPoints:
    @pytest.mark.parametrize(
        "pred,expected",
        [(r.SANGAT_BAIK, 18.75), (r.BAIK, 12.5), (r.BUTUH_PERBAIKAN, 9.375), (r.KURANG, 6.25), (r.SANGAT_KURANG, 3.125)],
    )
    def test_ahli_pertama_koefisien_12_5(self, pred, expected):
        assert r.credit_points(pred, 12.5) == expected

    def test_periodic_share_of_the_year(self):
        assert r.credit_points(r.BAIK, 12.5, months=2) == 2.083  # the regulation's example: 2.08


class TestPeriods:
    def test_quarters_end_with_iv_akhir(self):
        ps = r.periods_of(2026, "quarterly")
        assert [p.label for p in ps] == ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV-AKHIR"]
        assert ps[0].start == datetime.date(2026, 1, 1) and ps[1].end == datetime.date(2026, 6, 30)
        assert [p.is_final for p in ps] == [False, False, False, True]

    def test_months_cover_the_year_without_gaps(self):
        ps = r.periods_of(2028, "monthly")
        assert len(ps) == 12 and ps[1].end == datetime.date(2028, 2, 29)
        assert all(b.start == a.end + datetime.timedelta(days=1) for a, b in zip(ps, ps[1:]))
