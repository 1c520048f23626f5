"""Deterministic demo data for the performance cycle, in bulk: for each seed agency a closed 2025 year
with annual predikat and an open 2026 year whose first three quarters are rated and final, plans
cascaded down the position tree, IKU, coaching plans and angka kredit. One audit record per run."""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.access import SYSTEM
from core.audit import Entry, audit_log
from core.bulk import build, bulk_insert
from organization.models import Agency, OrgUnit
from performance import rules
from performance.models import (
    Assessment,
    CoachingPlan,
    CreditPoint,
    OrgRating,
    PerformanceYear,
    Rhk,
    RhkIndicator,
    Skp,
    SkpVersion,
)
from performance.services.setup import indicator_create, year_open
from personnel.models import Employee
from personnel.supervision import agency_snapshot

DEMO_DAY = datetime.date(2026, 10, 15)  # the day the demo's 2026 stands at: Q1–Q3 rated, Q4 running
# How the seeded plans stand in 2026 (the rest are approved).
NOT_STARTED, DRAFT, SUBMITTED = 0.06, 0.06, 0.05
# Ratings drawn per employee: (result, behaviour) with weights that mostly respect a "Baik" curve.
RATING_WEIGHTS = [
    ((rules.MEETS, rules.MEETS), 55),
    ((rules.ABOVE, rules.MEETS), 8),
    ((rules.ABOVE, rules.ABOVE), 14),
    ((rules.BELOW, rules.MEETS), 14),
    ((rules.MEETS, rules.BELOW), 5),
    ((rules.BELOW, rules.BELOW), 4),
]
ORG_WEIGHTS = [(rules.ISTIMEWA, 15), (rules.BAIK, 70), (rules.BUTUH_PERBAIKAN, 15)]
FUNCTIONAL = ("fungsional_keahlian", "fungsional_keterampilan")


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights, k=1)[0]


def seed(*, seed: int = 2026, agencies=None, out=None) -> dict:
    """Seed the performance years of the given agencies (default: every agency). Returns counts."""
    rng = random.Random(seed * 7 + 3)
    agencies = list(agencies if agencies is not None else Agency.objects.order_by("code"))
    counts: Counter = Counter()
    with transaction.atomic():
        for agency in agencies:
            if PerformanceYear.objects.filter(agency=agency).exists():
                continue
            _seed_agency(agency, rng, counts)
            if out:
                out.write(f"kinerja      {agency.short_name or agency.name}: {counts['skps']:,} SKP (kumulatif)\n")
        audit_log(
            actor=None,
            entry=Entry("demo.seed_performance", "demo", str(seed), "seed_demo", None, None, dict(counts)),
        )
    return dict(counts)


def _seed_agency(agency: Agency, rng: random.Random, counts: Counter) -> None:
    snap = agency_snapshot(agency.pk, DEMO_DAY)
    employees = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=list(snap.definitive), status="active").select_related(
            "current_position", "current_unit"
        )
    }
    sup = {}
    for emp_id in employees:
        link = snap.supervisor_of(emp_id)
        sup[emp_id] = link.employee_id if link.employee_id in employees else None
    # Parents before children: by the depth of the post in the tree.
    order = sorted(employees, key=lambda i: (employees[i].current_position.path.count("/"), i))
    top_units = {u.pk: u for u in OrgUnit.objects.filter(agency=agency, depth=0).order_by("code")}  # not by path: ids vary
    # Demo logins get an approved plan, and each demo supervisor one plan waiting for approval.
    with_login = set(Employee.objects.filter(agency=agency, user__isnull=False).values_list("pk", flat=True))

    for year in (2025, 2026):
        py = year_open(actor=SYSTEM, agency=agency, year=year)
        periods = list(py.periods.order_by("number"))
        ikus = [
            indicator_create(actor=SYSTEM, perf_year=py, unit=None, code="IKU-1", name="Indeks Profesionalitas ASN", measure="indeks", annual_target=Decimal("75")),
            indicator_create(actor=SYSTEM, perf_year=py, unit=None, code="IKU-2", name="Indeks Kepuasan Masyarakat", measure="indeks", annual_target=Decimal("85")),
        ]
        current = year == 2026
        skps, rhk_of = _plans(py, order, employees, sup, ikus, rng, current, counts, agency.head_title, with_login)
        if current:
            rated_periods = [p for p in periods if p.end < DEMO_DAY]
        else:
            rated_periods = [periods[-1]]
        _ratings(rated_periods, skps, employees, top_units, snap.positions, rng, counts)
        if not current:
            py.closed_at = timezone.make_aware(datetime.datetime(2026, 1, 31, 16, 0))
            py.save(update_fields=["closed_at"])


def _plans(py, order, employees, sup, ikus, rng, current, counts, head_title, with_login):
    skps: dict[int, Skp] = {}
    rhk_of: dict[int, Rhk] = {}
    waiting_for = set()  # demo supervisors who already have a plan waiting
    levels = defaultdict(list)
    for emp_id in order:
        levels[employees[emp_id].current_position.path.count("/")].append(emp_id)
    for depth in sorted(levels):
        batch, plans = [], []
        for emp_id in levels[depth]:
            e = employees[emp_id]
            pos = e.current_position
            is_jpt = pos.position_type == "jpt"
            parent = sup.get(emp_id)
            if not is_jpt and parent is not None and parent not in rhk_of:
                continue  # the supervisor has no plan yet: this one cannot cascade either
            roll = rng.random() if current else 1.0
            if emp_id in with_login:
                roll = 1.0
            elif current and parent in with_login and parent not in waiting_for:
                waiting_for.add(parent)
                roll = NOT_STARTED + DRAFT
            if roll < NOT_STARTED:
                continue
            status = (
                "draft"
                if roll < NOT_STARTED + DRAFT
                else "submitted"
                if roll < NOT_STARTED + DRAFT + SUBMITTED
                else "approved"
            )
            skp = build(
                Skp,
                employee_id=emp_id,
                perf_year_id=py.pk,
                position_id=pos.pk,
                unit_id=pos.unit_id,
                is_jpt=is_jpt,
                status=status,
                assessor_id=parent,
                submitted_at=None if status == "draft" else timezone.make_aware(datetime.datetime(py.year, 1, 20, 9)),
                approved_at=timezone.make_aware(datetime.datetime(py.year, 1, 27, 9)) if status == "approved" else None,
                assessor_external="" if parent else (head_title if pos.reports_to_head else ""),
            )
            batch.append(skp)
            plans.append((emp_id, skp))
        bulk_insert(Skp, batch)
        rhks = []
        for emp_id, skp in plans:
            e = employees[emp_id]
            skps[emp_id] = skp
            parent = sup.get(emp_id)
            rhk = build(
                Rhk,
                skp_id=skp.pk,
                text=f"Terlaksananya tugas {e.current_position.title} secara tepat waktu dan akuntabel",
                supports_id=rhk_of[parent].pk if (not skp.is_jpt and parent is not None) else None,
                indicator_id=ikus[0].pk if skp.is_jpt else None,
                order=1,
            )
            rhks.append((emp_id, rhk))
        bulk_insert(Rhk, [r for _e, r in rhks])
        inds, versions = [], []
        for emp_id, rhk in rhks:
            rhk_of[emp_id] = rhk
            inds.append(build(RhkIndicator, rhk_id=rhk.pk, aspect="quantity", text="Jumlah keluaran yang diselesaikan", target="100%"))
            inds.append(build(RhkIndicator, rhk_id=rhk.pk, aspect="time", text="Ketepatan waktu penyelesaian", target="12 bulan"))
            skp = skps[emp_id]
            if skp.status == "approved":
                versions.append(
                    build(
                        SkpVersion,
                        skp_id=skp.pk,
                        version=1,
                        content={"version": 1, "rhk": [{"text": rhk.text, "indicators": [["quantity", "100%"], ["time", "12 bulan"]]}]},
                        approved_at=skp.approved_at,
                    )
                )
        bulk_insert(RhkIndicator, inds)
        bulk_insert(SkpVersion, versions)
        counts["skps"] += len(plans)
    return skps, rhk_of


def _ratings(periods, skps, employees, top_units, positions, rng, counts):
    approved = [emp_id for emp_id, s in skps.items() if s.status == "approved"]
    emp_of = {s.pk: emp_id for emp_id, s in skps.items()}

    def leads_top_unit(pos) -> bool:
        parent = positions.get(pos.parent_id) if pos.parent_id else None
        return pos.unit_id in top_units and (parent is None or parent.unit_id != pos.unit_id)

    for period in periods:
        org = {}
        for unit_id in top_units:
            org[unit_id] = build(OrgRating, unit_id=unit_id, period_id=period.pk, predikat=_pick(rng, ORG_WEIGHTS), note="Capaian rencana aksi triwulan")
        bulk_insert(OrgRating, list(org.values()))
        assessments = []
        for emp_id in approved:
            e, skp = employees[emp_id], skps[emp_id]
            result, behaviour = _pick(rng, RATING_WEIGHTS)
            if leads_top_unit(e.current_position):  # the head's result rating is the unit's predikat
                result = rules.ORG_TO_RESULT_RATING_DEFAULT[org[e.current_position.unit_id].predikat]
            finalized = timezone.make_aware(datetime.datetime.combine(period.end + datetime.timedelta(days=10), datetime.time(10)))
            assessments.append(
                build(
                    Assessment,
                    skp_id=skp.pk,
                    period_id=period.pk,
                    result_rating=result,
                    behaviour_rating=behaviour,
                    predikat=rules.predikat(result, behaviour),
                    status="final",
                    finalized_at=finalized,
                    curve_justification="",
                )
            )
        bulk_insert(Assessment, assessments)
        counts["assessments"] += len(assessments)
        low = [a for a in assessments if a.predikat in (rules.BUTUH_PERBAIKAN, rules.KURANG, rules.SANGAT_KURANG)]
        plans = [build(CoachingPlan, assessment_id=a.pk, employee_id=emp_of[a.skp_id], status="open", goal="Mencapai target RHK periode berikutnya") for a in low]
        bulk_insert(CoachingPlan, plans)
        counts["coaching"] += len(plans)
        if period.is_final:
            cps = []
            for a in assessments:
                emp_id = emp_of[a.skp_id]
                pos = employees[emp_id].current_position
                koef = rules.AK_KOEFISIEN_DEFAULT.get(pos.level)
                if pos.position_type in FUNCTIONAL and koef:
                    cps.append(
                        build(
                            CreditPoint,
                            assessment_id=a.pk,
                            employee_id=emp_id,
                            level=pos.level,
                            koefisien=Decimal(str(koef)),
                            percent=rules.AK_PERCENT[a.predikat],
                            months=12,
                            amount=Decimal(str(rules.credit_points(a.predikat, koef))),
                        )
                    )
            bulk_insert(CreditPoint, cps)
            counts["credit_points"] += len(cps)

