"""The passing grades of the KepmenPANRB for 2021, 2023 and 2024 as data (RULES.md §2.2)."""

import datetime

from django.db import migrations

SOURCES = {2021: "KepmenPANRB 1023/2021", 2023: "KepmenPANRB 651/2023", 2024: "KepmenPANRB 321/2024"}


def forwards(apps, schema_editor):
    from recruitment.rules import PASSING_GRADES

    PassingGrade = apps.get_model("recruitment", "PassingGrade")
    for year, grades in PASSING_GRADES.items():
        for category, g in grades.items():
            PassingGrade.objects.update_or_create(
                period_kind="cpns",
                category=category,
                effective_from=datetime.date(year, 1, 1),
                defaults={
                    "twk": g.twk,
                    "tiu": g.tiu,
                    "tkp": g.tkp,
                    "total": g.total,
                    "source": SOURCES[year],
                    "confidence": g.confidence,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
