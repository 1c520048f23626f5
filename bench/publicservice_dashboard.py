"""The public complaint dashboards over a million complaints, next to a plain SQL aggregate.

    python bench/publicservice_dashboard.py [--complaints 1000000] [--agencies 30] [--units 20] [--repeat 20]

Builds a fresh PostgreSQL database (default `pamong_bench_ps_dashboard`, dropped at the end unless `--keep`),
migrates it and writes `--complaints` complaints with COPY (core.bulk) spread over `--agencies` agencies with
`--units` service units each (units drawn unevenly, so one agency and one unit are bigger than the rest),
fourteen months of dates (two of them before the dashboards' twelve-month window), every kind, status and
confidentiality, response dates, deadlines and ratings in plausible shares; then ANALYZE.

Then, in this process, through Django's test client: the three public dashboard pages (all agencies, the
biggest agency, its biggest unit), `--repeat` times each with the cache cleared before every request
(the pages cache their numbers for five minutes: this measures the miss), p50/p95 and the number of
queries per page. Baseline in the same run: a plain SQL count by month and kind over the same rows and the
same window (the least any dashboard must do), for the same three scopes.
Nothing here is a test: it prints figures.
"""

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = [("complaint", 60), ("information", 25), ("aspiration", 15)]
CONFIDENTIALITY = [("public", 70), ("anonymous", 20), ("confidential", 10)]
STATUSES = [
    ("received", 6),
    ("forwarded", 8),
    ("in_progress", 6),
    ("responded", 30),
    ("closed", 40),
    ("rejected", 8),
    ("merged", 2),
]


def weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return values, weights


def seed(args):
    """Agencies and units, then the complaints in chunks through core.bulk (COPY), then ANALYZE."""
    from django.db import connection
    from django.utils import timezone

    from core.bulk import build, bulk_insert
    from organization.models import Province
    from publicservice.models import Complaint, ServiceUnit
    from tests.factories import make_agency

    rng = random.Random(20261128)
    provinces = list(Province.objects.order_by("code").values_list("code", flat=True))
    agencies, units = [], []
    for a in range(args.agencies):
        agency = make_agency(f"BENCH-{a:03d}", provinces[a % len(provinces)], f"Instansi Bench {a + 1}")
        agencies.append(agency)
        for k in range(args.units):
            units.append(
                ServiceUnit.objects.create(agency=agency, name=f"Unit {a + 1}.{k + 1}", population=1000 + 100 * k)
            )
    # Uneven: the first agency and, within each agency, the first unit get more reports.
    unit_weights = [
        (3.0 if u.agency_id == agencies[0].pk else 1.0) * (4.0 if i % args.units == 0 else 1.0)
        for i, u in enumerate(units)
    ]
    kinds, kind_w = weighted(KINDS)
    confs, conf_w = weighted(CONFIDENTIALITY)
    statuses, status_w = weighted(STATUSES)
    now = timezone.now()
    span = 14 * 30 * 86400
    secret = secrets.token_hex(32)
    done, chunk = 0, 50_000
    t = time.perf_counter()
    while done < args.complaints:
        n = min(chunk, args.complaints - done)
        picked = rng.choices(units, unit_weights, k=n)
        objs = []
        for i in range(n):
            unit = picked[i]
            created = now - datetime.timedelta(seconds=rng.randrange(span))
            status = rng.choices(statuses, status_w)[0]
            forwarded = status != "received"
            field = rng.random() < 0.1
            response_due = created + datetime.timedelta(days=24 if field else 14) if forwarded else None
            responded_at = None
            if status in ("responded", "closed"):
                responded_at = created + datetime.timedelta(hours=rng.expovariate(1 / (24 * 10)))
            rating = rng.choice((1, 2, 3, 4, 4, 5, 5)) if responded_at and rng.random() < 0.35 else None
            objs.append(
                build(
                    Complaint,
                    kind=rng.choices(kinds, kind_w)[0],
                    unit_id=unit.pk,
                    agency_id=unit.agency_id,
                    title=f"Laporan {done + i}",
                    description="Antrean di loket lebih dari tiga jam tanpa kejelasan.",
                    confidentiality=rng.choices(confs, conf_w)[0],
                    status=status,
                    field_inspection=field,
                    verify_due=created + datetime.timedelta(days=3),
                    response_due=response_due,
                    responded_at=responded_at,
                    rating=rating,
                    closed_at=responded_at if status == "closed" else None,
                    secret=secret,
                    created_at=created,
                    updated_at=created,
                )
            )
        bulk_insert(Complaint, objs)
        done += n
        print(f"  {done:,} complaints in {time.perf_counter() - t:.0f} s", end="\r", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  {done:,} complaints in {time.perf_counter() - t:.0f} s (COPY + ANALYZE)")
    return agencies, units


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure_pages(pages, repeat):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out = {}
    for label, url in pages:
        times, queries = [], set()
        for _ in range(repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                resp = client.get(url)
                times.append(time.perf_counter() - t)
            assert resp.status_code == 200, (url, resp.status_code)
            queries.add(len(ctx.captured_queries))
        out[label] = (times, queries)
    return out


def measure_sql(scopes, repeat):
    """The baseline: count by month and kind over the dashboards' window, as plain SQL."""
    from django.db import connection
    from django.utils import timezone

    from publicservice.selectors import DASHBOARD_MONTHS, _period_start

    start = _period_start(timezone.now(), DASHBOARD_MONTHS)
    out = {}
    for label, column, value in scopes:
        where = f"AND {column} = %s" if column else ""
        sql = (
            "SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Jakarta') AS m, kind, count(*) "
            "FROM publicservice_complaint WHERE created_at >= %s AND status <> 'merged' "
            f"{where} GROUP BY 1, 2"
        )
        params = [start] + ([value] if column else [])
        times = []
        with connection.cursor() as cur:
            for _ in range(repeat):
                t = time.perf_counter()
                cur.execute(sql, params)
                rows = cur.fetchall()
                times.append(time.perf_counter() - t)
        out[label] = (times, sum(r[2] for r in rows))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--complaints", type=int, default=1_000_000)
    ap.add_argument("--agencies", type=int, default=30)
    ap.add_argument("--units", type=int, default=20, help="service units per agency")
    ap.add_argument("--repeat", type=int, default=20, help="requests per page")
    ap.add_argument("--db", default="pamong_bench_ps_dashboard")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--reuse", action="store_true", help="measure a database kept by an earlier --keep run")
    args = ap.parse_args()

    import psycopg

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    if not args.reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ.update(
        {
            "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{args.db}",
            "REDIS_URL": "",  # the in-process cache: cleared before every request anyway
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "PAMONG_ENV": "test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    import django.db
    from django.core.management import call_command
    from django.db.models import Count
    from django.test.utils import setup_test_environment

    from publicservice.models import Complaint, ServiceUnit

    setup_test_environment()  # the test client's host is allowed
    try:
        if not args.reuse:
            t = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrated in {time.perf_counter() - t:.0f} s; seeding")
            seed(args)
        top_agency = (
            Complaint.objects.values("agency__code").annotate(n=Count("id")).order_by("-n").first()["agency__code"]
        )
        top_unit = (
            Complaint.objects.filter(agency__code=top_agency)
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()["unit_id"]
        )
        unit = ServiceUnit.objects.select_related("agency").get(pk=top_unit)
        total = Complaint.objects.count()
        in_agency = Complaint.objects.filter(agency=unit.agency).count()
        in_unit = Complaint.objects.filter(unit=unit).count()
        pages = [
            ("all agencies", "/layanan/dasbor/"),
            ("one agency", f"/layanan/dasbor/instansi/{unit.agency.code}/"),
            ("one unit", f"/layanan/dasbor/unit/{unit.code}/"),
        ]
        measure_pages(pages[:1], 2)  # warm the process (imports, templates, connection)
        page_results = measure_pages(pages, args.repeat)
        sql_results = measure_sql(
            [
                ("all agencies", None, None),
                ("one agency", "agency_id", unit.agency_id),
                ("one unit", "unit_id", unit.pk),
            ],
            args.repeat,
        )
    finally:
        django.db.connections.close_all()
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')

    print(
        f"\n{total:,} complaints ({in_agency:,} in the biggest agency, {in_unit:,} in its biggest unit);"
        f" {args.repeat} requests per page, cache cleared before each"
    )
    sizes = {"all agencies": total, "one agency": in_agency, "one unit": in_unit}
    for label, (times, queries) in page_results.items():
        base, counted = sql_results[label]
        print(
            f"{label:13s} ({sizes[label]:>9,} rows) page p50 {statistics.median(times) * 1000:7.1f} ms"
            f" p95 {pct(times, 95) * 1000:7.1f} ms, queries {sorted(queries)};"
            f" SQL count by month×kind p50 {statistics.median(base) * 1000:7.1f} ms p95 {pct(base, 95) * 1000:7.1f} ms"
            f" ({counted:,} in the window)"
        )


if __name__ == "__main__":
    main()
