"""The supervisor's team page as the team grows: its query count must stay constant.

    python bench/team_page.py [--sizes 5,50,500] [--requests 20]

Builds a fresh PostgreSQL database (default `pamong_bench_team`), one Kabid with N direct subordinates,
each with an SKP supporting the Kabid's RHK and four quarterly ratings, then prints per team size the
query count and p50/p95 latency of `/kinerja/tim/`, next to the baseline measured in the same run: one
plain SQL query that reads the same rows (subordinates, their plan status and ratings) with joins.
Nothing here is a test: it prints figures (the constant count is also asserted in
performance/tests/test_views.py for 5 vs 15).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5,50,500")
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--db", default="pamong_bench_team")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    import psycopg

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{args.db}"
    os.environ.setdefault("PAMONG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.access import build_actor
    from accounts.choices import Role
    from performance import rules
    from performance.models import Assessment, Rhk, RhkIndicator, Skp
    from performance.services.setup import year_open
    from tests.factories import make_agency, make_employee, make_position, make_unit, make_user

    call_command("migrate", verbosity=0)
    agency = make_agency("BENCH", "18", "Bench")
    unit = make_unit(agency, "U", "Bidang Bench")
    head = make_position(agency, unit, "KABID", "Kepala Bidang", ptype="administrator", level="administrator", job_class=11)
    staff_pos = make_position(agency, unit, "STAF", "Analis", head, capacity=max(sizes))
    kabid = make_employee(agency, head, name="Kabid Bench", birth=datetime.date(1975, 1, 1))
    user = make_user("kabid.bench", employee=kabid)
    admin = make_user("admin.bench", Role.AGENCY_ADMIN, agency=agency)
    year = year_open(actor=build_actor(admin), agency=agency, year=2026)
    periods = list(year.periods.all())
    own = Skp.objects.create(employee=kabid, perf_year=year, position=head, unit=unit, status="approved")
    own_rhk = Rhk.objects.create(skp=own, text="RHK Kabid")
    client = Client()
    client.force_login(user)
    client.get("/kinerja/tim/")  # warm up
    print(f"\nteam page /kinerja/tim/ ({args.requests} requests per size, PostgreSQL)")
    print(f"{'team size':>9} {'page queries':>13} {'p50':>8} {'p95':>8} | {'baseline SQL':>13} {'p50':>8}")
    have = 0
    for n in sizes:
        for i in range(have, n):
            e = make_employee(agency, staff_pos, name=f"Staf {i:04d}", birth=datetime.date(1990, 1 + i % 12, 1 + i % 28))
            skp = Skp.objects.create(employee=e, perf_year=year, position=staff_pos, unit=unit, status="approved", assessor=kabid)
            rhk = Rhk.objects.create(skp=skp, text=f"RHK {i}", supports=own_rhk)
            RhkIndicator.objects.create(rhk=rhk, aspect="quantity", text="Jumlah", target="10")
            Assessment.objects.bulk_create(
                Assessment(skp=skp, period=p, result_rating="meets", behaviour_rating="meets", predikat=rules.BAIK, status="final")
                for p in periods
            )
        have = n
        times, queries = [], 0
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                resp = client.get("/kinerja/tim/")
                times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200 and resp.content.count(b"Staf ") >= n
            queries = max(queries, len(ctx.captured_queries))
        base = []
        sql = (
            "SELECT e.id, e.nip, e.name, s.status, a.period_id, a.predikat FROM personnel_employee e "
            "JOIN personnel_assignment asg ON asg.employee_id = e.id AND asg.position_id = %s "
            "LEFT JOIN performance_skp s ON s.employee_id = e.id AND s.perf_year_id = %s "
            "LEFT JOIN performance_assessment a ON a.skp_id = s.id ORDER BY e.name"
        )
        for _ in range(args.requests):
            with connection.cursor() as cur:
                t = time.perf_counter()
                cur.execute(sql, [staff_pos.pk, year.pk])
                cur.fetchall()
                base.append((time.perf_counter() - t) * 1000)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"{n:>9} {queries:>13} {statistics.median(times):>6.1f}ms {p95:>6.1f}ms | {1:>13} {statistics.median(base):>6.1f}ms")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        connection.close()
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
