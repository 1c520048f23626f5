from django.conf import settings


def dashboard_db() -> str:
    """The database alias that dashboards read from: the replica when one is configured."""
    return "replica" if "replica" in settings.DATABASES else "default"
