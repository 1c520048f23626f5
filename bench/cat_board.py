"""The CAT's live board while answers are being saved (issue 4, point 15), over real HTTP on loopback.

    python bench/cat_board.py [--participants 256] [--viewers 50] [--seconds 15] [--quick]

The phases take turns (``--rounds`` times A, B, C) so that the machine's other load hits them alike.

Builds a fresh PostgreSQL database (default `pamong_bench_cat_board`, dropped at the end) with one session
of ``--participants`` working participants (a quarter already finished and scored, so the board shows
both kinds of rows); gunicorn runs as deployed (``-w 2×cores+1``, sync workers). The others save one
answer per ``--interval`` s each. Three phases of ``--seconds`` each, in one run:

A. saves alone (the baseline for the save latency);
B. saves with ``--viewers`` pages polling ``/cat/papan/<key>/data/`` once a second, as the board page does,
   and a probe: one participant answers a new question every 0.5 s while a watcher polls the board every
   100 ms; **freshness** is the time from the save's acknowledgement to the first board that counts it.
   The age of what viewers were served (their receive time − the board's ``built_at``) is printed too;
C. the same viewers on a board rebuilt on every request (bench/cat_naive.py: no one-second cache).

Also the cost of one rebuild (``exams.board.board_rows``), timed in this process. Nothing here is a
test: it prints figures.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cat_common as cc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--participants", type=int, default=256)
    ap.add_argument("--viewers", type=int, default=50)
    ap.add_argument("--interval", type=float, default=5.0, help="mean seconds between two saves of a participant")
    ap.add_argument("--seconds", type=float, default=18.0, help="seconds per phase, over all rounds")
    ap.add_argument("--rounds", type=int, default=3, help="the phases take turns this many times")
    ap.add_argument("--workers", type=int, default=cc.WORKERS)
    ap.add_argument("--db", default="pamong_bench_cat_board")
    ap.add_argument("--quick", action="store_true", help="128 participants, 20 viewers, 6 s phases")
    args = ap.parse_args()
    if args.quick:
        args.participants, args.viewers, args.seconds, args.rounds = 128, 20, 8.0, 2
    cc.raise_nofile()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"code: {cc.code_stamp('exams/board.py', 'exams/views/board.py', 'exams/services.py')}")

    env = cc.setup_django(args.db)
    server = None
    try:
        from exams.models import ExamSession, Participant
        from exams.services import participant_finish

        pools = cc.seed_bank()
        seats = cc.seed_participants(
            args.participants, args.participants, pools, prefix="BD", opened=True, started=True
        )
        finished = seats[: args.participants // 4]
        for seat in finished:
            participant_finish(participant=Participant.objects.get(pk=seat.pk))
        cc.analyze()
        session = ExamSession.objects.get(pk=seats[0].session_id)
        savers, probe = seats[len(finished) : -1], seats[-1]
        server = cc.Server(env, workers=args.workers)
        server.start()
        print(
            f"setup: one session of {args.participants} ({len(finished)} finished and scored, {len(savers)} saving one"
            f" answer per {args.interval:g} s, 1 probe); {server.describe()}"
        )
        rebuild = time_rebuild(session)
        print(
            f"one rebuild of the board (exams.board.board_rows, {args.participants} rows), in this process: {rebuild:.1f} ms"
        )

        meter = cc.CpuMeter(server, args.db)
        board = f"/cat/papan/{session.public_key}/data/"
        naive = f"/bench/naive/papan/{session.public_key}/"
        results = {p: {"saves": [], "views": [], "ages": [], "fresh": [], "cpu": [0.0, 0.0, 0.0]} for p in "ABC"}
        # The phases take turns (A B C, A B C, …) so that a change in the machine's other load hits all alike.
        for _round in range(args.rounds):
            for phase, path in (("A", None), ("B", board), ("C", naive)):
                m0 = meter.read()
                r = asyncio.run(run_phase(server.port, savers, probe, path, args, args.seconds / args.rounds))
                for k in ("saves", "views", "ages", "fresh"):
                    results[phase][k] += r[k]
                for i, x in enumerate(cc.CpuMeter.used(m0, meter.read())):
                    results[phase]["cpu"][i] += x
        report(results, args)
    finally:
        if server:
            server.stop()
        cc.drop_db(args.db)
        cc.flush_redis()
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def time_rebuild(session, n: int = 20) -> float:
    from exams.board import board_rows

    board_rows(session)
    t = time.perf_counter()
    for _i in range(n):
        board_rows(session)
    return (time.perf_counter() - t) / n * 1000


async def run_phase(port: int, savers, probe, board_path: str | None, args, seconds: float) -> dict:
    saves, views = cc.Recorder(), cc.Recorder()
    ages: list[float] = []
    fresh: list[float] = []
    end = time.perf_counter() + seconds

    async def saver(seat, rng):
        conn = cc.Conn(port)
        await asyncio.sleep(rng.random() * args.interval)
        while time.perf_counter() < end:
            at = time.perf_counter()
            try:
                status, _h, _d = await conn.request("POST", "/cat/api/jawab/", cc.answer_body(seat, rng), seat.token)
            except cc.HttpError:
                status = 0
            saves.add(at, status)
            await asyncio.sleep(rng.expovariate(1 / args.interval))
        conn.close()

    async def viewer(rng):
        conn = cc.Conn(port)
        await asyncio.sleep(rng.random())
        while time.perf_counter() < end:
            at = time.perf_counter()
            try:
                status, _h, data = await conn.request("GET", board_path)
            except cc.HttpError:
                status, data = 0, b""
            views.add(at, status)
            if status == 200:
                built = datetime.datetime.fromisoformat(json.loads(data)["built_at"]).timestamp()
                ages.append((time.time() - built) * 1000)
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - at)))
        conn.close()

    acked: dict[int, float] = {}  # how many new positions the probe has had acknowledged -> when

    async def prober():
        conn = cc.Conn(port)
        answered = len(probe.acked)  # what the board must count once it has caught up
        for position in range(len(probe.acked) + 1, len(probe.sheet) + 1):
            if time.perf_counter() >= end - 3:
                break
            probe.seq += 1
            body = {"position": position, "option": probe.sheet[position - 1][0], "seq": probe.seq}
            status, _h, _d = await conn.request("POST", "/cat/api/jawab/", body, probe.token)
            if status == 200:  # a position the probe never answered: the board's count goes up by one
                probe.acked[position] = True
                answered += 1
                acked[answered] = time.perf_counter()
            await asyncio.sleep(0.5)
        conn.close()

    async def watcher():
        conn = cc.Conn(port)
        seen = await board_count(conn, board_path, probe.number)
        while time.perf_counter() < end + 3:
            now_count = await board_count(conn, board_path, probe.number)
            t = time.perf_counter()
            for k in range(seen + 1, now_count + 1):
                if k in acked:
                    fresh.append((t - acked[k]) * 1000)
            seen = max(seen, now_count)
            await asyncio.sleep(0.1)
        conn.close()

    tasks = [saver(s, random.Random(s.pk)) for s in savers]
    if board_path:
        tasks += [viewer(random.Random(i)) for i in range(args.viewers)]
        if board_path.startswith("/cat/"):
            tasks += [prober(), watcher()]
    await asyncio.gather(*tasks)
    return {"saves": saves.samples, "views": views.samples, "ages": ages, "fresh": fresh}


async def board_count(conn, path: str, number: str) -> int:
    status, _h, data = await conn.request("GET", path)
    if status != 200:
        return 0
    return next(r["answered"] for r in json.loads(data)["rows"] if r["number"] == number)


def report(results: dict, args) -> None:
    print(
        f"\n{'':44} {'saves/s':>8} {'save p50':>9} {'p99':>8} | {'board/s':>8} {'board p50':>9} {'p99':>8}"
        f" | {'CPU s app':>9} {'db':>5} | errors"
    )
    labels = {
        "A": "A. saves alone (baseline)",
        "B": f"B. + {args.viewers} viewers, board cached 1 s (real)",
        "C": f"C. + {args.viewers} viewers, board rebuilt per request",
    }
    for phase, r in results.items():
        s = cc.summary(r["saves"], args.seconds)
        v = cc.summary(r["views"], args.seconds)
        app, db, _client = r["cpu"]
        board = (
            f"{v['rate']:>8,.0f} {v['p50']:>7.1f}ms {v['p99']:>6.1f}ms" if r["views"] else f"{'-':>8} {'-':>9} {'-':>8}"
        )
        errors = {
            **{f"save {k}": n for k, n in s["errors"].items()},
            **{f"board {k}": n for k, n in v["errors"].items()},
        }
        print(
            f"{labels[phase]:44} {s['rate']:>8,.0f} {s['p50']:>7.1f}ms {s['p99']:>6.1f}ms | {board}"
            f" | {app:>9.1f} {db:>5.1f} | {cc.fmt_errors(errors)}",
            flush=True,
        )
    b = results["B"]
    if b["fresh"]:
        f = b["fresh"]
        print(
            f"\nfreshness (B): a save is on the board {cc.pct(f, 50):.0f} ms after its acknowledgement at the median,"
            f" {cc.pct(f, 99):.0f} ms at p99, {max(f):.0f} ms at most ({len(f)} probes, watcher polling every 100 ms;"
            f" the page polls every 1 s, which adds up to 1 s more)"
        )
    if b["ages"]:
        a = b["ages"]
        print(
            f"age of the board viewers were served (B): p50 {cc.pct(a, 50):.0f} ms, p99 {cc.pct(a, 99):.0f} ms, max {max(a):.0f} ms"
        )


if __name__ == "__main__":
    main()
