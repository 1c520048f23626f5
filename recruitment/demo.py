"""Demo selection: a published CPNS 2026 period with formations in the seed agencies, and the demo
applicant's profile. One audit record per run."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.access import SYSTEM
from core.audit import Entry, audit_log
from organization.models import Agency, OrgUnit
from personnel.models import EducationLevel
from recruitment.models import Applicant, RecruitmentPeriod
from recruitment.services import formation_create

TITLES = [
    ("Analis Sumber Daya Manusia Aparatur", "S1", "Psikologi, Manajemen SDM, Administrasi Negara"),
    ("Perawat Terampil", "D3", "D-III Keperawatan"),
    ("Dokter Ahli Pertama", "S1", "Pendidikan Dokter / Profesi Dokter"),
    ("Guru Ahli Pertama", "S1", "Pendidikan (sesuai mata pelajaran)"),
    ("Pranata Komputer Ahli Pertama", "S1", "Teknik Informatika, Sistem Informasi, Ilmu Komputer"),
    ("Penata Kelola Pemerintahan", "S1", "Ilmu Pemerintahan, Administrasi Publik"),
]


def seed(*, seed: int = 2026) -> dict:
    rng = random.Random(seed * 11)
    if RecruitmentPeriod.objects.filter(kind="cpns", year=2026).exists():
        return {}
    with transaction.atomic():
        opens = timezone.make_aware(datetime.datetime(2026, 11, 1, 8, 0))
        period = RecruitmentPeriod.objects.create(
            kind="cpns",
            year=2026,
            name="Seleksi CPNS 2026",
            registration_opens=opens,
            registration_closes=timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 59)),
            published_at=opens,
        )
        levels = {e.code: e for e in EducationLevel.objects.all()}
        n = 0
        for agency in Agency.objects.filter(code__in=["PROV-18", "KAB-15.09", "KAB-17.08", "PROV-75"]).order_by("code"):
            units = list(OrgUnit.objects.filter(agency=agency, depth=0).order_by("path"))
            for title, edu, majors in TITLES:
                unit = rng.choice(units)
                quotas = {"umum": rng.randint(1, 6)}
                if rng.random() < 0.5:
                    quotas["cumlaude"] = 1
                if rng.random() < 0.4:
                    quotas["disabilitas"] = 1
                if agency.province.code in ("91", "92", "93", "94", "95", "96"):
                    quotas["papua"] = 1
                formation_create(
                    actor=SYSTEM,
                    period=period,
                    agency=agency,
                    unit=unit,
                    position_title=title,
                    education=[levels[edu]],
                    quotas=quotas,
                    education_majors=majors,
                )
                n += 1
        from accounts.models import User

        user = User.objects.filter(username="pelamar.demo").first()
        if user is not None and not hasattr(user, "applicant"):
            Applicant.objects.create(
                user=user,
                nik="1871015505990001",
                name=user.full_name or "Pelamar Demo",
                birth_date=datetime.date(1999, 5, 15),
                education=levels["S1"],
            )
        audit_log(actor=None, entry=Entry("demo.seed_recruitment", "demo", str(seed), "seed_demo", None, None, {"formations": n}))
    return {"formations": n}
