"""Writes of the recruitment app; each audited in its own transaction."""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for, snapshot
from core.errors import DomainError
from organization.models import Agency, OrgUnit, Position
from recruitment.choices import Category
from recruitment.models import Formation, FormationQuota, RecruitmentPeriod


def _formations_changed() -> None:
    """Make the public formation pages read fresh data (their cache key carries this version)."""
    from recruitment.views import CACHE_VERSION_KEY

    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 1, None)


@transaction.atomic
def period_create(
    *, actor, kind: str, year: int, name: str, opens: datetime.datetime, closes: datetime.datetime
) -> RecruitmentPeriod:
    """Open a national selection period (national admin only)."""
    if actor.write_agency_ids is not None:
        raise PermissionDenied(_("Periode seleksi dibuka oleh admin nasional."))
    if closes <= opens:
        raise DomainError(_("Pendaftaran harus ditutup setelah dibuka."), field="closes")
    if RecruitmentPeriod.objects.filter(kind=kind, year=year).exists():
        raise DomainError(_("Periode seleksi ini sudah ada."), field="year")
    period = RecruitmentPeriod.objects.create(
        kind=kind, year=year, name=name, registration_opens=opens, registration_closes=closes
    )
    audit_log(actor=actor.user, entry=entry_for(period, "recruitment.period_create", after=snapshot(period)))
    return period


@transaction.atomic
def formation_create(
    *,
    actor,
    period: RecruitmentPeriod,
    agency: Agency,
    unit: OrgUnit,
    position_title: str,
    education: list,
    quotas: dict[str, int],
    position: Position | None = None,
    education_majors: str = "",
) -> Formation:
    """Add a formation of an agency with its quota per category (the agency's HR admin)."""
    if not actor.can_write_agency(agency.pk):
        raise PermissionDenied(_("Formasi ditetapkan oleh admin kepegawaian instansi."))
    if unit.agency_id != agency.pk or (position is not None and position.agency_id != agency.pk):
        raise DomainError(_("Unit dan jabatan harus milik instansi ini."), field="unit")
    if not position_title.strip():
        raise DomainError(_("Isi nama jabatan."), field="position_title")
    if not education:
        raise DomainError(_("Pilih sedikitnya satu kualifikasi pendidikan."), field="education")
    clean = {c: n for c, n in quotas.items() if n}
    if not clean:
        raise DomainError(_("Isi jumlah kebutuhan untuk sedikitnya satu jenis kebutuhan."), field="quotas")
    for category, n in clean.items():
        if category not in Category.values:
            raise DomainError(_("Jenis kebutuhan tidak dikenal."), field="quotas")
        if n < 0:
            raise DomainError(_("Jumlah kebutuhan tidak boleh negatif."), field="quotas")
    formation = Formation.objects.create(
        period=period,
        agency=agency,
        unit=unit,
        position=position,
        position_title=position_title.strip(),
        education_majors=education_majors.strip(),
    )
    formation.education.set(education)
    FormationQuota.objects.bulk_create(FormationQuota(formation=formation, category=c, quota=n) for c, n in clean.items())
    transaction.on_commit(_formations_changed)
    audit_log(
        actor=actor.user,
        entry=entry_for(
            formation,
            "recruitment.formation_create",
            agency_id=agency.pk,
            after=snapshot(formation) | {"quotas": clean, "education": [e.code for e in education]},
        ),
    )
    return formation
