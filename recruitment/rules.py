"""CPNS selection rules as pure functions and tables (RULES.md §2.2–2.4). No Django import.

- passing grades (nilai ambang batas) per year and category, every condition must hold (≥);
- ranking per formation and category to the SKB: 3 × the quota, ties by TKP, TIU, TWK, and everyone
  tied on all four at the boundary passes too;
- the final score: 40 % SKD + 60 % SKB on a 100-point scale with three decimals, and the final
  tie-breaks: SKD total, TKP, TIU, TWK, IPK (or the diploma average), the older applicant.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from exams.rules import SKD_2021, Blueprint, Score

UMUM = "umum"
KALIMANTAN = "kalimantan"
CUMLAUDE = "cumlaude"
DIASPORA = "diaspora"
DISABILITAS = "disabilitas"
PAPUA = "papua"
DAERAH_TERTINGGAL = "daerah_tertinggal"
CATEGORIES = (UMUM, KALIMANTAN, CUMLAUDE, DIASPORA, DISABILITAS, PAPUA, DAERAH_TERTINGGAL)


@dataclass(frozen=True)
class PassingGrade:
    """Minimums that must all be met: per sub-test and/or on the total."""

    twk: int | None = None
    tiu: int | None = None
    tkp: int | None = None
    total: int | None = None
    confidence: str = "S"

    def met_by(self, s: Score) -> bool:
        return all(
            limit is None or value >= limit
            for limit, value in ((self.twk, s.twk), (self.tiu, s.tiu), (self.tkp, s.tkp), (self.total, s.total))
        )


_UMUM = PassingGrade(twk=65, tiu=80, tkp=166)
_TOP = PassingGrade(total=311, tiu=85)
_AFFIRM = PassingGrade(total=286, tiu=60)
# The defaults by KepmenPANRB; the recruitment app stores each period's grades as data with an
# effective date, seeded from here. Categories tagged W are offered but flagged in the UI.
PASSING_GRADES: dict[int, dict[str, PassingGrade]] = {
    2021: {UMUM: _UMUM, CUMLAUDE: _TOP, DISABILITAS: _AFFIRM, PAPUA: _AFFIRM},
    2023: {UMUM: _UMUM, CUMLAUDE: _TOP, DIASPORA: _TOP, DISABILITAS: _AFFIRM, PAPUA: _AFFIRM},
    2024: {
        UMUM: _UMUM,
        KALIMANTAN: _UMUM,
        CUMLAUDE: _TOP,
        DIASPORA: PassingGrade(total=311, tiu=85, confidence="W"),
        DISABILITAS: _AFFIRM,
        PAPUA: _AFFIRM,
        DAERAH_TERTINGGAL: PassingGrade(total=286, tiu=60, confidence="W"),
    },
}


@dataclass(frozen=True)
class Candidate:
    """An applicant in a formation and category, with the SKD score (and later SKB, IPK, birth date)."""

    id: object
    skd: Score
    skb: Decimal | None = None  # on the SKB's own scale
    ipk: Decimal | None = None  # IPK, or the diploma average for SMA graduates
    birth_date: datetime.date | None = None


def skd_key(c: Candidate) -> tuple:
    """Sort key for the SKD ranking: total, then TKP, TIU, TWK, all descending."""
    return (-c.skd.total, -c.skd.tkp, -c.skd.tiu, -c.skd.twk)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    rank: int  # 1-based, equal for candidates tied on every SKD criterion
    passes: bool


def rank_for_skb(candidates: Sequence[Candidate], grade: PassingGrade, quota: int, factor: int = 3) -> list[Ranked]:
    """Rank those meeting the passing grade of their category; the best ``factor × quota`` go to the SKB,
    and everyone tied on total, TKP, TIU and TWK with the last place goes too."""
    eligible = sorted((c for c in candidates if grade.met_by(c.skd)), key=skd_key)
    seats = factor * quota
    out: list[Ranked] = []
    cutoff = None
    for i, c in enumerate(eligible):
        rank = out[-1].rank if out and skd_key(out[-1].candidate) == skd_key(c) else i + 1
        if i == seats - 1:
            cutoff = skd_key(c)
        passes = i < seats or (cutoff is not None and skd_key(c) == cutoff)
        out.append(Ranked(c, rank, passes))
    return out


THOUSANDTH = Decimal("0.001")


def scale_100(value: Decimal | int, maximum: Decimal | int) -> Decimal:
    return Decimal(value) * 100 / Decimal(maximum)


def final_score(skd: Score, skb: Decimal | int, skb_max: Decimal | int, blueprint: Blueprint = SKD_2021) -> Decimal:
    """40 % of the SKD and 60 % of the SKB, each on a 100-point scale, to three decimals (half up)."""
    value = Decimal("0.4") * scale_100(skd.total, blueprint.maximum) + Decimal("0.6") * scale_100(skb, skb_max)
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def final_key(c: Candidate, skb_max: Decimal | int, blueprint: Blueprint = SKD_2021) -> tuple:
    """Final ranking: final score, then SKD total, TKP, TIU, TWK, IPK, and the older applicant first."""
    if c.skb is None:
        raise ValueError("no SKB score")
    return (
        -final_score(c.skd, c.skb, skb_max, blueprint),
        -c.skd.total,
        -c.skd.tkp,
        -c.skd.tiu,
        -c.skd.twk,
        -(c.ipk if c.ipk is not None else Decimal(-1)),
        c.birth_date or datetime.date.max,  # earlier birth date = older = first
    )


def rank_final(
    candidates: Sequence[Candidate], skb_max: Decimal | int, quota: int, blueprint: Blueprint = SKD_2021
) -> list[Ranked]:
    """Final ranking of those who sat the SKB; the first ``quota`` pass (the tie-breaks leave no ties
    unless every criterion, birth date included, is equal — then both are ranked equal and both pass).
    ``blueprint`` is the SKD's, whose maximum scales the SKD to 100."""
    ordered = sorted((c for c in candidates if c.skb is not None), key=lambda c: final_key(c, skb_max, blueprint))
    out: list[Ranked] = []
    cutoff = None
    for i, c in enumerate(ordered):
        key = final_key(c, skb_max, blueprint)
        rank = out[-1].rank if out and final_key(out[-1].candidate, skb_max, blueprint) == key else i + 1
        if i == quota - 1:
            cutoff = key
        out.append(Ranked(c, rank, i < quota or key == cutoff))
    return out


# Uploads: what each document may be and how large (bytes). SSCASN practice; configurable here.
DOCUMENT_RULES = {
    "ktp": ({"pdf", "jpg"}, 1024 * 1024),
    "ijazah": ({"pdf"}, 1024 * 1024),
    "transkrip": ({"pdf"}, 1024 * 1024),
    "surat_lamaran": ({"pdf"}, 1024 * 1024),
    "pas_foto": ({"jpg"}, 300 * 1024),
}


def sniff(head: bytes) -> str | None:
    """The file type by its first bytes, not by its name: 'pdf', 'jpg' or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None
