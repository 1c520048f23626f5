"""Periodic work of public service, run by the task worker (``TASK_BACKEND=db`` + ``manage.py db_worker``)
or from a timer through ``manage.py complaints_escalate``."""

import datetime

from django.tasks import task
from django.utils import timezone


def run_escalation(now: datetime.datetime | None = None) -> dict:
    """Escalate every overdue open report one level, then email the officers about those just escalated."""
    from publicservice import notify, services

    now = now or timezone.now()
    counts = services.escalate_overdue(now=now)
    counts["emails"] = notify.notify_escalations(now=now)
    return counts


@task()
def escalate_overdue() -> dict:
    """Daily after midnight WIB (and safe to run more often: a report only ever moves up a level once)."""
    return run_escalation()
