"""RULES.md §3 and §8 cell by cell: NRR, IKM (exact and legacy weights), conversion, grade boundaries,
unsur grades, the Krejcie–Morgan table."""

from decimal import Decimal
from fractions import Fraction

import pytest

from publicservice import rules as r


def sheet(*values):
    return dict(zip(r.CODES, values))


class TestIkm:
    def test_all_fours_is_100_grade_a(self):
        result = r.ikm([sheet(*[4] * 9)] * 3)
        assert result.ikm == 4 and result.converted == Decimal("100.00") and result.grade == ("A", "Sangat Baik")

    def test_exact_weight_is_the_mean_of_the_nrr(self):
        rows = [sheet(4, 3, 3, 4, 3, 3, 4, 2, 3), sheet(3, 3, 2, 4, 3, 4, 4, 3, 3)]
        result = r.ikm(rows)
        assert result.nrr["U1"] == Fraction(7, 2) and result.nrr["U8"] == Fraction(5, 2)
        assert result.ikm == Fraction(29, 9)  # the NRR add up to 29
        assert result.converted == Decimal("80.56") and result.grade == ("B", "Baik")
        assert result.weakest(2) == ["U3", "U8"]  # both 2.5: by code

    def test_the_printed_0_11_weight_scores_lower(self):
        rows = [sheet(4, 3, 3, 4, 3, 3, 4, 2, 3), sheet(3, 3, 2, 4, 3, 4, 4, 3, 3)]
        legacy = r.ikm(rows, r.LEGACY)
        assert legacy.ikm == 29 * Fraction(11, 100) and legacy.converted == Decimal("79.75")

    def test_answers_outside_1_to_4_are_refused(self):
        with pytest.raises(ValueError):
            r.ikm([sheet(5, 3, 3, 3, 3, 3, 3, 3, 3)])
        with pytest.raises(ValueError):
            r.ikm([])


class TestGrades:
    @pytest.mark.parametrize(
        ("nik", "grade"),
        [
            ("100", "A"),
            ("88.31", "A"),
            ("88.305", "A"),
            ("88.30", "B"),
            ("76.61", "B"),
            ("76.605", "B"),
            ("76.60", "C"),
            ("65.00", "C"),
            ("64.995", "C"),
            ("64.99", "D"),
            ("25", "D"),
        ],
    )
    def test_converted_boundaries(self, nik, grade):
        assert r.grade_of(Decimal(nik))[0] == grade

    @pytest.mark.parametrize(
        ("nrr", "grade"),
        [
            ("4", "A"),
            ("3.5324", "A"),
            ("3.5323", "B"),
            ("3.0644", "B"),
            ("3.0643", "C"),
            ("3.064", "C"),
            ("2.60", "C"),
            ("2.5996", "D"),
            ("1", "D"),
        ],
    )
    def test_unsur_boundaries(self, nrr, grade):
        assert r.grade_of_nrr(Fraction(Decimal(nrr)))[0] == grade


class TestSample:
    @pytest.mark.parametrize(
        ("n", "s"),
        [
            (10, 10),
            (15, 14),
            (20, 19),
            (30, 28),
            (50, 44),
            (75, 63),
            (100, 80),
            (150, 108),
            (200, 132),
            (250, 152),
            (300, 169),
            (400, 196),
            (500, 217),
            (600, 234),
            (800, 260),
            (1000, 278),
            (1500, 306),
            (2000, 322),
            (3000, 341),
            (5000, 357),
            (10000, 370),
            (20000, 377),
            (50000, 381),
            (1000000, 384),
        ],
    )
    def test_the_published_table(self, n, s):
        assert r.krejcie_morgan(n) == s

    def test_no_population_needs_nobody(self):
        assert r.krejcie_morgan(0) == 0
