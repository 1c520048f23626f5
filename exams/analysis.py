"""Item analysis after a session (pure functions, no Django): how hard each question was, how well it
separated strong from weak participants, how its wrong options were used, and which items to review.

Input per item: for every participant, the option chosen (or None) and that participant's total score.
Keyed items (TWK/TIU) are right or wrong; TKP items have no wrong answer and are analysed by their mean
weight instead of a proportion correct.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

# Review thresholds (conventional in classical test theory; data, not law).
TOO_EASY, TOO_HARD = 0.90, 0.20
LOW_DISCRIMINATION = 0.20
UNUSED_DISTRACTOR = 0.05


@dataclass(frozen=True)
class Response:
    option: str | None
    total: float  # the participant's total score (the criterion)


@dataclass
class ItemStats:
    n: int
    difficulty: float  # proportion correct (p)
    discrimination: float  # upper 27 % minus lower 27 % proportion correct (D)
    point_biserial: float | None  # correlation of correct (0/1) with the total; None without variance
    options: dict[str, float] = field(default_factory=dict)  # share of participants per option
    flags: list[str] = field(default_factory=list)


def _point_biserial(correct: list[int], totals: list[float]) -> float | None:
    n = len(correct)
    p = sum(correct) / n
    mean = sum(totals) / n
    sd = math.sqrt(sum((t - mean) ** 2 for t in totals) / n)
    if sd == 0 or p in (0, 1):
        return None
    m1 = sum(t for c, t in zip(correct, totals) if c) / sum(correct)
    m0 = sum(t for c, t in zip(correct, totals) if not c) / (n - sum(correct))
    return (m1 - m0) / sd * math.sqrt(p * (1 - p))


def analyse_keyed(responses: list[Response], key: str, options: list[str], group: float = 0.27) -> ItemStats:
    """Classical item statistics for a question with one key."""
    n = len(responses)
    if n == 0:
        return ItemStats(0, 0.0, 0.0, None, {o: 0.0 for o in options}, ["no_responses"])
    correct = [1 if r.option == key else 0 for r in responses]
    totals = [r.total for r in responses]
    ranked = sorted(zip(totals, correct), key=lambda x: x[0])
    k = max(1, round(n * group))
    lower = sum(c for _t, c in ranked[:k]) / k
    upper = sum(c for _t, c in ranked[-k:]) / k
    counts = Counter(r.option for r in responses)
    stats = ItemStats(
        n=n,
        difficulty=sum(correct) / n,
        discrimination=upper - lower,
        point_biserial=_point_biserial(correct, totals),
        options={o: counts.get(o, 0) / n for o in options},
    )
    if stats.difficulty > TOO_EASY:
        stats.flags.append("too_easy")
    if stats.difficulty < TOO_HARD:
        stats.flags.append("too_hard")
    if stats.discrimination < LOW_DISCRIMINATION:
        stats.flags.append("low_discrimination")
    if stats.discrimination < 0:
        stats.flags.append("negative_discrimination")  # the weak chose the key more often: check the key
    for o in options:
        if o != key and stats.options[o] < UNUSED_DISTRACTOR:
            stats.flags.append(f"unused_distractor:{o}")
    # A distractor chosen more by the upper group than the key is a sign of a wrong or ambiguous key.
    upper_group = sorted(range(n), key=lambda i: responses[i].total)[-k:]
    upper_choices = Counter(responses[i].option for i in upper_group)
    if upper_choices and upper_choices.most_common(1)[0][0] not in (key, None):
        stats.flags.append("upper_group_prefers_distractor")
    return stats


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)


def analyse_weighted(responses: list[Response], weights: dict[str, int], group: float = 0.27) -> ItemStats:
    """Item statistics for a TKP question, where every option carries a weight: difficulty is the mean
    weight earned over the largest (an unanswered item earns 0), discrimination the upper group's mean
    minus the lower group's over the largest weight, and the item–total correlation stands in for the
    point-biserial. The same review flags apply, the best-weighted option playing the key."""
    options = list(weights)
    n = len(responses)
    if n == 0:
        return ItemStats(0, 0.0, 0.0, None, {o: 0.0 for o in options}, ["no_responses"])
    top = max(weights.values())
    best = max(options, key=lambda o: weights[o])
    earned = [weights.get(r.option, 0) if r.option is not None else 0 for r in responses]
    totals = [r.total for r in responses]
    order = sorted(range(n), key=lambda i: totals[i])
    k = max(1, round(n * group))
    lower = sum(earned[i] for i in order[:k]) / k
    upper = sum(earned[i] for i in order[-k:]) / k
    counts = Counter(r.option for r in responses)
    stats = ItemStats(
        n=n,
        difficulty=sum(earned) / n / top,
        discrimination=(upper - lower) / top,
        point_biserial=_pearson([float(e) for e in earned], totals),
        options={o: counts.get(o, 0) / n for o in options},
    )
    if stats.difficulty > TOO_EASY:
        stats.flags.append("too_easy")
    if stats.difficulty < TOO_HARD:
        stats.flags.append("too_hard")
    if stats.discrimination < LOW_DISCRIMINATION:
        stats.flags.append("low_discrimination")
    if stats.discrimination < 0:
        stats.flags.append("negative_discrimination")
    for o in options:
        if o != best and stats.options[o] < UNUSED_DISTRACTOR:
            stats.flags.append(f"unused_distractor:{o}")
    upper_choices = Counter(responses[i].option for i in order[-k:])
    if upper_choices and upper_choices.most_common(1)[0][0] not in (best, None):
        stats.flags.append("upper_group_prefers_distractor")
    return stats
