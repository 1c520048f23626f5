"""SKP plans: create, work-result plans (RHK) cascaded from the supervisor's, submit, approve, return."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.errors import DomainError
from organization.choices import PositionType
from performance.choices import Aspect, Behaviour, SkpStatus
from performance.models import BehaviourExpectation, Indicator, PerformanceYear, Rhk, RhkIndicator, Skp, SkpVersion
from performance.services.common import require_assessor, require_owner, resolve_assessor
from personnel.models import Employee
from personnel.supervision import PROBLEM_TEXT

EDITABLE = (SkpStatus.DRAFT, SkpStatus.RETURNED, SkpStatus.APPROVED)


def skp_content(skp: Skp) -> dict:
    """The plan as it reads: RHK with indicators and the cascade link, and the expectations."""
    return {
        "version": skp.version,
        "position": skp.position.title,
        "rhk": [
            {
                "text": r.text,
                "supports": r.supports.text if r.supports_id else None,
                "indicator": r.indicator.code if r.indicator_id else None,
                "indicators": [{"aspect": i.aspect, "text": i.text, "target": i.target} for i in r.indicators.all()],
            }
            for r in skp.rhks.select_related("supports", "indicator").prefetch_related("indicators")
        ],
        "expectations": {e.behaviour: e.text for e in skp.expectations.all()},
    }


def _log(actor, skp: Skp, action: str, *, after: dict | None = None, before: dict | None = None, reason: str = ""):
    audit_log(
        actor=actor.user,
        entry=entry_for(skp, action, agency_id=skp.employee.agency_id, before=before, after=after, reason=reason),
    )


@transaction.atomic
def skp_create(*, actor, employee: Employee, perf_year: PerformanceYear, today: datetime.date | None = None) -> Skp:
    """Start the employee's plan for the year, on the post held today."""
    if actor.employee_id != employee.pk and not actor.can_write_agency(employee.agency_id):
        raise PermissionDenied(_("Hanya pegawai itu sendiri atau admin kepegawaian yang dapat membuat SKP."))
    if perf_year.agency_id != employee.agency_id:
        raise DomainError(_("Tahun kinerja bukan milik instansi pegawai."))
    if perf_year.closed_at:
        raise DomainError(_("Tahun kinerja sudah ditutup."))
    if Skp.objects.filter(employee=employee, perf_year=perf_year).exists():
        raise DomainError(_("SKP tahun %(y)s sudah ada.") % {"y": perf_year.year})
    position = employee.current_position
    if position is None:
        raise DomainError(PROBLEM_TEXT["no_position"](None), code="no_position")
    skp = Skp.objects.create(
        employee=employee,
        perf_year=perf_year,
        position=position,
        unit=position.unit,
        is_jpt=position.position_type == PositionType.JPT,
    )
    _log(actor, skp, "skp.create", after={"year": perf_year.year, "position": position.title})
    return skp


def _lock(skp: Skp) -> Skp:
    return Skp.objects.select_for_update().select_related("employee", "perf_year", "position").get(pk=skp.pk)


def _start_change(actor, skp: Skp) -> None:
    """Changing an approved plan reopens it as a new draft version; the approved one stays on record."""
    if skp.status not in EDITABLE:
        raise DomainError(_("SKP yang sedang diajukan tidak dapat diubah; tunggu keputusan atasan."), code="state")
    if skp.perf_year.closed_at:
        raise DomainError(_("Tahun kinerja sudah ditutup."))
    if skp.status == SkpStatus.APPROVED:
        skp.status = SkpStatus.DRAFT
        skp.version += 1
        skp.save(update_fields=["status", "version", "updated_at"])
        _log(actor, skp, "skp.revise", after={"version": skp.version})


def _check_source(skp: Skp, supports: Rhk | None, indicator: Indicator | None, today: datetime.date) -> None:
    """A JPT's RHK comes from an IKU of the agency or the unit; anyone else's supports an RHK of the
    direct supervisor's own plan for the same year."""
    if skp.is_jpt:
        if indicator is None or supports is not None:
            raise DomainError(_("RHK pimpinan tinggi diturunkan dari IKU / perjanjian kinerja: pilih IKU."), field="indicator")
        if indicator.perf_year_id != skp.perf_year_id or (indicator.unit_id not in (None, skp.unit_id)):
            raise DomainError(_("IKU harus milik instansi atau unit ini pada tahun yang sama."), field="indicator")
        return
    if indicator is not None:
        raise DomainError(_("Hanya RHK pimpinan tinggi yang diturunkan langsung dari IKU."), field="indicator")
    link = resolve_assessor(skp.employee, today)
    if link.external:
        raise DomainError(
            _("Atasan langsung berada di luar registri: RHK diturunkan dari perjanjian kinerja, tanpa RHK atasan."),
            field="supports",
        )
    if supports is None:
        raise DomainError(_("Pilih RHK atasan langsung yang diintervensi."), field="supports")
    target = supports.skp
    if target.employee_id != link.employee_id or target.perf_year.year != skp.perf_year.year:
        raise DomainError(
            _("RHK yang diintervensi harus RHK atasan langsung Anda pada tahun yang sama."), field="supports"
        )


def _indicators(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    clean = [(a, t.strip(), g.strip()) for a, t, g in rows if t and t.strip()]
    if not clean:
        raise DomainError(_("Setiap RHK memerlukan sedikitnya satu indikator dengan target."), field="indicators")
    for aspect, _text, target in clean:
        if aspect not in Aspect.values:
            raise DomainError(_("Aspek indikator tidak dikenal."), field="indicators")
        if not target:
            raise DomainError(_("Setiap indikator memerlukan target."), field="indicators")
    return clean


@transaction.atomic
def rhk_add(
    *,
    actor,
    skp: Skp,
    text: str,
    indicators: list[tuple[str, str, str]],
    supports: Rhk | None = None,
    indicator: Indicator | None = None,
    today: datetime.date | None = None,
) -> Rhk:
    """Add a work-result plan with its indicators (aspect, indicator, target)."""
    today = today or timezone.localdate()
    skp = _lock(skp)
    require_owner(actor, skp.employee)
    if not text.strip():
        raise DomainError(_("Tuliskan rencana hasil kerja."), field="text")
    _check_source(skp, supports, indicator, today)
    rows = _indicators(indicators)
    _start_change(actor, skp)
    rhk = Rhk.objects.create(
        skp=skp, text=text.strip(), supports=supports, indicator=indicator, order=skp.rhks.count() + 1
    )
    RhkIndicator.objects.bulk_create(RhkIndicator(rhk=rhk, aspect=a, text=t, target=g) for a, t, g in rows)
    _log(
        actor,
        skp,
        "skp.rhk_add",
        after={"rhk": rhk.text, "supports": supports.pk if supports else None, "indicators": rows},
    )
    return rhk


@transaction.atomic
def rhk_update(
    *,
    actor,
    rhk: Rhk,
    text: str,
    indicators: list[tuple[str, str, str]],
    supports: Rhk | None = None,
    indicator: Indicator | None = None,
    today: datetime.date | None = None,
) -> Rhk:
    """Change a work-result plan; an approved plan becomes a new draft version."""
    today = today or timezone.localdate()
    skp = _lock(rhk.skp)
    require_owner(actor, skp.employee)
    _check_source(skp, supports, indicator, today)
    rows = _indicators(indicators)
    _start_change(actor, skp)
    before = {"rhk": rhk.text, "indicators": [(i.aspect, i.text, i.target) for i in rhk.indicators.all()]}
    rhk.text, rhk.supports, rhk.indicator = text.strip(), supports, indicator
    rhk.save()
    rhk.indicators.all().delete()
    RhkIndicator.objects.bulk_create(RhkIndicator(rhk=rhk, aspect=a, text=t, target=g) for a, t, g in rows)
    _log(actor, skp, "skp.rhk_update", before=before, after={"rhk": rhk.text, "indicators": rows})
    return rhk


@transaction.atomic
def rhk_delete(*, actor, rhk: Rhk) -> None:
    """Remove a work-result plan that no subordinate's plan supports."""
    skp = _lock(rhk.skp)
    require_owner(actor, skp.employee)
    if rhk.supported_by.exists():
        raise DomainError(_("RHK ini diintervensi oleh RHK bawahan; minta bawahan memindahkannya dahulu."))
    if rhk.evidence.exists() or rhk.realizations.exists():
        raise DomainError(_("RHK ini sudah memiliki bukti atau realisasi dan tidak dapat dihapus."))
    _start_change(actor, skp)
    _log(actor, skp, "skp.rhk_delete", before={"rhk": rhk.text})
    rhk.delete()


@transaction.atomic
def expectation_set(*, actor, skp: Skp, behaviour: str, text: str, today: datetime.date | None = None) -> None:
    """The supervisor's specific expectation for one BerAKHLAK value (empty text removes it)."""
    today = today or timezone.localdate()
    skp = _lock(skp)
    require_assessor(actor, skp.employee, today)
    if behaviour not in Behaviour.values:
        raise DomainError(_("Nilai BerAKHLAK tidak dikenal."), field="behaviour")
    old = BehaviourExpectation.objects.filter(skp=skp, behaviour=behaviour).first()
    if text.strip():
        BehaviourExpectation.objects.update_or_create(skp=skp, behaviour=behaviour, defaults={"text": text.strip()})
    elif old:
        old.delete()
    _log(
        actor,
        skp,
        "skp.expectation",
        before={behaviour: old.text} if old else None,
        after={behaviour: text.strip()} if text.strip() else None,
    )


@transaction.atomic
def skp_submit(*, actor, skp: Skp, today: datetime.date | None = None) -> Skp:
    """Send the plan to the direct supervisor for approval."""
    today = today or timezone.localdate()
    skp = _lock(skp)
    require_owner(actor, skp.employee)
    if skp.status not in (SkpStatus.DRAFT, SkpStatus.RETURNED):
        raise DomainError(_("Hanya SKP berstatus draf atau dikembalikan yang dapat diajukan."), code="state")
    rhks = list(skp.rhks.select_related("supports__skp"))
    if not rhks:
        raise DomainError(_("Tambahkan sedikitnya satu rencana hasil kerja sebelum mengajukan."))
    link = resolve_assessor(skp.employee, today)
    if not skp.is_jpt and not link.external:
        stale = [r.text for r in rhks if r.supports is None or r.supports.skp.employee_id != link.employee_id]
        if stale:
            raise DomainError(
                _("Atasan langsung Anda berganti: hubungkan kembali RHK berikut ke RHK atasan yang baru: %(l)s")
                % {"l": "; ".join(stale)},
                code="stale_cascade",
            )
    skp.assessor_id = link.employee_id
    skp.assessor_position_id = link.position_id
    skp.assessor_external = link.external
    skp.status, skp.submitted_at, skp.return_comment = SkpStatus.SUBMITTED, timezone.now(), ""
    skp.save()
    _log(actor, skp, "skp.submit", after={"version": skp.version, "assessor": link.employee_id or link.external})
    return skp


def _decide(actor, skp: Skp, today: datetime.date | None) -> Skp:
    today = today or timezone.localdate()
    skp = _lock(skp)
    require_assessor(actor, skp.employee, today)
    if skp.status != SkpStatus.SUBMITTED:
        raise DomainError(_("Hanya SKP yang sedang diajukan yang dapat diputuskan."), code="state")
    return skp


@transaction.atomic
def skp_approve(*, actor, skp: Skp, today: datetime.date | None = None) -> Skp:
    """Approve the submitted plan; the approved version is kept even if the plan changes later."""
    skp = _decide(actor, skp, today)
    skp.status, skp.approved_at = SkpStatus.APPROVED, timezone.now()
    skp.save(update_fields=["status", "approved_at", "updated_at"])
    content = skp_content(skp)
    SkpVersion.objects.update_or_create(
        skp=skp, version=skp.version, defaults={"content": content, "approved_at": skp.approved_at}
    )
    _log(actor, skp, "skp.approve", after={"version": skp.version})
    return skp


@transaction.atomic
def skp_return(*, actor, skp: Skp, comment: str, today: datetime.date | None = None) -> Skp:
    """Send the plan back to the employee with what to change."""
    if not comment.strip():
        raise DomainError(_("Tuliskan apa yang perlu diperbaiki."), field="comment")
    skp = _decide(actor, skp, today)
    skp.status, skp.return_comment = SkpStatus.RETURNED, comment.strip()
    skp.save(update_fields=["status", "return_comment", "updated_at"])
    _log(actor, skp, "skp.return", after={"comment": skp.return_comment})
    return skp
