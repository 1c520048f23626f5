"""The SKD of the CAT as pure functions and tables (RULES.md §2.1). No Django import.

A blueprint says how many questions each sub-test has and how they score: TWK and TIU score 5 for the
key and 0 otherwise; every TKP option carries its own weight 1–5. Nothing is subtracted for a wrong or
missing answer. Durations: 100 minutes, 130 for applicants with a visual impairment (disabilitas
sensorik netra; RULES.md says the wider reading is W).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TWK, TIU, TKP = "twk", "tiu", "tkp"
SUBTESTS = (TWK, TIU, TKP)


@dataclass(frozen=True)
class Part:
    subtest: str
    questions: int
    weighted: bool  # True: each option has its own weight (TKP); False: key = points, else 0
    points: int = 5  # for keyed questions; for weighted ones the largest weight

    @property
    def maximum(self) -> int:
        return self.questions * self.points


@dataclass(frozen=True)
class Blueprint:
    code: str
    parts: tuple[Part, ...]
    minutes: int
    minutes_visually_impaired: int

    @property
    def maximum(self) -> int:
        return sum(p.maximum for p in self.parts)

    @property
    def questions(self) -> int:
        return sum(p.questions for p in self.parts)

    def part(self, subtest: str) -> Part:
        return next(p for p in self.parts if p.subtest == subtest)

    def minutes_for(self, *, visually_impaired: bool) -> int:
        return self.minutes_visually_impaired if visually_impaired else self.minutes


# 2021–2024 (KepmenPANRB 1023/2021, 651/2023, 321/2024): 30/35/45 questions, 550 points, 100 minutes.
SKD_2021 = Blueprint(
    "SKD-2021",
    (Part(TWK, 30, False), Part(TIU, 35, False), Part(TKP, 45, True)),
    minutes=100,
    minutes_visually_impaired=130,
)
# 2018/2019, for legacy records: 35/30/35 questions, 500 points.
SKD_2018 = Blueprint(
    "SKD-2018",
    (Part(TWK, 35, False), Part(TIU, 30, False), Part(TKP, 35, True)),
    minutes=90,
    minutes_visually_impaired=90,
)
BLUEPRINTS = {b.code: b for b in (SKD_2021, SKD_2018)}

TKP_WEIGHTS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Item:
    """A question as delivered: its sub-test and, per option, the points it earns."""

    subtest: str
    option_points: Mapping[str, int]  # option id -> points (keyed: key 5, others 0; TKP: 1..5)


def check_item(item: Item, blueprint: Blueprint = SKD_2021) -> None:
    """Refuse an item whose scoring does not fit its sub-test."""
    part = blueprint.part(item.subtest)
    points = sorted(item.option_points.values())
    if len(points) < 2:
        raise ValueError("an item needs at least two options")
    if part.weighted:
        if sorted(set(points)) != points or not set(points) <= set(TKP_WEIGHTS):
            raise ValueError("TKP options carry distinct weights from 1 to 5")
    elif points.count(part.points) != 1 or any(p not in (0, part.points) for p in points):
        raise ValueError(f"a keyed item has exactly one key worth {part.points} and the rest 0")


@dataclass(frozen=True)
class Score:
    twk: int
    tiu: int
    tkp: int

    @property
    def total(self) -> int:
        return self.twk + self.tiu + self.tkp

    def of(self, subtest: str) -> int:
        return getattr(self, subtest)


def score(items: Iterable[Item], answers: Mapping[int, str | None]) -> Score:
    """Sum the points of the chosen options per sub-test; an unanswered or unknown choice earns 0.

    ``answers`` maps the position of each item in ``items`` to the chosen option id (or None)."""
    totals = {s: 0 for s in SUBTESTS}
    for i, item in enumerate(items):
        chosen = answers.get(i)
        if chosen is not None:
            totals[item.subtest] += item.option_points.get(chosen, 0)
    return Score(totals[TWK], totals[TIU], totals[TKP])
