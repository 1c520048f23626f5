"""PostgreSQL indexes for the employee search: trigram on the name (for ILIKE '%x%' as Django's
icontains writes it, on UPPER(name)). The NIP prefix search uses the pattern index Django makes
for the unique NIP itself (``…_like``)."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS employee_name_trgm ON personnel_employee USING gin (UPPER(name) gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS employee_name_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("personnel", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, backwards)]
