"""2026's days off are those of its SKB (loaded by 0005): the year is confirmed, so the holidays package's
estimate does not count for it."""

from django.db import migrations

DECREE_2026 = (
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB No. 1497/2025, 2/2025, 5/2025 "
    "(dimuat dengan migrasi 0005)"
)


def forwards(apps, schema_editor):
    HolidayYear = apps.get_model("core", "HolidayYear")
    HolidayYear.objects.update_or_create(year=2026, defaults={"confirmed": True, "decree": DECREE_2026})


def backwards(apps, schema_editor):
    apps.get_model("core", "HolidayYear").objects.filter(year=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_holiday_year")]
    operations = [migrations.RunPython(forwards, backwards)]
