"""Writes of core: the working-day calendar's days off. Each write recomputes, in its own transaction, every
stored deadline a working-day clock governs (``recompute_clocks``): core imports no domain app, so each app
names its recompute function in ``settings.WORKING_DAY_CLOCKS`` (dotted paths), called as
``recompute(actor=, years=, reason=)`` inside ``calendar.uncached()`` (it sees the uncommitted change, and
nothing it reads is cached); it returns how many deadlines it moved. The cache is cleared on commit."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.calendar import estimate_kind, estimated_holidays, forget, is_fixed, uncached
from core.errors import DomainError


@dataclass(frozen=True)
class Change:
    year: int
    moved: int  # stored deadlines the working-day clocks recomputed
    holiday: Any = None


def _require_national(actor) -> None:
    if actor.write_agency_ids is not None:
        raise PermissionDenied


def recompute_clocks(*, actor, years: Iterable[int], reason: str) -> int:
    """Recompute every stored deadline of every module's working-day clocks after the calendar of these
    years changed (``settings.WORKING_DAY_CLOCKS``); must run inside the changing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("clocks are recomputed inside the transaction that changes the calendar")
    changed = frozenset(years)
    moved = 0
    with uncached():
        for path in getattr(settings, "WORKING_DAY_CLOCKS", ()):
            moved += int(import_string(path)(actor=actor, years=changed, reason=reason) or 0)
    transaction.on_commit(lambda: forget(*changed))
    return moved


@transaction.atomic
def holiday_add(*, actor, date: datetime.date, name: str, kind: str) -> Change:
    """Record a national holiday or a collective leave day from the year's SKB; stored deadlines follow."""
    from core.models import Holiday

    _require_national(actor)
    if kind not in Holiday.Kind.values:
        raise DomainError(_("Pilih jenis hari libur."), field="kind")
    if not name.strip():
        raise DomainError(_("Tuliskan keterangannya."), field="name")
    if is_fixed(date):
        raise DomainError(_("Tanggal ini hari libur tetap: selalu dihitung tanpa perlu dicatat."), field="date")
    if Holiday.objects.filter(date=date).exists():
        raise DomainError(_("Tanggal ini sudah tercatat sebagai hari libur."), field="date")
    holiday = Holiday.objects.create(date=date, name=name.strip()[:150], kind=kind)
    audit_log(
        actor=actor.user,
        entry=entry_for(holiday, "core.holiday_add", after={"date": str(date), "name": holiday.name, "kind": kind}),
    )
    reason = _("Hari libur ditambahkan: %(date)s %(name)s") % {"date": date.isoformat(), "name": holiday.name}
    return Change(date.year, recompute_clocks(actor=actor, years=[date.year], reason=reason), holiday)


@transaction.atomic
def holiday_remove(*, actor, holiday, reason: str = "") -> Change:
    """Remove a day entered by mistake (or moved by an amended SKB); stored deadlines follow."""
    from core.models import Holiday

    _require_national(actor)
    holiday = Holiday.objects.select_for_update().filter(pk=holiday.pk).first()
    if holiday is None:
        raise DomainError(_("Hari libur ini sudah dihapus."), code="gone")
    if is_fixed(holiday.date):
        raise DomainError(_("Hari libur tetap tidak dapat dihapus."), code="fixed")
    year = holiday.date.year
    audit_log(
        actor=actor.user,
        entry=entry_for(
            holiday,
            "core.holiday_remove",
            before={"date": str(holiday.date), "name": holiday.name, "kind": holiday.kind},
            reason=reason.strip(),
        ),
    )
    text = _("Hari libur dihapus: %(date)s %(name)s") % {"date": holiday.date.isoformat(), "name": holiday.name}
    holiday.delete()
    return Change(year, recompute_clocks(actor=actor, years=[year], reason=text))


@transaction.atomic
def holiday_year_prefill(*, actor, year: int) -> Change:
    """Enter a year's days from the package's estimate, for HR to check against the SKB and then confirm."""
    from core.models import Holiday, HolidayYear

    _require_national(actor)
    if HolidayYear.objects.filter(year=year, confirmed=True).exists():
        raise DomainError(_("Tahun %(year)s sudah dikonfirmasi.") % {"year": year}, code="confirmed")
    taken = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
    rows = [
        Holiday(date=day, name=name[:150], kind=estimate_kind(name))
        for day, name in estimated_holidays(year).items()
        if day not in taken and not is_fixed(day)
    ]
    if not rows:
        raise DomainError(
            _("Tidak ada perkiraan yang belum tercatat untuk tahun %(year)s.") % {"year": year}, code="none"
        )
    Holiday.objects.bulk_create(rows)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            HolidayYear.objects.get_or_create(year=year)[0],
            "core.holiday_year_prefill",
            after={"year": year, "dates": [str(r.date) for r in rows]},
        ),
    )
    reason = _("Hari libur %(year)s diisi dari perkiraan") % {"year": year}
    return Change(year, recompute_clocks(actor=actor, years=[year], reason=reason))


@transaction.atomic
def holiday_year_confirm(*, actor, year: int, decree: str, now: datetime.datetime | None = None) -> Change:
    """Confirm that a year's days off are those of its SKB as entered: the package's estimate stops
    counting and deadlines in that year are no longer provisional."""
    from core.models import Holiday, HolidayYear

    _require_national(actor)
    decree = decree.strip()
    if not decree:
        raise DomainError(_("Tuliskan nomor SKB yang menetapkan hari libur tahun ini."), field="decree")
    entered = Holiday.objects.filter(date__year=year).values_list("date", flat=True)
    if not [d for d in entered if not is_fixed(d)]:
        raise DomainError(
            _(
                "Belum ada hari libur %(year)s yang tercatat selain tanggal tetap: catat dulu hari libur dan cuti "
                "bersama dari SKB (atau isi dari perkiraan lalu periksa)."
            )
            % {"year": year},
            field="decree",
        )
    row, _created = HolidayYear.objects.select_for_update().get_or_create(year=year)
    before = {"confirmed": row.confirmed, "decree": row.decree}
    row.confirmed, row.decree = True, decree[:300]
    row.confirmed_by, row.confirmed_at = actor.user, now or timezone.now()
    row.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            row, "core.holiday_year_confirm", before=before, after={"confirmed": True, "decree": row.decree}
        ),
    )
    reason = _("Hari libur %(year)s dikonfirmasi (SKB %(decree)s)") % {"year": year, "decree": row.decree}
    return Change(year, recompute_clocks(actor=actor, years=[year], reason=reason))
