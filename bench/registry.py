"""Benchmark a province-size registry on PostgreSQL.

    python bench/registry.py [--employees 100000] [--import-rows 100000] [--requests 40]

Builds a fresh database (default `pamong_bench` on 127.0.0.1), seeds N employees, then prints:
- p50/p95 latency and query count of the employee search page and its API, per kind of search;
- the validated import rate of an N-row CSV next to PostgreSQL's own COPY of the same rows into a
  table of the same shape, measured in the same run (the baseline).
Nothing here is a test: it prints figures.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--import-rows", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=40, help="requests per kind of search")
    ap.add_argument("--db", default="pamong_bench")
    ap.add_argument("--keep", action="store_true", help="reuse the database if it is already seeded")
    args = ap.parse_args()

    import psycopg

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if exists and not args.keep:
            conn.execute(f'DROP DATABASE "{args.db}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{args.db}"
    os.environ.setdefault("PAMONG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from personnel.models import Employee

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Employee.objects.exists():
        call_command("seed_demo", employees=args.employees, no_users=True, stdout=io.StringIO())
    print(f"setup: {Employee.objects.count():,} employees ready in {time.perf_counter() - t:.1f} s")
    with django.db.connection.cursor() as cur:
        cur.execute("ANALYZE")
    bench_search(args.requests)
    bench_import(args.import_rows)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_search(n):
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.choices import Role
    from accounts.models import RoleAssignment, User
    from organization.models import Agency
    from personnel.models import Employee

    user, _ = User.objects.get_or_create(username="bench.admin")
    if not user.role_assignments.exists():
        RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    s = client.session
    s["otp_device_id"] = device.persistent_id
    s.save()
    sample = list(Employee.objects.order_by("?").values_list("nip", "name")[:n])
    agency = Agency.objects.order_by("id").first()
    top_rank = (
        Employee.objects.filter(agency=agency)
        .values("current_rank")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["current_rank"]
    )
    kinds = {
        "no filter, page 1": lambda i: "",
        "NIP prefix (10 digits)": lambda i: f"q={sample[i][0][:10]}",
        "full NIP": lambda i: f"q={sample[i][0]}",
        "name part (5 letters)": lambda i: f"q={sample[i][1].split()[-1][:5]}",
        "agency + rank filter, sorted by name, page 3": lambda i: (
            f"agency={agency.pk}&rank={top_rank}&sort=name&page=3"
        ),
        "sorted by retirement date, page 200": lambda i: "sort=retirement_date&page=200",
    }
    print(f"\nsearch ({n} requests per row; national admin: the whole registry in scope)")
    print(f"{'':52} {'page p50':>9} {'p95':>7} {'queries':>8} | {'API p50':>8} {'p95':>7} {'queries':>8}")
    for label, qs in kinds.items():
        row = []
        for base in ("/pegawai/?", "/api/employees/?"):
            times, queries = [], 0
            for i in range(n):
                url = base + qs(i).replace("sort=", "sort=" if base.startswith("/pegawai") else "ordering=")
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    resp = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200, (url, resp.status_code)
                queries = max(queries, len(ctx.captured_queries))
            row += [statistics.median(times), pct(times, 95), queries]
        print(f"{label:52} {row[0]:8.1f}ms {row[1]:6.1f}ms {row[2]:8d} | {row[3]:7.1f}ms {row[4]:6.1f}ms {row[5]:8d}")


def bench_import(n):
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.access import build_actor
    from accounts.models import User
    from organization.models import Position
    from personnel.importing.commit import write_rows
    from personnel.importing.reader import read_sheet
    from personnel.importing.template import HEADERS
    from personnel.importing.validate import validate_sheet

    pos = Position.objects.filter(capacity__gt=1, position_type="pelaksana").select_related("agency").first()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    for i in range(n):
        y, m, d = 1975 + i % 25, 1 + i % 12, 1 + i % 28
        tmt = f"2024-{(i % 8) + 5:02d}-01"  # months the demo seed never uses, so no NIP is taken already
        nip = f"{y}{m:02d}{d:02d}{tmt[:4]}{tmt[5:7]}{1 + i % 2}{(i % 999) + 1:03d}"
        w.writerow(
            [
                nip,
                f"19{i:014d}",
                f"Pegawai Impor {i}",
                "",
                "",
                "L" if i % 2 == 0 else "P",
                "Metro",
                f"{y}-{m:02d}-{d:02d}",
                "PNS",
                tmt,
                "III/a",
                tmt,
                "SK/1",
                pos.code,
                "2025-01-02",
                "SK/2",
                "S1",
                "2020-08-01",
                "IJZ/1",
                "",
                "",
            ]
        )
    data = buf.getvalue().encode()
    user = User.objects.get(username="bench.admin")
    actor = build_actor(user)
    today = timezone.localdate()

    # Baseline: PostgreSQL's COPY of the same CSV into a table of the same columns (text).
    with connection.cursor() as cur:
        cols = ", ".join(f'"c{i}" text' for i in range(len(HEADERS)))
        cur.execute(f"DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy ({cols})")
        t = time.perf_counter()
        with cur.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
            cp.write(data)
        copy_s = time.perf_counter() - t
        cur.execute("DROP TABLE bench_copy")

    t = time.perf_counter()
    result = validate_sheet(read_sheet(data, "bench.csv"), agency_id=pos.agency_id, today=today)
    validate_s = time.perf_counter() - t
    assert not result.issues or all(i.severity != "error" for i in result.issues), result.issues[:3]
    t = time.perf_counter()
    with transaction.atomic():
        written = write_rows(actor=actor.user, agency_id=pos.agency_id, rows=result.valid, today=today, reason="bench")
    write_s = time.perf_counter() - t
    total = validate_s + write_s
    print(f"\nimport of a {n:,}-row CSV ({len(data) / 2**20:.1f} MiB) into {pos.agency}")
    print(f"  PostgreSQL COPY (baseline)        {n / copy_s:>10,.0f} rows/s  ({copy_s:.2f} s)")
    print(f"  validate (read + check every row) {n / validate_s:>10,.0f} rows/s  ({validate_s:.2f} s)")
    print(f"  write (5 tables + audit chain)    {written / write_s:>10,.0f} rows/s  ({write_s:.2f} s)")
    print(
        f"  validated import, end to end      {n / total:>10,.0f} rows/s  ({total:.2f} s) = {(n / total) / (n / copy_s):.2f}× COPY"
    )


if __name__ == "__main__":
    main()
