"""Reference tables loaded by migration: RULES.md §7.2 (golongan) and education levels."""

PNS_RANKS = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PPPK_RANKS = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]
EDUCATION_LEVELS = [
    ("SD", "SD / sederajat"),
    ("SMP", "SMP / sederajat"),
    ("SMA", "SMA / SMK / sederajat"),
    ("D1", "Diploma I"),
    ("D2", "Diploma II"),
    ("D3", "Diploma III"),
    ("D4", "Diploma IV"),
    ("S1", "Sarjana (S1)"),
    ("S2", "Magister (S2)"),
    ("S3", "Doktor (S3)"),
]


def load(apps):
    Rank = apps.get_model("personnel", "Rank")
    EducationLevel = apps.get_model("personnel", "EducationLevel")
    for i, (code, name) in enumerate(PNS_RANKS, start=1):
        Rank.objects.update_or_create(code=code, defaults={"scheme": "pns", "name": name, "order": i})
    for i, code in enumerate(PPPK_RANKS, start=1):
        Rank.objects.update_or_create(code=code, defaults={"scheme": "pppk", "name": f"Golongan {code}", "order": i})
    for i, (code, name) in enumerate(EDUCATION_LEVELS, start=1):
        EducationLevel.objects.update_or_create(code=code, defaults={"name": name, "order": i})
