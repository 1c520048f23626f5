"""Years, periods, settings, organizational indicators (IKU) and the units' predikat."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, diff, entry_for, snapshot
from core.errors import DomainError
from organization.models import Agency, OrgUnit
from performance import rules
from performance.models import Indicator, IndicatorPeriod, OrgRating, PerformanceSettings, PerformanceYear, Period
from performance.services.common import resolve_assessor, unit_head


def _require_admin(actor, agency_id: int) -> None:
    if not actor.can_write_agency(agency_id):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat melakukan ini."))


def settings_for(agency: Agency) -> PerformanceSettings:
    return PerformanceSettings.objects.filter(agency=agency).first() or PerformanceSettings(agency=agency)


@transaction.atomic
def settings_update(*, actor, agency: Agency, frequency: str, curve_policy: str, rounding: str) -> PerformanceSettings:
    """Set the agency's period length, curve policy and small-unit rounding."""
    _require_admin(actor, agency.pk)
    obj = settings_for(agency)
    before = snapshot(obj) if obj.pk else None
    if rounding not in rules.ROUNDINGS or frequency not in rules.FREQUENCIES:
        raise DomainError(_("Pilihan tidak dikenal."))
    obj.frequency, obj.curve_policy, obj.rounding = frequency, curve_policy, rounding
    obj.save()
    b, a = diff(before, snapshot(obj))
    audit_log(actor=actor.user, entry=entry_for(obj, "performance.settings", agency_id=agency.pk, before=b, after=a))
    return obj


@transaction.atomic
def year_open(*, actor, agency: Agency, year: int) -> PerformanceYear:
    """Open a performance year with its periods, by the agency's period setting."""
    _require_admin(actor, agency.pk)
    if year < 2022 or year > timezone.localdate().year + 1:
        raise DomainError(_("Tahun kinerja harus antara 2022 dan tahun depan."), field="year")
    frequency = settings_for(agency).frequency
    try:
        with transaction.atomic():
            py = PerformanceYear.objects.create(agency=agency, year=year, frequency=frequency)
    except IntegrityError:
        raise DomainError(_("Tahun kinerja %(y)s sudah dibuka.") % {"y": year}, field="year") from None
    Period.objects.bulk_create(
        Period(perf_year=py, number=p.number, label=p.label, start=p.start, end=p.end, is_final=p.is_final)
        for p in rules.periods_of(year, frequency)
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(py, "performance.year_open", agency_id=agency.pk, after={"year": year, "frequency": frequency}),
    )
    return py


@transaction.atomic
def indicator_create(
    *,
    actor,
    perf_year: PerformanceYear,
    unit: OrgUnit | None,
    code: str,
    name: str,
    measure: str,
    annual_target: Decimal,
    period_targets: dict[int, Decimal] | None = None,
) -> Indicator:
    """Add an IKU to the agency (no unit) or a unit, with a target per period (evenly split if not given)."""
    _require_admin(actor, perf_year.agency_id)
    annual_target = Decimal(str(annual_target))
    if unit is not None and unit.agency_id != perf_year.agency_id:
        raise DomainError(_("Unit harus berada di instansi yang sama."), field="unit")
    if Indicator.objects.filter(perf_year=perf_year, unit=unit, code=code).exists():
        raise DomainError(_("Kode indikator sudah dipakai."), field="code")
    ind = Indicator.objects.create(
        perf_year=perf_year, unit=unit, code=code, name=name, measure=measure, annual_target=annual_target
    )
    periods = list(perf_year.periods.all())
    targets = period_targets or {}
    rows = []
    for p in periods:
        t = targets.get(p.number)
        if t is None:  # cumulative by default: the share of the year reached by the period's end
            t = (annual_target * p.number / len(periods)).quantize(Decimal("0.01"))
        rows.append(IndicatorPeriod(indicator=ind, period=p, target=t))
    IndicatorPeriod.objects.bulk_create(rows)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            ind,
            "performance.indicator_create",
            agency_id=perf_year.agency_id,
            after=snapshot(ind) | {"targets": {r.period.number: str(r.target) for r in rows}},
        ),
    )
    return ind


@transaction.atomic
def indicator_realize(
    *, actor, value: IndicatorPeriod, realization: Decimal, evidence_url: str = "", note: str = ""
) -> IndicatorPeriod:
    """Record what an indicator reached in a period, with its evidence."""
    agency_id = value.indicator.perf_year.agency_id
    _require_admin(actor, agency_id)
    if value.indicator.perf_year.closed_at:
        raise DomainError(_("Tahun kinerja sudah ditutup."))
    before = snapshot(value, ["realization", "evidence_url", "note"])
    value.realization, value.evidence_url, value.note = realization, evidence_url, note
    value.save()
    b, a = diff(before, snapshot(value, ["realization", "evidence_url", "note"]))
    audit_log(actor=actor.user, entry=entry_for(value, "performance.indicator_realize", agency_id=agency_id, before=b, after=a))
    return value


def may_set_org_rating(actor, unit: OrgUnit, day: datetime.date) -> bool:
    """The superior of the unit's head sets its predikat; for a head answering to the regional head,
    the agency's HR admin records it on the regional head's behalf."""
    pos, head = unit_head(unit, day)
    if pos is None:
        return False
    if pos.reports_to_head:
        return actor.can_write_agency(unit.agency_id)
    if head is None:
        return False
    try:
        link = resolve_assessor(head, day)
    except DomainError:
        return False
    if link.external:
        return actor.can_write_agency(unit.agency_id)
    return link.employee_id == actor.employee_id


@transaction.atomic
def org_rating_set(*, actor, unit: OrgUnit, period: Period, predikat: str, note: str = "") -> OrgRating:
    """Set (or change, while no rating of the unit is final) the unit's predikat for the period."""
    from performance.models import Assessment

    if period.perf_year.agency_id != unit.agency_id:
        raise DomainError(_("Periode bukan milik instansi unit ini."))
    if predikat not in rules.ORG_PREDIKAT_ORDER:
        raise DomainError(_("Predikat organisasi tidak dikenal."), field="predikat")
    day = min(period.end, timezone.localdate())
    if not may_set_org_rating(actor, unit, day):
        raise PermissionDenied(_("Predikat unit ditetapkan oleh atasan kepala unit."))
    existing = OrgRating.objects.select_for_update().filter(unit=unit, period=period).first()
    if existing and Assessment.objects.filter(period=period, skp__unit__path__startswith=unit.path, status="final").exists():
        raise DomainError(_("Penilaian pegawai unit ini sudah final: buka kembali penilaiannya dahulu."))
    before = snapshot(existing, ["predikat", "note"]) if existing else None
    obj = existing or OrgRating(unit=unit, period=period, set_by=actor.user)
    obj.predikat, obj.note, obj.set_by = predikat, note, actor.user
    obj.save()
    b, a = diff(before, snapshot(obj, ["predikat", "note"]))
    audit_log(
        actor=actor.user,
        entry=entry_for(obj, "performance.org_rating", agency_id=unit.agency_id, before=b, after=a, reason=note),
    )
    return obj
