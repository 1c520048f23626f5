"""The officer's side of the satisfaction survey: who may run it, the writes that set it up (service units,
survey periods, desk and officer links) and the action plans (rencana tindak lanjut) that answer weak
unsur and recurring complaints, tracked to completion. Every write takes ``actor`` and is audited."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for, snapshot
from core.errors import DomainError
from personnel.choices import EmployeeStatus
from publicservice import rules
from publicservice.models import ActionPlan, ServiceUnit, SurveyCampaign, SurveyPoint

# --- Scope ------------------------------------------------------------------------------------------------


def _officer_agencies(actor) -> frozenset:
    from accounts.choices import Role

    if actor.user is None or Role.COMPLAINT_OFFICER not in actor.roles:
        return frozenset()
    return frozenset(
        actor.user.role_assignments.filter(role=Role.COMPLAINT_OFFICER, agency__isnull=False).values_list(
            "agency_id", flat=True
        )
    )


def survey_agencies(actor, *, write: bool = False) -> frozenset | None:
    """Agencies whose surveys the actor runs (write: agency admins, complaint officers; national admin:
    all, ``None``) or may read (also auditors and the regional office, through their audit scope)."""
    # Computed once per actor (one query for a complaint officer), kept on the request's user.
    cached = getattr(actor.user, "_pamong_survey_scope", None)
    if cached is None or cached[0] is not actor:
        manage = None if actor.write_agency_ids is None else actor.write_agency_ids | _officer_agencies(actor)
        read = None if manage is None or actor.audit_agency_ids is None else manage | actor.audit_agency_ids
        cached = (actor, {"write": manage, "read": read})
        if actor.user is not None:
            actor.user._pamong_survey_scope = cached
    return cached[1]["write" if write else "read"]


def may_manage(actor, agency_id: int) -> bool:
    scope = survey_agencies(actor, write=True)
    return scope is None or agency_id in scope


def may_read(actor, agency_id: int) -> bool:
    scope = survey_agencies(actor)
    return scope is None or agency_id in scope


def units_visible_to(actor):
    """The service units whose surveys the actor may read."""
    scope = survey_agencies(actor)
    qs = ServiceUnit.objects.all()
    return qs if scope is None else qs.filter(agency_id__in=scope)


def access_unit(actor, unit_id: int, *, for_write: bool = False) -> ServiceUnit:
    """The service unit if the actor may read its surveys (run them, for a write); 404 otherwise."""
    unit = units_visible_to(actor).select_related("agency", "org_unit").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    if for_write and not may_manage(actor, unit.agency_id):
        raise PermissionDenied(_("Anda tidak mengelola survei unit ini."))
    return unit


def access_campaign(actor, campaign_id: int, *, for_write: bool = False) -> SurveyCampaign:
    """The survey period if the actor may read it (run it, for a write); 404 otherwise."""
    scope = survey_agencies(actor)
    qs = SurveyCampaign.objects.select_related("unit__agency", "unit__org_unit")
    if scope is not None:
        qs = qs.filter(unit__agency_id__in=scope)
    campaign = qs.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    if for_write and not may_manage(actor, campaign.unit.agency_id):
        raise PermissionDenied(_("Anda tidak mengelola survei unit ini."))
    return campaign


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Anda tidak mengelola survei unit ini."))


def _audit(actor, obj, action: str, agency_id: int, after: dict, before: dict | None = None, reason: str = "") -> None:
    audit_log(
        actor=actor.user,
        entry=entry_for(obj, f"publicservice.{action}", agency_id=agency_id, before=before, after=after, reason=reason),
    )


# --- Service units, periods, desks ------------------------------------------------------------------------


UNIT_FIELDS = ("name", "org_unit_id", "services", "address", "population", "active")


@transaction.atomic
def service_unit_save(
    *,
    actor,
    agency,
    name: str,
    org_unit=None,
    services: str = "",
    address: str = "",
    population: int = 0,
    active: bool = True,
    unit: ServiceUnit | None = None,
) -> ServiceUnit:
    """Create a service unit of an agency, or change one: its name, organisation unit, services and the
    number of service users per period (the population the sample target is drawn from)."""
    _require(may_manage(actor, agency.pk))
    name = name.strip()
    if len(name) < 3:
        raise DomainError(_("Tuliskan nama unit layanan."), field="name")
    if org_unit is not None and org_unit.agency_id != agency.pk:
        raise DomainError(_("Unit organisasi harus dari instansi yang sama."), field="org_unit")
    if population < 0:
        raise DomainError(_("Jumlah pengguna layanan tidak boleh negatif."), field="population")
    if unit is not None:
        unit = ServiceUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.agency_id != agency.pk:
            raise DomainError(_("Unit layanan tidak dapat dipindah ke instansi lain."), field="agency")
        before = snapshot(unit, UNIT_FIELDS)
    else:
        unit, before = ServiceUnit(agency=agency), None
    unit.name, unit.org_unit = name[:200], org_unit
    unit.services, unit.address = services.strip()[:500], address.strip()[:300]
    unit.population, unit.active = population, active
    unit.save()
    action = "service_unit_update" if before else "service_unit_create"
    _audit(actor, unit, action, agency.pk, snapshot(unit, UNIT_FIELDS), before)
    return unit


CAMPAIGN_FIELDS = ("name", "starts_on", "ends_on", "population", "weighting")


@transaction.atomic
def campaign_save(
    *,
    actor,
    unit: ServiceUnit,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    population: int,
    weighting: str = rules.EXACT,
    campaign: SurveyCampaign | None = None,
) -> SurveyCampaign:
    """Open a survey period of a unit (or change one): its dates, the population of service users for the
    Krejcie–Morgan target, and the weighting (exact 1/9 unless the agency insists on the printed 0,11)."""
    _require(may_manage(actor, unit.agency_id))
    name = name.strip()
    if not name:
        raise DomainError(_("Tuliskan nama periode, mis. Semester I 2026."), field="name")
    if ends_on < starts_on:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="ends_on")
    if population < 1:
        raise DomainError(_("Isi jumlah pengguna layanan dalam periode ini."), field="population")
    if weighting not in SurveyCampaign.Weighting.values:
        raise DomainError(_("Pilih pembobotan."), field="weighting")
    clash = SurveyCampaign.objects.filter(unit=unit, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if campaign is not None:
        clash = clash.exclude(pk=campaign.pk)
    if clash.exists():
        raise DomainError(_("Periode ini bertumpang tindih dengan periode survei lain di unit ini."), field="starts_on")
    if campaign is not None:
        campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.unit_id != unit.pk:
            raise DomainError(_("Periode ini milik unit lain."), field="unit")
        outside = campaign.responses.exclude(day__gte=starts_on, day__lte=ends_on)
        if outside.exists():
            raise DomainError(
                _("Sudah ada jawaban di luar tanggal baru; tanggal tidak dapat dipersempit."), field="starts_on"
            )
        before = snapshot(campaign, CAMPAIGN_FIELDS)
    else:
        campaign, before = SurveyCampaign(unit=unit), None
    campaign.name, campaign.starts_on, campaign.ends_on = name[:100], starts_on, ends_on
    campaign.population, campaign.weighting = population, weighting
    campaign.save()
    action = "campaign_update" if before else "campaign_create"
    _audit(actor, campaign, action, unit.agency_id, snapshot(campaign, CAMPAIGN_FIELDS), before)
    return campaign


@transaction.atomic
def survey_point_add(*, actor, campaign: SurveyCampaign, label: str, officer=None) -> SurveyPoint:
    """A link of its own for one desk or officer of the period, so the results come back to them."""
    _require(may_manage(actor, campaign.unit.agency_id))
    label = label.strip()
    if not label:
        raise DomainError(_("Tuliskan nama loket atau petugas."), field="label")
    if officer is not None and officer.agency_id != campaign.unit.agency_id:
        raise DomainError(_("Petugas harus pegawai instansi ini."), field="officer")
    if campaign.points.filter(label__iexact=label).exists():
        raise DomainError(_("Loket atau petugas ini sudah punya tautan."), field="label")
    point = SurveyPoint.objects.create(campaign=campaign, label=label[:150], officer=officer)
    _audit(
        actor,
        campaign,
        "survey_point_add",
        campaign.unit.agency_id,
        {"point": point.pk, "label": point.label, "officer": officer.pk if officer else None},
    )
    return point


# --- Action plans -----------------------------------------------------------------------------------------


PLAN_FIELDS = ("unit_id", "campaign_id", "unsur", "theme", "title", "owner_id", "due", "status", "result")


@transaction.atomic
def action_plan_create(
    *,
    actor,
    unit: ServiceUnit,
    title: str,
    owner,
    due: datetime.date,
    campaign: SurveyCampaign | None = None,
    unsur: str = "",
    theme: str = "",
    today: datetime.date | None = None,
) -> ActionPlan:
    """Plan the follow-up of a weak unsur of a survey period or of a recurring complaint theme, with the
    employee who answers for it and a due date."""
    today = today or timezone.localdate()
    _require(may_manage(actor, unit.agency_id))
    unsur, theme, title = unsur.strip().upper(), theme.strip(), title.strip()
    if not unsur and not theme:
        raise DomainError(_("Pilih unsur yang lemah atau tuliskan tema pengaduan berulang."), field="unsur")
    if unsur and unsur not in rules.CODES:
        raise DomainError(_("Unsur tidak dikenal."), field="unsur")
    if unsur and campaign is None:
        raise DomainError(_("Unsur survei ditindaklanjuti dari sebuah periode survei."), field="campaign")
    if campaign is not None and campaign.unit_id != unit.pk:
        raise DomainError(_("Periode survei ini milik unit lain."), field="campaign")
    if len(title) < 5:
        raise DomainError(_("Tuliskan rencana tindak lanjutnya."), field="title")
    if owner is None or owner.agency_id != unit.agency_id:
        raise DomainError(_("Penanggung jawab harus pegawai instansi ini."), field="owner")
    if owner.status != EmployeeStatus.ACTIVE:
        raise DomainError(_("Penanggung jawab harus pegawai aktif."), field="owner")
    if due < today:
        raise DomainError(_("Tenggat tidak boleh di masa lalu."), field="due")
    plan = ActionPlan.objects.create(
        unit=unit,
        campaign=campaign,
        unsur=unsur,
        theme=theme[:200],
        title=title[:300],
        owner=owner,
        due=due,
    )
    _audit(actor, plan, "action_plan_create", unit.agency_id, snapshot(plan, PLAN_FIELDS))
    return plan


def _lock(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)


def _may_update(actor, plan: ActionPlan) -> bool:
    return (actor.employee_id is not None and plan.owner_id == actor.employee_id) or may_manage(
        actor, plan.unit.agency_id
    )


@transaction.atomic
def action_plan_progress(*, actor, plan: ActionPlan, note: str) -> ActionPlan:
    """Report progress on a plan (it is then under way); the owner or the unit's survey officers."""
    p = _lock(plan)
    _require(_may_update(actor, p))
    if p.status == ActionPlan.Status.DONE:
        raise DomainError(_("Rencana ini sudah selesai."), code="state")
    note = note.strip()
    if len(note) < 5:
        raise DomainError(_("Tuliskan perkembangannya."), field="note")
    before = snapshot(p, ("status", "result"))
    p.status, p.result = ActionPlan.Status.IN_PROGRESS, note[:500]
    p.save(update_fields=["status", "result", "updated_at"])
    _audit(actor, p, "action_plan_progress", p.unit.agency_id, snapshot(p, ("status", "result")), before, note[:300])
    return p


@transaction.atomic
def action_plan_done(*, actor, plan: ActionPlan, result: str, today: datetime.date | None = None) -> ActionPlan:
    """Close a plan with what it achieved."""
    today = today or timezone.localdate()
    p = _lock(plan)
    _require(_may_update(actor, p))
    if p.status == ActionPlan.Status.DONE:
        raise DomainError(_("Rencana ini sudah selesai."), code="state")
    result = result.strip()
    if len(result) < 5:
        raise DomainError(_("Tuliskan hasil tindak lanjutnya."), field="result")
    before = snapshot(p, ("status", "result", "done_at"))
    p.status, p.result, p.done_at = ActionPlan.Status.DONE, result[:500], today
    p.save(update_fields=["status", "result", "done_at", "updated_at"])
    _audit(
        actor,
        p,
        "action_plan_done",
        p.unit.agency_id,
        snapshot(p, ("status", "result", "done_at")),
        before,
        result[:300],
    )
    return p
