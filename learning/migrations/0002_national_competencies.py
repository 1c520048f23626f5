"""The national competencies of PermenPANRB 38/2017 (RULES.md §6, S): the eight managerial ones and the
socio-cultural Perekat Bangsa. Their level scales (1–5 and 1–3) are U in RULES.md, so they are ordinary data
an administrator can change; the level texts are short working descriptions to be replaced by the
agency's dictionary."""

from django.db import migrations

MANAGERIAL = [
    ("M1", "Integritas"),
    ("M2", "Kerja Sama"),
    ("M3", "Komunikasi"),
    ("M4", "Orientasi pada Hasil"),
    ("M5", "Pelayanan Publik"),
    ("M6", "Pengembangan Diri dan Orang Lain"),
    ("M7", "Mengelola Perubahan"),
    ("M8", "Pengambilan Keputusan"),
]
SCALE_5 = [
    "Memahami dan menerapkan dalam tugas sendiri",
    "Menerapkan secara konsisten dan mengingatkan rekan",
    "Mengembangkan praktik di unit kerja",
    "Mengarahkan unit-unit dan menjadi teladan di instansi",
    "Menetapkan arah dan budaya di tingkat instansi dan nasional",
]
SCALE_3 = [
    "Peka terhadap keberagaman dalam lingkungan kerja sendiri",
    "Membangun hubungan dan mengelola keberagaman di unit kerja",
    "Menjadi perekat bangsa di lingkungan instansi dan masyarakat",
]


def forwards(apps, schema_editor):
    Competency = apps.get_model("learning", "Competency")
    Level = apps.get_model("learning", "CompetencyLevel")
    rows = [(code, name, "managerial", SCALE_5) for code, name in MANAGERIAL] + [
        ("SK1", "Perekat Bangsa", "socio_cultural", SCALE_3)
    ]
    for code, name, kind, scale in rows:
        comp, created = Competency.objects.get_or_create(
            code=code, agency=None, defaults={"name": name, "kind": kind, "max_level": len(scale)}
        )
        if created:
            Level.objects.bulk_create(Level(competency=comp, level=i, description=t) for i, t in enumerate(scale, 1))


def backwards(apps, schema_editor):
    apps.get_model("learning", "Competency").objects.filter(
        agency=None, code__in=[c for c, _n in MANAGERIAL] + ["SK1"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
