"""Shared pieces of the CAT benchmarks (bench/cat_*.py): a throw-away PostgreSQL database, a seeded bank
and checked-in participants with known PINs, gunicorn on a free loopback port, an asyncio HTTP/1.1 client
with keep-alive, pgbench, and a private PostgreSQL cluster that may be killed.

Nothing here is a test: the scripts print figures next to a baseline measured in the same run.
"""

import asyncio
import contextlib
import glob
import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
ADMIN_URL = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")  # a database of its own, flushed
SETTINGS = "bench.cat_settings"  # config.settings plus the bench-only URLs of bench/cat_naive.py
WORKERS = 2 * (os.cpu_count() or 1) + 1  # docs/deployment.md


# ---------------------------------------------------------------------------------------------- database


def db_url(name: str, base: str = ADMIN_URL) -> str:
    return base.rsplit("/", 1)[0] + f"/{name}"


def create_db(name: str, base: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_db(name: str, base: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def setup_django(name: str) -> dict:
    """Create database ``name``, point this process at it (same settings and secret as the app server
    will get), migrate, and return the environment for gunicorn."""
    create_db(name)
    flush_redis()
    env = {
        "PAMONG_ENV": "production",  # persistent connections, no DEBUG: as deployed
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": db_url(name),
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "LOG_LEVEL": "ERROR",
        "CONN_MAX_AGE": "3600",  # as deployed (persistent), but no backend turnover to blur the CPU meter
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


@contextlib.contextmanager
def django_on(url: str):
    """This process's Django connection pointed at ``url`` for the block (the crash test's private cluster
    holds a copy of the bench database under the same name), so the app's own checks run against it."""
    import environ
    from django.db import connection

    saved = dict(connection.settings_dict)
    target = environ.Env.db_url_config(url.replace("postgresql://", "postgres://"))
    connection.close()
    connection.settings_dict.update({k: target[k] for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# ------------------------------------------------------------------------------------------------- seed


FILLER = (
    "Pernyataan berikut berkaitan dengan nilai-nilai Pancasila dalam kehidupan berbangsa dan bernegara, "
    "pelayanan publik yang berintegritas, serta sikap aparatur sipil negara dalam menghadapi perubahan. "
)


@dataclass
class Seat:
    """A participant as the load client knows it: number, PIN, token, and its sheet (option ids per position)."""

    pk: int
    number: str
    pin: str
    session_id: int
    sheet: list[list[int]]
    token: str = ""
    seq: int = 0
    acked: dict = field(default_factory=dict)  # position -> (seq, option) of the highest acknowledged save


def seed_bank(factor: int = 3) -> dict[str, list[tuple[int, list[int]]]]:
    """A bank of ``factor`` × the SKD blueprint (330 questions at 3), five options each, by COPY.
    Returns per sub-test the (question id, option ids) pairs."""
    from core.bulk import build, bulk_insert
    from exams.models import Option, Question

    questions = []
    for subtest, n in (("twk", 30), ("tiu", 35), ("tkp", 45)):
        for i in range(n * factor):
            questions.append(
                build(
                    Question,
                    code=f"{subtest.upper()}-{i:04d}",
                    subtest=subtest,
                    text=f"{subtest.upper()} {i}. " + FILLER * 3,
                    version=1,
                    active=True,
                )
            )
    bulk_insert(Question, questions)
    options = []
    for q in questions:
        weights = [5, 0, 0, 0, 0] if q.subtest != "tkp" else [1, 2, 3, 4, 5]
        for lab, w in zip("abcde", weights):
            options.append(build(Option, question_id=q.pk, label=lab, text=f"Pilihan {lab}: " + FILLER[:80], points=w))
    bulk_insert(Option, options)
    pools: dict[str, list[tuple[int, list[int]]]] = {"twk": [], "tiu": [], "tkp": []}
    by_q: dict[int, list[int]] = {}
    for o in options:
        by_q.setdefault(o.question_id, []).append(o.pk)
    for q in questions:
        pools[q.subtest].append((q.pk, by_q[q.pk]))
    return pools


def make_operator():
    """A national admin to open sessions through the service, as the operator's desk does."""
    from accounts.access import build_actor
    from accounts.choices import Role
    from accounts.models import RoleAssignment, User

    user = User.objects.create(username=f"bench.operator.{secrets.token_hex(3)}")
    RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return build_actor(user)


def seed_participants(
    n: int,
    per_session: int,
    pools: dict,
    *,
    prefix: str,
    opened: bool,
    draw_sheets: bool = True,
    logged_in: bool = False,
    started: bool = False,
    seed: int = 2026,
) -> list[Seat]:
    """N participants checked in (seat, PIN digest, sheet drawn as check-in draws it) in sessions of
    ``per_session`` seats each, one room per session, all written with COPY.

    ``logged_in``: each already has a device and the token ``/cat/api/masuk/`` would have given it (signed
    with the same key as the app server's), so thousands need not log in one by one before a burst;
    ``started``: the exam is running as ``participant_start`` leaves it (deadline; each participant's answer
    chain starts at the model's default head).
    """
    import datetime

    from django.core import signing
    from django.db import connection
    from django.utils import timezone

    from core.bulk import build, bulk_insert
    from exams import rules
    from exams.models import ExamRoom, ExamSession, ExamSite, Participant, SheetItem
    from exams.operations import pin_digest
    from exams.views.delivery import TOKEN_SALT

    now = timezone.now()
    site = ExamSite.objects.create(name=f"Lokasi bench {prefix}")
    sessions = []
    for k in range((n + per_session - 1) // per_session):
        room = ExamRoom.objects.create(site=site, name=f"Ruang {k + 1}", seats=per_session)
        sessions.append(
            ExamSession.objects.create(
                code=f"{prefix}-{k + 1:03d}",
                room=room,
                starts_at=now - datetime.timedelta(minutes=5),
                opened_at=now if opened else None,
            )
        )
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence('exams_participant', 'id')) FROM generate_series(1, %s)", [n]
        )
        ids = [r[0] for r in cur.fetchall()]
    rng = random.Random(seed)
    seats, people, items = [], [], []
    blueprint = rules.BLUEPRINTS["SKD-2021"]
    deadline = now + datetime.timedelta(minutes=blueprint.minutes)
    for i, pk in enumerate(ids):
        session = sessions[i // per_session]
        number = f"{prefix}{i:07d}"
        pin = f"{rng.randrange(10**6):06d}"
        device = secrets.token_hex(16) if logged_in or started else ""
        people.append(
            build(
                Participant,
                id=pk,
                session_id=session.pk,
                number=number,
                name=f"Peserta {prefix} {i}",
                seat=f"{i % per_session + 1:03d}",
                pin_hash=pin_digest(pk, pin),
                checked_in_at=now,
                device_token=device,
                started_at=now if started else None,
                deadline=deadline if started else None,
            )
        )
        sheet = []
        if draw_sheets:
            draw = random.Random(f"{session.pk}:{number}")
            for part in blueprint.parts:
                for q, opts in draw.sample(pools[part.subtest], part.questions):
                    order = list(opts)
                    draw.shuffle(order)
                    sheet.append(order)
                    items.append(
                        build(SheetItem, participant_id=pk, position=len(sheet), question_id=q, option_order=order)
                    )
        token = signing.dumps({"p": pk, "d": device}, salt=TOKEN_SALT, compress=True) if device else ""
        seats.append(Seat(pk, number, pin, session.pk, sheet, token=token))
    bulk_insert(Participant, people)
    bulk_insert(SheetItem, items, batch_size=20000)
    return seats


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


# ------------------------------------------------------------------------------------------------ server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the app (plus the bench-only URLs) on 127.0.0.1, in its own process group so
    ``kill9`` takes the master and every worker at once."""

    def __init__(self, env: dict, *, workers: int = WORKERS, worker_class: str = "sync", threads: int = 1, extra=None):
        self.env = {**os.environ, **env, **(extra or {})}
        self.workers, self.worker_class, self.threads = workers, worker_class, threads
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="pamong_bench_gunicorn_", suffix=".log", delete=False)
        self.log.close()

    def describe(self) -> str:
        extra = f" --threads {self.threads}" if self.worker_class == "gthread" else ""
        return f"gunicorn -w {self.workers} -k {self.worker_class}{extra} --backlog 4096 on 127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--pythonpath",
            str(ROOT),
            "-w",
            str(self.workers),
            "-k",
            self.worker_class,
            "--threads",
            str(self.threads),
            "-b",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--backlog",
            "4096",  # the kernel's somaxconn here; a burst of thousands must not overflow the accept queue
            "--error-logfile",
            self.log.name,
        ]
        out = open(self.log.name, "a")  # noqa: SIM115 - kept for the process's life
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True)
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: {Path(self.log.name).read_text()[-2000:]}")

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]


# ------------------------------------------------------------------------------------------------ client


class HttpError(Exception):
    pass


class Conn:
    """One HTTP/1.1 connection to the server (what one browser tab keeps): kept alive when the server
    allows it, opened again when the server closes it (gunicorn's sync workers close after each answer)."""

    __slots__ = ("port", "reader", "writer", "reused")

    def __init__(self, port: int):
        self.port, self.reader, self.writer, self.reused = port, None, None, False

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body=None, token: str = "", timeout: float = 30.0):
        """(status, body bytes). Raises OSError/TimeoutError/HttpError when no answer came."""
        payload = json.dumps(body).encode() if body is not None else None
        for attempt in (0, 1):
            fresh = self.writer is None
            try:
                return await asyncio.wait_for(self._once(method, path, payload, token), timeout)
            except (OSError, asyncio.IncompleteReadError, HttpError, TimeoutError) as exc:
                self.close()
                # A kept-alive connection the server closed meanwhile: try once on a new one.
                if fresh or attempt or isinstance(exc, TimeoutError):
                    raise HttpError(type(exc).__name__) from exc
        raise AssertionError("unreachable")

    async def _once(self, method, path, payload, token):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if token:
            head += f"X-CAT-Token: {token}\r\n"
        if payload is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (payload or b""))
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                k, _sep, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            data = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            data = b"".join(chunks)
        else:
            data = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data


@dataclass
class Sample:
    at: float  # when the request was sent (perf_counter)
    ms: float
    status: int  # 0: no answer (connection refused/reset, timeout)


class Recorder:
    """Every request of a kind: when sent, how long, what status."""

    def __init__(self):
        self.samples: list[Sample] = []

    def add(self, at: float, status: int) -> None:
        self.samples.append(Sample(at, (time.perf_counter() - at) * 1000, status))

    def window(self, start: float, end: float) -> list[Sample]:
        return [s for s in self.samples if start <= s.at < end]


def pct(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(samples: list[Sample], seconds: float | None = None) -> dict:
    ok = [s.ms for s in samples if s.status == 200]
    bad: dict[str, int] = {}
    for s in samples:
        if s.status != 200:
            bad[str(s.status or "no answer")] = bad.get(str(s.status or "no answer"), 0) + 1
    return {
        "n": len(samples),
        "ok": len(ok),
        "rate": len(ok) / seconds if seconds else None,
        "p50": pct(ok, 50),
        "p99": pct(ok, 99),
        "max": max(ok) if ok else float("nan"),
        "errors": bad,
    }


def fmt_errors(errors: dict) -> str:
    return ", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) or "0"


async def login_and_start(port: int, seats: list[Seat], *, start: bool, concurrency: int = 64) -> dict:
    """Log every seat in with its number and PIN (the token), and start its exam when asked; returns
    the rate of each, measured in passing (setup, not a figure of the issue)."""
    sem = asyncio.Semaphore(concurrency)
    out = {}

    async def one(seat: Seat):
        async with sem:
            conn = Conn(port)
            status, _h, body = await conn.request("POST", "/cat/api/masuk/", {"number": seat.number, "pin": seat.pin})
            if status != 200:
                raise RuntimeError(f"login {seat.number}: {status} {body[:200]!r}")
            seat.token = json.loads(body)["token"]
            if start:
                status, _h, body = await conn.request("POST", "/cat/api/mulai/", {}, token=seat.token)
                if status != 200:
                    raise RuntimeError(f"start {seat.number}: {status} {body[:200]!r}")
                seat.seq = json.loads(body)["max_seq"]
            conn.close()

    t = time.perf_counter()
    await asyncio.gather(*(one(s) for s in seats))
    out["seconds"] = time.perf_counter() - t
    return out


def answer_body(seat: Seat, rng: random.Random) -> dict:
    """The next save of a participant: a random position and option of its own sheet, the next seq."""
    position = rng.randrange(1, len(seat.sheet) + 1)
    seat.seq += 1
    return {
        "position": position,
        "option": rng.choice(seat.sheet[position - 1]),
        "seq": seat.seq,
        "doubtful": rng.random() < 0.05,
    }


# -------------------------------------------------------------------------------------------------- CPU

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return out


class CpuMeter:
    """CPU seconds used by the app server's workers, by the PostgreSQL backends of the database, and by
    this process (the load client): on a shared machine the wall clock says little, CPU per request does."""

    def __init__(self, servers: "list[Server] | Server", dbname: str):
        self.servers = servers if isinstance(servers, list) else [servers]
        self.dbname = dbname

    def _backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.dbname]
            )
            return [r[0] for r in cur.fetchall()]

    def read(self):
        workers = [pid for server in self.servers for pid in server.worker_pids()]
        return cpu_seconds(workers), cpu_seconds(self._backends()), time.process_time()

    @staticmethod
    def used(before, after) -> tuple[float, float, float]:
        """(app, database, client) seconds between two readings; a backend that appeared meanwhile counts whole."""
        app = sum(after[0].values()) - sum(v for k, v in before[0].items() if k in after[0])
        db = sum(after[1].values()) - sum(v for k, v in before[1].items() if k in after[1])
        return app, db, after[2] - before[2]


def code_stamp(*paths: str) -> str:
    """Short digests of the files measured, so figures can be tied to the code they came from."""
    import hashlib

    return ", ".join(f"{p} {hashlib.sha256((ROOT / p).read_bytes()).hexdigest()[:10]}" for p in paths)


# ---------------------------------------------------------------------------------------------- pgbench


def pg_bindir() -> Path:
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    if out.returncode == 0 and Path(out.stdout.strip(), "pg_ctl").exists():
        return Path(out.stdout.strip())
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    return Path(found[-1]).parent


def pgbench_bin() -> str:
    path = shutil.which("pgbench") or str(pg_bindir() / "pgbench")
    if not Path(path).exists():
        raise RuntimeError("pgbench is missing: apt-get install -y postgresql-contrib")
    return path


def pgbench(url: str, script: str, *, clients: int, seconds: int, variables: dict | None = None) -> float:
    """Transactions per second of ``script`` (pgbench's own count, excluding connection time)."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    cmd = [pgbench_bin(), "-n", "-M", "prepared", "-f", f.name, "-c", str(clients), "-j", str(min(clients, 2))]
    cmd += ["-T", str(seconds)]
    for k, v in (variables or {}).items():
        cmd += ["-D", f"{k}={v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True)
    os.unlink(f.name)
    m = re.search(
        r"tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)", out.stdout
    )
    if not m:
        raise RuntimeError(f"pgbench failed: {out.stdout[-500:]} {out.stderr[-500:]}")
    return float(m.group(1))


# ------------------------------------------------------------------------------------- a killable cluster


class PrivateCluster:
    """A PostgreSQL cluster of its own (initdb in a temporary folder, its own port) for the crash test:
    killing the machine's shared cluster would break every other user of it. Same binaries, and the
    durability settings of initdb's defaults (fsync, synchronous_commit on, full_page_writes)."""

    def __init__(self):
        self.bindir = pg_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="pamong_bench_pg_"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.user = "postgres"
        shutil.chown(self.dir, self.user, self.user)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_pg(self, *cmd, check=True) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", self.user, "--", *cmd)
        return subprocess.run(cmd, capture_output=True, text=True, check=check, cwd=self.dir)

    def init(self) -> None:
        self._as_pg(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def start(self) -> None:
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -c max_connections=60"
        )
        self._as_pg(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "120",
            "start",
        )

    def pids(self) -> list[int]:
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return []
        master = int(pidfile.read_text().split()[0])
        out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
        return [master, *(int(p) for p in out.split())]

    def kill9(self) -> int:
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for _i in range(100):  # every process gone before the restart
            if not any(Path(f"/proc/{p}").exists() for p in pids):
                break
            time.sleep(0.02)
        return len(pids)

    def ready(self) -> bool:
        return (
            subprocess.run(
                [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"], check=False
            ).returncode
            == 0
        )

    def destroy(self) -> None:
        self._as_pg(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class MainCluster:
    """The machine's own cluster (pg_lsclusters), for ``--crash-cluster main``: killed like the private
    one and started again with pg_ctlcluster; the caller's ``finally`` must call ``ensure_up``."""

    def __init__(self, url: str = ADMIN_URL):
        out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
        self.version, self.name, self.port = out[0], out[1], int(out[2])
        self.data = Path(out[5])
        self.url = url

    def pids(self) -> list[int]:
        master = int((self.data / "postmaster.pid").read_text().split()[0])
        out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
        return [master, *(int(p) for p in out.split())]

    def kill9(self) -> int:
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for _i in range(100):
            if not any(Path(f"/proc/{p}").exists() for p in pids):
                break
            time.sleep(0.02)
        return len(pids)

    def start(self) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start"],
            capture_output=True,
            check=False,
        )
        for _i in range(120):
            if self.ready():
                return
            time.sleep(0.5)

    def ready(self) -> bool:
        return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-q"]).returncode == 0

    def ensure_up(self) -> None:
        if not self.ready():
            self.start()
