import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.get_or_create(id=1)
    RuleParameter = apps.get_model("core", "RuleParameter")
    RuleParameter.objects.get_or_create(
        key="nip.min_appointment_age",
        effective_from=datetime.date(2007, 1, 1),
        defaults={
            "value": 18,
            "source": "RULES.md §7.1 (soft check: TMT CPNS ≥ birth year + 18)",
            "confidence": "U",
            "note": "A warning, never a refusal: the age is not verified against the regulation.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
