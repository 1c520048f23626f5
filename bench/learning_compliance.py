"""Benchmark the JP compliance report at national scale on PostgreSQL.

    python bench/learning_compliance.py [--employees 4300000] [--entries 2.6] [--repeat 3] [--seed 2026]
                                        [--work-mem 64MB] [--db pamong_bench_learning] [--keep]

Builds a fresh database (default `pamong_bench_learning` on 127.0.0.1, dropped first, and dropped again at
the end unless `--keep`), migrates it and writes straight into it with COPY: agencies in the national mix
(central, provinces, regencies; ~6,800 people each), each a root unit with ~20-person sub-units, N employees
(PNS, CPNS, ~17 % PPPK; 3 % no longer active) and their JP ledger — `--entries` entries per employee on
average in the reported year, plus a few in the year before — all drawn from random.Random(seed).

Then, for each grouping (agency, region, unit), interleaved and repeated `--repeat` times (the median is
printed), with its query count, the part spent executing queries and its time as a multiple of (a):

- (a) baseline: one plain SQL aggregate over the same rows (the active employees, each with the year's JP —
  the year's minutes over the JP length, rounded once, in integer hundredths as learning.selectors.year_jp
  computes it — counted per group with FILTER), the groups fetched;
- (b) `learning.selectors.compliance_by(Employee.objects.filter(status="active"), year, group)`, the
  project's code path (the report page, the reports index and the API call it), which counts in the database;
- (c) the same function as it was before 2026-11-28 (`compliance_by_in_python` below: one row per employee,
  with the year's minutes, fetched and judged in Python with learning.rules.year_jp), checked equal to (b),
  group by group, with where its time goes.
Nothing here is a test: it prints figures.
"""

import argparse
import contextlib
import datetime
import os
import random
import shutil
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
STAMP = "2025-12-31 16:00:00+07"
NULL = r"\N"
EMPLOYEES_PER_AGENCY = 6_800
EMPLOYEES_PER_UNIT = 20
BYTES_PER_EMPLOYEE = 1_400  # on disk with indexes, employee row and ~3 ledger entries (measured: ~1.1 kB)
TABLES = ("personnel_employee", "learning_jpentry")
# Entries in the reported year per employee (mean 2.6) and the previous year's (mean 0.5).
ENTRIES = ([0, 1, 2, 3, 4, 5, 6], [10, 16, 24, 22, 14, 8, 6])
# Durations of what gets booked, in minutes: a 2-JP webinar to a 40-JP course, and odd lengths (50 minutes
# is 1.11 JP) so that sums are not round numbers.
MINUTES = [90, 180, 360, 720, 1080, 1440, 1800, 50, 100, 135, 405, 990]
MINUTE_WEIGHTS = [10, 14, 18, 14, 8, 5, 3, 6, 6, 6, 6, 4]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=4_300_000)
    ap.add_argument("--entries", type=float, default=2.6, help="mean JP entries per employee in the year (scales)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is printed")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--work-mem", help="SET work_mem for the measured session (e.g. 64MB); default: the server's")
    ap.add_argument("--groups", default="agency,region,unit")
    ap.add_argument("--with-orm", action="store_true", help="also time (d), the ORM-only variant (as slow as (c))")
    ap.add_argument("--db", default="pamong_bench_learning")
    ap.add_argument("--keep", action="store_true", help="reuse the database if generated, and keep it afterwards")
    args = ap.parse_args()

    need = args.employees * BYTES_PER_EMPLOYEE * args.entries / 2.6
    free = shutil.disk_usage("/work").free
    print(f"disk: {free / 2**30:.0f} GiB free on /work, this run needs ~{need / 2**30:.1f} GiB")
    if need > free / 2:
        sys.exit("not enough free disk for a comfortable margin; lower --employees")

    import psycopg

    admin_url = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    db_url = admin_url.rsplit("/", 1)[0] + f"/{args.db}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if exists and not args.keep:
            conn.execute(f'DROP DATABASE "{args.db}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.db}"')
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("PAMONG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from personnel.models import Employee

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s")
        if not Employee.objects.exists():
            generate(db_url, args.employees, args.entries, args.seed)
        measure(args.repeat, args.work_mem, args.groups.split(","), args.with_orm)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            print(f"database {args.db} dropped")


# ---- generation -----------------------------------------------------------------------------------


def generate(db_url: str, n: int, entries: float, seed: int) -> None:
    """Agencies and units, then employees and their ledger on two COPY streams, then indexes and ANALYZE."""
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from learning.rules import minutes_to_jp
    from organization.models import Province, Regency

    t0 = time.perf_counter()
    rng = random.Random(seed)
    provinces = list(Province.objects.order_by("code").values_list("id", "name"))
    regencies = list(Regency.objects.order_by("code").values_list("id", "province_id", "name"))
    n_agencies = max(2, round(n / EMPLOYEES_PER_AGENCY))
    n_central = max(1, round(n_agencies * 80 / 632))
    n_province = min(len(provinces), max(1, round(n_agencies * 38 / 632)))

    conn = psycopg.connect(db_url)
    cur = conn.cursor()
    saved = _drop_indexes(cur)

    agencies, units, plan = [], [], []
    unit_id = 0
    per_agency = [n // n_agencies + (1 if a < n % n_agencies else 0) for a in range(n_agencies)]
    for a, size in enumerate(per_agency):
        aid = a + 1
        if a < n_central:
            kind, prov, reg, name = "central", None, None, f"Kementerian/Lembaga {aid}"
        elif a < n_central + n_province:
            prov, pname = provinces[a - n_central]
            kind, reg, name = "province", None, f"Pemprov {pname.title()}"
        else:
            reg, prov, rname = regencies[(a - n_central - n_province) % len(regencies)]
            kind, name = "regency", f"Pemkab/Pemkot {rname.title()} {aid}"
        agencies.append((aid, STAMP, STAMP, f"BENCH-{aid:04d}", name, name[:60], kind, prov, reg, "Kepala"))
        unit_id += 1
        root = unit_id
        ids = [root]
        units.append((root, STAMP, STAMP, aid, None, "U0", "Sekretariat", "sekretariat", f"/{root}/", 0, True))
        for i in range(1, max(2, round(size / EMPLOYEES_PER_UNIT))):
            unit_id += 1
            ids.append(unit_id)
            units.append(
                (unit_id, STAMP, STAMP, aid, root, f"U{i}", f"Bidang {i}", "bidang", f"/{root}/{unit_id}/", 1, True)
            )
        plan.append((aid, size, ids))
    _copy_rows(
        cur,
        "organization_agency",
        "id, created_at, updated_at, code, name, short_name, kind, province_id, regency_id, head_title",
        agencies,
    )
    _copy_rows(
        cur,
        "organization_orgunit",
        "id, created_at, updated_at, agency_id, parent_id, code, name, kind, path, depth, is_active",
        units,
    )
    conn.commit()
    print(f"structure: {len(agencies):,} agencies, {len(units):,} units in {time.perf_counter() - t0:.1f} s")

    columns = {
        "personnel_employee": "id, created_at, updated_at, agency_id, nip, nip_lama, nik, name, front_title, "
        "back_title, gender, birth_place, birth_date, employee_type, status, tmt_appointment, email, phone, user_id, "
        "current_rank_id, current_position_id, current_unit_id, current_position_type, current_education_id, "
        "retirement_date",
        "learning_jpentry": "id, employee_id, year, booked_on, minutes, jp, enrollment_id, external_id, description",
    }
    stack = contextlib.ExitStack()
    streams = {}
    for table, cols in columns.items():
        c = stack.enter_context(psycopg.connect(db_url))  # commits on a clean exit
        c.execute("SET synchronous_commit = off")
        k = c.cursor()
        streams[table] = stack.enter_context(k.copy(f"COPY {table} ({cols}) FROM STDIN", writer=QueuedLibpqWriter(k)))

    scale = entries / 2.6
    counts, cum_counts = ENTRIES[0], _cumulative([w for w in ENTRIES[1]])
    # The constant parts of a ledger line: "year<TAB>booked_on" and "<TAB>minutes<TAB>jp<TAB>…description".
    first = datetime.date(YEAR, 1, 1).toordinal()
    days = {
        y: [f"{y}\t{datetime.date.fromordinal(first + d).replace(year=y)}" for d in range(365)]
        for y in (YEAR, YEAR - 1)
    }
    tails = [f"\t{m}\t{minutes_to_jp(m)}\t\\N\t\\N\tPelatihan {m} menit" for m in MINUTES]
    cum_minutes = _cumulative(MINUTE_WEIGHTS)
    type_cum = _cumulative([80, 3, 17])
    types = ["pns", "cpns", "pppk"]
    emp_id = entry_id = 0
    step, next_report = max(1, n // 10), max(1, n // 10)
    rnd = rng.random
    for aid, size, ids in plan:
        emp_rows, jp_rows = [], []
        for _ in range(size):
            emp_id += 1
            etype = types[_draw(rnd(), type_cum)]
            status = "active" if rnd() >= 0.03 else ("retired" if rnd() < 0.8 else "deceased")
            emp_rows.append(_employee_line(emp_id, aid, ids[int(rnd() * len(ids))], etype, status))
            k = counts[_draw(rnd(), cum_counts)]
            if scale != 1:
                k = int(k * scale + rnd())
            # PPPK take less on average (their contract ceiling is 24 JP): one entry fewer, at random.
            if etype == "pppk" and k and rnd() < 0.5:
                k -= 1
            for year, many in ((YEAR, k), (YEAR - 1, 1 if rnd() < 0.5 else 0)):
                for _ in range(many):
                    entry_id += 1
                    day = days[year][int(rnd() * 365)]
                    jp_rows.append(f"{entry_id}\t{emp_id}\t{day}{tails[_draw(rnd(), cum_minutes)]}")
        streams["personnel_employee"].write("\n".join(emp_rows) + "\n")
        if jp_rows:
            streams["learning_jpentry"].write("\n".join(jp_rows) + "\n")
        if emp_id >= next_report or emp_id == n:
            print(
                f"  {emp_id:>10,} / {n:,} employees ({emp_id / n:4.0%}), {entry_id:,} JP entries, "
                f"{time.perf_counter() - t0:6.1f} s",
                flush=True,
            )
            next_report += step
    stack.close()
    print(f"written: {emp_id:,} employees, {entry_id:,} JP entries in {time.perf_counter() - t0:.1f} s")

    t = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    for kind in ("index", "constraint"):  # unique constraints bring their index; FKs are validated here
        for _table, k, ddl in saved:
            if k == kind:
                cur.execute(ddl)
                conn.commit()
    for table in ("organization_agency", "organization_orgunit", *TABLES):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM (ANALYZE)")
    size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    conn.close()
    print(f"indexes and constraints rebuilt, VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    print(f"generation total: {time.perf_counter() - t0:.1f} s; database {size / 2**30:.2f} GiB")


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _draw(x: float, cum) -> int:
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1


_BASE = datetime.date(1965, 1, 1)


def _employee_line(i: int, agency_id: int, unit: int, etype: str, status: str) -> str:
    block, serial = divmod(i - 1, 999)
    birth = _BASE + datetime.timedelta(days=3 * block)  # one birth date per 999 NIPs: every NIP unique
    tmt_year = birth.year + 24 + i % 8
    tmt_month = 1 + i % 12
    gender = "M" if i % 2 else "F"
    nip = f"{birth:%Y%m%d}{tmt_year}{tmt_month:02d}{1 if gender == 'M' else 2}{serial + 1:03d}"
    return (
        f"{i}\t{STAMP}\t{STAMP}\t{agency_id}\t{nip}\t\t{3100000000000000 + i}\tPegawai {i}\t\t\t{gender}\t\t{birth}"
        f"\t{etype}\t{status}\t{tmt_year}-{tmt_month:02d}-01\t\t\t\\N\t\\N\t\\N\t{unit}\tpelaksana\t\\N"
        f"\t{birth.year + 58}-{birth.month:02d}-01"
    )


def _copy_rows(cur, table: str, columns: str, rows) -> None:
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def _drop_indexes(cur) -> list[tuple[str, str, str]]:
    """Drop the big tables' secondary indexes and FK/unique constraints (rebuilt once after the load)."""
    saved = []
    for table in TABLES:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('f', 'u')",
            [table],
        )
        cons = cur.fetchall()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        idxs = cur.fetchall()
        for name, definition in cons:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            saved.append((table, "constraint", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        for name, definition in idxs:
            cur.execute(f'DROP INDEX "{name}"')
            saved.append((table, "index", definition))
    cur.connection.commit()
    return saved


# ---- measurement ---------------------------------------------------------------------------------

# (a) The baseline: the same rows (active employees, each with the year's JP) counted per group in SQL.
BASELINE_KEY = {
    "agency": ("e.agency_id", "x.g", ""),
    "unit": ("e.current_unit_id", "x.g", ""),
    "region": ("e.agency_id", "a.province_id", "JOIN organization_agency a ON a.id = x.g"),
}
# x.jp: the year's JP in hundredths, (200·minutes + L) / 2L in integers (rules.year_jp, selectors.year_jp).
BASELINE = """
    SELECT {outer_key},
           count(*) FILTER (WHERE x.employee_type <> 'pppk'),
           count(*) FILTER (WHERE x.employee_type <> 'pppk' AND x.jp >= 2000),
           coalesce(sum(x.jp) FILTER (WHERE x.employee_type <> 'pppk'), 0),
           count(*) FILTER (WHERE x.employee_type = 'pppk'),
           count(*) FILTER (WHERE x.employee_type = 'pppk' AND x.jp > 2400)
    FROM (
        SELECT e.id, {inner_key} AS g, e.employee_type,
               (200 * coalesce(sum(j.minutes), 0) + {per_jp:d}) / {twice:d} AS jp
        FROM personnel_employee e
        LEFT JOIN learning_jpentry j ON j.employee_id = e.id AND j.year = %s
        WHERE e.status = 'active'
        GROUP BY e.id
    ) x {join}
    GROUP BY {outer_key}
"""


def baseline(group: str, year: int) -> list[tuple]:
    from django.db import connection

    from learning import selectors

    per_jp = selectors.year_minutes_per_jp(year)
    inner_key, outer_key, join = BASELINE_KEY[group]
    sql = BASELINE.format(inner_key=inner_key, outer_key=outer_key, join=join, per_jp=per_jp, twice=2 * per_jp)
    with connection.cursor() as cur:
        cur.execute(sql, [year])
        return cur.fetchall()


# (c) compliance_by as it was first written: the per-employee rows (each with the year's minutes) fetched and
# judged one by one with learning.rules (the year's JP by rules.year_jp), counted per group in Python.
def compliance_by_in_python(employees, year: int, group: str) -> list[dict]:
    from django.db.models import Q, Sum
    from django.db.models.functions import Coalesce

    from learning import rules, selectors

    key, label = selectors.GROUPS[group]
    per_jp = selectors.year_minutes_per_jp(year)
    minutes = Coalesce(Sum("jp_entries__minutes", filter=Q(jp_entries__year=year)), 0)
    out: dict = {}
    for row in employees.values("pk", key, label, "employee_type").annotate(minutes=minutes).order_by():
        g = out.setdefault(
            row[key],
            {"id": row[key], "name": row[label], "pns": 0, "met": 0, "jp_sum": Decimal(0), "pppk": 0, "pppk_over": 0},
        )
        row["jp"] = rules.year_jp(row["minutes"], per_jp)
        rule = rules.compliance(row["jp"], row["employee_type"])
        if row["employee_type"] == "pppk":
            g["pppk"] += 1
            g["pppk_over"] += rule.over_limit
        else:
            g["pns"] += 1
            g["met"] += rule.met
            g["jp_sum"] += row["jp"]
    for g in out.values():
        g["rate"] = g["met"] / g["pns"] if g["pns"] else None
        g["mean_jp"] = g["jp_sum"] / g["pns"] if g["pns"] else None
    return sorted(out.values(), key=lambda g: (g["rate"] if g["rate"] is not None else 2, str(g["name"])))


def compliance_by_orm(employees, year: int, group: str) -> list[dict]:
    """The same counts with the ORM alone: each employee's JP (selectors.year_jp of the year's minutes) as a
    correlated subquery, aggregated per group."""
    from django.db.models import Count, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import Coalesce

    from learning import rules, selectors
    from learning.models import JpEntry

    key, label = selectors.GROUPS[group]
    year_minutes = (
        JpEntry.objects.filter(employee=OuterRef("pk"), year=year)
        .values("employee")
        .annotate(s=Sum("minutes"))
        .values("s")
    )
    jp = selectors.year_jp(Coalesce(Subquery(year_minutes), 0), selectors.year_minutes_per_jp(year))
    pns, pppk = ~Q(employee_type="pppk"), Q(employee_type="pppk")
    rows = (
        employees.alias(jp=jp)
        .values(key, label)
        .annotate(
            pns=Count("pk", filter=pns),
            met=Count("pk", filter=pns & Q(jp__gte=rules.PNS_MIN_JP)),
            jp_sum=Coalesce(Sum("jp", filter=pns), 0),
            pppk=Count("pk", filter=pppk),
            pppk_over=Count("pk", filter=pppk & Q(jp__gt=rules.PPPK_MAX_JP)),
        )
        .order_by()
    )
    out = []
    for r in rows:
        # jp_sum: a Sum over a selectors.JpField adds hundredths in SQL and arrives as a Decimal of JP.
        g = {"id": r[key], "name": r[label]} | {k: r[k] for k in ("pns", "met", "jp_sum", "pppk", "pppk_over")}
        g["rate"] = g["met"] / g["pns"] if g["pns"] else None
        g["mean_jp"] = g["jp_sum"] / g["pns"] if g["pns"] else None
        out.append(g)
    return sorted(out, key=lambda g: (g["rate"] if g["rate"] is not None else 2, str(g["name"])))


def breakdown(active, group: str, total: float) -> None:
    """Where (c)'s time goes: its query, turning its rows into dicts, and rules.compliance on every row."""
    from django.db import connection
    from django.db.models import Q, Sum
    from django.db.models.functions import Coalesce
    from django.test.utils import CaptureQueriesContext

    from learning import rules, selectors

    key, label = selectors.GROUPS[group]
    per_jp = selectors.year_minutes_per_jp(YEAR)
    minutes = Coalesce(Sum("jp_entries__minutes", filter=Q(jp_entries__year=YEAR)), 0)
    per_employee = active.values("pk", key, label, "employee_type").annotate(minutes=minutes).order_by()  # as (c)
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        rows = list(per_employee)
        fetched = time.perf_counter() - t
    in_sql = sum(float(q["time"]) for q in ctx.captured_queries)
    t = time.perf_counter()
    for row in rows:
        rules.compliance(rules.year_jp(row["minutes"], per_jp), row["employee_type"]).met  # noqa: B018  (the work)
    ruled = time.perf_counter() - t
    print(
        f"  (c) by {group}, where its {total:.2f} s go: the query {in_sql:.2f} s in PostgreSQL (one row per "
        f"employee, {len(rows):,}); turning the rows into dicts {fetched - in_sql:.2f} s; rules.compliance on each "
        f"{ruled:.2f} s; counting them per group ~{max(0.0, total - fetched - ruled):.2f} s"
    )


def _by_id(rows: list[dict]) -> dict:
    out = {g["id"]: g for g in rows}
    assert len(out) == len(rows)
    return out


def measure(repeat: int, work_mem: str | None, groups: list[str], with_orm: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learning import selectors
    from learning.models import JpEntry
    from personnel.models import Employee

    with connection.cursor() as cur:
        if work_mem:
            cur.execute("SELECT set_config('work_mem', %s, false)", [work_mem])
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    active = Employee.objects.filter(status="active")
    n_active = active.count()
    n_entries = JpEntry.objects.filter(year=YEAR).count()
    print(
        f"\nJP compliance {YEAR}: {n_active:,} active employees of {Employee.objects.count():,}, "
        f"{n_entries:,} JP entries in {YEAR} of {JpEntry.objects.count():,}; median of {repeat} runs, "
        f"work_mem {work_mem}"
    )
    print(f"{'':48} {'groups':>8} {'time':>9} {'in SQL':>9} {'s per M':>8} {'queries':>8} {'vs (a)':>8}")
    for group in groups:
        runs = {
            "(a) plain SQL aggregate (baseline)": lambda g=group: baseline(g, YEAR),
            "(b) selectors.compliance_by": lambda g=group: selectors.compliance_by(active, YEAR, g),
            "(c) before: per employee, counted in Python": lambda g=group: compliance_by_in_python(active, YEAR, g),
        }
        if with_orm:
            runs["(d) prototype: the ORM alone, JP as subquery"] = lambda g=group: compliance_by_orm(active, YEAR, g)
        times = {label: [] for label in runs}
        in_sql = {label: [] for label in runs}
        queries, results = {}, {}
        baseline(group, YEAR)  # untimed: the first pass over the tables reads them into the cache
        for _ in range(repeat):  # interleaved, so the three see the same cache state
            for label, fn in runs.items():
                results[label] = None  # let the previous run's rows go before the next one is timed
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    results[label] = fn()
                    times[label].append(time.perf_counter() - t)
                queries[label] = len(ctx.captured_queries)
                in_sql[label].append(sum(float(q["time"]) for q in ctx.captured_queries))
        labels = list(runs)
        base = statistics.median(times[labels[0]])
        print(f"by {group}:")
        for label in labels:
            t, q = statistics.median(times[label]), statistics.median(in_sql[label])
            print(
                f"  {label:46} {len(results[label]):>8,} {t:8.2f}s {q:8.2f}s {t / n_active * 1e6:8.2f} "
                f"{queries[label]:>8} {t / base:>7.2f}×"
            )
        a, b, c, *d = (results[label] for label in labels)
        from learning.rules import jp_from_hundredths

        same_counts = {r[0]: (r[1], r[2], jp_from_hundredths(int(r[3])), r[4], r[5]) for r in a} == {
            g["id"]: (g["pns"], g["met"], g["jp_sum"], g["pppk"], g["pppk_over"]) for g in b
        }
        same_c = _by_id(b) == _by_id(c)
        same_d = f", from (d): {_by_id(b) == _by_id(d[0])}" if d else ""
        print(
            f"  (a) counts the same as (b) in every group: {same_counts}; the same rows as (b) from (c): {same_c}{same_d}"
        )
        if group == "agency":
            breakdown(active, group, statistics.median(times[labels[2]]))
        if group == groups[-1]:
            pns, met = sum(g["pns"] for g in b), sum(g["met"] for g in b)
            pppk, over = sum(g["pppk"] for g in b), sum(g["pppk_over"] for g in b)
            print(
                f"  {met:,} of {pns:,} PNS/CPNS reached 20 JP ({met / pns:.1%}); {over:,} of {pppk:,} PPPK above 24 JP"
            )


if __name__ == "__main__":
    main()
