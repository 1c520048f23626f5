"""Personnel rules as pure functions (RULES.md §7). No Django import here.

Functions return problem codes; ``personnel.messages`` turns a code into a sentence in the
user's language.
"""

import datetime
import re
from dataclasses import dataclass

NIP_PNS = re.compile(r"^(\d{8})(\d{4})(0[1-9]|1[0-2])([12])(\d{3})$")
NIP_PPPK = re.compile(r"^(\d{8})(\d{4})(\d{2})([12])(\d{3})$")
NIK = re.compile(r"^\d{16}$")
GENDER_DIGIT = {"M": "1", "F": "2"}  # §7.1: 1 = pria, 2 = wanita


@dataclass(frozen=True)
class Problem:
    code: str
    field: str
    severity: str = "error"  # "error" blocks; "warning" is shown and recorded
    params: tuple = ()


@dataclass(frozen=True)
class NipParts:
    birth_date: datetime.date
    appointment_year: int
    appointment_month: int | None  # None for PPPK: digits 13–14 are not a month (§7.1, W)
    gender_digit: str
    serial: int


def _date_or_none(yyyymmdd: str) -> datetime.date | None:
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def parse_nip(nip: str, *, pppk: bool) -> tuple[NipParts | None, list[Problem]]:
    """Split an 18-digit NIP (PNS/CPNS) or NI PPPK into its parts, or say why it cannot be."""
    nip = (nip or "").strip()
    if not re.fullmatch(r"\d{18}", nip):
        return None, [Problem("nip_format", "nip")]
    m = (NIP_PPPK if pppk else NIP_PNS).match(nip)
    if m is None:
        if nip[14] not in "12":
            return None, [Problem("nip_gender_digit", "nip")]
        return None, [Problem("nip_tmt_month", "nip")]
    birth = _date_or_none(m.group(1))
    if birth is None:
        return None, [Problem("nip_birth_date", "nip")]
    serial = int(m.group(5))
    if serial == 0:
        return None, [Problem("nip_serial", "nip")]
    return NipParts(
        birth_date=birth,
        appointment_year=int(m.group(2)),
        appointment_month=None if pppk else int(m.group(3)),
        gender_digit=m.group(4),
        serial=serial,
    ), []


def check_nip(
    nip: str,
    *,
    pppk: bool,
    birth_date: datetime.date | None,
    gender: str | None,
    tmt_appointment: datetime.date | None,
    today: datetime.date,
    min_appointment_age: int = 18,
) -> list[Problem]:
    """Every way a NIP disagrees with the record it belongs to (§7.1)."""
    parts, problems = parse_nip(nip, pppk=pppk)
    if parts is None:
        return problems
    if birth_date is not None and parts.birth_date != birth_date:
        problems.append(Problem("nip_birth_mismatch", "birth_date"))
    if gender is not None and GENDER_DIGIT.get(gender) != parts.gender_digit:
        problems.append(Problem("nip_gender_mismatch", "gender"))
    if parts.appointment_month is not None:
        nip_tmt = datetime.date(parts.appointment_year, parts.appointment_month, 1)
        if nip_tmt > today:
            problems.append(Problem("nip_tmt_future", "nip"))
        if tmt_appointment is not None and (tmt_appointment.year, tmt_appointment.month) != (
            parts.appointment_year,
            parts.appointment_month,
        ):
            problems.append(Problem("nip_tmt_mismatch", "tmt_appointment"))
    else:
        if parts.appointment_year > today.year:
            problems.append(Problem("nip_tmt_future", "nip"))
        if tmt_appointment is not None and tmt_appointment.year != parts.appointment_year:
            problems.append(Problem("nip_year_mismatch", "tmt_appointment"))
    if parts.appointment_year - parts.birth_date.year < min_appointment_age:
        problems.append(Problem("nip_young", "nip", "warning", (min_appointment_age,)))
    return problems


def check_nik(nik: str) -> list[Problem]:
    return [] if NIK.fullmatch((nik or "").strip()) else [Problem("nik_format", "nik")]


# --- Batas Usia Pensiun (§7.5), versioned by the date each table took effect -------------------

BUP_TABLES: list[tuple[datetime.date, str, dict[str, int]]] = [
    (
        datetime.date(2017, 4, 7),
        "PP 11/2017 Pasal 239",
        {
            "jpt_utama": 60,
            "jpt_madya": 60,
            "jpt_pratama": 60,
            "administrator": 58,
            "pengawas": 58,
            "pelaksana": 58,
            "ahli_utama": 65,
            "ahli_madya": 60,
            "ahli_muda": 58,
            "ahli_pertama": 58,
            "penyelia": 58,
            "mahir": 58,
            "terampil": 58,
            "pemula": 58,
        },
    ),
]
DEFAULT_BUP = 58  # employees with no position yet: the administrasi age, the lowest


def retirement_age(level: str | None, *, on: datetime.date, override: int | None = None) -> int:
    """BUP for a position level under the table in force on a date."""
    if override:
        return override
    table = [t for t in BUP_TABLES if t[0] <= on]
    ages = (table[-1] if table else BUP_TABLES[0])[2]
    return ages.get(level or "", DEFAULT_BUP)


def retirement_date(birth_date: datetime.date, age: int) -> datetime.date:
    """Pension starts on the first day of the month after the month the BUP is reached."""
    year, month = birth_date.year + age, birth_date.month + 1
    if month == 13:
        year, month = year + 1, 1
    return datetime.date(year, month, 1)


def years_months(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Whole years and months from start to end (masa kerja)."""
    if end < start:
        return 0, 0
    months = (end.year - start.year) * 12 + (end.month - start.month) - (1 if end.day < start.day else 0)
    return months // 12, months % 12


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


AGE_BANDS = [(0, 30, "< 30"), (30, 40, "30–39"), (40, 50, "40–49"), (50, 56, "50–55"), (56, 200, "≥ 56")]


def age_band(age: int) -> str:
    return next(label for lo, hi, label in AGE_BANDS if lo <= age < hi)
