"""Read a weak or unverified regulation number (RuleParameter) in force on a date."""

import datetime

from core.models import RuleParameter


def rule_param(key: str, *, on: datetime.date, default):
    """The value of a rule parameter on a date, or the default when none is recorded."""
    row = RuleParameter.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    return default if row is None else row.value
