"""Ratings: the supervisor rates each period, the unit is finalized against the distribution curve,
final ratings are immutable and only a recorded re-opening changes them; follow-up comes from them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Entry, audit_log, audit_log_many, entry_for, snapshot
from core.errors import DomainError
from core.params import rule_param
from organization.choices import PositionType
from organization.models import OrgUnit
from performance import rules
from performance.choices import AssessmentStatus, CurvePolicy, SkpStatus
from performance.models import (
    Assessment,
    CoachingAction,
    CoachingPlan,
    CreditPoint,
    OrgRating,
    PerformanceYear,
    Period,
    Reopening,
    Skp,
)
from performance.services.common import head_positions, leads_unit, require_assessor, unit_head
from performance.services.setup import settings_for

LOW = (rules.BUTUH_PERBAIKAN, rules.KURANG, rules.SANGAT_KURANG)
FUNCTIONAL = (PositionType.FUNCTIONAL_EXPERT, PositionType.FUNCTIONAL_SKILLED)


def org_to_result_rating(org_predikat: str, day: datetime.date) -> str:
    mapping = rule_param("performance.org_to_result_rating", on=day, default=rules.ORG_TO_RESULT_RATING_DEFAULT)
    return mapping[org_predikat]


def led_unit(skp: Skp) -> OrgUnit | None:
    """The unit whose head post the plan's post is, if any (its predikat is the head's result rating)."""
    return leads_unit(skp.position) if skp.position.unit_id == skp.unit_id else None


@transaction.atomic
def assessment_save(
    *,
    actor,
    skp: Skp,
    period: Period,
    result_rating: str | None,
    behaviour_rating: str,
    behaviour_notes: dict | None = None,
    today: datetime.date | None = None,
) -> Assessment:
    """Rate a period (a draft until the unit is finalized); a unit head's result rating is the unit's predikat."""
    today = today or timezone.localdate()
    skp = Skp.objects.select_for_update().select_related("employee", "position", "unit", "perf_year").get(pk=skp.pk)
    require_assessor(actor, skp.employee, today)
    if period.perf_year_id != skp.perf_year_id:
        raise DomainError(_("Periode bukan bagian dari tahun SKP ini."), field="period")
    if skp.status != SkpStatus.APPROVED and not skp.versions.exists():
        raise DomainError(_("SKP belum disetujui: setujui rencananya sebelum menilai."), code="state")
    if period.start > today:
        raise DomainError(_("Periode ini belum dimulai."), field="period")
    unit = led_unit(skp)
    if unit is not None:
        org = OrgRating.objects.filter(unit=unit, period=period).first()
        if org is None:
            raise DomainError(
                _(
                    "Pegawai ini memimpin “%(unit)s”: rating hasil kerjanya mengikuti predikat unit, yang belum "
                    "ditetapkan oleh atasan kepala unit untuk periode ini."
                )
                % {"unit": unit.name},
                code="no_org_rating",
            )
        result_rating = org_to_result_rating(org.predikat, today)
    valid = set(rules.RATINGS)
    if result_rating not in valid:
        raise DomainError(_("Pilih rating hasil kerja."), field="result_rating")
    if behaviour_rating not in valid:
        raise DomainError(_("Pilih rating perilaku kerja."), field="behaviour_rating")
    current = Assessment.objects.select_for_update().filter(skp=skp, period=period).first()
    if current and current.status == AssessmentStatus.FINAL:
        raise DomainError(_("Penilaian ini sudah final; perubahan hanya melalui pembukaan kembali."), code="final")
    before = snapshot(current, ["result_rating", "behaviour_rating", "predikat"]) if current else None
    obj = current or Assessment(skp=skp, period=period)
    obj.result_rating, obj.behaviour_rating = result_rating, behaviour_rating
    obj.behaviour_notes = {k: v for k, v in (behaviour_notes or {}).items() if v}
    obj.predikat = rules.predikat(result_rating, behaviour_rating)
    obj.rated_by = actor.user
    obj.save()
    audit_log(
        actor=actor.user,
        entry=entry_for(
            obj,
            "assessment.save",
            agency_id=skp.employee.agency_id,
            before=before,
            after=snapshot(obj, ["result_rating", "behaviour_rating", "predikat"]),
        ),
    )
    return obj


@dataclass
class UnitRound:
    """A unit's period on the rating screen: who is rated under its predikat and how the curve stands."""

    unit: OrgUnit
    period: Period
    org_rating: OrgRating | None
    skps: list[Skp]
    assessments: dict[int, Assessment]  # skp id -> assessment
    check: rules.CurveCheck | None

    @property
    def missing(self) -> list[Skp]:
        return [s for s in self.skps if s.pk not in self.assessments]

    @property
    def all_final(self) -> bool:
        return bool(self.skps) and all(
            a.status == AssessmentStatus.FINAL for a in self.assessments.values()
        ) and not self.missing


def unit_round(unit: OrgUnit, period: Period) -> UnitRound:
    """The people the unit's curve covers: plans of the unit and its sub-units, without the heads of
    sub-units that have their own predikat for the period (they are on their own curve), and without the
    unit's own head (rated under the parent unit)."""
    own = OrgRating.objects.filter(unit=unit, period=period).first()
    rated_subunits = list(
        OrgRating.objects.filter(period=period, unit__path__startswith=unit.path)
        .exclude(unit=unit)
        .values_list("unit__path", flat=True)
    )
    head_ids = set(head_positions(unit).values_list("pk", flat=True))
    skps = [
        s
        for s in Skp.objects.filter(perf_year=period.perf_year, unit__path__startswith=unit.path)
        .exclude(status__in=[SkpStatus.DRAFT, SkpStatus.RETURNED, SkpStatus.SUBMITTED], versions__isnull=True)
        .select_related("employee", "position", "unit")
        .order_by("employee__name")
        if s.position_id not in head_ids and not any(s.unit.path.startswith(p) for p in rated_subunits)
    ]
    assessments = {
        a.skp_id: a for a in Assessment.objects.filter(period=period, skp__in=[s.pk for s in skps])
    }
    check = None
    if own is not None:
        counts: dict[str, int] = {}
        for a in assessments.values():
            counts[a.predikat] = counts.get(a.predikat, 0) + 1
        rounding = settings_for(unit.agency).rounding
        check = rules.check_curve(own.predikat, counts, len(skps), rounding)
    return UnitRound(unit, period, own, skps, assessments, check)


def may_finalize(actor, unit: OrgUnit, day: datetime.date) -> bool:
    """The unit's head (definitive or acting) or the agency's HR admin."""
    if actor.can_write_agency(unit.agency_id):
        return True
    _pos, head = unit_head(unit, day)
    return head is not None and head.pk == actor.employee_id


@transaction.atomic
def unit_finalize(
    *, actor, unit: OrgUnit, period: Period, justification: str = "", today: datetime.date | None = None
) -> list[Assessment]:
    """Make the unit's ratings for the period final, if the curve holds (or with a justification)."""
    today = today or timezone.localdate()
    if not may_finalize(actor, unit, today):
        raise PermissionDenied(_("Penetapan akhir dilakukan oleh kepala unit atau admin kepegawaian."))
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    rnd = unit_round(unit, period)
    if rnd.org_rating is None:
        raise DomainError(
            _("Atasan kepala unit belum menetapkan predikat kinerja organisasi “%(u)s” untuk %(p)s.")
            % {"u": unit.name, "p": period.label},
            code="no_org_rating",
        )
    if not rnd.skps:
        raise DomainError(_("Tidak ada SKP yang disetujui di unit ini."))
    if rnd.missing:
        raise DomainError(
            _("Belum dinilai: %(names)s.") % {"names": ", ".join(s.employee.name for s in rnd.missing)},
            code="unrated",
        )
    drafts = [a for a in rnd.assessments.values() if a.status == AssessmentStatus.DRAFT]
    if not drafts:
        raise DomainError(_("Semua penilaian unit ini sudah final."), code="state")
    check = rnd.check
    reason = ""
    if not check.ok:
        lines = "; ".join(_describe(line) for line in check.broken)
        policy = settings_for(unit.agency).curve_policy
        if policy == CurvePolicy.REFUSE:
            raise DomainError(
                _("Sebaran predikat menyimpang dari kurva distribusi: %(l)s.") % {"l": lines}, code="curve"
            )
        if not justification.strip():
            raise DomainError(
                _("Sebaran predikat menyimpang dari kurva distribusi (%(l)s): tuliskan justifikasinya.") % {"l": lines},
                field="justification",
                code="curve",
            )
        reason = justification.strip()
    now = timezone.now()
    for a in drafts:
        a.status, a.finalized_at, a.curve_justification = AssessmentStatus.FINAL, now, reason
    Assessment.objects.bulk_update(drafts, ["status", "finalized_at", "curve_justification"])
    audit_log_many(
        actor=actor.user,
        entries=[
            Entry(
                "assessment.finalize",
                "performance.assessment",
                str(a.pk),
                f"{a.skp.employee} {period.label}",
                unit.agency_id,
                None,
                {"predikat": a.predikat, "curve": rnd.org_rating.predikat},
                reason,
            )
            for a in drafts
        ],
    )
    _follow_up(actor, drafts, period, today)
    return drafts


def _describe(line: rules.CurveLine) -> str:
    from performance.choices import Predikat

    names = " + ".join(str(Predikat(p).label) for p in line.constraint.predikat)
    if line.constraint.kind == "max":
        return _("%(n)s paling banyak %(lim)s orang, diberikan %(act)s") % {"n": names, "lim": line.limit, "act": line.actual}
    return _("%(n)s sedikitnya %(lim)s orang, diberikan %(act)s") % {"n": names, "lim": line.limit, "act": line.actual}


def describe_line(line: rules.CurveLine) -> str:
    return _describe(line)


def _follow_up(actor, finals: list[Assessment], period: Period, today: datetime.date) -> None:
    """Coaching plans for low predikat; angka kredit for functional posts at the annual assessment."""
    for a in finals:
        if a.predikat in LOW:
            plan, created = CoachingPlan.objects.get_or_create(assessment=a, defaults={"employee_id": a.skp.employee_id})
            if created:
                audit_log(
                    actor=actor.user,
                    entry=entry_for(plan, "coaching.create", agency_id=a.skp.employee.agency_id, after={"predikat": a.predikat}),
                )
        if period.is_final and a.skp.position.position_type in FUNCTIONAL:
            koef_table = rule_param("performance.ak_koefisien", on=today, default=rules.AK_KOEFISIEN_DEFAULT)
            koef = koef_table.get(a.skp.position.level)
            if koef is None:
                continue
            amount = rules.credit_points(a.predikat, koef)
            cp, _c = CreditPoint.objects.update_or_create(
                assessment=a,
                defaults={
                    "employee_id": a.skp.employee_id,
                    "level": a.skp.position.level,
                    "koefisien": Decimal(str(koef)),
                    "percent": rules.AK_PERCENT[a.predikat],
                    "months": 12,
                    "amount": Decimal(str(amount)),
                },
            )
            audit_log(
                actor=actor.user,
                entry=entry_for(cp, "credit_point.award", agency_id=a.skp.employee.agency_id, after={"amount": str(amount)}),
            )


@transaction.atomic
def assessment_reopen(*, actor, assessment: Assessment, reason: str) -> Assessment:
    """Re-open a final rating for correction, keeping what it was and why it was opened."""
    assessment = Assessment.objects.select_for_update().select_related("skp__employee").get(pk=assessment.pk)
    agency_id = assessment.skp.employee.agency_id
    if not actor.can_write_agency(agency_id):
        raise PermissionDenied(_("Pembukaan kembali penilaian dilakukan oleh admin kepegawaian instansi."))
    if assessment.status != AssessmentStatus.FINAL:
        raise DomainError(_("Hanya penilaian final yang dapat dibuka kembali."), code="state")
    if assessment.skp.perf_year.closed_at:
        raise DomainError(_("Tahun kinerja sudah ditutup."))
    if not reason.strip():
        raise DomainError(_("Tuliskan alasan pembukaan kembali (mis. nomor surat keberatan)."), field="reason")
    before = snapshot(assessment, ["result_rating", "behaviour_rating", "predikat", "finalized_at", "curve_justification"])
    Reopening.objects.create(assessment=assessment, reason=reason.strip(), before=before, by=actor.user)
    CreditPoint.objects.filter(assessment=assessment).delete()
    assessment.status, assessment.finalized_at = AssessmentStatus.DRAFT, None
    assessment.save(update_fields=["status", "finalized_at", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(assessment, "assessment.reopen", agency_id=agency_id, before=before, after={"status": "draft"}, reason=reason.strip()),
    )
    return assessment


@transaction.atomic
def coaching_action_add(
    *, actor, plan: CoachingPlan, action: str, owner: str, start: datetime.date, due: datetime.date
) -> CoachingAction:
    """Add an action with its owner and dates to a coaching plan (supervisor or HR admin)."""
    emp = plan.employee
    if not actor.can_write_agency(emp.agency_id):
        require_assessor(actor, emp, timezone.localdate())
    if not action.strip() or not owner.strip():
        raise DomainError(_("Isi tindakan dan penanggung jawabnya."), field="action")
    if due < start:
        raise DomainError(_("Tenggat tidak boleh sebelum tanggal mulai."), field="due")
    obj = CoachingAction.objects.create(plan=plan, action=action.strip(), owner=owner.strip(), start=start, due=due)
    audit_log(actor=actor.user, entry=entry_for(plan, "coaching.action_add", agency_id=emp.agency_id, after=snapshot(obj)))
    return obj


@transaction.atomic
def year_close(*, actor, perf_year: PerformanceYear) -> PerformanceYear:
    """Close the year once every approved plan has a final annual rating."""
    if not actor.can_write_agency(perf_year.agency_id):
        raise PermissionDenied(_("Hanya admin kepegawaian instansi ini yang dapat menutup tahun kinerja."))
    perf_year = PerformanceYear.objects.select_for_update().get(pk=perf_year.pk)
    if perf_year.closed_at:
        raise DomainError(_("Tahun kinerja sudah ditutup."))
    final_period = perf_year.periods.get(is_final=True)
    open_count = (
        Skp.objects.filter(perf_year=perf_year, status=SkpStatus.APPROVED)
        .exclude(assessments__period=final_period, assessments__status=AssessmentStatus.FINAL)
        .count()
    )
    if open_count:
        raise DomainError(
            _("%(n)s SKP yang disetujui belum memiliki predikat tahunan final.") % {"n": open_count}, code="open"
        )
    perf_year.closed_at = timezone.now()
    perf_year.save(update_fields=["closed_at", "updated_at"])
    audit_log(actor=actor.user, entry=entry_for(perf_year, "performance.year_close", agency_id=perf_year.agency_id))
    return perf_year
