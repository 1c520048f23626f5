"""Benchmark closing a national-size performance year on PostgreSQL.

    python bench/performance.py [--employees 4300000] [--repeat 3] [--seed 2026] [--tampered 1000]
                                [--verify 20] [--work-mem 64MB] [--db pamong_bench_perf] [--keep]

Builds a fresh database (default `pamong_bench_perf` on 127.0.0.1, dropped first; `--keep` reuses a
generated one), migrates it and writes a whole year straight into it with COPY: agencies in the national
mix (central, provinces, regencies), each a tree of units (pemda → dinas → bidang; every 10th bidang a
headless group without its own predikat), a head post and two staff posts a unit, N employees, one
approved SKP each, a quarterly performance year per agency, a predikat organisasi per rated unit and
quarter, and one final rating per SKP and quarter (4 × N), all drawn from random.Random(seed).

Then, for the annual (final) period of every agency, it prints the time, rows/s and query count of
(a) a plain SQL aggregate over the same rows (the baseline), (b) `closing.curve_report_for_year`,
the curve of every rated unit, and (c) `closing.annual_predikat_check`, every annual predikat
recomputed from its two ratings — each as a multiple of (a)'s time, measured in the same run — and
checks a sample of (b) against `rating.unit_round`. Nothing here is a test: it prints figures.
"""

import argparse
import contextlib
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
STAMP = "2025-12-31 16:00:00+07"
NULL = r"\N"  # COPY text format
EMPLOYEES_PER_AGENCY = 6_800  # 4.3 M civil servants in ~630 agencies
EMPLOYEES_PER_UNIT = 20
BIDANG_PER_DINAS = 10
UNRATED_EVERY = 10  # every 10th bidang is a headless group with no predikat: its people are on the dinas's curve
BIG_TABLES = ("personnel_employee", "performance_skp", "performance_assessment")

FIRST = (
    "Agus Budi Citra Dewi Eko Fitri Gita Hadi Indah Joko Kartika Lestari Made Nur Putu Rina Sari Taufik Utami "
    "Wahyu Yanti Zainal Ahmad Bambang Dian Endang Fajar Hendra Ika Kurnia Lukman Maya Nanda Oki Purnama Rizky"
).split()
LAST = (
    "Santoso Wijaya Saputra Hidayat Lestari Kusuma Pratama Nugroho Siregar Nasution Harahap Simanjuntak Sihombing "
    "Tanjung Lubis Rahman Setiawan Gunawan Susanto Wibowo Purba Manurung Pangaribuan Hutapea Sinaga Situmorang"
).split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=4_300_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is printed")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--tampered", type=int, default=1000, help="annual predikat stored wrong on purpose")
    ap.add_argument("--verify", type=int, default=20, help="units whose curve is compared with rating.unit_round")
    ap.add_argument("--work-mem", help="SET work_mem for the measured session (e.g. 64MB); default: the server's")
    ap.add_argument("--db", default="pamong_bench_perf")
    ap.add_argument("--keep", action="store_true", help="reuse the database if it is already generated")
    args = ap.parse_args()

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

    from performance.models import Assessment

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    if not Assessment.objects.exists():
        generate(db_url, args.employees, args.seed, args.tampered)
    measure(args.repeat, args.tampered, args.verify, args.seed, args.work_mem)


# ---- generation -----------------------------------------------------------------------------------


def _copy_sql(table: str, columns: str) -> str:
    return f"COPY {table} ({columns}) FROM STDIN"


def generate(db_url: str, n: int, seed: int, tampered: int) -> None:
    """Write the year with COPY: structure first, then people, plans and ratings streamed on four connections."""
    import random

    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from accounts.models import User
    from organization.models import Province, Regency
    from performance import rules
    from personnel.models import EducationLevel, Rank

    t0 = time.perf_counter()
    rng = random.Random(seed)
    user = User.objects.create(username="bench.closing", full_name="Bench")
    provinces = list(Province.objects.order_by("code").values_list("id", "name"))
    regencies = list(Regency.objects.order_by("code").values_list("id", "province_id", "name"))
    rank_ids = dict(Rank.objects.values_list("code", "id"))
    s1 = EducationLevel.objects.get(code="S1").pk

    n_agencies = max(2, round(n / EMPLOYEES_PER_AGENCY))
    n_central = max(1, round(n_agencies * 80 / 632))
    n_province = min(len(provinces), max(1, round(n_agencies * 38 / 632)))
    specs = rules.periods_of(YEAR, "quarterly")

    conn = psycopg.connect(db_url)
    cur = conn.cursor()
    _drop_indexes(cur)

    # Agencies, their settings, years and periods (a few thousand rows).
    agencies, settings, years, periods = [], [], [], []
    for a in range(n_agencies):
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
        rounding = "nearest" if a % 5 == 4 else "floor_ceil"
        settings.append((aid, STAMP, STAMP, aid, "quarterly", "justify", rounding))
        years.append((aid, STAMP, STAMP, aid, YEAR, "quarterly", None))
        for s in specs:
            periods.append((aid * 4 - 4 + s.number, aid, s.number, s.label, s.start, s.end, s.is_final))
    _copy_rows(
        cur,
        "organization_agency",
        "id, created_at, updated_at, code, name, short_name, kind, province_id, regency_id, head_title",
        agencies,
    )
    _copy_rows(
        cur,
        "performance_performancesettings",
        "id, created_at, updated_at, agency_id, frequency, curve_policy, rounding",
        settings,
    )
    _copy_rows(
        cur, "performance_performanceyear", "id, created_at, updated_at, agency_id, year, frequency, closed_at", years
    )
    _copy_rows(cur, "performance_period", 'id, perf_year_id, number, label, start, "end", is_final', periods)

    # Units and posts of every agency, kept in memory as plain tuples (~n/20 units, ~3 posts each).
    per_agency = [n // n_agencies + (1 if a < n % n_agencies else 0) for a in range(n_agencies)]
    units, posts, plan = [], [], []
    unit_id = post_id = bidang_seen = 0
    for a, size in enumerate(per_agency):
        aid = a + 1
        n_units = max(3, round(size / EMPLOYEES_PER_UNIT))
        n_dinas = max(1, round((n_units - 1) / (BIDANG_PER_DINAS + 1)))
        layout = [(None, "sekretariat", 0)] + [(0, "perangkat_daerah", 1)] * n_dinas
        layout += [(1 + i % n_dinas, "bidang", 2) for i in range(n_units - 1 - n_dinas)]
        agency_units = []  # (unit id, path, head post or None, staff posts, rated, owner index, parent index)
        for i, (parent, kind, depth) in enumerate(layout):
            unit_id += 1
            parent_uid = agency_units[parent][0] if parent is not None else None
            path = (agency_units[parent][1] if parent is not None else "/") + f"{unit_id}/"
            units.append(
                (unit_id, STAMP, STAMP, aid, parent_uid, f"U{i}", f"{kind.title()} {i}", kind, path, depth, True)
            )
            rated = True
            if kind == "bidang":
                bidang_seen += 1
                rated = bidang_seen % UNRATED_EVERY != 0
            parent_head = agency_units[parent][2] if parent is not None else None
            head = None
            if rated:  # a rated unit has a head post; a headless group's posts report to the dinas head
                post_id += 1
                head = post_id
                ptype, level, cls = {0: ("jpt", "jpt_madya", 15), 1: ("jpt", "jpt_pratama", 14)}.get(
                    depth, ("administrator", "administrator", 11)
                )
                posts.append(_post(head, aid, unit_id, parent_head, f"Kepala {kind} {i}", ptype, level, cls, 1))
            boss = head or parent_head
            staff = []
            for ptype, level, cls in (("pelaksana", "pelaksana", 6), ("fungsional_keahlian", "ahli_pertama", 8)):
                post_id += 1
                staff.append(post_id)
                posts.append(_post(post_id, aid, unit_id, boss, f"Staf {ptype} {i}", ptype, level, cls, 60))
            owner = i if rated else parent  # whose predikat the unit's staff are rated under
            agency_units.append((unit_id, path, head, staff, rated, owner, parent))
        plan.append((aid, size, agency_units))
    # Post paths follow the post tree (parents are always written before their children).
    by_id = {}
    for p in posts:
        p[14] = (by_id[p[5]][14] if p[5] else "/") + f"{p[0]}/"
        by_id[p[0]] = p
    _copy_rows(
        cur,
        "organization_orgunit",
        "id, created_at, updated_at, agency_id, parent_id, code, name, kind, path, depth, is_active",
        units,
    )
    _copy_rows(
        cur,
        "organization_position",
        "id, created_at, updated_at, agency_id, unit_id, parent_id, code, title, position_type, level, job_class, "
        "reports_to_head, retirement_age_override, capacity, path, is_active",
        posts,
    )
    conn.commit()
    print(
        f"structure: {n_agencies:,} agencies, {len(units):,} units, {len(posts):,} posts in {time.perf_counter() - t0:.1f} s"
    )

    # People, plans, predikat organisasi and ratings: four COPY streams open at once, one per table,
    # each written by its own thread so PostgreSQL ingests while Python draws the next agency.
    streams = {}
    columns = {
        "personnel_employee": "id, created_at, updated_at, agency_id, nip, nip_lama, nik, name, front_title, back_title, "
        "gender, birth_place, birth_date, employee_type, status, tmt_appointment, email, phone, user_id, "
        "current_rank_id, current_position_id, current_unit_id, current_position_type, current_education_id, "
        "retirement_date",
        "performance_skp": "id, created_at, updated_at, employee_id, perf_year_id, position_id, unit_id, is_jpt, status, "
        "version, assessor_id, assessor_position_id, assessor_external, submitted_at, approved_at, return_comment",
        "performance_orgrating": "id, created_at, updated_at, unit_id, period_id, predikat, note, set_by_id",
        "performance_assessment": "id, created_at, updated_at, skp_id, period_id, result_rating, behaviour_rating, "
        "behaviour_notes, predikat, status, rated_by_id, finalized_at, curve_justification",
    }
    stack = contextlib.ExitStack()
    for table, cols in columns.items():
        c = stack.enter_context(psycopg.connect(db_url))  # commits on a clean exit
        c.execute("SET synchronous_commit = off")
        k = c.cursor()
        streams[table] = stack.enter_context(k.copy(_copy_sql(table, cols), writer=QueuedLibpqWriter(k)))

    org_pairs = _pair_tables(rules)
    org_names, org_cum = list(ORG_WEIGHTS), _cumulative(ORG_WEIGHTS.values())
    behaviour_cum = _cumulative([25, 65, 10])
    ratings = list(rules.RATINGS)
    wrong = set(rng.sample(range(1, n + 1), min(tampered, n)))
    emp_id = org_id = 0
    step, next_report = max(1, n // 20), max(1, n // 20)
    for aid, size, agency_units in plan:
        # The predikat organisasi of each rated unit for each quarter.
        org = {}
        rows = []
        for idx, (uid, _path, _head, _staff, rated, _owner, _parent) in enumerate(agency_units):
            if not rated:
                continue
            for q in range(4):
                org[idx, q] = p = rng.choices(org_names, cum_weights=org_cum)[0]
                org_id += 1
                rows.append(f"{org_id}\t{STAMP}\t{STAMP}\t{uid}\t{aid * 4 - 3 + q}\t{p}\t\t{user.pk}")
        streams["performance_orgrating"].write("\n".join(rows) + "\n")

        # Staff spread at random over the agency's units (unit sizes vary as they do), heads one each.
        heads = sum(1 for u in agency_units if u[2])
        counts = [0] * len(agency_units)
        for _ in range(size - heads):
            counts[rng.randrange(len(agency_units))] += 1
        emp_rows, skp_rows, ass_rows = [], [], []
        head_emp = {}
        for idx, (uid, _path, head, staff, _rated, owner, parent_idx) in enumerate(agency_units):
            members = ([head] if head else []) + [staff[j % 2] for j in range(counts[idx])]
            for post in members:
                emp_id += 1
                is_head = post == head
                if is_head:
                    head_emp[idx] = emp_id
                boss_idx = parent_idx if is_head else (idx if head else parent_idx)
                boss_post = by_id[post][5]
                boss_emp = head_emp.get(boss_idx) if boss_post else None
                emp_rows.append(_employee_line(emp_id, aid, post, uid, by_id[post][8], rank_ids, s1))
                skp_rows.append(
                    f"{emp_id}\t{STAMP}\t{STAMP}\t{emp_id}\t{aid}\t{post}\t{uid}\t{'t' if by_id[post][8] == 'jpt' else 'f'}"
                    f"\tapproved\t1\t{NULL if boss_emp is None else boss_emp}\t{boss_post or NULL}"
                    f"\t{'' if boss_post else 'Kepala instansi'}\t{STAMP}\t{STAMP}\t"
                )
                for q in range(4):
                    if is_head:  # a unit head's result rating is the unit's predikat
                        res = rules.ORG_TO_RESULT_RATING_DEFAULT[org[idx, q]]
                        beh = ratings[_draw(rng, behaviour_cum)]
                    else:
                        pairs, cum = org_pairs[org[owner, q]]
                        res, beh = pairs[_draw(rng, cum)]
                    pred = rules.MATRIX[(res, beh)]
                    if q == 3 and emp_id in wrong:
                        pred = _other(rules, pred)
                    ass_rows.append(
                        f"{emp_id * 4 - 3 + q}\t{STAMP}\t{STAMP}\t{emp_id}\t{aid * 4 - 3 + q}\t{res}\t{beh}\t{{}}"
                        f"\t{pred}\tfinal\t{user.pk}\t{STAMP}\t"
                    )
        streams["personnel_employee"].write("\n".join(emp_rows) + "\n")
        streams["performance_skp"].write("\n".join(skp_rows) + "\n")
        streams["performance_assessment"].write("\n".join(ass_rows) + "\n")
        if emp_id >= next_report or emp_id == n:
            took = time.perf_counter() - t0
            print(
                f"  {emp_id:>10,} / {n:,} employees ({emp_id / n:4.0%}) with plans and {emp_id * 4:,} ratings, {took:6.1f} s",
                flush=True,
            )
            next_report += step
    stack.close()  # ends the four COPYs, then commits and closes their connections
    print(
        f"written: {emp_id:,} employees, {emp_id:,} SKP, {org_id:,} predikat organisasi, {emp_id * 4:,} ratings "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    t = time.perf_counter()
    conn.execute("SET maintenance_work_mem = '1GB'")
    _restore_indexes(cur, conn)
    for table in (
        "organization_agency",
        "organization_orgunit",
        "organization_position",
        "personnel_employee",
        "performance_performancesettings",
        "performance_performanceyear",
        "performance_period",
        "performance_orgrating",
        "performance_skp",
        "performance_assessment",
    ):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM (ANALYZE)")
    conn.close()
    print(f"indexes and constraints rebuilt, VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    print(f"generation total: {time.perf_counter() - t0:.1f} s")


# Predikat organisasi across units, and the employee ratings each one tends to produce (a unit's
# supervisor mostly follows its pattern, not always: some units break the curve, as they do).
ORG_WEIGHTS = {"istimewa": 15, "baik": 55, "butuh_perbaikan": 18, "kurang": 8, "sangat_kurang": 4}
PREDIKAT_WEIGHTS = {
    "istimewa": {"sangat_baik": 55, "baik": 37, "butuh_perbaikan": 4, "kurang": 3, "sangat_kurang": 1},
    "baik": {"sangat_baik": 8, "baik": 66, "butuh_perbaikan": 16, "kurang": 7, "sangat_kurang": 3},
    "butuh_perbaikan": {"sangat_baik": 4, "baik": 22, "butuh_perbaikan": 64, "kurang": 7, "sangat_kurang": 3},
    "kurang": {"sangat_baik": 3, "baik": 9, "butuh_perbaikan": 15, "kurang": 66, "sangat_kurang": 7},
    "sangat_kurang": {"sangat_baik": 0, "baik": 8, "butuh_perbaikan": 10, "kurang": 15, "sangat_kurang": 67},
}


def _pair_tables(rules):
    """For each predikat organisasi: the nine (result, behaviour) pairs and cumulative weights over them."""
    by_predikat = {}
    for pair, pred in rules.MATRIX.items():
        by_predikat.setdefault(pred, []).append(pair)
    out = {}
    for org, weights in PREDIKAT_WEIGHTS.items():
        pairs, w = [], []
        for pred, weight in weights.items():
            for pair in by_predikat[pred]:
                pairs.append(pair)
                w.append(weight / len(by_predikat[pred]))
        out[org] = (pairs, _cumulative(w))
    return out


def _cumulative(weights):
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _draw(rng, cum) -> int:
    x = rng.random()
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1


def _other(rules, pred: str) -> str:
    order = rules.PREDIKAT_ORDER
    return order[(order.index(pred) + 1) % len(order)]


_BASE = datetime.date(1965, 1, 1)


def _employee_line(i: int, agency_id: int, post: int, unit: int, ptype: str, rank_ids, s1: int) -> str:
    block, serial = divmod(i - 1, 999)
    birth = _BASE + datetime.timedelta(days=3 * block)  # one birth date per 999 NIPs: every NIP unique
    tmt_year = birth.year + 24 + i % 8
    tmt_month = 1 + i % 12
    gender = "M" if i % 2 else "F"
    nip = f"{birth:%Y%m%d}{tmt_year}{tmt_month:02d}{1 if gender == 'M' else 2}{serial + 1:03d}"
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
    rank = rank_ids["IV/b" if ptype == "jpt" else "III/d" if ptype == "administrator" else "III/a"]
    return (
        f"{i}\t{STAMP}\t{STAMP}\t{agency_id}\t{nip}\t\t{3100000000000000 + i}\t{name}\t\t\t{gender}\t\t{birth}"
        f"\tpns\tactive\t{tmt_year}-{tmt_month:02d}-01\t\t\t\\N\t{rank}\t{post}\t{unit}\t{ptype}\t{s1}"
        f"\t{birth.year + 58}-{birth.month:02d}-01"
    )


def _post(pid, agency, unit, parent, title, ptype, level, job_class, capacity) -> list:
    """A row of organization_position; its path is filled in once every post exists."""
    return [
        pid,
        STAMP,
        STAMP,
        agency,
        unit,
        parent,
        f"P{pid}",
        title,
        ptype,
        level,
        job_class,
        parent is None,
        None,
        capacity,
        None,
        True,
    ]


def _copy_rows(cur, table: str, columns: str, rows) -> None:
    with cur.copy(_copy_sql(table, columns)) as cp:
        for row in rows:
            cp.write_row(row)


_SAVED: list[tuple[str, str, str]] = []  # (table, kind, DDL) dropped before the load, restored after


def _drop_indexes(cur) -> None:
    """Drop the big tables' secondary indexes and their FK/unique constraints: building them once after the
    load is several times faster than maintaining them row by row. Primary keys stay."""
    for table in BIG_TABLES:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('f', 'u')",
            [table],
        )
        cons = cur.fetchall()
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        idxs = cur.fetchall()
        for name, definition in cons:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            _SAVED.append((table, "constraint", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
        for name, definition in idxs:
            cur.execute(f'DROP INDEX "{name}"')
            _SAVED.append((table, "index", definition))
    cur.connection.commit()


def _restore_indexes(cur, conn) -> None:
    for kind in ("index", "constraint"):  # unique constraints bring their index; FKs are validated here
        for _table, k, ddl in _SAVED:
            if k != kind:
                continue
            t = time.perf_counter()
            cur.execute(ddl)
            conn.commit()
            took = time.perf_counter() - t
            if took > 5:
                print(f"    {took:6.1f} s  {ddl[:110]}", flush=True)


# ---- measurement ---------------------------------------------------------------------------------


BASELINE = """
    SELECT s.unit_id, a.predikat, count(*)
    FROM performance_assessment a
    JOIN performance_skp s ON s.id = a.skp_id
    JOIN performance_period p ON p.id = a.period_id
    JOIN performance_performanceyear y ON y.id = p.perf_year_id
    WHERE p.is_final AND y.year = %s
    GROUP BY s.unit_id, a.predikat
"""


def measure(repeat: int, tampered: int, verify: int, seed: int, work_mem: str | None) -> None:
    import random
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from organization.models import Agency, OrgUnit
    from performance import closing
    from performance.models import Assessment, OrgRating, Period
    from performance.services.rating import unit_round

    with connection.cursor() as cur:
        if work_mem:
            cur.execute("SELECT set_config('work_mem', %s, false)", [work_mem])
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    final_ids = list(Period.objects.filter(is_final=True, perf_year__year=YEAR).values_list("pk", flat=True))
    rows = Assessment.objects.filter(period_id__in=final_ids).count()

    def baseline():
        with connection.cursor() as cur:
            cur.execute(BASELINE, [YEAR])
            return cur.fetchall()

    runs = {
        "(a) plain SQL aggregate (baseline)": baseline,
        "(b) curve_report_for_year: every unit's curve": lambda: closing.curve_report_for_year(YEAR),
        "(c) annual_predikat_check: matrix + mismatches": lambda: closing.annual_predikat_check(YEAR),
    }
    times = {label: [] for label in runs}
    in_sql = {label: [] for label in runs}  # the part spent executing queries, as Django timed them
    queries, results = {}, {}
    for _ in range(repeat):  # interleaved, so the three see the same cache state
        for label, fn in runs.items():
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                results[label] = fn()
                times[label].append(time.perf_counter() - t)
            queries[label] = len(ctx.captured_queries)
            in_sql[label].append(sum(float(q["time"]) for q in ctx.captured_queries))

    labels = list(runs)
    base = statistics.median(times[labels[0]])
    print(
        f"\nclosing {YEAR}: {Agency.objects.count():,} agencies, {OrgUnit.objects.count():,} units "
        f"({OrgRating.objects.filter(period_id__in=final_ids).count():,} with an annual predikat organisasi), "
        f"{rows:,} annual ratings; median of {repeat} runs, work_mem {work_mem}"
    )
    print(f"{'':50} {'time':>9} {'in SQL':>9} {'rows/s':>12} {'queries':>8} {'vs (a)':>8}")
    for label in labels:
        t, q = statistics.median(times[label]), statistics.median(in_sql[label])
        print(f"{label:50} {t:8.3f}s {q:8.3f}s {rows / t:>12,.0f} {queries[label]:>8} {t / base:>7.2f}×")
    # Agency monitoring: the same function for one agency's annual period (the middle one by id).
    one = Period.objects.filter(pk__in=final_ids).order_by("pk")[len(final_ids) // 2]
    one_times = []
    for _ in range(repeat + 1):  # the first call warms that agency's pages; not counted
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            one_report = closing.curve_report(one)
            one_times.append(time.perf_counter() - t)
    print(
        f"\n(b) for one agency ({len(one_report):,} rated units, {sum(c.size for c in one_report):,} people on a curve): "
        f"curve_report(its annual period) {statistics.median(one_times[1:]) * 1000:.0f} ms, "
        f"{len(ctx.captured_queries)} queries"
    )
    curves = results[labels[1]]
    broken = sum(1 for c in curves if c.broken)
    pending = sum(1 for c in curves if not c.ok and not c.broken)
    covered = sum(c.size for c in curves)
    check = results[labels[2]]
    print(
        f"(b) {len(curves):,} units checked: {len(curves) - broken - pending:,} within the curve, {broken:,} breaking it, "
        f"{pending:,} pending; {covered:,} of {rows:,} people on a curve (the rest lead a rated unit)"
    )
    print(
        f"(c) {check.rows:,} annual predikat recomputed: "
        + ", ".join(f"{p} {n:,}" for p, n in check.counts.items())
        + f"; {len(check.mismatches):,} stored otherwise (planted: {tampered:,})"
    )

    # The figures mean something only if the bulk curve is the unit screen's: compare a sample.
    sample = random.Random(seed).sample(curves, min(verify, len(curves)))
    periods = {p.pk: p for p in Period.objects.filter(pk__in=final_ids).select_related("perf_year")}
    units = OrgUnit.objects.in_bulk([c.unit_id for c in sample])
    for c in sample:
        rnd = unit_round(units[c.unit_id], periods[c.period_id])
        given = dict(Counter(a.predikat for a in rnd.assessments.values()))
        assert (c.size, c.counts, c.check) == (len(rnd.skps), given, rnd.check), c.unit_id
    if sample:
        print(f"(b) agrees with rating.unit_round on {len(sample)} sampled units (size, counts, every curve line)")


if __name__ == "__main__":
    main()
