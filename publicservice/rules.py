"""Public service rules as pure functions (RULES.md §3 and §8): the SKM questionnaire's nine unsur, NRR,
IKM and its conversion and grade, Krejcie–Morgan sample sizes, and the complaint deadlines. No Django import."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# PermenPANRB 14/2017: the nine unsur, stored by code (the Permen's list and its sample questionnaire
# order U8/U9 differently; equal weights make the order irrelevant).
UNSUR = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
)
CODES = tuple(c for c, _n in UNSUR)
EXACT, LEGACY = "exact", "legacy"  # weight 1/9, or the Permen's printed 0,11
CONVERSION = 25

# (minimum NIK, minimum NI, grade, label): classify NIK rounded to two decimals, an NRR on the NI bounds.
GRADES = (
    (Decimal("88.31"), Decimal("3.5324"), "A", "Sangat Baik"),
    (Decimal("76.61"), Decimal("3.0644"), "B", "Baik"),
    (Decimal("65.00"), Decimal("2.60"), "C", "Kurang Baik"),
    (Decimal("25.00"), Decimal("1.00"), "D", "Tidak Baik"),
)


def nrr(answers: Sequence[int]) -> Fraction:
    """Nilai rata-rata of one unsur: the sum of the answers (1–4) over the respondents."""
    if not answers:
        raise ValueError("no answers")
    if any(a not in (1, 2, 3, 4) for a in answers):
        raise ValueError("answers are 1 to 4")
    return Fraction(sum(answers), len(answers))


@dataclass(frozen=True)
class Result:
    respondents: int
    nrr: dict[str, Fraction]
    ikm: Fraction  # 1–4
    weighting: str

    @property
    def converted(self) -> Decimal:
        """IKM on 25–100, two decimals half up."""
        return _dec(self.ikm * CONVERSION)

    @property
    def grade(self) -> tuple[str, str]:
        return grade_of(self.converted)

    def unsur_grade(self, code: str) -> tuple[str, str]:
        return grade_of_nrr(self.nrr[code])

    def weakest(self, n: int = 3) -> list[str]:
        """The unsur with the lowest NRR (ties by code), the first to improve."""
        return sorted(self.nrr, key=lambda c: (self.nrr[c], c))[:n]


def _dec(x: Fraction, places: str = "0.01") -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def ikm(responses: Sequence[Mapping[str, int]], weighting: str = EXACT) -> Result:
    """IKM of a set of complete questionnaires: Σ NRR_i × weight; weight 1/9 exactly, or 0,11 (legacy)."""
    if not responses:
        raise ValueError("no responses")
    values = {c: nrr([r[c] for r in responses]) for c in CODES}
    weight = Fraction(1, len(CODES)) if weighting == EXACT else Fraction(11, 100)
    return Result(len(responses), values, sum((v * weight for v in values.values()), Fraction(0)), weighting)


def grade_of(converted: Decimal) -> tuple[str, str]:
    value = Decimal(converted).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    for floor, _ni, letter, label in GRADES:
        if value >= floor:
            return letter, label
    return GRADES[-1][2], GRADES[-1][3]


def grade_of_nrr(value: Fraction) -> tuple[str, str]:
    for _nik, floor, letter, label in GRADES:
        if Fraction(floor) <= value:
            return letter, label
    return GRADES[-1][2], GRADES[-1][3]


def krejcie_morgan(population: int) -> int:
    """Respondents needed for a population of service users (95 %, P = 0.5, d = 0.05), half up."""
    if population <= 0:
        return 0
    chi2, p, d = Decimal("3.841"), Decimal("0.5"), Decimal("0.05")
    n = Decimal(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return int(s.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Complaints (RULES.md §8.2; days are working days — W, so configurable) --------------------------

COMPLAINT, ASPIRATION, INFORMATION = "complaint", "aspiration", "information"  # the citizen's kind at intake
GRIEVANCE, DISPUTE, VIOLATION = "grievance", "dispute", "violation"  # keluhan, sengketa, pelanggaran
CLASSES = (GRIEVANCE, DISPUTE, VIOLATION, INFORMATION, ASPIRATION)  # the verifier's classification
VERIFY_DAYS = 3  # P: LAPOR! verifies within 3 working days
FIRST_RESPONSE_DAYS = 3  # S: the status of forwarding
# Working days to resolve a report by its class (S: KemenPANRB via republika, 14 Jun 2018). Each is the default
# of the rule parameter "publicservice.days.class.<class>", which carries its effective date.
CLASS_DAYS = {
    GRIEVANCE: 5,  # keluhan
    DISPUTE: 14,  # sengketa, without field inspection
    VIOLATION: 14,  # pelanggaran, without field inspection
    INFORMATION: 5,  # permintaan informasi
    ASPIRATION: 5,  # treated like a keluhan
}
CLASS_DAYS_SINCE = (2018, 6, 14)  # the effective date the rule parameters are recorded with
# Reports forwarded before classes existed keep the days of their kind ("publicservice.days.<kind>").
RESOLUTION_DAYS = {
    INFORMATION: 5,  # permintaan informasi
    ASPIRATION: 5,  # treated like a keluhan
    COMPLAINT: 14,  # sengketa/pelanggaran without field inspection
}
FIELD_INSPECTION_DAYS = 60  # overrides the class
# The class a verifier starts from: an information request or an aspiration is what it says; a pengaduan
# has none, because keluhan (5 days) and sengketa/pelanggaran (14) differ, and the verifier must choose.
DEFAULT_CLASS = {INFORMATION: INFORMATION, ASPIRATION: ASPIRATION}
REOPEN_WINDOW_DAYS = 10  # calendar days after closing during which the citizen may reopen (product decision)


def default_class(kind: str) -> str | None:
    """The class a report of this kind gets unless the verifier chooses (None: the verifier must)."""
    return DEFAULT_CLASS.get(kind)


def resolution_rule(classification: str, kind: str, field_inspection: bool) -> tuple[str, int]:
    """The rule parameter (key, default working days) that sets how long the unit has to resolve a report:
    field inspection first, then the class, then (for reports never classified) the kind."""
    if field_inspection:
        return "publicservice.days.field_inspection", FIELD_INSPECTION_DAYS
    if classification:
        return f"publicservice.days.class.{classification}", CLASS_DAYS[classification]
    return f"publicservice.days.{kind}", RESOLUTION_DAYS[kind]
