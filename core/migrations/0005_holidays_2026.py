"""National holidays (17) and collective leave days (8) of 2026: SKB Menteri Agama, Menteri
Ketenagakerjaan and Menteri PANRB No. 1497/2025, 2/2025, 5/2025 (as reported by Pemkot Semarang's
education office and Tribunnews, 19 September 2025). Later years are entered as data each year."""

import datetime

from django.db import migrations

NATIONAL = [
    ((1, 1), "Tahun Baru 2026 Masehi"),
    ((1, 16), "Isra Mikraj Nabi Muhammad SAW"),
    ((2, 17), "Tahun Baru Imlek 2577 Kongzili"),
    ((3, 19), "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    ((3, 21), "Idul Fitri 1447 Hijriah"),
    ((3, 22), "Idul Fitri 1447 Hijriah"),
    ((4, 3), "Wafat Yesus Kristus"),
    ((4, 5), "Kebangkitan Yesus Kristus (Paskah)"),
    ((5, 1), "Hari Buruh Internasional"),
    ((5, 14), "Kenaikan Yesus Kristus"),
    ((5, 27), "Idul Adha 1447 Hijriah"),
    ((5, 31), "Hari Raya Waisak 2570 BE"),
    ((6, 1), "Hari Lahir Pancasila"),
    ((6, 16), "1 Muharam Tahun Baru Islam 1448 Hijriah"),
    ((8, 17), "Proklamasi Kemerdekaan"),
    ((8, 25), "Maulid Nabi Muhammad SAW"),
    ((12, 25), "Kelahiran Yesus Kristus"),
]
COLLECTIVE = [
    ((2, 16), "Cuti bersama Tahun Baru Imlek"),
    ((3, 18), "Cuti bersama Hari Suci Nyepi"),
    ((3, 20), "Cuti bersama Idul Fitri"),
    ((3, 23), "Cuti bersama Idul Fitri"),
    ((3, 24), "Cuti bersama Idul Fitri"),
    ((5, 15), "Cuti bersama Kenaikan Yesus Kristus"),
    ((5, 28), "Cuti bersama Idul Adha"),
    ((12, 24), "Cuti bersama Kelahiran Yesus Kristus"),
]


def forwards(apps, schema_editor):
    Holiday = apps.get_model("core", "Holiday")
    for rows, kind in ((NATIONAL, "national"), (COLLECTIVE, "collective_leave")):
        for (month, day), name in rows:
            Holiday.objects.get_or_create(date=datetime.date(2026, month, day), defaults={"name": name, "kind": kind})


def backwards(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(date__year=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_holidays")]
    operations = [migrations.RunPython(forwards, backwards)]
