"""Demo public service: service units in the seed agencies (puskesmas, Dukcapil, licensing, Samsat),
complaints in every state filed, classified (keluhan, sengketa, pelanggaran, permintaan informasi, aspirasi)
and handled through the real services over the past months (so the clocks, escalations and history are
real), and one SKM campaign per unit with responses."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.access import SYSTEM
from core.audit import Entry, audit_log
from publicservice import rules, services
from publicservice.models import Complaint, ServiceUnit, SurveyCampaign, SurveyPoint, SurveyResponse

UNITS = [
    ("Puskesmas Kedaton", "Pelayanan kesehatan dasar, imunisasi, KIA", 9000),
    ("Dinas Kependudukan dan Pencatatan Sipil", "KTP-el, KK, akta kelahiran", 25000),
    ("Dinas Penanaman Modal dan PTSP", "Perizinan berusaha, PBG", 4000),
    ("RSUD — Instalasi Rawat Jalan", "Poliklinik, farmasi, pendaftaran", 30000),
]
# (kind the citizen chose, class the verifier gives, title, text)
TOPICS = [
    (
        "complaint",
        "grievance",
        "Antrean obat sangat lama",
        "Antrean di loket farmasi lebih dari tiga jam tanpa nomor antrean yang jelas.",
    ),
    (
        "complaint",
        "violation",
        "Petugas meminta biaya tambahan",
        "Saat mengurus dokumen saya diminta membayar biaya di luar tarif resmi tanpa kuitansi.",
    ),
    (
        "information",
        "information",
        "Syarat pembuatan akta kelahiran",
        "Mohon informasi dokumen apa saja yang diperlukan untuk akta kelahiran anak kedua.",
    ),
    (
        "aspiration",
        "aspiration",
        "Usul layanan pada hari Sabtu",
        "Mohon layanan dibuka hari Sabtu pagi karena banyak warga bekerja pada hari kerja.",
    ),
    (
        "complaint",
        "grievance",
        "Blangko KTP-el kosong",
        "Sudah dua bulan KTP-el belum dicetak dengan alasan blangko habis, mohon kejelasan.",
    ),
    (
        "complaint",
        "grievance",
        "Ruang tunggu panas dan sempit",
        "Kipas angin rusak dan kursi ruang tunggu tidak cukup sehingga banyak lansia berdiri.",
    ),
    (
        "complaint",
        "dispute",
        "Retribusi izin ditagih dua kali",
        "Retribusi izin usaha saya ditagih dua kali dan keberatan tertulis saya belum dijawab sampai sekarang.",
    ),
]


def _answers(rng: random.Random, mood: float) -> dict[str, int]:
    out = {}
    for code in rules.CODES:
        x = mood + rng.uniform(-0.8, 0.8) - (0.6 if code in ("U3", "U9") else 0)
        out[code] = max(1, min(4, round(x)))
    return out


def seed(*, seed: int = 2026) -> dict:
    from organization.models import Agency, OrgUnit

    if ServiceUnit.objects.exists():
        return {}
    rng = random.Random(seed * 19)
    now = timezone.now()
    counts = {"units": 0, "complaints": 0, "responses": 0}
    with transaction.atomic():
        for agency in Agency.objects.filter(code__in=["PROV-18", "KAB-15.09", "KAB-17.08", "PROV-75"]).order_by("code"):
            org_units = list(OrgUnit.objects.filter(agency=agency, depth__lte=1).order_by("path"))
            units = []
            for name, services_text, population in UNITS:
                units.append(
                    ServiceUnit.objects.create(
                        agency=agency,
                        org_unit=rng.choice(org_units) if org_units else None,
                        name=f"{name} {agency.name.replace('Pemerintah ', '')}"[:200],
                        services=services_text,
                        population=population,
                    )
                )
            counts["units"] += len(units)
            for _i in range(14):
                unit = rng.choice(units)
                kind, classification, title, text = rng.choice(TOPICS)
                filed = now - datetime.timedelta(days=rng.randint(2, 120), hours=rng.randint(0, 8))
                complaint, key = services.complaint_submit(
                    kind=kind,
                    unit=unit,
                    title=title,
                    description=text,
                    confidentiality=rng.choice(["public", "public", "public", "anonymous", "confidential"]),
                    reporter_name=rng.choice(["Siti Rahma", "Budi Santoso", "Yohanes Kii", "Made Wirawan", ""]),
                    reporter_contact=rng.choice(["", "warga@example.org"]),
                    location=unit.name,
                    now=filed,
                )
                Complaint.objects.filter(pk=complaint.pk).update(created_at=filed)  # received then, not now
                counts["complaints"] += 1
                fate = rng.random()
                if fate < 0.15:
                    continue  # still waiting for verification (some of them overdue)
                step = filed + datetime.timedelta(hours=rng.randint(4, 90))
                if fate < 0.22:
                    services.complaint_reject(
                        actor=SYSTEM, complaint=complaint, reason="Laporan tidak dapat dipahami.", now=step
                    )
                    continue
                services.complaint_forward(actor=SYSTEM, complaint=complaint, classification=classification, now=step)
                if fate < 0.35:
                    continue  # with the unit, clock running
                step += datetime.timedelta(days=rng.randint(1, 20))
                services.complaint_progress(
                    actor=SYSTEM, complaint=complaint, note="Sedang diperiksa oleh unit.", now=step
                )
                if fate < 0.45:
                    continue
                step += datetime.timedelta(days=rng.randint(0, 6))
                services.complaint_respond(
                    actor=SYSTEM,
                    complaint=complaint,
                    text="Terima kasih. Kami telah menindaklanjuti laporan Anda.",
                    now=step,
                )
                if rng.random() < 0.7:
                    services.complaint_rate(
                        code=complaint.tracking_code, key=key, rating=rng.choice([2, 3, 4, 4, 5, 5]), now=step
                    )
                if fate > 0.6:
                    services.complaint_close(
                        actor=SYSTEM,
                        complaint=complaint,
                        outcome="Tindak lanjut selesai.",
                        now=step + datetime.timedelta(days=2),
                    )
            for unit in units:
                start = datetime.date(now.year, 7, 1)
                for label, begin, end, mood in (
                    (
                        "Semester I",
                        datetime.date(now.year, 1, 1),
                        datetime.date(now.year, 6, 30),
                        rng.uniform(2.7, 3.4),
                    ),
                    ("Semester II", start, datetime.date(now.year, 12, 31), rng.uniform(2.9, 3.7)),
                ):
                    campaign = SurveyCampaign.objects.create(
                        unit=unit, name=f"{label} {now.year}", starts_on=begin, ends_on=end, population=unit.population
                    )
                    desk = SurveyPoint.objects.create(campaign=campaign, label="Loket 1")
                    rows = []
                    for n in range(rng.randint(60, 180)):
                        day = begin + datetime.timedelta(
                            days=rng.randint(0, max(0, min((end - begin).days, (now.date() - begin).days)))
                        )
                        rows.append(
                            SurveyResponse(
                                campaign=campaign,
                                point=desk if n % 3 == 0 else None,
                                **{c.lower(): v for c, v in _answers(rng, mood).items()},
                                age_band=rng.choice([b for b, _l in SurveyResponse.AGE_BANDS]),
                                gender=rng.choice("MF"),
                                education=rng.choice([e for e, _l in SurveyResponse.EDUCATION]),
                                occupation=rng.choice([o for o, _l in SurveyResponse.OCCUPATION]),
                                device=services.digest(f"demo-{campaign.pk}-{n}", "survey-device"),
                                day=day,
                            )
                        )
                    SurveyResponse.objects.bulk_create(rows)
                    counts["responses"] += len(rows)
        audit_log(
            actor=None, entry=Entry("demo.seed_publicservice", "demo", str(seed), "seed_demo", None, None, counts)
        )
    return counts
