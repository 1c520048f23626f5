"""Demo CAT: a practice question bank, a test site in Bandar Lampung with its operator, yesterday's
session already sat (answers saved through the real services, so the log and receipts verify and the
item analysis has data) and today's session open with participants checked in under one demo PIN."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker.providers.person.id_ID import Provider as Names

from accounts.access import SYSTEM
from core.audit import Entry, audit_log
from exams import operations, rules, services
from exams.models import ExamRoom, ExamSession, ExamSite, Option, Participant, Question, SheetItem

DEMO_PIN = "246810"
OPERATOR = "operator.cat"

TWK = [
    (
        "Sila keempat Pancasila berbunyi …",
        "Kerakyatan yang dipimpin oleh hikmat kebijaksanaan dalam permusyawaratan/perwakilan",
        [
            "Kemanusiaan yang adil dan beradab",
            "Persatuan Indonesia",
            "Keadilan sosial bagi seluruh rakyat Indonesia",
            "Ketuhanan Yang Maha Esa",
        ],
    ),
    (
        "Lambang sila ketiga Pancasila adalah …",
        "Pohon beringin",
        ["Rantai", "Bintang", "Kepala banteng", "Padi dan kapas"],
    ),
    (
        "Semboyan Bhinneka Tunggal Ika berasal dari kitab …",
        "Sutasoma",
        ["Negarakertagama", "Pararaton", "Arjunawiwaha", "Bharatayudha"],
    ),
    (
        "Kedaulatan berada di tangan rakyat dan dilaksanakan menurut UUD diatur dalam UUD 1945 pasal …",
        "Pasal 1 ayat (2)",
        ["Pasal 1 ayat (3)", "Pasal 2 ayat (1)", "Pasal 3 ayat (1)", "Pasal 4 ayat (1)"],
    ),
    (
        "Negara Indonesia ialah negara hukum ditegaskan dalam UUD 1945 pasal …",
        "Pasal 1 ayat (3)",
        ["Pasal 1 ayat (1)", "Pasal 27 ayat (1)", "Pasal 28D ayat (1)", "Pasal 24 ayat (1)"],
    ),
    (
        "Sumpah Pemuda diikrarkan pada tanggal …",
        "28 Oktober 1928",
        ["20 Mei 1908", "17 Agustus 1945", "1 Juni 1945", "10 November 1945"],
    ),
    (
        "Rumusan Pancasila disampaikan Ir. Soekarno dalam sidang BPUPKI pada tanggal …",
        "1 Juni 1945",
        ["29 Mei 1945", "22 Juni 1945", "18 Agustus 1945", "31 Mei 1945"],
    ),
    (
        "Nilai dasar ASN BerAKHLAK yang berarti berorientasi pada pelayanan adalah …",
        "Berorientasi Pelayanan",
        ["Kompeten", "Harmonis", "Adaptif", "Loyal"],
    ),
    (
        "Lembaga negara yang berwenang menguji undang-undang terhadap UUD 1945 adalah …",
        "Mahkamah Konstitusi",
        ["Mahkamah Agung", "Komisi Yudisial", "Dewan Perwakilan Rakyat", "Majelis Permusyawaratan Rakyat"],
    ),
    ("Bahasa negara ditetapkan dalam UUD 1945 pasal …", "Pasal 36", ["Pasal 35", "Pasal 36A", "Pasal 36B", "Pasal 32"]),
    (
        "Wawasan nusantara sebagai konsepsi kewilayahan dikukuhkan melalui …",
        "Deklarasi Djuanda 1957",
        [
            "Dekrit Presiden 1959",
            "Konferensi Meja Bundar 1949",
            "Perjanjian Linggarjati 1947",
            "Konferensi Asia Afrika 1955",
        ],
    ),
    (
        "Organisasi Budi Utomo berdiri pada tanggal …",
        "20 Mei 1908",
        ["28 Oktober 1928", "16 Oktober 1905", "25 Desember 1912", "3 Juli 1922"],
    ),
]

TKP = [
    "Seorang warga datang ke loket Anda sepuluh menit sebelum layanan tutup dengan berkas yang belum lengkap. Sikap Anda …",
    "Atasan meminta Anda menyelesaikan laporan yang tenggatnya dimajukan satu hari. Sikap Anda …",
    "Rekan kerja menawarkan hadiah dari pihak yang sedang mengurus izin di unit Anda. Sikap Anda …",
    "Unit Anda mulai memakai aplikasi layanan baru yang belum Anda kuasai. Sikap Anda …",
    "Dalam rapat, pendapat Anda ditolak oleh sebagian besar peserta. Sikap Anda …",
    "Anda melihat informasi keliru tentang program pemerintah beredar di grup percakapan warga. Sikap Anda …",
    "Anda ditempatkan di daerah terpencil yang jauh dari keluarga. Sikap Anda …",
    "Seorang pengguna layanan marah karena antrean panjang. Sikap Anda …",
    "Anda diminta membimbing pegawai baru padahal pekerjaan Anda sendiri sedang banyak. Sikap Anda …",
    "Anda menemukan kesalahan dalam data yang sudah Anda kirimkan kepada atasan. Sikap Anda …",
    "Tim Anda terdiri atas rekan dari suku dan agama yang berbeda-beda. Sikap Anda …",
]
TKP_RESPONSES = [  # weight 5 … 1
    "Menangani dengan tenang, menjelaskan aturannya dan membantu sampai tuntas",
    "Membantu sebisanya sesuai prosedur yang berlaku",
    "Meminta arahan atasan terlebih dahulu",
    "Menyerahkan kepada rekan yang lebih berpengalaman",
    "Menunda karena bukan prioritas saya",
]


def _rp(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _bank(rng: random.Random) -> None:
    """40 TWK, 45 TIU and 55 TKP practice items: a few spare beyond the 30/35/45 blueprint."""
    rows: list[tuple[str, str, str, list[tuple[str, int]]]] = []
    for i in range(40):
        text, key, wrong = TWK[i % len(TWK)]
        variant = "" if i < len(TWK) else f" (latihan {i // len(TWK) + 1})"
        rows.append((f"TWK-{i + 1:03d}", "twk", text + variant, [(key, 5)] + [(w, 0) for w in wrong]))
    for i in range(45):
        if i % 3 == 0:
            a, b, c = rng.randint(12, 49), rng.randint(3, 9), rng.randint(10, 99)
            text, key = f"Berapakah hasil dari {a} × {b} − {c}?", a * b - c
        elif i % 3 == 1:
            start, step = rng.randint(1, 20), rng.randint(2, 9)
            series = [start + step * k for k in range(5)]
            text, key = f"Bilangan berikutnya dari deret {', '.join(map(str, series))}, … adalah", start + step * 5
        else:
            price, pct = rng.randint(4, 40) * 25_000, rng.choice([10, 15, 20, 25, 30])
            text, key = (
                f"Harga sebuah barang Rp{_rp(price)} mendapat potongan {pct}%. Harga setelah potongan adalah (rupiah)",
                price * (100 - pct) // 100,
            )
        distractors = sorted({key + d for d in (-7, -3, 2, 5, 9, 11)} - {key})[:4]
        rows.append((f"TIU-{i + 1:03d}", "tiu", text, [(_rp(key), 5)] + [(_rp(d), 0) for d in distractors]))
    for i in range(55):
        text = TKP[i % len(TKP)] + ("" if i < len(TKP) else f" (latihan {i // len(TKP) + 1})")
        rows.append((f"TKP-{i + 1:03d}", "tkp", text, [(r, 5 - k) for k, r in enumerate(TKP_RESPONSES)]))
    for code, subtest, text, options in rows:
        q = Question.objects.create(code=code, subtest=subtest, text=text)
        shuffled = options[:]
        rng.shuffle(shuffled)
        Option.objects.bulk_create(
            Option(question=q, label=lab, text=t, points=p) for lab, (t, p) in zip("abcde", shuffled)
        )


def _sit(p: Participant, rng: random.Random, ability: float, start: datetime.datetime) -> None:
    """Sit the exam through the real services: the better the ability, the likelier the best option."""
    operator = SYSTEM
    operations.participant_check_in(actor=operator, participant=p, seat=p.seat or "001", now=start)
    services.participant_start(participant=p, device_token="demo", now=start)
    items = SheetItem.objects.filter(participant=p).order_by("position")
    points = dict(Option.objects.filter(question_id__in=[i.question_id for i in items]).values_list("pk", "points"))
    at = start
    for seq, item in enumerate(items, start=1):
        if rng.random() < 0.04:
            continue  # left empty
        best = max(item.option_order, key=lambda o: points[o])
        choice = best if rng.random() < ability else rng.choice(item.option_order)
        at += datetime.timedelta(seconds=rng.randint(15, 50))
        services.answer_save(
            participant_id=p.pk, device_token="demo", position=item.position, option_id=choice, seq=seq, now=at
        )
    services.participant_finish(participant=p, now=at + datetime.timedelta(seconds=30))


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _key(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _i in range(12))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(Names.first_names_male + Names.first_names_female)} {rng.choice(Names.last_names)}"


def seed(*, seed: int = 2026) -> dict:
    from accounts.models import User
    from recruitment.models import RecruitmentPeriod

    if ExamSite.objects.exists():
        return {}
    rng = random.Random(seed * 13)
    with transaction.atomic():
        _bank(rng)
        site = ExamSite.objects.create(
            name="UPT BKN Bandar Lampung", address="Jl. Pangeran Emir M. Noer, Bandar Lampung"
        )
        operator = User.objects.filter(username=OPERATOR).first()
        if operator is not None:
            site.operators.add(operator)
        room = ExamRoom.objects.create(site=site, name="Ruang CAT 1", seats=40)
        ExamRoom.objects.create(site=site, name="Ruang CAT 2", seats=40)
        period = RecruitmentPeriod.objects.filter(kind="cpns", year=2026).first()
        today = timezone.localdate()
        now = timezone.now().replace(second=0, microsecond=0)
        done = ExamSession.objects.create(
            code="LPG-SKD-01",
            public_key=_key(rng),
            room=room,
            period=period,
            starts_at=at(today - datetime.timedelta(days=1), 8),
            opened_at=at(today - datetime.timedelta(days=1), 8),
        )
        live = ExamSession.objects.create(
            code="LPG-SKD-02",
            public_key=_key(rng),
            room=room,
            period=period,
            starts_at=now,  # open when the demo is built, so its participants can log in at once
            opened_at=now,
        )
        ExamSession.objects.create(
            code="LPG-SKD-03",
            public_key=_key(rng),
            room=room,
            period=period,
            starts_at=at(today + datetime.timedelta(days=1), 8),
        )
        for n in range(1, 25):
            p = Participant.objects.create(
                session=done, number=f"2618{n:07d}", name=_name(rng), seat=f"{n:03d}", visually_impaired=n == 7
            )
            _sit(
                p,
                rng,
                ability=rng.uniform(0.35, 0.95),
                start=done.starts_at + datetime.timedelta(minutes=rng.randint(0, 5)),
            )
        for n in range(1, 11):
            p = Participant.objects.create(session=live, number=f"2618{100 + n:07d}", name=_name(rng))
            operations.participant_check_in(actor=SYSTEM, participant=p, seat=f"{n:03d}", now=live.starts_at)
            Participant.objects.filter(pk=p.pk).update(pin_hash=operations.pin_digest(p.pk, DEMO_PIN))
        audit_log(
            actor=None, entry=Entry("demo.seed_exams", "demo", str(seed), "seed_demo", None, None, {"sessions": 3})
        )
    return {"sessions": 3, "bank": Question.objects.count(), "blueprint": rules.SKD_2021.code}
