"""Demo competency development for the seed agencies: technical competencies, position standards,
assessment results, a catalogue with a past and a coming batch of each programme (finished ones completed
through the real services, so the JP ledger and certificates exist; coming ones with free seats for the
optimiser), budgets that leave money for them, some external learning and evaluations."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.access import SYSTEM
from core.audit import Entry, audit_log
from learning import rules, services
from learning.choices import EnrollmentStatus
from learning.models import (
    Competency,
    CompetencyAssessment,
    CompetencyLevel,
    CompetencyStandard,
    Enrollment,
    Program,
    ProgramCompetency,
    TrainingBudget,
    TrainingEvent,
)
from learning.selectors import counts_in_year

TECHNICAL = [
    ("T-SDM", "Manajemen SDM Aparatur", "Kepegawaian"),
    ("T-KEU", "Pengelolaan Keuangan Daerah", "Keuangan"),
    ("T-TIK", "Tata Kelola Teknologi Informasi", "Teknologi informasi"),
    ("T-YAN", "Standar Pelayanan Publik", "Pelayanan"),
]
# Required managerial level by position type: a common default in agencies' dictionaries (U in RULES.md).
REQUIRED = {"jpt": 4, "administrator": 3, "pengawas": 2}
PROGRAMS = [
    # code, title, jp, modality, provider, cost, targets {code: level}
    (
        "PKP",
        "Pelatihan Kepemimpinan Pengawas (materi inti)",
        40,
        "blended",
        "BPSDM Provinsi",
        4_500_000,
        {"M4": 3, "M8": 3, "M2": 3},
    ),
    (
        "PKA",
        "Pelatihan Kepemimpinan Administrator (materi inti)",
        48,
        "blended",
        "LAN RI",
        7_500_000,
        {"M7": 4, "M8": 4, "M6": 4},
    ),
    ("INT", "Penguatan Integritas dan Antikorupsi", 12, "classical", "Inspektorat Daerah", 600_000, {"M1": 3}),
    ("YAN", "Pelayanan Prima", 16, "classical", "BPSDM Provinsi", 900_000, {"M5": 3, "T-YAN": 3}),
    ("KOM", "Komunikasi Efektif dan Public Speaking", 12, "classical", "BPSDM Provinsi", 750_000, {"M3": 3}),
    ("SDM", "Manajemen Talenta dan Sistem Merit", 24, "blended", "BKN", 1_800_000, {"T-SDM": 3}),
    ("KEU", "Penatausahaan Keuangan Daerah", 24, "classical", "BPKP", 1_500_000, {"T-KEU": 3}),
    ("TIK", "Tata Kelola SPBE", 20, "elearning", "Kementerian PANRB", 400_000, {"T-TIK": 3}),
    ("BER", "Orientasi Nilai Dasar BerAKHLAK", 10, "elearning", "ASN Corporate University", 0, {}),
    ("KBS", "Wawasan Kebangsaan", 8, "seminar", "Badan Kesbangpol", 150_000, {"SK1": 2}),
]


def _technical(agency) -> dict[str, Competency]:
    out = {}
    for code, name, family in TECHNICAL:
        comp = Competency.objects.create(
            kind="technical", code=code, name=name, agency=agency, family=family, max_level=4
        )
        CompetencyLevel.objects.bulk_create(
            CompetencyLevel(competency=comp, level=k, description=f"{name}: level {k}") for k in range(1, 5)
        )
        out[code] = comp
    return out


def seed(*, seed: int = 2026) -> dict:
    from organization.models import Agency, Position
    from personnel.models import Employee

    if Program.objects.exists():
        return {}
    rng = random.Random(seed * 17)
    today = timezone.localdate()
    with transaction.atomic():
        national = {c.code: c for c in Competency.objects.filter(agency=None)}
        programs = {}
        for code, title, jp, modality, provider, cost, _targets in PROGRAMS:
            programs[code] = Program.objects.create(
                code=code,
                title=title,
                jp=Decimal(jp),
                modality=modality,
                provider=provider,
                cost_per_participant=Decimal(cost),
                has_tests=modality != "elearning",
            )
        counts = {"standards": 0, "results": 0, "completed": 0}
        for agency in Agency.objects.filter(code__in=["PROV-18", "KAB-15.09", "KAB-17.08", "PROV-75"]).order_by("code"):
            technical = _technical(agency)
            comps = {**national, **technical}
            for code, *_spec, targets in PROGRAMS:
                for comp_code, level in targets.items():
                    ProgramCompetency.objects.get_or_create(
                        program=programs[code], competency=comps[comp_code], defaults={"level": level}
                    )
            standards = []
            for pos in Position.objects.filter(agency=agency).only("pk", "position_type", "title"):
                managerial = REQUIRED.get(pos.position_type, 1)
                for code in [f"M{i}" for i in range(1, 9)]:
                    standards.append(
                        CompetencyStandard(position=pos, competency=national[code], required_level=managerial)
                    )
                standards.append(
                    CompetencyStandard(
                        position=pos, competency=national["SK1"], required_level=min(3, max(1, managerial - 1))
                    )
                )
                for code in rng.sample(list(technical), 1):
                    standards.append(
                        CompetencyStandard(position=pos, competency=technical[code], required_level=rng.choice([2, 3]))
                    )
            CompetencyStandard.objects.bulk_create(standards)
            counts["standards"] += len(standards)
            required = {}
            for s in standards:
                required.setdefault(s.position_id, []).append((s.competency_id, s.required_level))
            staff = list(
                Employee.objects.filter(agency=agency, status="active").only(
                    "pk", "current_position_id", "employee_type"
                )
            )
            results = []
            for e in staff:
                if rng.random() > 0.6:
                    continue  # not assessed yet
                on = today - datetime.timedelta(days=rng.randint(20, 500))
                source = rng.choice(["assessment_centre", "cact", "cact", "supervisor"])
                for comp_id, level in required.get(e.current_position_id, ()):
                    held = max(1, min(level + rng.choice([-2, -1, -1, 0, 0, 0, 1]), 5))
                    results.append(
                        CompetencyAssessment(
                            employee_id=e.pk, competency_id=comp_id, level=held, source=source, assessed_on=on
                        )
                    )
            CompetencyAssessment.objects.bulk_create(results, batch_size=5000)
            counts["results"] += len(results)
            events = []
            for code in programs:
                for batch in range(2):
                    # Whatever today is: a first batch in the ten months before (done and booked) and a second
                    # one in the coming weeks, within this year while the year has weeks left (open for the
                    # allocation of this year's budget).
                    if batch == 0:
                        start = today - datetime.timedelta(days=rng.randint(10, 300))
                    else:
                        ahead = (datetime.date(today.year, 12, 24) - today).days
                        start = today + datetime.timedelta(days=rng.randint(3, ahead if ahead >= 10 else 60))
                    length = 0 if programs[code].modality == "elearning" else rng.randint(2, 5)
                    events.append(
                        TrainingEvent.objects.create(
                            program=programs[code],
                            agency=agency,
                            name=f"Angkatan {batch + 1}",
                            starts_on=start,
                            ends_on=start + datetime.timedelta(days=length),
                            place=f"BPSDM {agency.name}"[:200],
                            capacity=rng.choice([20, 30, 40]),
                        )
                    )
            for ev in events:
                if ev.ends_on >= today:
                    continue
                for e in rng.sample(staff, min(len(staff), rng.randint(ev.capacity // 2, ev.capacity))):
                    if e.employee_type == "pppk" and rng.random() < 0.7:
                        continue
                    enrolled = Enrollment.objects.create(
                        event=ev,
                        employee_id=e.pk,
                        status=EnrollmentStatus.ENROLLED,
                        cost=ev.program.cost_per_participant,
                    )
                    passed = rng.random() < 0.9
                    post = (
                        Decimal(rng.randint(70, 98) if passed else rng.randint(30, 55))
                        if ev.program.has_tests
                        else None
                    )
                    pre = Decimal(rng.randint(35, 70)) if ev.program.has_tests else None
                    services.enrollment_complete(
                        actor=SYSTEM, enrollment=enrolled, pre_score=pre, post_score=post, completed_on=ev.ends_on
                    )
                    counts["completed"] += 1
            _budgets(agency, events, today, rng)
        audit_log(actor=None, entry=Entry("demo.seed_learning", "demo", str(seed), "seed_demo", None, None, counts))
    return counts


def _budgets(agency, events, today: datetime.date, rng: random.Random) -> None:
    """A ceiling per year that covers what the year's past batches spent and about 40 % of the seats still
    open, so that the allocation page has money to place and the budget report is not overdrawn."""
    from django.db.models import Sum

    for year in sorted({rules.budget_year(ev.ends_on) for ev in events} | {today.year}):
        spent = Enrollment.objects.filter(counts_in_year(year), event__agency=agency).aggregate(s=Sum("cost"))[
            "s"
        ] or Decimal(0)
        open_seats = sum(
            ev.program.cost_per_participant * ev.capacity
            for ev in events
            if rules.budget_year(ev.ends_on) == year and ev.starts_on > today
        )
        reserve = Decimal("0.4") * open_seats + rng.choice([10, 20, 30]) * 1_000_000
        amount = -(-(spent + reserve) // 10_000_000) * 10_000_000  # up to whole ten millions
        TrainingBudget.objects.create(agency=agency, year=year, amount=max(amount, Decimal(50_000_000)))
