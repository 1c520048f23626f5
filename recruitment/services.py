"""Writes of the recruitment app; each audited in its own transaction."""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for, snapshot
from core.errors import DomainError
from organization.models import Agency, OrgUnit, Position
from recruitment.access import require_committee
from recruitment.choices import Category
from recruitment.models import (
    Announcement,
    Appeal,
    Applicant,
    Application,
    ApplicationDocument,
    Formation,
    FormationQuota,
    RecruitmentPeriod,
    Verification,
)


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


@transaction.atomic
def applicant_register(
    *,
    nik: str,
    name: str,
    birth_date: datetime.date,
    education,
    password: str,
    email: str = "",
    phone: str = "",
    visually_impaired: bool = False,
) -> Applicant:
    """Create an applicant's account, tied to a NIK (16 digits, one account per NIK)."""
    from accounts.choices import Role
    from accounts.models import RoleAssignment, User
    from personnel.rules import check_nik

    nik = (nik or "").strip()
    if check_nik(nik):
        raise DomainError(_("NIK harus 16 digit angka."), field="nik")
    if Applicant.objects.filter(nik=nik).exists() or User.objects.filter(username=nik).exists():
        raise DomainError(_("NIK ini sudah terdaftar: masuk dengan akun yang ada atau pulihkan kata sandinya."), field="nik")
    if not name.strip():
        raise DomainError(_("Isi nama sesuai KTP."), field="name")
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(username=nik, full_name=name.strip(), email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT)
    applicant = Applicant.objects.create(
        user=user,
        nik=nik,
        name=name.strip(),
        birth_date=birth_date,
        education=education,
        phone=phone,
        visually_impaired=visually_impaired,
    )
    audit_log(actor=user, entry=entry_for(applicant, "recruitment.applicant_register", after={"nik": nik[:6] + "…"}))
    return applicant


@transaction.atomic
def application_submit(
    *, actor, formation: Formation, category: str, idempotency_key: str, now: datetime.datetime | None = None
) -> Application:
    """Apply for a formation. A retry with the same key (double click, network retry) returns the same
    application; a second, different application in the same period is refused."""
    from django.utils import timezone

    now = now or timezone.now()
    applicant = Applicant.objects.select_for_update().filter(user=actor.user).first() if actor.user else None
    if applicant is None:
        raise PermissionDenied(_("Hanya pelamar terdaftar yang dapat melamar."))
    if not idempotency_key or len(idempotency_key) > 64:
        raise DomainError(_("Permintaan tidak sah; muat ulang halaman."))
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.applicant_id != applicant.pk:
            raise DomainError(_("Permintaan tidak sah; muat ulang halaman."))
        return existing
    period = formation.period
    if not (period.registration_opens <= now <= period.registration_closes):
        raise DomainError(_("Pendaftaran periode ini tidak sedang dibuka."), code="closed")
    if period.published_at is None:
        raise DomainError(_("Formasi ini belum diumumkan."))
    if not formation.quotas.filter(category=category).exists():
        raise DomainError(_("Formasi ini tidak membuka jenis kebutuhan tersebut."), field="category")
    if not formation.education.filter(pk=applicant.education_id).exists():
        raise DomainError(_("Pendidikan Anda tidak sesuai kualifikasi formasi ini."), field="formation")
    other = Application.objects.filter(applicant=applicant, period=period).first()
    if other is not None:
        raise DomainError(
            _("Anda sudah melamar pada periode ini (nomor pendaftaran %(no)s).") % {"no": other.registration_number},
            code="duplicate",
        )
    application = Application.objects.create(
        applicant=applicant,
        period=period,
        formation=formation,
        category=category,
        registration_number=f"TMP-{idempotency_key[:16]}",
        idempotency_key=idempotency_key,
        submitted_at=now,
    )
    application.registration_number = f"{period.kind.upper()}{period.year % 100:02d}-{application.pk:08d}"
    application.save(update_fields=["registration_number"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            application,
            "recruitment.application_submit",
            agency_id=formation.agency_id,
            after={"formation": formation.pk, "category": category, "number": application.registration_number},
        ),
    )
    return application


@transaction.atomic
def verification_decide(
    *, actor, application: Application, eligible: bool, reason: str = "", note: str = ""
) -> Verification:
    """Record the committee's check; with a second check on, a different member confirms the first."""
    from recruitment.choices import ApplicationStatus, IneligibleReason

    application = Application.objects.select_for_update().select_related("period", "formation").get(pk=application.pk)
    require_committee(actor, application.formation.agency_id)
    if not eligible and reason not in IneligibleReason.values:
        raise DomainError(_("Pilih alasan tidak memenuhi syarat dari daftar."), field="reason")
    if reason == IneligibleReason.OTHER and not note.strip():
        raise DomainError(_("Jelaskan alasannya di catatan."), field="note")
    if hasattr(application, "appeal") and application.appeal.decided_at:
        raise DomainError(_("Keputusan sanggah sudah final."), code="final")
    done = list(application.verifications.all())
    stages = 2 if application.period.second_check else 1
    if len(done) >= stages:
        raise DomainError(_("Verifikasi lamaran ini sudah selesai."), code="done")
    if done and done[0].by_id == actor.user.pk:
        raise DomainError(_("Verifikasi tahap kedua dilakukan oleh anggota panitia yang lain."), code="same_checker")
    v = Verification.objects.create(
        application=application,
        stage=len(done) + 1,
        eligible=eligible,
        reason="" if eligible else reason,
        note=note.strip(),
        by=actor.user,
    )
    if v.stage == stages:
        application.status = ApplicationStatus.ELIGIBLE if eligible else ApplicationStatus.INELIGIBLE
        application.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            application,
            "recruitment.verify",
            agency_id=application.formation.agency_id,
            after={"stage": v.stage, "eligible": eligible, "reason": v.reason, "status": application.status},
            reason=note.strip(),
        ),
    )
    return v


@transaction.atomic
def appeal_submit(*, actor, application: Application, text: str, now: datetime.datetime | None = None) -> Appeal:
    """The applicant's objection to an ineligible verdict, within the appeal window, once."""
    from django.utils import timezone

    from recruitment.choices import ApplicationStatus

    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("period", "applicant").get(pk=application.pk)
    if application.applicant.user_id != getattr(actor.user, "pk", None):
        raise PermissionDenied(_("Hanya pelamar pemilik lamaran yang dapat menyanggah."))
    if application.status != ApplicationStatus.INELIGIBLE:
        raise DomainError(_("Sanggah hanya untuk lamaran yang dinyatakan tidak memenuhi syarat."), code="state")
    p = application.period
    if not (p.appeal_opens and p.appeal_closes and p.appeal_opens <= now <= p.appeal_closes):
        raise DomainError(_("Masa sanggah tidak sedang dibuka."), code="closed")
    if Appeal.objects.filter(application=application).exists():
        raise DomainError(_("Sanggah hanya dapat diajukan satu kali."), code="duplicate")
    if not text.strip():
        raise DomainError(_("Tuliskan alasan sanggah."), field="text")
    appeal = Appeal.objects.create(application=application, text=text.strip(), submitted_at=now)
    audit_log(actor=actor.user, entry=entry_for(application, "recruitment.appeal_submit", after={"text": appeal.text[:200]}))
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, granted: bool, response: str) -> Appeal:
    """The committee's answer and final decision on an appeal: granted makes the application eligible."""
    from django.utils import timezone

    from recruitment.choices import AppealDecision, ApplicationStatus

    appeal = Appeal.objects.select_for_update().select_related("application__formation").get(pk=appeal.pk)
    application = appeal.application
    require_committee(actor, application.formation.agency_id)
    if appeal.decided_at:
        raise DomainError(_("Sanggah ini sudah diputuskan."), code="final")
    if not response.strip():
        raise DomainError(_("Tuliskan jawaban panitia."), field="response")
    appeal.decision = AppealDecision.GRANTED if granted else AppealDecision.REJECTED
    appeal.response, appeal.decided_by, appeal.decided_at = response.strip(), actor.user, timezone.now()
    appeal.save()
    if granted:
        application.status = ApplicationStatus.ELIGIBLE
        application.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor.user,
        entry=entry_for(
            application,
            "recruitment.appeal_decide",
            agency_id=application.formation.agency_id,
            after={"decision": appeal.decision, "status": application.status},
            reason=appeal.response[:300],
        ),
    )
    return appeal


@transaction.atomic
def announcement_publish(*, actor, period: RecruitmentPeriod, title: str, body: str, agency=None) -> Announcement:
    """Publish an announcement of the period (for one agency by its committee, or national)."""
    from django.utils import timezone

    if agency is None:
        if actor.write_agency_ids is not None:
            raise PermissionDenied(_("Pengumuman nasional diterbitkan oleh admin nasional."))
    else:
        require_committee(actor, agency.pk)
    if not title.strip() or not body.strip():
        raise DomainError(_("Isi judul dan isi pengumuman."), field="title")
    a = Announcement.objects.create(period=period, agency=agency, title=title.strip(), body=body.strip(), published_at=timezone.now())
    audit_log(actor=actor.user, entry=entry_for(a, "recruitment.announce", agency_id=agency.pk if agency else None, after={"title": a.title}))
    return a


@transaction.atomic
def document_upload(*, actor, application: Application, kind: str, file) -> ApplicationDocument:
    """Attach a document to one's own application while registration is open; type by content, size capped."""
    from django.utils import timezone

    from recruitment.rules import DOCUMENT_RULES, sniff

    application = Application.objects.select_for_update().select_related("applicant", "period").get(pk=application.pk)
    if application.applicant.user_id != getattr(actor.user, "pk", None):
        raise PermissionDenied(_("Hanya pelamar pemilik lamaran yang dapat mengunggah dokumen."))
    p = application.period
    if not (p.registration_opens <= timezone.now() <= p.registration_closes):
        raise DomainError(_("Dokumen hanya dapat diunggah selama masa pendaftaran."), code="closed")
    if kind not in DOCUMENT_RULES:
        raise DomainError(_("Jenis dokumen tidak dikenal."), field="kind")
    types, limit = DOCUMENT_RULES[kind]
    if file is None or not file.size:
        raise DomainError(_("Pilih berkasnya."), field="file")
    if file.size > limit:
        raise DomainError(
            _("Berkas %(size)s KB melebihi batas %(limit)s KB.") % {"size": (file.size + 1023) // 1024, "limit": limit // 1024},
            field="file",
        )
    head = file.read(8)
    file.seek(0)
    found = sniff(head)
    if found not in types:
        raise DomainError(
            _("Isi berkas bukan %(types)s (nama berkas tidak menentukan jenisnya).")
            % {"types": " / ".join(t.upper() for t in sorted(types))},
            field="file",
        )
    doc = ApplicationDocument.objects.create(application=application, kind=kind, file=file, size=file.size, content_type=found)
    audit_log(
        actor=actor.user,
        entry=entry_for(application, "recruitment.document_upload", after={"kind": kind, "size": file.size, "type": found}),
    )
    return doc
