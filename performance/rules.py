"""The performance regulation as pure functions and tables (RULES.md §1). No Django import.

- the 3×3 matrix of PermenPANRB 6/2022 (rating hasil kerja × rating perilaku kerja → predikat);
- the seven BerAKHLAK core values with their 21 behaviour guides (SE MenPANRB 20/2021);
- the distribution curve of SE MenPANRB 03/2023 (predikat organisasi → limits on employee predikat);
- predikat → angka kredit for functional positions (PermenPANRB 1/2023);
- periods of a performance year.
"""

import calendar
import datetime
import math
from dataclasses import dataclass

# Ratings of work results and of work behaviour (three levels each).
ABOVE, MEETS, BELOW = "above", "meets", "below"
RATINGS = (ABOVE, MEETS, BELOW)

# Employee predikat, best first (SE 03/2023 order).
SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = (
    "sangat_baik",
    "baik",
    "butuh_perbaikan",
    "kurang",
    "sangat_kurang",
)
PREDIKAT_ORDER = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)

# Organizational predikat (capaian kinerja organisasi).
ISTIMEWA = "istimewa"
ORG_PREDIKAT_ORDER = (ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)

# §1.2 — keys are (rating hasil kerja, rating perilaku kerja).
MATRIX = {
    (ABOVE, BELOW): KURANG,
    (ABOVE, MEETS): BAIK,
    (ABOVE, ABOVE): SANGAT_BAIK,
    (MEETS, BELOW): KURANG,
    (MEETS, MEETS): BAIK,
    (MEETS, ABOVE): BAIK,
    (BELOW, BELOW): SANGAT_KURANG,
    (BELOW, MEETS): BUTUH_PERBAIKAN,
    (BELOW, ABOVE): BUTUH_PERBAIKAN,
}


def predikat(result_rating: str, behaviour_rating: str) -> str:
    """The employee's predikat from the two ratings (the kuadran kinerja)."""
    return MATRIX[(result_rating, behaviour_rating)]


# §1.4 — a unit head's work-result rating is the unit's predikat. The 5→3 mapping is unverified (U):
# it is a RuleParameter ("performance.org_to_result_rating"); this is its default value.
ORG_TO_RESULT_RATING_DEFAULT = {
    ISTIMEWA: ABOVE,
    BAIK: MEETS,
    BUTUH_PERBAIKAN: BELOW,
    KURANG: BELOW,
    SANGAT_KURANG: BELOW,
}

# §1.3 — BerAKHLAK: (code, value, three guides).
BERAKHLAK = (
    (
        "berorientasi_pelayanan",
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    (
        "akuntabel",
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    (
        "kompeten",
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    (
        "harmonis",
        "Harmonis",
        (
            "Menghargai setiap orang apapun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    (
        "loyal",
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    (
        "adaptif",
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    (
        "kolaboratif",
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)
BERAKHLAK_CODES = tuple(code for code, _name, _guides in BERAKHLAK)

# 360° input is shown only as aggregates, and only from this many raters on.
PEER_MIN_RATERS = 3


# ---- §1.4 distribution curve ------------------------------------------------------------------

ROUNDINGS = ("floor_ceil", "nearest", "lenient")


def _limit(n: int, share: float, kind: str, rounding: str) -> int:
    """How many people a share of a unit of n allows: caps round down, floors round up (default, U)."""
    exact = n * share
    if rounding == "nearest":
        return math.floor(exact + 0.5)
    if rounding == "lenient":  # caps round up, floors round down: the unit's benefit of the doubt
        return math.ceil(exact - 1e-9) if kind == "max" else math.floor(exact + 1e-9)
    return math.floor(exact + 1e-9) if kind == "max" else math.ceil(exact - 1e-9)


@dataclass(frozen=True)
class Constraint:
    """One line of a pattern: the predikat it counts, min or max, the share, and whether it binds."""

    predikat: tuple[str, ...]
    kind: str  # "min" | "max"
    share: float | None  # None: an absolute count (at least one / none)
    count: int | None = None
    binding: bool = True  # False: a soft warning ("sebagian besar")


# SE MenPANRB 03/2023: the pattern per organizational predikat.
CURVE = {
    ISTIMEWA: (
        Constraint((SANGAT_BAIK,), "max", 0.70),
        Constraint((SANGAT_BAIK,), "min", 0.50, binding=False),  # "sebagian besar": soft (U)
    ),
    BAIK: (
        Constraint((BAIK,), "max", 0.70),
        Constraint((BUTUH_PERBAIKAN, KURANG), "min", None, count=1),
        Constraint((BAIK,), "min", 0.50, binding=False),
    ),
    BUTUH_PERBAIKAN: (
        Constraint((BUTUH_PERBAIKAN,), "min", 0.60),
        Constraint((SANGAT_BAIK,), "max", 0.10),
    ),
    KURANG: (
        Constraint((KURANG,), "min", 0.60),
        Constraint((BUTUH_PERBAIKAN,), "min", 0.10),
        Constraint((SANGAT_BAIK,), "max", 0.10),
    ),
    SANGAT_KURANG: (
        Constraint((SANGAT_KURANG,), "min", 0.60),
        Constraint((KURANG, BUTUH_PERBAIKAN), "min", 0.10),
        Constraint((SANGAT_BAIK,), "max", None, count=0),
    ),
}


@dataclass(frozen=True)
class CurveLine:
    constraint: Constraint
    limit: int
    actual: int
    ok: bool  # satisfied by the ratings given so far (a min counts only once everyone is rated)
    pending: bool  # a min not reached yet while some people are still unrated
    headroom: int | None  # for a max: how many more of these it allows


@dataclass(frozen=True)
class CurveCheck:
    org_predikat: str
    size: int
    rated: int
    lines: tuple[CurveLine, ...]

    @property
    def broken(self) -> tuple[CurveLine, ...]:
        """Binding lines the ratings break (a max passed, or a min missed once all are rated)."""
        return tuple(line for line in self.lines if line.constraint.binding and not line.ok and not line.pending)

    @property
    def warnings(self) -> tuple[CurveLine, ...]:
        return tuple(line for line in self.lines if not line.constraint.binding and not line.ok and not line.pending)

    @property
    def ok(self) -> bool:
        return not self.broken and not any(line.pending for line in self.lines if line.constraint.binding)

    def would_break(self, predikat_value: str) -> bool:
        """Whether one more employee with this predikat passes a binding cap."""
        return any(
            line.constraint.binding and line.headroom is not None and line.headroom <= 0
            for line in self.lines
            if predikat_value in line.constraint.predikat and line.constraint.kind == "max"
        )


def check_curve(org_predikat: str, counts: dict[str, int], size: int, rounding: str = "floor_ceil") -> CurveCheck:
    """Check a unit's employee predikat counts against the pattern of its organizational predikat.

    ``size`` is the number of people to be rated in the unit; ``counts`` what has been given so far.
    """
    if rounding not in ROUNDINGS:
        raise ValueError(rounding)
    rated = sum(counts.get(p, 0) for p in PREDIKAT_ORDER)
    lines = []
    for c in CURVE[org_predikat]:
        limit = c.count if c.share is None else _limit(size, c.share, c.kind, rounding)
        actual = sum(counts.get(p, 0) for p in c.predikat)
        if c.kind == "max":
            lines.append(CurveLine(c, limit, actual, actual <= limit, False, limit - actual))
        else:
            reachable = actual + (size - rated) >= limit
            done = actual >= limit
            lines.append(CurveLine(c, limit, actual, done, not done and rated < size and reachable, None))
    return CurveCheck(org_predikat, size, rated, tuple(lines))


# ---- §1.5c angka kredit ------------------------------------------------------------------------

AK_PERCENT = {SANGAT_BAIK: 150, BAIK: 100, BUTUH_PERBAIKAN: 75, KURANG: 50, SANGAT_KURANG: 25}
# Koefisien per functional level: Ahli Pertama 12.5 is S; the rest are U (a RuleParameter overrides).
AK_KOEFISIEN_DEFAULT = {
    "ahli_pertama": 12.5,
    "ahli_muda": 25.0,
    "ahli_madya": 37.5,
    "ahli_utama": 50.0,
    "pemula": 3.75,
    "terampil": 5.0,
    "mahir": 12.5,
    "penyelia": 25.0,
}


def credit_points(predikat_value: str, koefisien: float, months: int = 12) -> float:
    """Angka kredit for a year (or months of it): months/12 × percent × koefisien, to 3 decimals."""
    return round(months / 12 * AK_PERCENT[predikat_value] / 100 * koefisien, 3)


# ---- periods -----------------------------------------------------------------------------------

FREQUENCIES = {"monthly": 12, "quarterly": 4, "semester": 2}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    label: str
    start: datetime.date
    end: datetime.date
    is_final: bool


def periods_of(year: int, frequency: str) -> list[PeriodSpec]:
    """The periods of a performance year; the last one is the annual assessment (… IV-AKHIR)."""
    n = FREQUENCIES[frequency]
    months = 12 // n
    word = {"monthly": "Bulan", "quarterly": "Triwulan", "semester": "Semester"}[frequency]
    out = []
    for i in range(n):
        first_month = i * months + 1
        last_month = first_month + months - 1
        end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
        final = i == n - 1
        label = f"{word} {ROMAN[i]}" + ("-AKHIR" if final else "")
        out.append(PeriodSpec(i + 1, label, datetime.date(year, first_month, 1), end, final))
    return out
