"""RULES.md §7.1 (NIP) and §7.5 (BUP), cell by cell."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personnel import rules

TODAY = datetime.date(2026, 11, 23)
D = datetime.date


def codes(problems):
    return [p.code for p in problems]


class TestParseNip:
    def test_the_regulations_example_splits_into_its_parts(self):
        parts, problems = rules.parse_nip("198609262015051001", pppk=False)
        assert problems == []
        assert parts.birth_date == D(1986, 9, 26)
        assert (parts.appointment_year, parts.appointment_month) == (2015, 5)
        assert parts.gender_digit == "1" and parts.serial == 1

    @pytest.mark.parametrize(
        "nip", ["19860926201505100", "1986092620150510011", "19860926 201505 1 001", "19860926201505100a", ""]
    )
    def test_anything_but_eighteen_digits_is_refused(self, nip):
        assert codes(rules.parse_nip(nip, pppk=False)[1]) == ["nip_format"]

    @pytest.mark.parametrize("nip", ["198602302015051001", "198613012015051001", "198609002015051001"])
    def test_an_impossible_birth_date_is_refused(self, nip):
        assert codes(rules.parse_nip(nip, pppk=False)[1]) == ["nip_birth_date"]

    @pytest.mark.parametrize("month", ["00", "13", "99"])
    def test_a_tmt_month_outside_01_to_12_is_refused_for_pns(self, month):
        assert codes(rules.parse_nip(f"198609262015{month}1001", pppk=False)[1]) == ["nip_tmt_month"]

    @pytest.mark.parametrize("digit", ["0", "3", "9"])
    def test_the_gender_digit_must_be_1_or_2(self, digit):
        assert codes(rules.parse_nip(f"19860926201505{digit}001", pppk=False)[1]) == ["nip_gender_digit"]

    def test_serial_000_is_refused(self):
        assert codes(rules.parse_nip("198609262015051000", pppk=False)[1]) == ["nip_serial"]

    @pytest.mark.parametrize("code", ["21", "24", "00", "99"])
    def test_pppk_digits_13_14_are_not_read_as_a_month(self, code):
        parts, problems = rules.parse_nip(f"19900115 2021 {code} 2 014".replace(" ", ""), pppk=True)
        assert problems == []
        assert parts.appointment_month is None and parts.appointment_year == 2021

    def test_the_same_pppk_number_read_as_pns_fails_on_the_month(self):
        assert codes(rules.parse_nip("199001152021242014", pppk=False)[1]) == ["nip_tmt_month"]


class TestCheckNip:
    def check(self, nip, **kw):
        args = dict(pppk=False, birth_date=D(1986, 9, 26), gender="M", tmt_appointment=D(2015, 5, 1), today=TODAY)
        args.update(kw)
        return codes(rules.check_nip(nip, **args))

    def test_a_consistent_record_passes(self):
        assert self.check("198609262015051001") == []

    def test_birth_date_must_match_the_record(self):
        assert self.check("198609262015051001", birth_date=D(1986, 9, 27)) == ["nip_birth_mismatch"]

    def test_gender_must_match_the_record(self):
        assert self.check("198609262015051001", gender="F") == ["nip_gender_mismatch"]
        assert self.check("198609262015052001", gender="F") == []

    def test_tmt_month_must_match_the_record(self):
        assert self.check("198609262015051001", tmt_appointment=D(2015, 6, 1)) == ["nip_tmt_mismatch"]

    def test_a_tmt_in_the_future_is_refused(self):
        assert "nip_tmt_future" in self.check("198609262027011001", tmt_appointment=D(2027, 1, 1))

    def test_appointment_before_18_is_a_warning_not_an_error(self):
        problems = rules.check_nip(
            "200801012020011001",
            pppk=False,
            birth_date=D(2008, 1, 1),
            gender="M",
            tmt_appointment=D(2020, 1, 1),
            today=TODAY,
        )
        assert [(p.code, p.severity) for p in problems] == [("nip_young", "warning")]

    def test_the_minimum_age_is_a_parameter(self):
        problems = rules.check_nip(
            "198609262015051001",
            pppk=False,
            birth_date=D(1986, 9, 26),
            gender="M",
            tmt_appointment=D(2015, 5, 1),
            today=TODAY,
            min_appointment_age=30,
        )
        assert codes(problems) == ["nip_young"]

    def test_pppk_checks_the_year_only(self):
        kw = dict(pppk=True, birth_date=D(1990, 1, 15), gender="F")
        assert self.check("199001152021242014", tmt_appointment=D(2021, 3, 1), **kw) == []
        assert self.check("199001152021242014", tmt_appointment=D(2022, 3, 1), **kw) == ["nip_year_mismatch"]

    def test_several_problems_are_all_reported(self):
        assert self.check(
            "198609262015051001", birth_date=D(1986, 9, 27), gender="F", tmt_appointment=D(2016, 5, 1)
        ) == [
            "nip_birth_mismatch",
            "nip_gender_mismatch",
            "nip_tmt_mismatch",
        ]

    # The draws are cheap; a loaded CI machine can still make them look slow to Hypothesis.
    @settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(
        st.dates(D(1950, 1, 1), D(2000, 12, 31)),
        st.integers(18, 40),
        st.integers(1, 12),
        st.sampled_from("MF"),
        st.integers(1, 999),
    )
    def test_every_well_formed_nip_built_from_a_record_agrees_with_it(self, birth, age, month, gender, serial):
        tmt = D(min(birth.year + age, 2026), month, 1)
        if tmt > TODAY:
            return
        nip = f"{birth:%Y%m%d}{tmt:%Y%m}{rules.GENDER_DIGIT[gender]}{serial:03d}"
        assert rules.check_nip(nip, pppk=False, birth_date=birth, gender=gender, tmt_appointment=tmt, today=TODAY) == []


class TestNik:
    @pytest.mark.parametrize(
        "nik,ok",
        [
            ("1871011501900003", True),
            ("187101150190000", False),
            ("18710115019000031", False),
            ("18710115O1900003", False),
        ],
    )
    def test_sixteen_digits(self, nik, ok):
        assert (rules.check_nik(nik) == []) is ok


class TestRetirement:
    @pytest.mark.parametrize(
        "level,age",
        [
            ("administrator", 58),
            ("pengawas", 58),
            ("pelaksana", 58),
            ("ahli_muda", 58),
            ("ahli_pertama", 58),
            ("penyelia", 58),
            ("mahir", 58),
            ("terampil", 58),
            ("pemula", 58),
            ("jpt_utama", 60),
            ("jpt_madya", 60),
            ("jpt_pratama", 60),
            ("ahli_madya", 60),
            ("ahli_utama", 65),
        ],
    )
    def test_bup_per_position_level_pp_11_2017(self, level, age):
        assert rules.retirement_age(level, on=TODAY) == age

    def test_a_position_with_its_own_statute_overrides_the_table(self):
        assert rules.retirement_age("ahli_pertama", on=TODAY, override=60) == 60

    def test_no_position_falls_back_to_58(self):
        assert rules.retirement_age(None, on=TODAY) == 58

    @pytest.mark.parametrize(
        "birth,age,expected",
        [
            (D(1968, 5, 14), 58, D(2026, 6, 1)),
            (D(1968, 12, 31), 58, D(2027, 1, 1)),
            (D(1966, 1, 1), 60, D(2026, 2, 1)),
        ],
    )
    def test_pension_starts_the_first_of_the_month_after_the_bup_birthday(self, birth, age, expected):
        assert rules.retirement_date(birth, age) == expected

    @pytest.mark.parametrize(
        "start,end,expected",
        [
            (D(2015, 3, 1), D(2026, 11, 23), (11, 8)),
            (D(2015, 3, 1), D(2015, 3, 1), (0, 0)),
            (D(2015, 3, 24), D(2026, 11, 23), (11, 7)),
            (D(2020, 1, 1), D(2019, 1, 1), (0, 0)),
        ],
    )
    def test_years_and_months_of_service(self, start, end, expected):
        assert rules.years_months(start, end) == expected

    def test_age_bands_cover_every_age(self):
        assert [rules.age_band(a) for a in (22, 30, 45, 55, 56, 64)] == [
            "< 30",
            "30–39",
            "40–49",
            "50–55",
            "≥ 56",
            "≥ 56",
        ]
