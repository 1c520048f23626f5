"""Email to officers when reports pass their deadline and are escalated: the complaint officers of the
report's agency always, and at the first level the head of the unit the report is with (once the report
has been forwarded to it: before that the delay is the verifiers' and the unit cannot open the report).
And to the same handlers when a change of the holiday calendar moved the deadline of their open reports.

The reporter's emails (forwarded, responded) are sent by the services themselves."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from core import calendar
from publicservice.models import Complaint, ComplaintEvent, ComplaintStatus, Confidentiality

logger = logging.getLogger(__name__)

UNIT_STATUSES = (ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS)


def escalated_at(now: datetime.datetime) -> list[Complaint]:
    """The reports the run at ``now`` escalated (``services.escalate_overdue`` stamps each step with it)."""
    ids = ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.ESCALATED, at=now).values_list(
        "complaint_id", flat=True
    )
    return list(Complaint.objects.filter(pk__in=ids).select_related("unit__org_unit", "agency").order_by("pk"))


def _officer_addresses(agency_ids) -> dict[int, set[str]]:
    rows = (
        User.objects.filter(
            is_active=True, role_assignments__role=Role.COMPLAINT_OFFICER, role_assignments__agency_id__in=agency_ids
        )
        .exclude(email="")
        .values_list("role_assignments__agency_id", "email")
    )
    out: dict[int, set[str]] = defaultdict(set)
    for agency_id, email in rows:
        out[agency_id].add(email)
    return out


def _head_address(org_unit, day: datetime.date) -> str:
    """The email of the account of whoever leads the org unit today (definitive, else Plt, else Plh)."""
    from performance.services.common import unit_head

    _pos, head = unit_head(org_unit, day)
    user = getattr(head, "user", None) if head else None
    return user.email if user is not None and user.is_active else ""


def recipients(complaints: list[Complaint], day: datetime.date) -> dict[str, list[Complaint]]:
    """Who is told about which escalated reports: one entry per address (the unit head at the first level)."""
    return handler_addresses(complaints, day, unit_head_if=lambda c: c.escalation == 1)


def _line(c: Complaint, site: str) -> str:
    title = _("(laporan rahasia)") if c.confidentiality == Confidentiality.CONFIDENTIAL else c.title
    level = _("kepala unit") if c.escalation == 1 else _("pimpinan instansi")
    link = site + reverse("publicservice:officer_complaint", args=[c.tracking_code])
    return f"- {c.tracking_code} — {title} ({c.unit.name}): {_('dieskalasi ke')} {level}\n  {link}"


def message_for(items: list[Complaint]) -> tuple[str, str]:
    site = getattr(settings, "PAMONG_SITE_URL", "").rstrip("/")
    subject = _("Pengaduan melewati tenggat: %(n)s laporan dieskalasi") % {"n": len(items)}
    body = "\n".join(
        [
            _("Laporan berikut melewati tenggatnya (hari kerja) dan dieskalasi:"),
            "",
            *(_line(c, site) for c in items),
            "",
            _("Segera verifikasi, teruskan, atau tanggapi laporan-laporan ini."),
        ]
    )
    return subject, body


def notify_escalations(*, now: datetime.datetime) -> int:
    """Email the officers about the reports escalated at ``now``; returns the number of emails sent. A mail
    server that fails is logged, never undoes the escalation."""
    complaints = escalated_at(now)
    if not complaints:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        by_address = recipients(complaints, now.astimezone(calendar.WIB).date())
        mails = [(*message_for(items), None, [address]) for address, items in sorted(by_address.items())]
    if not mails:
        return 0
    try:
        return send_mass_mail(mails)
    except Exception:  # an unreachable mail server must not fail the periodic job
        logger.exception("escalation emails not sent")
        return 0


# --- deadlines moved by a calendar change ------------------------------------------------------------


def handler_addresses(
    complaints: list[Complaint], day: datetime.date, *, unit_head_if=lambda c: True
) -> dict[str, list[Complaint]]:
    """Who handles each report now: the complaint officers of its agency, and the head of the unit it is
    with once it has been forwarded there (and ``unit_head_if`` holds for it). One entry per address."""
    officers = _officer_addresses({c.agency_id for c in complaints})
    heads: dict[int, str] = {}
    out: dict[str, list[Complaint]] = defaultdict(list)
    for c in complaints:
        addresses = set(officers.get(c.agency_id, ()))
        org_unit = c.unit.org_unit
        if c.status in UNIT_STATUSES and org_unit is not None and unit_head_if(c):
            if org_unit.pk not in heads:
                heads[org_unit.pk] = _head_address(org_unit, day)
            if heads[org_unit.pk]:
                addresses.add(heads[org_unit.pk])
        for address in addresses:
            out[address].append(c)
    return out


def _moved_line(c: Complaint, old, new, site: str) -> str:
    from publicservice.clocks import day_label

    title = _("(laporan rahasia)") if c.confidentiality == Confidentiality.CONFIDENTIAL else c.title
    mark = _(" (sementara)") if c.due_provisional else ""
    link = site + reverse("publicservice:officer_complaint", args=[c.tracking_code])
    return f"- {c.tracking_code} — {title} ({c.unit.name}): {day_label(old)} → {day_label(new)}{mark}\n  {link}"


def notify_due_moved(changes: list[tuple[int, datetime.datetime, datetime.datetime]], *, reason: str) -> int:
    """Email the handlers of reports whose deadline a calendar change moved (run after the commit); returns
    the number of emails sent. A failing mail server is logged, never undoes the change."""
    try:
        by_id = {pk: (old, new) for pk, old, new in changes}
        complaints = list(
            Complaint.objects.filter(pk__in=by_id).select_related("unit__org_unit", "agency").order_by("pk")
        )
        if not complaints:
            return 0
        site = getattr(settings, "PAMONG_SITE_URL", "").rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            today = timezone.localdate()
            mails = []
            for address, items in sorted(handler_addresses(complaints, today).items()):
                subject = _("Tenggat %(n)s pengaduan berubah karena kalender hari libur") % {"n": len(items)}
                body = "\n".join(
                    [
                        _("Kalender hari kerja berubah (%(reason)s). Tenggat laporan berikut dihitung ulang:")
                        % {"reason": reason},
                        "",
                        *(_moved_line(c, *by_id[c.pk], site) for c in items),
                        "",
                        _("Tenggat bertanda sementara mencakup tahun yang hari liburnya belum dikonfirmasi."),
                    ]
                )
                mails.append((subject, body, None, [address]))
        return send_mass_mail(mails) if mails else 0
    except Exception:  # a mail problem must not surface after the calendar change has committed
        logger.exception("deadline change emails not sent")
        return 0
