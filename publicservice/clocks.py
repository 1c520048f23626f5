"""The working-day clocks of complaints: verification while a report is received, then the unit's response.

A report stores its running clock (``clock_started_at``, ``clock_days``) beside the deadline it gives, so the
deadline can be computed again: when the class changes (``services.complaint_reclassify``) and when a year's
holidays change (``recompute``, which ``core.calendar`` calls through ``settings.WORKING_DAY_CLOCKS``).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import calendar
from core.audit import audit_log_many, entry_for
from publicservice.models import OPEN_STATUSES, Complaint, ComplaintEvent, ComplaintStatus


def due_field(c: Complaint) -> str:
    """The stored deadline the running clock sets: verification while received, the response afterwards."""
    return "verify_due" if c.status == ComplaintStatus.RECEIVED else "response_due"


def start_clock(c: Complaint, *, start: datetime.datetime, days: int) -> calendar.Deadline:
    """Start (or restart) the report's running clock and set its deadline (the caller saves)."""
    c.clock_started_at, c.clock_days = start, days
    return apply_deadline(c)


def apply_deadline(c: Complaint) -> calendar.Deadline:
    """Set the running deadline from the stored clock (the caller saves)."""
    d = calendar.deadline(c.clock_started_at, c.clock_days)
    setattr(c, due_field(c), d.due)
    c.due_provisional = d.provisional
    return d


def settle_escalation(c: Complaint, now: datetime.datetime) -> None:
    """A report whose deadline moved past ``now`` is no longer overdue, so no longer escalated."""
    due = getattr(c, due_field(c))
    if c.escalation and due is not None and now <= due:
        c.escalation = 0


def day_label(moment: datetime.datetime | None) -> str:
    return date_format(moment.astimezone(calendar.WIB).date(), "j M Y") if moment else "—"


@transaction.atomic
def recompute(*, actor, years: frozenset[int], reason: str, now: datetime.datetime | None = None) -> int:
    """Recompute the running deadline of every open report whose count touches one of these years, after
    their holidays changed. Each report whose deadline moves gets an audit record of its own, an internal
    history event, and its handlers an email once the change commits; a report whose date stays but whose
    provisional mark changes is updated silently (the calendar change's own audit record says why)."""
    from publicservice import notify

    if not years:
        return 0
    now = now or timezone.now()
    first = datetime.datetime(min(years), 1, 1, tzinfo=calendar.WIB)
    after = datetime.datetime(max(years) + 1, 1, 1, tzinfo=calendar.WIB)
    received = Q(status=ComplaintStatus.RECEIVED)
    # A count that ends before the year starts, or starts after it ends, cannot change.
    candidates = (
        Complaint.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_STATUSES, clock_started_at__isnull=False, clock_started_at__lt=after)
        .filter((received & Q(verify_due__gte=first)) | (~received & Q(response_due__gte=first)))
        .order_by("pk")
    )
    moved: list[tuple[Complaint, str, datetime.datetime]] = []
    flagged: list[Complaint] = []
    for c in candidates:
        field = due_field(c)
        old, was_provisional = getattr(c, field), c.due_provisional
        d = apply_deadline(c)
        if old != d.due:
            settle_escalation(c, now)
            c.updated_at = now
            moved.append((c, field, old))
        elif was_provisional != d.provisional:
            flagged.append(c)
    if flagged:
        Complaint.objects.bulk_update(flagged, ["due_provisional"])
    if not moved:
        return 0
    for field in ("verify_due", "response_due"):
        rows = [c for c, f, _old in moved if f == field]
        if rows:
            Complaint.objects.bulk_update(rows, [field, "due_provisional", "escalation", "updated_at"])
    events, entries = [], []
    for c, field, old in moved:
        new = getattr(c, field)
        what = _("Batas verifikasi") if field == "verify_due" else _("Batas tanggapan")
        text = _("%(what)s dipindahkan dari %(old)s ke %(new)s%(mark)s: %(reason)s.") % {
            "what": what,
            "old": day_label(old),
            "new": day_label(new),
            "mark": _(" (sementara)") if c.due_provisional else "",
            "reason": reason,
        }
        events.append(
            ComplaintEvent(
                complaint=c, kind=ComplaintEvent.Kind.DUE_MOVED, text=text, by=actor.user, citizen_visible=False, at=now
            )
        )
        entries.append(
            entry_for(
                c,
                "publicservice.complaint_due_recompute",
                agency_id=c.agency_id,
                before={field: old.isoformat() if old else None},
                after={field: new.isoformat(), "due_provisional": c.due_provisional, "escalation": c.escalation},
                reason=reason,
            )
        )
    ComplaintEvent.objects.bulk_create(events)
    audit_log_many(actor=actor.user, entries=entries)
    changes = [(c.pk, old, getattr(c, field)) for c, field, old in moved]
    transaction.on_commit(lambda: notify.notify_due_moved(changes, reason=reason))
    return len(moved)
