"""Benchmark the optimal allocation of a training budget (learning.rules.allocate) against the greedy plan.

    python bench/learning_allocation.py [--sizes 1000x30,3000x100,10000x300] [--seed 2026]
                                        [--time-limit 1800] [--greedy-limit 120] [--cliques]

For each size (candidates x events) it draws a deterministic instance with random.Random(seed): people with
gaps in a few of 40 competencies (some far more common than others), JP done this year spread 0-30, ~15 %
PPPK, ~6 % under a coaching plan, a few already in an event; events costing Rp0.15-7.5 million a seat with
20-40 seats and 8-48 JP over February-December (8 JP a day, so some overlap), 15 % of them general courses
open to anyone short of 20 JP; a budget of 40 % of the cost of every seat, so that money binds. Then:

- rules.allocate as the project runs it (HiGHS, mip_rel_gap=0), with a time limit injected by this script
  (scipy's milp is wrapped to add `time_limit` and record the model's size, status and bounds);
- with --cliques, a prototype of the same programme with one row per day-clique of overlapping events
  instead of one per overlapping pair and the budget row in millions of rupiah;
- rules.allocate_greedy (a heap: only the picked person's pairs are scored again) and, as the baseline, the
  greedy plan as first written (learning/tests/test_rules.py's greedy_by_rescanning, which scores every
  pair again after each pick; stopped after --greedy-limit seconds);
- for each plan: value, enrolments, money used, people brought to 20 JP, people still short by reason, and
  rules.feasible's verdict. The gain of the exact plan over the greedy one is the headline figure.
Nothing here is a test: it prints figures (optimality on small instances is tested by brute force in
learning/tests/test_rules.py).
"""

import argparse
import contextlib
import datetime
import os
import random
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from learning import rules  # noqa: E402  (rules.py is pure Python: no Django setup needed)
from learning.tests.test_rules import greedy_by_rescanning  # noqa: E402

YEAR = 2026
COMPETENCIES = 40
MAX_LEVEL = 5


def instance(n_people: int, n_events: int, seed: int):
    """A deterministic agency-sized problem: people with gaps in a few of 40 competencies and a JP ledger
    spread 0–30, events from Rp150 thousand e-learning to Rp7.5 million residential courses over the year."""
    rng = random.Random(f"{seed}:{n_people}:{n_events}")
    # Some competencies are everyone's gap (digital literacy, policy writing), most are rarer.
    popularity = [1 / (1 + i) ** 0.7 for i in range(COMPETENCIES)]
    comps = list(range(1, COMPETENCIES + 1))
    people = []
    for i in range(n_people):
        levels = {}
        for comp in set(
            rng.choices(comps, weights=popularity, k=rng.choices([0, 1, 2, 3, 4], [10, 30, 30, 20, 10])[0])
        ):
            held = rng.randint(1, MAX_LEVEL - 1)
            levels[comp] = (held, min(MAX_LEVEL, held + rng.choice([1, 1, 2])))
        kind = rng.choices(["pns", "pppk", "cpns"], [82, 15, 3])[0]
        people.append(
            rules.Person(
                id=i + 1,
                employee_type=kind,
                jp_done=Decimal(rng.randint(0, 120)) / 4,  # 0–30 JP in quarter hours of JP
                levels=levels,
                coaching=rng.random() < 0.06,
                excluded=frozenset(),  # filled in once the events exist
            )
        )
    events = []
    first = datetime.date(YEAR, 2, 2)
    for j in range(n_events):
        open_all = rng.random() < 0.15
        if open_all:  # general courses and e-learning: no target, cheap, any PNS short of 20 JP
            targets = {}
            cost = rng.randrange(150_000, 1_500_001, 50_000)
        else:
            targets = {c: rng.randint(2, MAX_LEVEL) for c in rng.sample(comps, rng.randint(1, 3))}
            cost = rng.randrange(500_000, 7_500_001, 50_000)
        jp = Decimal(rng.choice(range(8, 49, 4)))
        start = first + datetime.timedelta(days=rng.randrange(0, 300))
        while start.weekday() >= 5:
            start += datetime.timedelta(days=1)
        days = -(-int(jp) // 8)  # 8 JP a day
        events.append(
            rules.Event(
                id=10_000_000 + j + 1,
                cost=cost,
                seats=rng.randint(20, 40),
                jp=jp,
                targets=targets,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=days - 1),
                open_to_all=open_all,
            )
        )
    # A few people already sit in an event (they are excluded from it).
    ids = [e.id for e in events]
    people = [
        rules.Person(p.id, p.employee_type, p.jp_done, p.levels, p.coaching, frozenset(rng.sample(ids, 1)))
        if rng.random() < 0.03
        else p
        for p in people
    ]
    budget = int(0.4 * sum(e.cost * e.seats for e in events))
    return people, events, budget


# ---- prototypes measured beside the project's code ------------------------------------------------


def model(people, events, budget, w, *, overlap="pairs", cost_unit=1, jp_only=None):
    """rules.allocate's programme, rebuilt here so its parts can be changed one at a time.

    overlap="pairs" writes one row per overlapping pair of a person's candidate events (as rules.allocate does),
    "cliques" one row per maximal set of them that share a day (same feasible set, fewer and tighter rows);
    cost_unit=1_000_000 writes the budget row in millions of rupiah (same feasible set, better scaled);
    jp_only=K keeps, of each person's candidates that close no gap (open-to-all courses, worth only their JP
    towards 20), the K with the lowest cost per JP of the shortfall: a smaller model, no longer exact.
    """
    import numpy as np
    from scipy.sparse import coo_array

    pairs = [(p, e) for p in people for e in events if rules.eligible(p, e)]
    if jp_only is not None:
        keep, only = [], {}
        for p, e in pairs:
            (only.setdefault(p.id, []) if rules.closure(p, e) == 0 else keep).append((p, e))
        for cands in only.values():
            cands.sort(key=lambda pe: (pe[1].cost / min(pe[1].jp, pe[0].shortfall), pe[1].id))
            keep += cands[:jp_only]
        order = {p.id: i for i, p in enumerate(people)}
        pairs = sorted(keep, key=lambda pe: (order[pe[0].id], pe[1].id))
    short = [p for p in {p.id: p for p, _e in pairs}.values() if p.shortfall > 0]
    n_x, n_y = len(pairs), len(short)
    c = np.array([-rules.pair_value(p, e, w) for p, e in pairs] + [-w.compliance] * n_y)
    rows, cols, vals, lo, hi = [], [], [], [], []
    kinds: dict[str, int] = {}

    def add(kind, entries, lower, upper):
        r = len(lo)
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lo.append(lower)
        hi.append(upper)
        kinds[kind] = kinds.get(kind, 0) + 1

    add("budget", [(k, e.cost / cost_unit) for k, (_p, e) in enumerate(pairs)], -np.inf, budget / cost_unit)
    by_event, by_person = {}, {}
    for k, (p, e) in enumerate(pairs):
        by_event.setdefault(e.id, []).append(k)
        by_person.setdefault(p.id, []).append(k)
    seats = {e.id: e.seats for e in events}
    for eid, ks in by_event.items():
        if len(ks) > seats[eid]:
            add("seats", [(k, 1.0) for k in ks], -np.inf, float(seats[eid]))
    by_id = {p.id: p for p in people}
    for pid, ks in by_person.items():
        person = by_id[pid]
        if len(ks) > w.max_events:
            add("max_events", [(k, 1.0) for k in ks], -np.inf, float(w.max_events))
        if person.room is not None:
            add("pppk_room", [(k, float(pairs[k][1].jp)) for k in ks], -np.inf, float(person.room))
        if overlap == "pairs":
            for i, a in enumerate(ks):
                for b in ks[i + 1 :]:
                    if rules._overlap(pairs[a][1], pairs[b][1]):
                        add("overlap", [(a, 1.0), (b, 1.0)], -np.inf, 1.0)
        else:
            for clique in _cliques([(pairs[k][1].starts_on, pairs[k][1].ends_on, k) for k in ks]):
                add("overlap", [(k, 1.0) for k in clique], -np.inf, 1.0)
    for j, person in enumerate(short):
        add(
            "compliance",
            [(k, float(pairs[k][1].jp)) for k in by_person[person.id]] + [(n_x + j, -float(person.shortfall))],
            0.0,
            np.inf,
        )
    a = coo_array((vals, (rows, cols)), shape=(len(lo), n_x + n_y)).tocsr()
    return pairs, c, a, np.array(lo), np.array(hi), kinds


def _cliques(intervals):
    """The maximal sets of intervals (start, end, key) that share a day: at most one row per interval,
    each row one day's events (an interval graph's maximal cliques are the sets alive at some start)."""
    intervals = [iv for iv in intervals if iv[0] is not None and iv[1] is not None]
    starts = sorted({s for s, _e, _k in intervals})
    sets = [frozenset(k for s, e, k in intervals if s <= day <= e) for day in starts]
    out = []
    for i, s in enumerate(sets):
        if len(s) >= 2 and not (i + 1 < len(sets) and s <= sets[i + 1]):
            out.append(sorted(s))
    return out


# ---- measurement ---------------------------------------------------------------------------------


@contextlib.contextmanager
def quiet_stdout():
    """HiGHS prints internal trace lines to the process's stdout even with disp=False: hide them."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def solve_as_is(people, events, budget, w, time_limit):
    """rules.allocate unchanged, but with scipy's milp wrapped: a time limit added, the solve timed."""
    import scipy.optimize

    real = scipy.optimize.milp
    seen = {}

    def milp(c, **kw):
        seen["shape"], seen["nnz"] = kw["constraints"].A.shape, kw["constraints"].A.nnz
        kw["options"] = dict(kw["options"], time_limit=float(time_limit))
        seen["called"], cpu = time.perf_counter(), time.process_time()
        with quiet_stdout():
            res = real(c, **kw)
        seen["solved"], seen["cpu"], seen["res"] = time.perf_counter(), time.process_time() - cpu, res
        return res

    scipy.optimize.milp = milp  # rules.allocate imports it at call time
    try:
        t = time.perf_counter()
        try:
            proposal = rules.allocate(people, events, budget, w)
        except RuntimeError:  # no plan at all within the time limit
            proposal = None
        end = time.perf_counter()
    finally:
        scipy.optimize.milp = real
    return proposal, {
        "build": seen["called"] - t,
        "solve": seen["solved"] - seen["called"],
        "cpu": seen["cpu"],
        "finish": end - seen["solved"],
        "rows": seen["shape"][0],
        "cols": seen["shape"][1],
        "nnz": seen["nnz"],
        "status": _status(seen["res"]),
    }


def solve_prototype(people, events, budget, w, time_limit, **variant):
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    t = time.perf_counter()
    pairs, c, a, lo, hi, kinds = model(people, events, budget, w, **variant)
    built, cpu = time.perf_counter(), time.process_time()
    with quiet_stdout():
        res = milp(
            c,
            constraints=LinearConstraint(a, lo, hi),
            integrality=np.ones(len(c)),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0, "disp": False, "time_limit": float(time_limit)},
        )
    solved, cpu = time.perf_counter(), time.process_time() - cpu
    proposal = None
    if res.x is not None:
        chosen = [(pairs[k][0].id, pairs[k][1].id) for k in range(len(pairs)) if res.x[k] > 0.5]
        proposal = rules._finish(chosen, {p.id: p for p in people}, events, budget, w, res.status == 0)
    return proposal, {
        "build": built - t,
        "solve": solved - built,
        "cpu": cpu,
        "finish": time.perf_counter() - solved,
        "rows": a.shape[0],
        "cols": a.shape[1],
        "nnz": a.nnz,
        "kinds": kinds,
        "pairs": len(pairs),
        "status": _status(res),
    }


def _status(res) -> str:
    if res.status == 0:
        return f"optimal ({res.mip_node_count:,} nodes)"
    if res.x is None:
        return f"no plan within the time limit ({res.message.split('(')[0].strip()})"
    gap = abs(res.fun - res.mip_dual_bound)
    return f"time limit: optimality not proven (objective gap {gap:.2f})"


class Timeout(Exception):
    pass


def run_with_limit(fn, seconds):
    """Call fn, interrupting it after `seconds` (pure-Python loops only); None if it did not finish."""
    if not seconds:
        return fn()

    def stop(*_):
        raise Timeout

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    except Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timed(fn):
    t, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, {"solve": time.perf_counter() - t, "cpu": time.process_time() - cpu}


EXACT = "rules.allocate"
CLIQUES = "prototype: day cliques, Rp millions"
GREEDY = "rules.allocate_greedy (heap)"
RESCAN = "baseline: greedy, rescanning"


def bench_size(n_people, n_events, seed, time_limit, greedy_limit, cliques, w=rules.Weights()):
    from collections import Counter

    t = time.perf_counter()
    people, events, budget = instance(n_people, n_events, seed)
    drawn = time.perf_counter() - t
    short = sum(1 for p in people if p.shortfall > 0)
    seats = sum(e.seats for e in events)
    print(
        f"\n{n_people:,} candidates x {n_events} events (drawn in {drawn:.2f} s): {short:,} PNS/CPNS short of 20 JP, "
        f"{sum(p.employee_type == 'pppk' for p in people):,} PPPK, {sum(p.coaching for p in people):,} under coaching; "
        f"{seats:,} seats, {sum(e.open_to_all for e in events)} events open to all; budget Rp{budget / 1e9:.2f} bn "
        f"(40 % of all seats' cost)",
        flush=True,
    )
    kinds = model(people, events, budget, w)[-1]
    clique_rows = model(people, events, budget, w, overlap="cliques")[-1].get("overlap", 0)
    plans = {EXACT: solve_as_is(people, events, budget, w, time_limit)}
    if cliques:
        plans[CLIQUES] = solve_prototype(people, events, budget, w, time_limit, overlap="cliques", cost_unit=1_000_000)
    info = plans[EXACT][1]
    print(
        f"  {len(_pairs(people, events)):,} candidate pairs ({sum(1 for p, e in _pairs(people, events) if not rules.closure(p, e)):,} "
        f"of them JP only: open to all, no gap closed); model of rules.allocate: {info['rows']:,} rows x "
        f"{info['cols']:,} columns, {info['nnz']:,} non-zeros; rows: "
        + ", ".join(f"{k} {v:,}" for k, v in kinds.items())
        + f"; as day cliques: {clique_rows:,} overlap rows",
        flush=True,
    )
    plans[GREEDY] = timed(lambda: rules.allocate_greedy(people, events, budget, w))
    greedy = plans[GREEDY][0]
    rescan, rinfo = timed(lambda: run_with_limit(lambda: greedy_by_rescanning(people, events, budget, w), greedy_limit))
    if rescan is not None:  # its pairs, as a proposal like the others
        rescan = rules._finish(rescan, {p.id: p for p in people}, events, budget, w, False)
    plans[RESCAN] = (rescan, rinfo)

    print(
        f"  {'':38} {'build':>7} {'solve':>8} {'CPU':>8} {'finish':>7} {'value':>9} {'enrolled':>8} {'Rp used':>10} "
        f"{'to 20 JP':>8}  {'short: budget/seats/no_event/limit':>34}  feasible  status"
    )
    for label, (plan, inf) in plans.items():
        times = f"{inf.get('build', 0):6.2f}s {inf['solve']:7.2f}s {inf['cpu']:7.2f}s {inf.get('finish', 0):6.2f}s"
        if plan is None:
            status = inf.get("status") or f"stopped after {greedy_limit:.0f} s: did not finish"
            print(f"  {label:38} {times} {'':>9} {'':>8} {'':>10} {'':>8}  {'':>34}  {'':8}  {status}")
            continue
        why = Counter(plan.still_short.values())
        reasons = "/".join(f"{why.get(k, 0):,}" for k in ("budget", "seats", "no_event", "limit"))
        problems = rules.feasible(plan, people, events, budget, w)
        status = inf.get("status", "")
        if label == RESCAN:
            status = f"same pairs as rules.allocate_greedy: {plan.pairs == greedy.pairs}"
        print(
            f"  {label:38} {times} {plan.value:>9,.0f} {len(plan.pairs):>8,} {plan.cost / 1e9:7.3f} bn "
            f"{len(plan.compliant):>8,}  {reasons:>34}  {'yes' if not problems else 'NO ' + ','.join(problems[:3]):8}"
            f"  {status}",
            flush=True,
        )
    exact = [plans[k][0] for k in (EXACT, CLIQUES) if k in plans and plans[k][0] is not None]
    if not exact:
        print("  no exact plan within the time limit")
        return
    best = max(exact, key=lambda p: (p.value, p.optimal))
    base = greedy
    gain = best.value - base.value
    print(
        f"  exact ({'proven optimal' if best.optimal else 'best found, not proven'}) over greedy"
        f": +{gain:,.0f} value ({gain / base.value:+.1%}), "
        f"{len(best.compliant) - len(base.compliant):+,} people brought to 20 JP ({len(best.compliant):,} vs "
        f"{len(base.compliant):,}), Rp{(best.cost - base.cost) / 1e6:+,.1f} million; budget used "
        f"{best.cost / budget:.2%} vs {base.cost / budget:.2%}",
        flush=True,
    )


def _pairs(people, events):
    return [(p, e) for p in people for e in events if rules.eligible(p, e)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000x30,3000x100,10000x300", help="candidates x events, comma-separated")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--time-limit", type=float, default=1800, help="seconds for each MILP solve")
    ap.add_argument("--greedy-limit", type=float, default=120, help="seconds for the rescanning baseline; 0: none")
    ap.add_argument("--cliques", action="store_true", help="also solve the day-clique prototype")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; solve = wall time, CPU = this process")
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.lower().split("x"))
        bench_size(n, m, args.seed, args.time_limit, args.greedy_limit, args.cliques)


if __name__ == "__main__":
    main()
