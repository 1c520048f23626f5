"""Competency development as pure functions (RULES.md §6): JP arithmetic, the yearly minimum, gaps,
who is at risk, and the optimal allocation of a training budget (an exact 0/1 integer programme).
No Django import."""

import datetime
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MINUTES_PER_JP = 45  # W: a convention (no regulation text seen); stored as rule parameter learning.minutes_per_jp
PNS_MIN_JP = Decimal(20)  # S: PP 11/2017 Pasal 203(4) as amended by PP 17/2020
PPPK_MAX_JP = Decimal(24)  # S: PP 49/2018 — a PPPK's development is limited to 24 JP per contract year
HUNDREDTH = Decimal("0.01")


def jp_hundredths(minutes: int, minutes_per_jp: int = MINUTES_PER_JP) -> int:
    """Hundredths of a JP in ``minutes``, half up, in integers: round(100·m/L) = (200·m + L) div 2L. No
    float and no decimal division, so an exact half (e.g. 18 minutes at L = 40 is 0.45 JP) rounds up the
    same here, in Python's Decimal and in SQL on SQLite and PostgreSQL (learning.selectors.year_jp)."""
    if minutes < 0 or minutes_per_jp <= 0:
        raise ValueError("minutes must be ≥ 0 and a JP longer than 0")
    return (200 * minutes + minutes_per_jp) // (2 * minutes_per_jp)


def jp_from_hundredths(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


def minutes_to_jp(minutes: int, minutes_per_jp: int = MINUTES_PER_JP) -> Decimal:
    """JP for a duration, to two decimals, half up (90 minutes = 2.00 JP; 50 minutes = 1.11 JP)."""
    return jp_from_hundredths(jp_hundredths(minutes, minutes_per_jp))


def year_jp(minutes: int, minutes_per_jp: int = MINUTES_PER_JP) -> Decimal:
    """A year's JP (RULES.md §6): the year's minutes divided by the JP length, rounded once, half up to two
    decimals — never the sum of the entries' own rounded JP (eighteen 50-minute sessions are 900 minutes,
    20.00 JP, not 18 × 1.11 = 19.98). The JP length is the one in force at the end of the year
    (``year_end``): a year is judged by one length, whatever day each entry was booked on."""
    return minutes_to_jp(minutes, minutes_per_jp)


def year_end(year: int) -> datetime.date:
    """The day whose JP length (rule parameter learning.minutes_per_jp) a year's JP is counted with."""
    return datetime.date(year, 12, 31)


def jp_to_minutes(jp: Decimal, minutes_per_jp: int = MINUTES_PER_JP) -> int:
    """The minutes a programme defined in JP books: half up to whole minutes (1.11 JP at 45 = 50 minutes)."""
    return int((Decimal(jp) * minutes_per_jp).to_integral_value(rounding=ROUND_HALF_UP))


def ledger_year(ended_on: datetime.date) -> int:
    """Learning counts in the year it ends: a course from 28 December to 3 January counts in January's year."""
    return ended_on.year


def budget_year(ends_on: datetime.date) -> int:
    """The budget year an event's cost belongs to: the year its learning counts in (``ledger_year`` of the
    day it ends), so that a year's budget buys that year's JP. A course from 28 December 2026 to 3 January
    2027 is paid from the 2027 budget, its JP count in 2027, and the allocation of 2026 does not offer it."""
    return ledger_year(ends_on)


def spans_years(starts_on: datetime.date, ends_on: datetime.date) -> bool:
    """The event starts in one year and ends in a later one (its cost and JP belong to the later one)."""
    return starts_on.year != ends_on.year


@dataclass(frozen=True)
class Compliance:
    jp: Decimal
    required: Decimal | None  # PNS (and CPNS): 20; PPPK: no minimum
    limit: Decimal | None  # PPPK: 24

    @property
    def met(self) -> bool:
        return self.required is None or self.jp >= self.required

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(0), (self.required or Decimal(0)) - self.jp)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.jp > self.limit


def compliance(jp: Decimal, employee_type: str) -> Compliance:
    """The yearly rule for an employee type: PNS and CPNS at least 20 JP; PPPK at most 24 JP."""
    jp = Decimal(jp)
    if employee_type == "pppk":
        return Compliance(jp, None, PPPK_MAX_JP)
    return Compliance(jp, PNS_MIN_JP, None)


def at_risk(jp_done: Decimal, jp_booked_ahead: Decimal, month: int, employee_type: str) -> bool:
    """At month ``month`` (1–12): behind the even pace to 20 JP and not covered by what is already booked
    for the rest of the year. PPPK have no minimum and are never at risk."""
    rule = compliance(jp_done, employee_type)
    if rule.required is None or rule.met:
        return False
    pace = rule.required * Decimal(month) / 12
    return jp_done < pace and jp_done + jp_booked_ahead < rule.required


def gap(required: int, held: int | None) -> int | None:
    """Required minus held; None when the competency was never assessed."""
    return None if held is None else required - held


# --- Optimal allocation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    employee_type: str
    jp_done: Decimal
    levels: dict[int, tuple[int, int]] = field(default_factory=dict)  # competency -> (held, required)
    coaching: bool = False  # an open performance coaching plan
    excluded: frozenset[int] = frozenset()  # events the person is already in

    @property
    def shortfall(self) -> Decimal:
        return compliance(self.jp_done, self.employee_type).shortfall

    @property
    def room(self) -> Decimal | None:
        """JP this person may still take (PPPK), or None when there is no ceiling."""
        rule = compliance(self.jp_done, self.employee_type)
        return None if rule.limit is None else max(Decimal(0), rule.limit - self.jp_done)


@dataclass(frozen=True)
class Event:
    id: int
    cost: int  # per participant
    seats: int  # still free
    jp: Decimal
    targets: dict[int, int] = field(default_factory=dict)  # competency -> level the programme reaches
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    open_to_all: bool = False  # e.g. a general e-learning course anyone may take for JP


@dataclass(frozen=True)
class Weights:
    gap: float = 10.0  # per competency level closed
    compliance: float = 25.0  # for bringing a PNS to 20 JP this year
    coaching: float = 0.5  # extra share of the gap value for someone under a coaching plan
    max_events: int = 3  # per person in one proposal


def closure(person: Person, event: Event) -> int:
    """Competency levels the event would close for the person: up to the required level, from the held one."""
    total = 0
    for comp, reach in event.targets.items():
        if comp in person.levels:
            held, required = person.levels[comp]
            total += max(0, min(required, reach) - held)
    return total


def eligible(person: Person, event: Event) -> bool:
    """An event is a candidate for a person when it closes a gap, or is open to all and the person is short."""
    if event.seats <= 0 or event.id in person.excluded:
        return False
    if person.room is not None and event.jp > person.room:
        return False
    return closure(person, event) > 0 or (event.open_to_all and person.shortfall > 0)


def pair_value(person: Person, event: Event, w: Weights) -> float:
    return w.gap * closure(person, event) * (1 + (w.coaching if person.coaching else 0))


def _overlap(a: Event, b: Event) -> bool:
    if None in (a.starts_on, a.ends_on, b.starts_on, b.ends_on):
        return False
    return a.starts_on <= b.ends_on and b.starts_on <= a.ends_on


@dataclass
class Proposal:
    pairs: list[tuple[int, int]]  # (person id, event id)
    value: float
    cost: int
    compliant: set[int]  # people brought to the minimum
    still_short: dict[int, str]  # person id -> "budget" | "seats" | "no_event" | "limit"
    optimal: bool = True
    gap: float | None = None  # the solver's relative gap when stopped by a time limit (0 when proved optimal)


def _value_of(
    pairs: Iterable[tuple[int, int]], people: dict[int, Person], events: dict[int, Event], w: Weights
) -> tuple[float, set[int]]:
    value, got = 0.0, {}
    for p, e in pairs:
        value += pair_value(people[p], events[e], w)
        got[p] = got.get(p, Decimal(0)) + events[e].jp
    compliant = {p for p, jp in got.items() if people[p].shortfall > 0 and jp >= people[p].shortfall}
    return value + w.compliance * len(compliant), compliant


def _why_short(
    person: Person, chosen_events: set[int], events: Sequence[Event], seats_left: dict[int, int], budget_left: int
) -> str:
    options = [e for e in events if e.id not in chosen_events and eligible(person, e)]
    if not options:
        return "no_event"
    if person.room is not None and all(e.jp > person.room for e in options):
        return "limit"
    with_seat = [e for e in options if seats_left[e.id] > 0]
    if not with_seat:
        return "seats"
    if all(e.cost > budget_left for e in with_seat):
        return "budget"
    return "budget"  # a seat and money exist one by one, but not for enough JP within the budget


def _finish(pairs, people, events_list, budget, w, optimal) -> Proposal:
    events = {e.id: e for e in events_list}
    value, compliant = _value_of(pairs, people, events, w)
    cost = sum(events[e].cost for _p, e in pairs)
    seats_left = {e.id: e.seats for e in events_list}
    taken: dict[int, set[int]] = {}
    for p, e in pairs:
        seats_left[e] -= 1
        taken.setdefault(p, set()).add(e)
    jp_got = {p: sum((events[e].jp for e in es), Decimal(0)) for p, es in taken.items()}
    short = {
        p.id: _why_short(p, taken.get(p.id, set()), events_list, seats_left, budget - cost)
        for p in people.values()
        if p.shortfall > 0 and jp_got.get(p.id, Decimal(0)) < p.shortfall
    }
    return Proposal(sorted(pairs), round(value, 6), cost, compliant, short, optimal)


class SolveTimeout(RuntimeError):
    """The time limit ran out before the solver found any plan at all."""


def allocate(
    people: Sequence[Person],
    events: Sequence[Event],
    budget: int,
    w: Weights = Weights(),
    *,
    time_limit: float | None = None,
) -> Proposal:
    """The enrolments that maximise weighted gap closure plus the people brought to 20 JP, within the
    budget, the free seats, a ceiling of events per person, no two overlapping events for one person
    and the PPPK ceiling: solved exactly as a 0/1 integer programme (HiGHS, ``mip_rel_gap=0``).

    With ``time_limit`` (seconds) HiGHS stops there and the best plan found so far is returned with
    ``optimal=False`` and its relative gap to the proven bound; SolveTimeout when it found none by then."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    by_id = {p.id: p for p in people}
    pairs = [(p, e) for p in people for e in events if eligible(p, e)]
    short = [p for p in people if p.shortfall > 0 and any(pp is p for pp, _e in pairs)]
    if not pairs:
        proposal = _finish([], by_id, events, budget, w, True)
        proposal.gap = 0.0
        return proposal
    n_x, n_y = len(pairs), len(short)
    # No cost tie-break in the objective: a term of 1e-9 × rupiah left HiGHS unable to close the gap to 0
    # (bench/learning_allocation.py: time limit at 1,000 × 30 with it, optimal in 0.5 s without).
    c = np.array([-pair_value(p, e, w) for p, e in pairs] + [-w.compliance] * n_y)
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0

    def add(entries: list[tuple[int, float]], lower: float, upper: float) -> None:
        nonlocal r
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lo.append(lower)
        hi.append(upper)
        r += 1

    add([(k, float(e.cost)) for k, (_p, e) in enumerate(pairs)], -np.inf, float(budget))
    by_event: dict[int, list[int]] = {}
    by_person: dict[int, list[int]] = {}
    for k, (p, e) in enumerate(pairs):
        by_event.setdefault(e.id, []).append(k)
        by_person.setdefault(p.id, []).append(k)
    seats = {e.id: e.seats for e in events}
    for eid, ks in by_event.items():
        if len(ks) > seats[eid]:
            add([(k, 1.0) for k in ks], -np.inf, float(seats[eid]))
    for pid, ks in by_person.items():
        person = by_id[pid]
        if len(ks) > w.max_events:
            add([(k, 1.0) for k in ks], -np.inf, float(w.max_events))
        if person.room is not None:
            add([(k, float(pairs[k][1].jp)) for k in ks], -np.inf, float(person.room))
        for a, b in itertools.combinations(ks, 2):
            if _overlap(pairs[a][1], pairs[b][1]):
                add([(a, 1.0), (b, 1.0)], -np.inf, 1.0)
    for j, person in enumerate(short):  # y_j = 1 only if the person's new JP covers the shortfall
        add(
            [(k, float(pairs[k][1].jp)) for k in by_person[person.id]] + [(n_x + j, -float(person.shortfall))],
            0.0,
            np.inf,
        )
    a = coo_array((vals, (rows, cols)), shape=(r, n_x + n_y)).tocsr()
    options = {"mip_rel_gap": 0, "disp": False}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = milp(
        c,
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(n_x + n_y),
        bounds=Bounds(0, 1),
        options=options,
    )
    if res.x is None and res.status == 1:  # HiGHS: iteration or time limit reached
        raise SolveTimeout(f"no plan within the time limit: {res.message}")
    if res.x is None:
        raise RuntimeError(f"the allocation could not be solved: {res.message}")
    chosen = [(pairs[k][0].id, pairs[k][1].id) for k in range(n_x) if res.x[k] > 0.5]
    proposal = _finish(chosen, by_id, events, budget, w, res.status == 0)
    # HiGHS reports the gap it closed to; a plan it proved optimal has none left.
    proposal.gap = 0.0 if proposal.optimal else (None if res.get("mip_gap") is None else float(res.mip_gap))
    return proposal


def allocate_greedy(people: Sequence[Person], events: Sequence[Event], budget: int, w: Weights = Weights()) -> Proposal:
    """The simple plan HR would make by hand: take the best value per rupiah first (counting the 20-JP
    bonus when a seat completes someone's shortfall), while money and seats last; on equal ratios the
    earlier person, then the earlier event.

    Kept on a heap rather than rescanning every pair after each pick: a pick changes only its own person's
    gains (the bonus depends on their JP so far), so only that person's pairs are scored again (older entries
    are recognised by their version and skipped). Seats, money, the events-per-person ceiling, overlaps and
    the PPPK room only ever tighten, so a pair that fails them at the top of the heap is dropped for good."""
    by_id = {p.id: p for p in people}
    seats = {e.id: e.seats for e in events}
    candidates = [(p, e) for p in people for e in events if eligible(p, e)]
    mine: dict[int, list[int]] = {}
    for k, (p, _e) in enumerate(candidates):
        mine.setdefault(p.id, []).append(k)
    got: dict[int, Decimal] = {}
    taken: dict[int, list[Event]] = {}
    version: dict[int, int] = {}
    chosen: list[tuple[int, int]] = []
    left = budget

    def ratio(k: int):
        p, e = candidates[k]
        have = got.get(p.id, Decimal(0))
        gain = pair_value(p, e, w)
        if p.shortfall > 0 and have < p.shortfall <= have + e.jp:
            gain += w.compliance
        return gain / max(e.cost, 1) if gain > 0 else None

    heap = [(-r, k, 0) for k in range(len(candidates)) if (r := ratio(k)) is not None]
    heapq.heapify(heap)
    while heap:
        _r, k, v = heapq.heappop(heap)
        p, e = candidates[k]
        if v != version.get(p.id, 0):
            continue
        held = taken.get(p.id, [])
        if seats[e.id] <= 0 or e.cost > left or len(held) >= w.max_events:
            continue
        if any(x.id == e.id or _overlap(x, e) for x in held):
            continue
        have = got.get(p.id, Decimal(0))
        if p.room is not None and have + e.jp > p.room:
            continue
        chosen.append((p.id, e.id))
        seats[e.id] -= 1
        left -= e.cost
        got[p.id] = have + e.jp
        taken.setdefault(p.id, []).append(e)
        version[p.id] = v + 1
        for j in mine[p.id]:
            if (r := ratio(j)) is not None:
                heapq.heappush(heap, (-r, j, v + 1))
    return _finish(chosen, by_id, events, budget, w, False)


def feasible(
    proposal: Proposal, people: Sequence[Person], events: Sequence[Event], budget: int, w: Weights = Weights()
) -> list[str]:
    """Every constraint a proposal breaks (empty when it is feasible)."""
    by_p = {p.id: p for p in people}
    by_e = {e.id: e for e in events}
    problems = []
    if sum(by_e[e].cost for _p, e in proposal.pairs) > budget:
        problems.append("budget")
    for eid, n in _count(e for _p, e in proposal.pairs).items():
        if n > by_e[eid].seats:
            problems.append(f"seats:{eid}")
    per_person: dict[int, list[Event]] = {}
    for p, e in proposal.pairs:
        per_person.setdefault(p, []).append(by_e[e])
        if not eligible(by_p[p], by_e[e]):
            problems.append(f"ineligible:{p}:{e}")
    for pid, evs in per_person.items():
        if len(evs) > w.max_events:
            problems.append(f"max_events:{pid}")
        if len({e.id for e in evs}) < len(evs):
            problems.append(f"twice:{pid}")
        if any(_overlap(a, b) for a, b in itertools.combinations(evs, 2)):
            problems.append(f"overlap:{pid}")
        room = by_p[pid].room
        if room is not None and sum((e.jp for e in evs), Decimal(0)) > room:
            problems.append(f"limit:{pid}")
    return problems


def _count(items: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return out
