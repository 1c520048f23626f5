"""The CAT's exam-start burst (issue 4, point 14), over real HTTP on loopback.

    python bench/cat_start_burst.py [--participants 3000] [--overload 2] [--savers 256] [--quick]

Builds a fresh PostgreSQL database (default `pamong_bench_cat_burst`, dropped at the end): a bank of 3×
the SKD blueprint, ``participants × overload`` checked-in participants (PIN, sheet drawn as check-in
draws it, the token login gives them; 32 log in over HTTP with their PIN as a check) in sessions of
``--per-session`` that are not open yet, and ``--savers`` participants already working in other sessions.
gunicorn runs as deployed (``-w 2×cores+1``, sync workers) on a free port. Then, in one run:

1. **Burst**: the operators open the sessions (``operations.session_open``) and every participant is
   released at once: ``POST /cat/api/mulai/`` then ``GET /cat/api/soal/1/``, re-trying like the page does
   (425: again in 3–5 s; any other failure: again in 2–5 s). Prints when the last one had question 1,
   latency per request and per participant (release → question 1 shown), and every non-200 answer.
2. The same burst against the prototype lean start and question of bench/cat_naive.py (the hot path of
   each in one or two raw statements, the question's text kept in the process), and against the naive start of bench/cat_naive.py (the sheet drawn at start time through
   the ORM, one row per question, the bank read per request), stopped after ``--naive-cap`` seconds.
3. **Overload**: ``overload ×`` as many participants released at once while the savers save (one save per
   ``--interval`` s each, in a process of their own): the start burst's outcome and the savers' latency
   before and during the burst; first as the app is, then with the app's start gate
   (exams.gate.StartGate, ``--gate`` start requests in flight, the rest 429 with ``Retry-After`` 5–15 s, which the
   simulated pages honour, as cat.js does), then with the gate and the saves served by a pool
   of workers of their own (what a reverse proxy routing ``/cat/api/jawab/`` to a second upstream gives).

Nothing here is a test: it prints figures.
"""

import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cat_common as cc  # noqa: E402

QUESTION_1 = "/cat/api/soal/1/"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=3000)
    ap.add_argument("--overload", type=float, default=2.0)
    ap.add_argument("--savers", type=int, default=256)
    ap.add_argument("--interval", type=float, default=10.0, help="mean seconds between two saves of a saver")
    ap.add_argument("--per-session", type=int, default=128)
    ap.add_argument("--cap", type=float, default=60.0, help="seconds after which a burst is cut off")
    ap.add_argument("--naive-cap", type=float, default=45.0)
    ap.add_argument(
        "--gate", type=int, default=0, help="start requests in flight under the start gate (0: workers − 1)"
    )
    ap.add_argument("--save-workers", type=int, default=2, help="workers of the saves' own pool (last variant)")
    ap.add_argument("--workers", type=int, default=cc.WORKERS)
    ap.add_argument("--db", default="pamong_bench_cat_burst")
    ap.add_argument("--quick", action="store_true", help="600 participants, 64 savers, shorter caps")
    args = ap.parse_args()
    if args.quick:
        args.participants, args.savers, args.cap, args.naive_cap = 600, 64, 45.0, 15.0
    cc.raise_nofile()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"code: {cc.code_stamp('exams/services.py', 'exams/views/delivery.py')}")

    env = cc.setup_django(args.db)
    server = None
    gate_dir = tempfile.mkdtemp(prefix="pamong_bench_gate_")
    try:
        t = time.perf_counter()
        pools = cc.seed_bank()
        total = int(args.participants * args.overload)
        seats = cc.seed_participants(total, args.per_session, pools, prefix="BU", opened=False, logged_in=True)
        savers = cc.seed_participants(args.savers, args.per_session, pools, prefix="SV", opened=True, started=True)
        cc.analyze()
        server = cc.Server(env, workers=args.workers)
        server.start()
        asyncio.run(cc.login_and_start(server.port, seats[:32], start=False))
        print(
            f"setup: {total:,} participants waiting in {len({s.session_id for s in seats})} sessions of"
            f" {args.per_session} (sheets drawn at check-in; 32 logged in over HTTP with their PIN), {args.savers}"
            f" working; {server.describe()}: {time.perf_counter() - t:.1f} s"
        )
        first = seats[: args.participants]

        print(f"\nexam-start burst: {len(first):,} participants released at once (start, then question 1)")
        header()
        reset(seats)
        report(
            "real start (sheet drawn at check-in)", burst(server, first, "/cat/api/mulai/", cap=args.cap, db=args.db)
        )
        reset(seats)
        report(
            "prototype lean start + question",
            burst(server, first, "/bench/proto/mulai/", cap=args.cap, db=args.db, question_path="/bench/proto/soal/1/"),
        )

        print(
            f"\n{args.overload:g}× overload: {total:,} released at once while {args.savers} participants save"
            f" (one save per {args.interval:g} s each)"
        )
        variants = (
            ("as is (no back-pressure)", 0, 0),
            ("start gate, Retry-After 5–15 s honoured", args.gate or args.workers - 1, 0),
            (
                f"start gate + saves on a pool of their own ({args.save_workers} of the {args.workers} workers)",
                args.gate or args.workers - args.save_workers - 1,
                args.save_workers,
            ),
        )
        for label, gate, save_workers in variants:
            reset(seats)
            server.stop()
            extra = {"CAT_BENCH_GATE": str(gate), "CAT_BENCH_GATE_DIR": gate_dir} if gate else {}
            server = cc.Server(env, workers=args.workers - save_workers, extra=extra)
            server.start()
            saves = None
            if save_workers:
                saves = cc.Server(env, workers=save_workers)
                saves.start()
            try:
                overload(
                    f"{label} [gate {gate}]" if gate else label, server, saves or server, seats, savers, args, gate > 0
                )
            finally:
                if saves:
                    saves.stop()
        server.stop()
        server = cc.Server(env, workers=args.workers)
        server.start()

        print(f"\nnaive start, {len(first):,} released at once (cut off after {args.naive_cap:g} s)")
        header()
        reset(seats, drop_sheets=first)
        report(
            "naive ORM start (sheet drawn per request)",
            burst(server, first, "/bench/naive/mulai/", cap=args.naive_cap, db=args.db),
        )
    finally:
        if server:
            server.stop()
        shutil.rmtree(gate_dir, ignore_errors=True)
        cc.drop_db(args.db)
        cc.flush_redis()
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def reset(seats, drop_sheets=()) -> None:
    """Every burst participant waiting again, their sessions closed (the sheets stay: drawn at check-in)."""
    from django.db import connection

    pks = [s.pk for s in seats]
    sessions = sorted({s.session_id for s in seats})
    with connection.cursor() as cur:
        cur.execute("UPDATE exams_participant SET started_at = NULL, deadline = NULL WHERE id = ANY(%s)", [pks])
        cur.execute("UPDATE exams_examsession SET opened_at = NULL WHERE id = ANY(%s)", [sessions])
        if drop_sheets:
            cur.execute("DELETE FROM exams_sheetitem WHERE participant_id = ANY(%s)", [[s.pk for s in drop_sheets]])
        cur.execute("VACUUM ANALYZE exams_participant")
    cc.flush_redis()


def open_sessions(seats) -> float:
    """Open every session of these participants through the operator's service; returns the seconds taken."""
    from exams.models import ExamSession
    from exams.operations import session_open

    actor = cc.make_operator()
    t = time.perf_counter()
    for session in ExamSession.objects.filter(pk__in={s.session_id for s in seats}):
        session_open(actor=actor, session=session)
    return time.perf_counter() - t


async def _burst(
    port: int, seats, start_path: str, question_path: str, cap: float, release: float, honour_retry_after: bool
) -> dict:
    starts, questions = cc.Recorder(), cc.Recorder()
    done: list[float] = []
    answers: dict[str, int] = {}
    failed = 0

    async def one(seat: cc.Seat):
        nonlocal failed
        conn = cc.Conn(port)
        rng = random.Random(seat.pk)
        for rec, method, path in ((starts, "POST", start_path), (questions, "GET", question_path)):
            while True:
                left = cap - (time.perf_counter() - release)
                if left <= 0:
                    failed += 1
                    conn.close()
                    return
                at = time.perf_counter()
                headers = {}
                try:
                    status, headers, _d = await conn.request(
                        method, path, {} if method == "POST" else None, seat.token, timeout=left
                    )
                except cc.HttpError:
                    status = 0
                rec.add(at, status)
                if status == 200:
                    break
                key = f"{'start' if rec is starts else 'q1'} {status or 'no answer'}"
                answers[key] = answers.get(key, 0) + 1
                if status in (401, 404, 409, 410):
                    failed += 1
                    conn.close()
                    return
                if status == 429 and honour_retry_after and "retry-after" in headers:
                    await asyncio.sleep(int(headers["retry-after"]) + rng.random())
                else:  # what static/exams/cat.js does
                    await asyncio.sleep((3 if status == 425 else 2) + rng.random() * (2 if status == 425 else 3))
        done.append(time.perf_counter() - release)
        conn.close()

    await asyncio.gather(*(one(s) for s in seats))
    return {"starts": starts, "questions": questions, "done": done, "answers": answers, "failed": failed}


def burst(
    server, seats, start_path: str, *, cap: float, db: str, question_path: str = QUESTION_1, honour: bool = False
) -> dict:
    opened = open_sessions(seats)
    meter = cc.CpuMeter(server, db)
    m0 = meter.read()
    release = time.perf_counter()
    out = asyncio.run(_burst(server.port, seats, start_path, question_path, cap, release, honour))
    out["release"], out["end"] = release, time.perf_counter()
    out["cpu"] = [x / len(seats) * 1000 for x in cc.CpuMeter.used(m0, meter.read())]
    out["opened"] = opened
    out["n"] = len(seats)
    return out


def header() -> None:
    print(
        f"{'':42} {'done':>11} {'last':>7} | {'start p50':>9} {'p99':>7} | {'q1 p50':>7} {'p99':>7}"
        f" | {'person p50':>10} {'p99':>7} | CPU ms/person app  db client | non-200 answers"
    )


def report(label: str, r: dict) -> None:
    s = cc.summary(r["starts"].samples)
    q = cc.summary(r["questions"].samples)
    done = r["done"]
    last = f"{max(done):6.1f}s" if done else "     -"
    answers = ", ".join(f"{k}×{v}" for k, v in sorted(r["answers"].items())) or "0"
    print(
        f"{label:42} {len(done):>5,}/{r['n']:<5,} {last} | {s['p50']:>7.0f}ms {s['p99']:>5.0f}ms |"
        f" {q['p50']:>5.0f}ms {q['p99']:>5.0f}ms | {cc.pct(done, 50) * 1000:>8.0f}ms {cc.pct(done, 99) * 1000:>5.0f}ms |"
        f" {r['cpu'][0]:>17.1f} {r['cpu'][1]:>3.1f} {r['cpu'][2]:>6.1f} | {answers}",
        flush=True,
    )


# ------------------------------------------------------------------------------------------------- savers


def saver_process(port: int, seats: list[tuple], interval: float, seconds: float, out, stop) -> None:
    """Runs in a process of its own so that the burst's client does not slow the savers' event loop."""
    people = [cc.Seat(pk, "", "", sid, sheet, token=token, seq=10_000) for pk, sid, sheet, token in seats]
    rec = cc.Recorder()
    end = time.perf_counter() + seconds

    async def participant(seat, rng):
        conn = cc.Conn(port)
        await asyncio.sleep(rng.random() * interval)
        while time.perf_counter() < end and not stop.is_set():
            body = cc.answer_body(seat, rng)
            at = time.perf_counter()
            try:
                status, _h, _d = await conn.request("POST", "/cat/api/jawab/", body, seat.token)
            except cc.HttpError:
                status = 0
            rec.add(at, status)
            await asyncio.sleep(rng.expovariate(1 / interval))
        conn.close()

    async def run():
        await asyncio.gather(*(participant(s, random.Random(s.pk)) for s in people))

    asyncio.run(run())
    out.put([(s.at, s.ms, s.status) for s in rec.samples])


def overload(label: str, server, saves_server, seats, savers, args, honour: bool) -> None:
    before = 5.0
    ctx = multiprocessing.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    proc = ctx.Process(
        target=saver_process,
        args=(
            saves_server.port,
            [(s.pk, s.session_id, s.sheet, s.token) for s in savers],
            args.interval,
            before + args.cap + 5,
            queue,
            stop,
        ),
    )
    proc.start()
    time.sleep(before + 1.0)  # the spawned process needs a moment to import
    r = burst(server, seats, "/cat/api/mulai/", cap=args.cap, db=args.db, honour=honour)
    release, end_of_burst = r["release"], r["end"]
    time.sleep(2)
    stop.set()
    samples = [cc.Sample(*t) for t in queue.get()]
    proc.join()
    base = [x for x in samples if release - before <= x.at < release]
    during = [x for x in samples if release <= x.at < end_of_burst]
    b, d = cc.summary(base), cc.summary(during)
    starts = r["starts"].samples
    rejected = sum(1 for x in starts if x.status == 429)
    print(f"  {label}")
    header()
    report("    burst", r)
    print(
        f"    saves: before the burst p50 {b['p50']:.0f} ms, p99 {b['p99']:.0f} ms ({b['n']} saves, errors"
        f" {cc.fmt_errors(b['errors'])}); during it p50 {d['p50']:.0f} ms, p99 {d['p99']:.0f} ms, max"
        f" {d['max']:.0f} ms ({d['n']} saves, errors {cc.fmt_errors(d['errors'])}); 429 answers to starts: {rejected:,}",
        flush=True,
    )


if __name__ == "__main__":
    main()
