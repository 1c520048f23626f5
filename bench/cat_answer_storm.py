"""The CAT's answer-save storm (issue 4, point 13), over real HTTP on loopback.

    python bench/cat_answer_storm.py [--sizes 64,256,1024] [--seconds 8] [--interval 1.0] [--quick]

Builds a fresh PostgreSQL database (default `pamong_bench_cat_storm`, dropped at the end), a bank of 3×
the SKD blueprint, and the largest size's participants checked in (PIN, sheet) in sessions of
``--per-session``; starts gunicorn as deployed (``-w 2×cores+1``, sync workers) on a free port, logs
every participant in with number and PIN and starts their exam over HTTP. Then prints, in one run:

1. The ceiling: PostgreSQL's own durable upsert rate (pgbench, ``INSERT … ON CONFLICT DO UPDATE`` of one
   answer row per transaction into a table shaped like ``exams_answer``, synchronous commit) at the app's
   number of connections and at 32; and the framework's floor (a JSON view with no query).
2. Per size, the real endpoint ``/cat/api/jawab/`` next to the naive ORM save of bench/cat_naive.py
   (same guarantees, written with whole model instances): *flat out* (each participant sends its next
   save as soon as the last is acknowledged: the throughput) and *paced* (each participant saves on
   average every ``--interval`` seconds, exponential think time: the latency a participant sees).
3. Crash safety: ``--kills`` times kill -9 of the whole app server (master and workers) under paced load,
   restarted at once; then ``--pg-kills`` times kill -9 of every PostgreSQL process, restarted (crash
   recovery). Participants re-send an unacknowledged save until acknowledged, as the page does. Every
   acknowledged save is then compared with the database: the answer row must hold that save or a later
   one, and an applied save its chained event; every participant's chain must verify
   (``exams.services.verify_session``).
   PostgreSQL is killed in a private cluster (initdb in a temporary folder, own port, same binaries and
   durability defaults) so other users of the machine's cluster are not cut off; ``--crash-cluster main``
   kills the machine's own cluster instead and starts it again, whatever happens.

Nothing here is a test: it prints figures.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cat_common as cc  # noqa: E402

UPSERT = """\\set p random(1, :n)
\\set pos random(1, 110)
\\set opt random(1, 5)
INSERT INTO bench_upsert (participant_id, position, option_id, doubtful, seq, saved_at)
VALUES (:p, :pos, :opt, false, 1, now())
ON CONFLICT (participant_id, position) DO UPDATE
SET option_id = EXCLUDED.option_id, doubtful = EXCLUDED.doubtful, seq = bench_upsert.seq + 1, saved_at = EXCLUDED.saved_at;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="64,256,1024")
    ap.add_argument("--per-session", type=int, default=128, help="participants per session (one room each)")
    ap.add_argument("--seconds", type=float, default=6.0, help="measured seconds per phase")
    ap.add_argument("--warmup", type=float, default=1.5)
    ap.add_argument("--interval", type=float, default=1.0, help="mean seconds between two saves (paced)")
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--pg-kills", type=int, default=3)
    ap.add_argument("--kill-every", type=float, default=3.0)
    ap.add_argument("--kill-participants", type=int, default=256)
    ap.add_argument("--crash-cluster", choices=["private", "main"], default="private")
    ap.add_argument("--workers", type=int, default=cc.WORKERS)
    ap.add_argument("--worker-class", default="sync")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--db", default="pamong_bench_cat_storm")
    ap.add_argument("--quick", action="store_true", help="64 and 256 participants, 3 s phases, 2 kills each")
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.seconds, args.warmup, args.kills, args.pg_kills = "64,256", 3.0, 1.0, 2, 2
        args.kill_participants = 64
    sizes = [int(s) for s in args.sizes.split(",")]
    cc.raise_nofile()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"code: {cc.code_stamp('exams/services.py', 'exams/views/delivery.py')}")

    env = cc.setup_django(args.db)
    server = None
    try:
        t = time.perf_counter()
        pools = cc.seed_bank()
        seats = cc.seed_participants(max(sizes), args.per_session, pools, prefix="ST", opened=True, started=True)
        cc.analyze()
        server = cc.Server(env, workers=args.workers, worker_class=args.worker_class, threads=args.threads)
        server.start()
        # The rest carry the token login gives and a running exam; these go the whole way over HTTP.
        asyncio.run(cc.login_and_start(server.port, seats[:32], start=True))
        print(
            f"setup: {len(seats):,} participants in sessions of {args.per_session} (32 logged in with their PIN"
            f" and started over HTTP), {server.describe()}: {time.perf_counter() - t:.1f} s"
        )
        bench_throughput(args, server, seats, sizes)
        bench_app_kills(args, server, seats[: args.kill_participants])
        server.stop()
        server = None
        bench_pg_kills(args, env, seats[: args.kill_participants])
    finally:
        if server:
            server.stop()
        cc.drop_db(args.db)
        cc.flush_redis()
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


# ------------------------------------------------------------------------------------------- throughput


async def storm(port: int, seats, path: str, *, seconds: float, warmup: float, interval: float, seed: int):
    """Every seat saves until the window closes; returns the samples of the measured window and the
    number of requests of the whole phase (for CPU per request)."""
    rec = cc.Recorder()
    begin = time.perf_counter()
    t0, t1 = begin + warmup, begin + warmup + seconds

    async def participant(seat: cc.Seat, rng: random.Random):
        conn = cc.Conn(port)
        if interval:
            await asyncio.sleep(rng.random() * interval)
        while time.perf_counter() < t1:
            body = cc.answer_body(seat, rng)
            at = time.perf_counter()
            try:
                status, _h, _data = await conn.request("POST", path, body, seat.token)
            except cc.HttpError:
                status = 0
            rec.add(at, status)
            if interval:
                await asyncio.sleep(rng.expovariate(1 / interval))
        conn.close()

    await asyncio.gather(*(participant(s, random.Random(f"{seed}:{s.pk}")) for s in seats))
    return rec.window(t0, t1), len(rec.samples)


ENDPOINTS = (
    ("real /cat/api/jawab/", "/cat/api/jawab/"),
    ("naive ORM save (floor)", "/bench/naive/jawab/"),
)


def bench_throughput(args, server, seats, sizes):
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_upsert; CREATE TABLE bench_upsert (LIKE exams_answer INCLUDING ALL)")
    secs = max(3, int(args.seconds))
    ceiling = {}
    for clients in sorted({args.workers, 32}):
        ceiling[clients] = cc.pgbench(url, UPSERT, clients=clients, seconds=secs, variables={"n": max(sizes)})
        with connection.cursor() as cur:
            cur.execute("TRUNCATE bench_upsert")
    top = max(ceiling.values())
    meter = cc.CpuMeter(server, args.db)
    m0 = meter.read()
    ping, ping_n = asyncio.run(
        storm_get(server.port, "/bench/ping/", clients=64, seconds=args.seconds, warmup=args.warmup)
    )
    ping_cpu = [x / ping_n * 1000 for x in cc.CpuMeter.used(m0, meter.read())]
    ping_s = cc.summary(ping, args.seconds)
    print("\nbaselines (same run)")
    for clients, tps in ceiling.items():
        print(f"  PostgreSQL durable upsert, pgbench -c {clients:<3}          {tps:>9,.0f} /s")
    print(
        f"  framework floor: JSON view, no query, 64 clients    {ping_s['rate']:>9,.0f} /s"
        f"   p50 {ping_s['p50']:6.1f} ms  p99 {ping_s['p99']:6.1f} ms"
        f"   CPU/request: app {ping_cpu[0]:.2f} ms, client {ping_cpu[2]:.2f} ms"
    )
    print(
        f"\nanswer saves over HTTP ({args.seconds:g} s measured per row after {args.warmup:g} s;"
        f" paced: one save per {args.interval:g} s per participant on average)"
    )
    print(
        f"{'participants':>12} {'endpoint':<24} {'mode':<5} {'saves/s':>8} {'× ceiling':>9}"
        f" {'p50':>8} {'p99':>8} {'max':>8} | CPU ms/save: app   db client | errors"
    )
    rows = []
    for n in sizes:
        group = seats[:n]
        for mode, interval in (("flat", 0.0), ("paced", args.interval)):
            for label, path in ENDPOINTS:
                m0 = meter.read()
                samples, total = asyncio.run(
                    storm(server.port, group, path, seconds=args.seconds, warmup=args.warmup, interval=interval, seed=n)
                )
                app, db, client = (x / max(total, 1) * 1000 for x in cc.CpuMeter.used(m0, meter.read()))
                s = cc.summary(samples, args.seconds)
                s["cpu"] = (app, db, client)
                rows.append((n, label, mode, s))
                print(
                    f"{n:>12,} {label:<24} {mode:<5} {s['rate']:>8,.0f} {s['rate'] / top:>8.2f}×"
                    f" {s['p50']:>6.1f}ms {s['p99']:>6.1f}ms {s['max']:>6.0f}ms |"
                    f" {app:>16.2f} {db:>4.2f} {client:>6.2f} | {cc.fmt_errors(s['errors'])}",
                    flush=True,
                )
    for label, _path in ENDPOINTS:
        flat = [s for n, lab, mode, s in rows if lab == label and mode == "flat"]
        best = max(s["rate"] for s in flat)
        cpu = [sum(s["cpu"]) for s in flat]
        print(
            f"{label:<24} best {best:>6,.0f} saves/s = {best / top:.2f}× the ceiling ({top:,.0f}/s; goal ≥ 0.25×);"
            f" {min(cpu):.1f}–{max(cpu):.1f} ms of CPU per save in all"
            f" (≈ {2000 / min(cpu) if cpu else 0:,.0f} saves/s if both cores were free for it)"
        )
    for n, label, mode, s in rows:
        if n == 256 and mode == "paced":
            print(f"256 participants, paced, {label}: p99 {s['p99']:.1f} ms (goal ≤ 50 ms)")
    from exams.models import ExamSession
    from exams.services import verify_session

    quiesce(url)
    sessions = list(ExamSession.objects.values_list("pk", flat=True))
    problems = sum(len(verify_session(pk)) for pk in sessions)
    print(
        f"hash chains of the {len(sessions)} sessions after all rows: {problems} problems (exams.services.verify_session)"
    )


async def storm_get(port: int, path: str, *, clients: int, seconds: float, warmup: float):
    rec = cc.Recorder()
    begin = time.perf_counter()
    t0, t1 = begin + warmup, begin + warmup + seconds

    async def client():
        conn = cc.Conn(port)
        while time.perf_counter() < t1:
            at = time.perf_counter()
            try:
                status, _h, _d = await conn.request("GET", path)
            except cc.HttpError:
                status = 0
            rec.add(at, status)
        conn.close()

    await asyncio.gather(*(client() for _i in range(clients)))
    return rec.window(t0, t1), len(rec.samples)


# ----------------------------------------------------------------------------------------------- crashes


async def crash_run(port: int, seats, *, interval: float, kills: int, every: float, kill, label: str):
    """Paced saves that are re-sent until acknowledged, while ``kill`` (a blocking call that kills and
    restarts something) runs ``kills`` times, ``every`` seconds apart. Returns every acknowledgement."""
    acks, stats = [], {"sent": 0, "retries": 0, "refused": {}, "unacked": 0, "down": []}
    end = time.perf_counter() + every * (kills + 1)

    async def participant(seat: cc.Seat, rng: random.Random):
        conn = cc.Conn(port)
        await asyncio.sleep(rng.random() * interval)
        while time.perf_counter() < end:
            body = cc.answer_body(seat, rng)
            backoff = 0.05
            while True:
                stats["sent"] += 1
                try:
                    status, _h, data = await conn.request("POST", "/cat/api/jawab/", body, seat.token, timeout=15)
                except cc.HttpError:
                    status = 0
                if status == 200:
                    ack = json.loads(data)
                    acks.append((seat.pk, body["position"], body["seq"], body["option"], ack["applied"], ack["seq"]))
                    break
                if status in (400, 401, 409, 410):
                    stats["refused"][status] = stats["refused"].get(status, 0) + 1
                    break
                if time.perf_counter() > end + 30:
                    stats["unacked"] += 1
                    break
                stats["retries"] += 1
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
            await asyncio.sleep(rng.expovariate(1 / interval))
        conn.close()

    async def killer():
        for _i in range(kills):
            await asyncio.sleep(every)
            t = time.perf_counter()
            await asyncio.to_thread(kill)
            stats["down"].append(time.perf_counter() - t)

    await asyncio.gather(killer(), *(participant(s, random.Random(f"{label}:{s.pk}")) for s in seats))
    return acks, stats


def quiesce(url: str, timeout: float = 90.0) -> None:
    """Wait until no save is being applied any more: requests whose client gave up may still sit in the
    server's queue, and the acknowledgements are compared with one quiet snapshot."""
    import psycopg

    last, stable, deadline = None, 0, time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while stable < 3 and time.monotonic() < deadline:
            n = conn.execute("SELECT count(*), max(id) FROM exams_answerevent").fetchone()
            stable = stable + 1 if n == last else 0
            last = n
            time.sleep(0.5)


def verify(url: str, acks, session_ids) -> dict:
    """Compare every acknowledged save with the database (one snapshot) and check every participant's
    chain with the app's own ``verify_session``, once the server has gone quiet."""
    import psycopg

    from exams.services import verify_session

    quiesce(url)
    pks = sorted({a[0] for a in acks})
    with psycopg.connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        stored = {
            (p, pos): (seq, opt)
            for p, pos, seq, opt in conn.execute(
                "SELECT participant_id, position, seq, option_id FROM exams_answer WHERE participant_id = ANY(%s)",
                [pks],
            )
        }
        events = {
            (p, pos, seq): opt
            for p, pos, seq, opt in conn.execute(
                "SELECT participant_id, position, seq, option_id FROM exams_answerevent WHERE participant_id = ANY(%s)",
                [pks],
            )
        }
    with cc.django_on(url):
        broken = sum(len(verify_session(sid)) for sid in session_ids)
    missing = wrong = no_event = 0
    for pk, pos, sent_seq, option, applied, ack_seq in acks:
        row = stored.get((pk, pos))
        if row is None or row[0] < ack_seq:
            missing += 1
        elif applied and row[0] == sent_seq and row[1] != option:
            wrong += 1
        if applied and events.get((pk, pos, sent_seq), "absent") != option:
            no_event += 1
    return {"acks": len(acks), "missing": missing, "wrong": wrong, "no_event": no_event, "broken": broken}


def print_crash(label: str, kills: int, acks, stats, result) -> None:
    down = stats["down"]
    print(
        f"  {label}: {kills} kill -9 under load, {result['acks']:,} acknowledged saves"
        f" ({stats['retries']:,} re-sends after a failed attempt; kill-to-answering {min(down):.1f}–{max(down):.1f} s)"
    )
    print(
        f"    acknowledged but missing: {result['missing']}; stored with another option: {result['wrong']};"
        f" applied without its chained event: {result['no_event']}; chain problems (verify_session): {result['broken']};"
        f" refused {stats['refused'] or 0}; never acknowledged: {stats['unacked']}"
    )


def bench_app_kills(args, server, seats):
    if not args.kills:
        return

    def kill():
        server.kill9()
        server.start()

    acks, stats = asyncio.run(
        crash_run(
            server.port, seats, interval=args.interval, kills=args.kills, every=args.kill_every, kill=kill, label="app"
        )
    )
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    result = verify(url, acks, sorted({s.session_id for s in seats}))
    print(f"\ncrash safety ({len(seats)} participants, paced, saves re-sent until acknowledged)")
    print_crash("app server (gunicorn master + workers)", args.kills, acks, stats, result)


def bench_pg_kills(args, env, seats):
    if not args.pg_kills:
        return
    cluster = cc.PrivateCluster() if args.crash_cluster == "private" else cc.MainCluster()
    server = None
    try:
        if isinstance(cluster, cc.PrivateCluster):
            cluster.init()
            dump = subprocess.Popen(
                ["pg_dump", "-Fc", "-d", env["DATABASE_URL"].replace("postgres://", "postgresql://")],
                stdout=subprocess.PIPE,
            )
            subprocess.run(
                ["pg_restore", "--create", "--no-owner", "-d", cluster.url],
                stdin=dump.stdout,
                check=True,
                capture_output=True,
            )
            dump.wait()
            url = cc.db_url(args.db, cluster.url)
        else:
            url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
        server = cc.Server(
            env, workers=args.workers, worker_class=args.worker_class, threads=args.threads, extra={"DATABASE_URL": url}
        )
        server.start()

        def kill():
            cluster.kill9()
            cluster.start()

        acks, stats = asyncio.run(
            crash_run(
                server.port,
                seats,
                interval=args.interval,
                kills=args.pg_kills,
                every=args.kill_every,
                kill=kill,
                label="pg",
            )
        )
        result = verify(url, acks, sorted({s.session_id for s in seats}))
        where = "a private cluster" if isinstance(cluster, cc.PrivateCluster) else "the machine's cluster"
        print_crash(f"PostgreSQL (every process of {where})", args.pg_kills, acks, stats, result)
    finally:
        if server:
            server.stop()
        if isinstance(cluster, cc.PrivateCluster):
            cluster.destroy()
        else:
            cluster.ensure_up()


if __name__ == "__main__":
    main()
