"""The opening-day surge of CPNS registration, with admission control on and off.

    python bench/registration_burst.py [--applicants 300] [--concurrency 48] [--workers 4] [--capacity 3[,4]]

Builds a fresh PostgreSQL database (default `pamong_bench_burst`, dropped at the end), starts a private
redis-server on a free port (or uses `--redis-url`), seeds one published period per mode with
`--formations` formations and `--applicants` signed-in applicants, then for each mode starts gunicorn on
a free port of 127.0.0.1 (`--workers` sync workers, as deployed) and fires a bounded burst:
`--concurrency` simulated browsers, each taking the next applicant through the apply form, its
submission and the receipt, until every applicant is done or `--time-limit` seconds have passed. A
browser honours the waiting room (it reloads when the page says); for `--expired-pass` of the applicants
the admission pass is dropped before the form is sent (it ran out while they typed), so the submission
may meet a 429: the browser then sends the same form (same idempotency key) after `Retry-After`. After a
5xx or a dropped connection it sends it again too.

Admission control off is the baseline, measured in the same run; then on, once per `--capacity` value;
the modes take turns for `--rounds` rounds (the figures pool the rounds; the rate of each is shown too).
Printed per mode: submissions acknowledged per second (and as a multiple of the baseline), p50/p99 of the
submission (first POST to its receipt number, retries included) and of the whole visit (waiting room
included), every HTTP answer by kind, and a bystander's p50/p99: one more client reading the formation
search every 100 ms during the burst. Then, from the database: lost submissions (acknowledged receipt
numbers without their row) and duplicates (an applicant or an idempotency key with more than one row).
Nothing here is a test: it prints figures.
"""

import argparse
import http.client
import os
import queue
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
PASS_COOKIE = "pamong_izin"  # core.admission.PASS_COOKIE, without importing Django here
RECEIPT = re.compile(r"/seleksi/lamaran/([^/]+)/$")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--applicants", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=48, help="browsers at once")
    ap.add_argument("--formations", type=int, default=10)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    ap.add_argument("--capacity", default="3", help="ADMISSION_CAPACITY when on; a comma list runs on once per value")
    ap.add_argument(
        "--expired-pass", type=float, default=0.25, help="share of applicants whose pass expires on the form"
    )
    ap.add_argument("--time-limit", type=float, default=120, help="seconds per mode and round")
    ap.add_argument(
        "--rounds", type=int, default=2, help="the modes run in turn this many times (a shared machine drifts)"
    )
    ap.add_argument("--db", default="pamong_bench_burst")
    ap.add_argument("--redis-url", default="", help="an empty Redis database to use (default: a private redis-server)")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = ap.parse_args()
    args.modes = [("off", 0)] + [("on", int(c)) for c in args.capacity.split(",")]

    import psycopg

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    redis_server = None
    if not args.redis_url:  # a Redis of its own: nobody else's flush or keys get in the way
        port = free_port()
        redis_server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        args.redis_url = f"redis://127.0.0.1:{port}/0"
    try:
        results = run(args, admin_url)
    finally:
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait()
        if not args.keep:
            import django.db

            django.db.connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    report(results, args)


def run(args, admin_url):
    import redis

    redis_db = redis.Redis.from_url(args.redis_url)
    for _ in range(50):
        try:
            redis_db.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    server_env = {
        "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{args.db}",
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(server_env)
    os.environ["PAMONG_ENV"] = "test"  # this process only: fast password hashing while seeding
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    redis_db.flushdb()
    runs = [mode for _ in range(args.rounds) for mode in args.modes]
    periods, sessions = seed(args.applicants, args.formations, len(runs))
    print(
        f"setup: {args.applicants} applicants signed in, {len(periods)} periods × {args.formations} formations"
        f" in {time.perf_counter() - t:.1f} s"
    )
    results = {mode: [] for mode in args.modes}
    for mode, period in zip(runs, periods):
        env = os.environ | server_env | {"PAMONG_ENV": "development"}
        env |= {"ADMISSION_ENABLED": "1" if mode[0] == "on" else "0", "ADMISSION_CAPACITY": str(mode[1])}
        keys = list(redis_db.scan_iter("*adm:*"))  # a fresh line for each run
        if keys:
            redis_db.delete(*keys)
        with Server(env, args.workers) as server:
            result = burst(server.port, period, sessions, args)
        results[mode].append(result | check(period, result["acknowledged"]))
    return results


def seed(n: int, formations: int, count: int):
    """Published periods open for registration (one per mode), formations in one agency, n signed-in applicants."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore
    from django.utils import timezone

    from accounts.access import SYSTEM
    from personnel.models import EducationLevel
    from recruitment.models import RecruitmentPeriod
    from recruitment.services import applicant_register, formation_create
    from tests.factories import make_agency, make_unit

    s1 = EducationLevel.objects.get(code="S1")
    agency = make_agency("BENCH", "18", "Pemprov Bench")
    unit = make_unit(agency, "BKD", "Badan Kepegawaian Daerah")
    now = timezone.now()
    periods = []
    for k in range(count):  # an applicant applies once per period: each mode gets its own
        period = RecruitmentPeriod.objects.create(
            kind="cpns",
            year=now.year + k,
            name=f"Seleksi CPNS bench {k + 1}",
            registration_opens=now - datetime.timedelta(hours=1),
            registration_closes=now + datetime.timedelta(days=1),
            published_at=now - datetime.timedelta(hours=1),
        )
        ids = [
            formation_create(
                actor=SYSTEM,
                period=period,
                agency=agency,
                unit=unit,
                position_title=f"Analis {i + 1}",
                education=[s1],
                quotas={"umum": 50},
            ).pk
            for i in range(formations)
        ]
        periods.append((period.pk, ids))
    sessions = []
    for i in range(n):
        applicant = applicant_register(
            nik=f"18710101{i:08d}",
            name=f"Pelamar {i:05d}",
            birth_date=datetime.date(1995, 1 + i % 12, 1 + i % 28),
            education=s1,
            password="Sandi-Pelamar-2026!",
        )
        session = SessionStore()
        session[SESSION_KEY] = str(applicant.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = applicant.user.get_session_auth_hash()
        session.create()
        sessions.append((applicant.pk, {settings.SESSION_COOKIE_NAME: session.session_key}))
    return periods, sessions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as deployed (sync workers), on a free port of 127.0.0.1; stopped by its own pid."""

    def __init__(self, env, workers):
        self.env, self.workers = env, workers

    def __enter__(self):
        self.port = free_port()
        self.log = open(f"/tmp/registration_burst_gunicorn_{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}"]
            + ["--timeout", "120", "--graceful-timeout", "5"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.__exit__(RuntimeError, None, None)
            raise RuntimeError(f"gunicorn did not answer; see {self.log.name}")
        for _ in range(self.workers * 3):  # every worker imports the URLconf and opens its connections
            request(self.port, "GET", "/seleksi/formasi/")
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        if exc[0] is None:  # kept only when something went wrong
            os.unlink(self.log.name)


def request(port, method, path, *, cookies=None, body=None, html=True, timeout=60):
    """One HTTP exchange; returns (status, headers, text). Cookies are updated in place."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "text/html" if html else "application/json"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        if cookies is not None:
            for line in resp.msg.get_all("Set-Cookie") or []:
                name, _, rest = line.partition("=")
                value = rest.split(";", 1)[0]
                if not value or value == '""' or "max-age=0" in line.lower():
                    cookies.pop(name, None)
                else:
                    cookies[name] = value
        return resp.status, resp.msg, text
    finally:
        conn.close()


def burst(port, period, sessions, args):
    """Run every applicant through the apply form with `concurrency` browsers; bounded in time."""
    _, formation_ids = period
    todo = queue.Queue()
    for i, (applicant_id, cookies) in enumerate(sessions):
        todo.put((applicant_id, dict(cookies), formation_ids[i % len(formation_ids)]))
    lock = threading.Lock()
    stats = {"2xx/3xx": 0, "waiting room": 0, "429": 0, "5xx": 0, "other 4xx": 0, "dropped": 0, "refused": 0}
    submit_times, expired_times, visit_times, acknowledged, unfinished = [], [], [], {}, []
    start = time.monotonic()
    deadline = start + args.time_limit

    def count(kind):
        with lock:
            stats[kind] += 1

    def exchange(method, path, cookies, body=None):
        """Send until the server answers something other than a 5xx or a dropped connection."""
        while time.monotonic() < deadline:
            try:
                status, headers, text = request(port, method, path, cookies=cookies, body=body)
            except OSError:
                count("dropped")
                time.sleep(1)
                continue
            if status >= 500:
                count("5xx")
                time.sleep(1)
                continue
            if status == 429:
                count("429")
                time.sleep(float(headers.get("Retry-After", "1")))
                continue
            if status == 200 and headers.get("X-Queue-Position"):
                count("waiting room")
                time.sleep(float(headers.get("Refresh", "1")))
                continue
            count("2xx/3xx" if status < 400 else "other 4xx")
            return status, headers, text
        return None

    def browser():
        while time.monotonic() < deadline:
            try:
                applicant_id, cookies, formation_id = todo.get_nowait()
            except queue.Empty:
                return
            t0 = time.monotonic()
            url = f"/seleksi/formasi/{formation_id}/lamar/"
            got = exchange("GET", url, cookies)
            if got is None or got[0] != 200:
                unfinished.append(applicant_id)
                continue
            form = {"csrfmiddlewaretoken": CSRF.search(got[2]).group(1), "category": "umum"}
            form["idempotency_key"] = KEY.search(got[2]).group(1)
            expired = random.Random(applicant_id).random() < args.expired_pass
            if expired:  # the pass ran out while the form was being filled
                cookies.pop(PASS_COOKIE, None)
            t1 = time.monotonic()
            sent = exchange("POST", url, cookies, form)
            if sent is None:
                unfinished.append(applicant_id)
                continue
            match = RECEIPT.search(sent[1].get("Location", "")) if sent[0] == 302 else None
            if match is None:
                count("refused")
                unfinished.append(applicant_id)
                continue
            number = match.group(1)
            t2 = time.monotonic()
            with lock:
                acknowledged[applicant_id] = number
                (expired_times if expired else submit_times).append(t2 - t1)
            exchange("GET", sent[1]["Location"], cookies)
            with lock:
                visit_times.append(time.monotonic() - t0)

    bystander_times, done = [], threading.Event()

    def bystander():
        while not done.is_set() and time.monotonic() < deadline:
            t = time.monotonic()
            try:
                status = request(port, "GET", "/seleksi/formasi/?q=Analis", timeout=30)[0]
            except OSError:
                status = 0
            if status == 200:
                bystander_times.append(time.monotonic() - t)
            time.sleep(0.1)

    watcher = threading.Thread(target=bystander)
    watcher.start()
    threads = [threading.Thread(target=browser) for _ in range(args.concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - start
    done.set()
    watcher.join()
    return {
        "wall": wall,
        "stats": stats,
        "submit": submit_times,
        "expired": expired_times,
        "visit": visit_times,
        "bystander": bystander_times,
        "acknowledged": acknowledged,
        "unfinished": len(unfinished) + todo.qsize(),
    }


def check(period, acknowledged):
    """Compare the acknowledged receipt numbers with the rows of the period."""
    from django.db.models import Count

    from recruitment.models import Application

    period_id, _ = period
    rows = dict(Application.objects.filter(period_id=period_id).values_list("registration_number", "applicant_id"))
    lost = [n for n in acknowledged.values() if n not in rows]
    wrong_owner = [a for a, n in acknowledged.items() if n in rows and rows[n] != a]
    dup_applicant = (
        Application.objects.filter(period_id=period_id)
        .values("applicant")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    dup_key = Application.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "rows": len(rows),
        "lost": len(lost) + len(wrong_owner),
        "duplicates": dup_applicant + dup_key,
        "unacknowledged rows": len(set(rows) - set(acknowledged.values())),
    }


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def pooled(rounds):
    """The rounds of one mode together: rates from the summed counts and time, latencies pooled."""
    out = {"wall": sum(r["wall"] for r in rounds), "done": sum(len(r["acknowledged"]) for r in rounds)}
    for key in ("submit", "expired", "visit", "bystander"):
        out[key] = [v for r in rounds for v in r[key]]
    for key in ("rows", "lost", "duplicates", "unacknowledged rows", "unfinished"):
        out[key] = sum(r[key] for r in rounds)
    out["stats"] = {k: sum(r["stats"][k] for r in rounds) for k in rounds[0]["stats"]}
    out["rates"] = [len(r["acknowledged"]) / r["wall"] for r in rounds]
    return out


def report(results, args):
    ms = lambda v: f"{v * 1000:6.0f}ms"
    label = lambda mode: "admission off (baseline)" if mode[0] == "off" else f"admission on, capacity {mode[1]}"
    print(
        f"\nregistration burst: {args.applicants} applicants a round, {args.concurrency} browsers at once,"
        f" gunicorn -w {args.workers} (sync), {args.expired_pass:.0%} of passes expire on the form;"
        f" {args.rounds} rounds, the modes in turn"
    )
    print(
        f"{'':28} {'subm./s':>8} {'vs off':>7} {'submit p50':>10} {'p99':>8} {'visit p50':>9} {'p99':>8}"
        f" | {'bystander p50':>13} {'p99':>8}   per round"
    )
    pools = {mode: pooled(rounds) for mode, rounds in results.items()}
    base = pools[args.modes[0]]["done"] / pools[args.modes[0]]["wall"]
    for mode in args.modes:
        r = pools[mode]
        rate = r["done"] / r["wall"]
        sent = r["submit"] + r["expired"]
        print(
            f"{label(mode):28} {rate:8.1f} {rate / base:6.2f}× {ms(pct(sent, 50)):>10} {ms(pct(sent, 99)):>8}"
            f" {ms(pct(r['visit'], 50)):>9} {ms(pct(r['visit'], 99)):>8} | {ms(pct(r['bystander'], 50)):>13}"
            f" {ms(pct(r['bystander'], 99)):>8}   {', '.join(f'{x:.1f}' for x in r['rates'])}"
        )
    print()
    for mode in args.modes:
        r = pools[mode]
        answers = ", ".join(f"{k} {v}" for k, v in r["stats"].items())
        print(f"{label(mode):28} {r['wall']:.1f} s in all; answers: {answers}")
        print(
            f"{'':28} acknowledged {r['done']}, rows {r['rows']}: lost {r['lost']}, duplicates {r['duplicates']},"
            f" rows never acknowledged {r['unacknowledged rows']}; unfinished at the time limit {r['unfinished']}"
        )
        print(
            f"{'':28} submissions with a pass: {len(r['submit'])}, p50 {ms(pct(r['submit'], 50)).strip()},"
            f" p99 {ms(pct(r['submit'], 99)).strip()}; whose pass had expired: {len(r['expired'])},"
            f" p50 {ms(pct(r['expired'], 50)).strip()}, p99 {ms(pct(r['expired'], 99)).strip()}"
        )


if __name__ == "__main__":
    main()
