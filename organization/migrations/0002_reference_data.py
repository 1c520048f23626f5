from django.db import migrations


def forwards(apps, schema_editor):
    from organization.reference import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("organization", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
