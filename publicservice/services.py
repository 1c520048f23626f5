"""Writes of public service. Citizens' writes (intake, replies, ratings, survey answers) need no account:
a complaint's tracking code shows its status, and its reply key (shown once at intake) lets the reporter
reply, rate and reopen. Every officer's write takes ``actor``, checks scope and is audited."""

import datetime
import hashlib
import hmac
import io
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar
from core.audit import audit_log, entry_for
from core.errors import DomainError
from core.params import rule_param
from publicservice import clocks, rules
from publicservice.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintAttachment,
    ComplaintClass,
    ComplaintEvent,
    ComplaintKind,
    ComplaintStatus,
    Confidentiality,
    ServiceUnit,
    SurveyCampaign,
    SurveyPoint,
    SurveyResponse,
)

logger = logging.getLogger(__name__)
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_TEXT = 5000


def digest(value: str, purpose: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def resolution_days(*, classification: str, kind: str, field_inspection: bool, on: datetime.date) -> int:
    """Working days to resolve a report: by field inspection, else its class, else (never classified) its
    kind (RULES.md §8.2; rule parameters with the date they take effect, read on the clock's first day)."""
    key, default = rules.resolution_rule(classification, kind, field_inspection)
    return int(rule_param(key, on=on, default=default))


def complaint_resolution_days(c: Complaint, start: datetime.datetime, classification: str | None = None) -> int:
    """The working days the report's class (or ``classification``) gives it, by the rule on the clock's start."""
    return resolution_days(
        classification=c.classification if classification is None else classification,
        kind=c.kind,
        field_inspection=c.field_inspection,
        on=start.astimezone(calendar.WIB).date(),
    )


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def clean_attachment(upload) -> tuple[str, bytes]:
    """Check type (by content) and size; re-encode images so their metadata (GPS, camera, time) is gone."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("Lampiran paling besar 5 MB."), field="attachments")
    data = upload.read()
    kind = _sniff(data[:8])
    if kind is None:
        raise DomainError(_("Lampiran harus gambar (JPG/PNG) atau PDF."), field="attachments")
    if kind in ("jpg", "png"):
        from PIL import Image, ImageOps, UnidentifiedImageError

        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError) as exc:
            raise DomainError(_("Gambar tidak dapat dibaca."), field="attachments") from exc
        # Turn the picture upright, then write pixels only: saving without exif=/pnginfo= drops EXIF
        # (GPS position, camera, time), XMP and text chunks.
        image = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        if kind == "jpg":
            image.convert("RGB").save(out, format="JPEG", quality=90)
        else:
            image.save(out, format="PNG")
        data = out.getvalue()
    return kind, data


def _event(
    complaint: Complaint, kind: str, *, text: str = "", by=None, to_unit=None, citizen_visible: bool = True, now=None
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        text=text,
        by=by,
        to_unit=to_unit,
        citizen_visible=citizen_visible,
        at=now or timezone.now(),
    )


def _notify(complaint: Complaint, message: str) -> None:
    """Email the reporter after the transaction commits; a failing mail server never undoes the work."""
    contact = complaint.reporter_contact
    if "@" not in contact:
        return

    def send() -> None:
        try:
            send_mail(_("Perkembangan laporan %(code)s") % {"code": complaint.tracking_code}, message, None, [contact])
        except Exception:  # noqa: BLE001 - any mail error is logged and dropped
            logger.warning("could not notify the reporter of %s", complaint.tracking_code, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def complaint_submit(
    *,
    kind: str,
    unit: ServiceUnit,
    title: str,
    description: str,
    confidentiality: str = Confidentiality.PUBLIC,
    location: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    attachments=(),
    now: datetime.datetime | None = None,
) -> tuple[Complaint, str]:
    """File a report without an account; returns it and the reply key (shown once, stored as a digest)."""
    now = now or timezone.now()
    if kind not in ComplaintKind.values:
        raise DomainError(_("Pilih jenis laporan."), field="kind")
    if confidentiality not in Confidentiality.values:
        raise DomainError(_("Pilih tingkat kerahasiaan."), field="confidentiality")
    if not unit.active:
        raise DomainError(_("Unit layanan ini tidak menerima laporan."), field="unit")
    title, description = title.strip(), description.strip()
    if len(title) < 5:
        raise DomainError(_("Judul terlalu pendek."), field="title")
    if len(description) < 20:
        raise DomainError(_("Ceritakan kejadiannya (paling sedikit 20 huruf)."), field="description")
    if len(description) > MAX_TEXT:
        raise DomainError(_("Isi laporan paling banyak 5.000 huruf."), field="description")
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("Paling banyak 3 lampiran."), field="attachments")
    cleaned = [clean_attachment(a) for a in attachments]
    key = secrets.token_urlsafe(12)
    complaint = Complaint(
        kind=kind,
        unit=unit,
        agency_id=unit.agency_id,
        title=title[:200],
        description=description,
        location=location.strip()[:300],
        confidentiality=confidentiality,
        reporter_name=reporter_name.strip()[:150],
        reporter_contact=reporter_contact.strip()[:150],
    )
    clocks.start_clock(complaint, start=now, days=rules.VERIFY_DAYS)
    complaint.secret = ""
    complaint.save()
    complaint.secret = digest(f"{complaint.tracking_code}:{key}", "complaint-key")
    complaint.save(update_fields=["secret"])
    for kind_of, data in cleaned:
        att = ComplaintAttachment(complaint=complaint, kind=kind_of, size=len(data))
        att.file.save(f"lampiran.{kind_of}", ContentFile(data), save=False)
        att.save()
    _event(complaint, ComplaintEvent.Kind.SUBMITTED, now=now)
    return complaint, key


# --- Access ---------------------------------------------------------------------------------------------


def can_handle(actor, complaint: Complaint) -> bool:
    """Complaint officers and HR of the complaint's agency, the national admin."""
    from accounts.choices import Role

    if actor.write_agency_ids is None:
        return True
    if actor.user is None:
        return False
    if actor.can_write_agency(complaint.agency_id):
        return True
    return actor.user.role_assignments.filter(role=Role.COMPLAINT_OFFICER, agency_id=complaint.agency_id).exists()


def can_respond(actor, complaint: Complaint) -> bool:
    """Who may respond: the handlers, and the staff of the unit the report is with (its org unit)."""
    if can_handle(actor, complaint):
        return True
    if actor.employee_id is None or complaint.unit.org_unit_id is None:
        return False
    from personnel.models import Employee

    unit_path = complaint.unit.org_unit.path
    return Employee.objects.filter(pk=actor.employee_id, current_unit__path__startswith=unit_path).exists()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Anda tidak menangani laporan ini."))


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("unit__org_unit").get(pk=complaint.pk)


def _audit(actor, complaint: Complaint, action: str, after: dict, reason: str = "") -> None:
    audit_log(
        actor=actor.user,
        entry=entry_for(
            complaint, f"publicservice.{action}", agency_id=complaint.agency_id, after=after, reason=reason
        ),
    )


# --- Officers -------------------------------------------------------------------------------------------


@transaction.atomic
def complaint_forward(
    *,
    actor,
    complaint: Complaint,
    to_unit: ServiceUnit | None = None,
    field_inspection: bool | None = None,
    confidentiality: str | None = None,
    classification: str | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Complaint:
    """Verify, classify and send a report to the responsible unit (its own, or another — re-routing keeps
    the history); the resolution clock starts here on working days, as long as its class says. The verifier
    may make it anonymous or confidential."""
    now = now or timezone.now()
    c = _lock(complaint)
    _require(can_handle(actor, c))
    if c.status not in (ComplaintStatus.RECEIVED, ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS):
        raise DomainError(_("Laporan ini tidak dapat diteruskan lagi."), code="state")
    first = c.status == ComplaintStatus.RECEIVED
    if classification and classification not in ComplaintClass.values:
        raise DomainError(_("Pilih klasifikasi laporan."), field="classification")
    classification = classification or c.classification or (rules.default_class(c.kind) if first else "")
    target = to_unit or c.unit
    if not target.active:
        raise DomainError(_("Unit tujuan tidak aktif."), field="to_unit")
    if confidentiality:
        if confidentiality not in Confidentiality.values:
            raise DomainError(_("Pilih tingkat kerahasiaan."), field="confidentiality")
        stricter = list(Confidentiality.values).index(confidentiality) >= list(Confidentiality.values).index(
            c.confidentiality
        )
        if not stricter:
            raise DomainError(_("Kerahasiaan hanya dapat diperketat, tidak dilonggarkan."), field="confidentiality")
        c.confidentiality = confidentiality
    if first and not classification:
        raise DomainError(
            _("Pilih klasifikasi pengaduan (keluhan, sengketa, atau pelanggaran): tenggatnya mengikuti klasifikasi."),
            field="classification",
        )
    if field_inspection is not None:
        c.field_inspection = field_inspection
    rerouted = target.pk != c.unit_id
    before_class, before_due = c.classification, c.response_due
    reclassified = not first and bool(classification) and classification != c.classification
    c.classification = classification or c.classification
    c.unit, c.agency_id = target, target.agency_id
    c.status = ComplaintStatus.FORWARDED
    if first or rerouted or field_inspection is not None:
        clocks.start_clock(c, start=now, days=complaint_resolution_days(c, now))
        c.escalation = 0
    elif reclassified:
        _resize_clock(c, now)
    c.save()
    if reclassified:
        _reclassified_event(c, before_class, before_due, note, by=actor.user, now=now)
    _event(
        c,
        ComplaintEvent.Kind.VERIFIED if first else ComplaintEvent.Kind.FORWARDED,
        text=note.strip(),
        by=actor.user,
        to_unit=target,
        now=now,
    )
    _audit(
        actor,
        c,
        "complaint_forward",
        {
            "to_unit": target.pk,
            "classification": c.classification,
            "due": c.response_due.isoformat(),
            "due_provisional": c.due_provisional,
            "confidentiality": c.confidentiality,
        },
        note,
    )
    _notify(c, _("Laporan Anda diteruskan ke %(unit)s.") % {"unit": target.name})
    return c


def _resize_clock(c: Complaint, now: datetime.datetime) -> None:
    """After the class changed: the same clock start, the class's length (in force on the first day)."""
    if c.clock_started_at is None:  # a report that predates stored clocks: its clock starts now
        clocks.start_clock(c, start=now, days=complaint_resolution_days(c, now))
    else:
        clocks.start_clock(c, start=c.clock_started_at, days=complaint_resolution_days(c, c.clock_started_at))
    clocks.settle_escalation(c, now)


def _reclassified_event(c: Complaint, before_class: str, before_due, reason: str, *, by, now) -> None:
    labels = dict(ComplaintClass.choices)
    text = _("%(old)s → %(new)s; batas tanggapan %(old_due)s → %(new_due)s%(mark)s.") % {
        "old": labels.get(before_class, _("tanpa klasifikasi")),
        "new": labels[c.classification],
        "old_due": clocks.day_label(before_due),
        "new_due": clocks.day_label(c.response_due),
        "mark": _(" (sementara)") if c.due_provisional else "",
    }
    if reason.strip():
        text += "\n" + reason.strip()
    _event(c, ComplaintEvent.Kind.RECLASSIFIED, text=text, by=by, citizen_visible=False, now=now)


@transaction.atomic
def complaint_reclassify(
    *, actor, complaint: Complaint, classification: str, reason: str, now: datetime.datetime | None = None
) -> Complaint:
    """Change the class of a report with the unit; its response deadline is recomputed from the clock's
    start with the new class's length, and the history says so."""
    now = now or timezone.now()
    c = _lock(complaint)
    _require(can_handle(actor, c))
    if classification not in ComplaintClass.values:
        raise DomainError(_("Pilih klasifikasi laporan."), field="classification")
    if c.status not in (ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS):
        raise DomainError(
            _("Klasifikasi diubah selama laporan ditindaklanjuti unit (sebelumnya: pilih saat meneruskan)."),
            code="state",
        )
    if classification == c.classification:
        raise DomainError(_("Klasifikasi laporan sudah seperti itu."), field="classification")
    if not reason.strip():
        raise DomainError(_("Tuliskan alasan perubahan klasifikasi."), field="reason")
    before_class, before_due = c.classification, c.response_due
    c.classification = classification
    _resize_clock(c, now)
    c.save()
    _reclassified_event(c, before_class, before_due, reason, by=actor.user, now=now)
    _audit(
        actor,
        c,
        "complaint_reclassify",
        {
            "classification": c.classification,
            "before": before_class,
            "due": c.response_due.isoformat(),
            "due_before": before_due.isoformat() if before_due else None,
            "due_provisional": c.due_provisional,
        },
        reason,
    )
    return c


@transaction.atomic
def complaint_reject(*, actor, complaint: Complaint, reason: str, now=None) -> Complaint:
    """Refuse a report that cannot be processed (unintelligible, not a public service, spam), with a reason."""
    c = _lock(complaint)
    _require(can_handle(actor, c))
    if c.status != ComplaintStatus.RECEIVED:
        raise DomainError(_("Hanya laporan yang belum diverifikasi yang dapat ditolak."), code="state")
    if not reason.strip():
        raise DomainError(_("Tuliskan alasan penolakan."), field="reason")
    c.status, c.closed_at, c.outcome = ComplaintStatus.REJECTED, now or timezone.now(), reason.strip()[:500]
    c.save()
    _event(c, ComplaintEvent.Kind.REJECTED, text=reason.strip(), by=actor.user, now=now)
    _audit(actor, c, "complaint_reject", {"status": c.status}, reason)
    return c


@transaction.atomic
def complaint_merge(*, actor, complaint: Complaint, into: Complaint, now=None) -> Complaint:
    """Join a duplicate to the report it repeats; the reporter follows the surviving one."""
    c = _lock(complaint)
    _require(can_handle(actor, c) and can_handle(actor, into))
    if into.pk == c.pk or into.status == ComplaintStatus.MERGED:
        raise DomainError(_("Pilih laporan lain yang masih aktif."), field="into")
    if c.status not in OPEN_STATUSES:
        raise DomainError(_("Laporan ini sudah selesai."), code="state")
    c.status, c.merged_into, c.closed_at = ComplaintStatus.MERGED, into, now or timezone.now()
    c.save()
    _event(c, ComplaintEvent.Kind.MERGED, text=into.tracking_code, by=actor.user, now=now)
    _audit(actor, c, "complaint_merge", {"into": into.tracking_code})
    return c


@transaction.atomic
def complaint_respond(*, actor, complaint: Complaint, text: str, now=None) -> Complaint:
    """The unit's response to the citizen (the clock stops at the first one)."""
    now = now or timezone.now()
    c = _lock(complaint)
    _require(can_respond(actor, c))
    if c.status not in (ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESPONDED):
        raise DomainError(_("Laporan ini belum diteruskan atau sudah selesai."), code="state")
    if len(text.strip()) < 10:
        raise DomainError(_("Tanggapan terlalu pendek."), field="text")
    c.status = ComplaintStatus.RESPONDED
    c.responded_at = c.responded_at or now
    c.save()
    _event(c, ComplaintEvent.Kind.RESPONSE, text=text.strip(), by=actor.user, now=now)
    _audit(actor, c, "complaint_respond", {"on_time": bool(c.response_due and c.responded_at <= c.response_due)})
    _notify(c, _("Laporan Anda telah ditanggapi. Lihat tanggapannya dengan kode lacak Anda."))
    return c


@transaction.atomic
def complaint_progress(*, actor, complaint: Complaint, note: str, now=None) -> Complaint:
    """The unit accepts the report and says what it is doing (visible to the citizen)."""
    c = _lock(complaint)
    _require(can_respond(actor, c))
    if c.status not in (ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS):
        raise DomainError(_("Laporan ini tidak sedang ditindaklanjuti."), code="state")
    if not note.strip():
        raise DomainError(_("Tuliskan tindak lanjutnya."), field="note")
    c.status = ComplaintStatus.IN_PROGRESS
    c.save()
    _event(c, ComplaintEvent.Kind.ACCEPTED, text=note.strip(), by=actor.user, now=now)
    _audit(actor, c, "complaint_progress", {"status": c.status})
    return c


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, outcome: str, now=None) -> Complaint:
    c = _lock(complaint)
    _require(can_handle(actor, c))
    if c.status != ComplaintStatus.RESPONDED:
        raise DomainError(_("Laporan ditutup setelah ditanggapi."), code="state")
    if not outcome.strip():
        raise DomainError(_("Tuliskan hasil penyelesaiannya."), field="outcome")
    c.status, c.closed_at, c.outcome = ComplaintStatus.CLOSED, now or timezone.now(), outcome.strip()[:500]
    c.save()
    _event(c, ComplaintEvent.Kind.CLOSED, text=c.outcome, by=actor.user, now=now)
    _audit(actor, c, "complaint_close", {"outcome": c.outcome})
    return c


@transaction.atomic
def complaint_redact(*, actor, complaint: Complaint, public_text: str, now=None) -> Complaint:
    """Set the text the public sees (personal data removed); the original stays for the officers."""
    c = _lock(complaint)
    _require(can_handle(actor, c))
    c.public_text = public_text.strip()
    c.save(update_fields=["public_text", "updated_at"])
    _event(c, ComplaintEvent.Kind.REDACTED, by=actor.user, citizen_visible=False, now=now)
    _audit(actor, c, "complaint_redact", {"length": len(c.public_text)})
    return c


@transaction.atomic
def complaint_hide(*, actor, complaint: Complaint, hidden: bool, reason: str, now=None) -> Complaint:
    """Hide abusive text from every public page (or show it again), with a reason."""
    c = _lock(complaint)
    _require(can_handle(actor, c))
    if not reason.strip():
        raise DomainError(_("Tuliskan alasannya."), field="reason")
    c.hidden = hidden
    c.save(update_fields=["hidden", "updated_at"])
    _event(c, ComplaintEvent.Kind.HIDDEN, text=reason.strip(), by=actor.user, citizen_visible=False, now=now)
    _audit(actor, c, "complaint_hide", {"hidden": hidden}, reason)
    return c


@transaction.atomic
def attachment_publish(*, actor, attachment: ComplaintAttachment, public: bool) -> ComplaintAttachment:
    """An officer decides whether an attachment may appear on the public page (after checking it for personal data)."""
    att = ComplaintAttachment.objects.select_related("complaint").get(pk=attachment.pk)
    _require(can_handle(actor, att.complaint))
    att.public = public
    att.save(update_fields=["public"])
    _audit(actor, att.complaint, "attachment_publish", {"attachment": att.pk, "public": public})
    return att


# --- The citizen ---------------------------------------------------------------------------------------


def citizen_complaint(code: str, key: str) -> Complaint:
    """The complaint whose tracking code and reply key match (the key is checked in constant time)."""
    c = Complaint.objects.filter(tracking_code=(code or "").strip().upper()).first()
    if c is None or not hmac.compare_digest(
        c.secret, digest(f"{c.tracking_code}:{(key or '').strip()}", "complaint-key")
    ):
        raise DomainError(_("Kode lacak atau kunci balasan salah."), code="key")
    return c


@transaction.atomic
def complaint_reply(*, code: str, key: str, text: str, now=None) -> Complaint:
    c = _lock(citizen_complaint(code, key))
    if c.status in (ComplaintStatus.REJECTED, ComplaintStatus.MERGED, ComplaintStatus.CLOSED):
        raise DomainError(_("Laporan ini sudah selesai; buka kembali bila perlu."), code="state")
    if not 2 <= len(text.strip()) <= MAX_TEXT:
        raise DomainError(_("Tuliskan balasan Anda."), field="text")
    _event(c, ComplaintEvent.Kind.CITIZEN_REPLY, text=text.strip(), now=now)
    return c


@transaction.atomic
def complaint_rate(*, code: str, key: str, rating: int, comment: str = "", now=None) -> Complaint:
    c = _lock(citizen_complaint(code, key))
    if c.status not in (ComplaintStatus.RESPONDED, ComplaintStatus.CLOSED):
        raise DomainError(_("Penilaian diberikan setelah laporan ditanggapi."), code="state")
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("Pilih nilai 1 sampai 5."), field="rating")
    c.rating, c.rating_comment = rating, comment.strip()[:500]
    c.save(update_fields=["rating", "rating_comment", "updated_at"])
    _event(c, ComplaintEvent.Kind.RATED, text=str(rating), now=now)
    return c


@transaction.atomic
def complaint_reopen(*, code: str, key: str, reason: str, now=None) -> Complaint:
    """Within the window after closing, the reporter may reopen; the unit's clock starts again."""
    now = now or timezone.now()
    c = _lock(citizen_complaint(code, key))
    window = int(rule_param("publicservice.reopen_days", on=now.date(), default=rules.REOPEN_WINDOW_DAYS))
    if c.status != ComplaintStatus.CLOSED or c.closed_at is None:
        raise DomainError(_("Hanya laporan yang sudah ditutup yang dapat dibuka kembali."), code="state")
    if now > c.closed_at + datetime.timedelta(days=window):
        raise DomainError(_("Batas waktu membuka kembali (%(d)s hari) sudah lewat.") % {"d": window}, code="window")
    if len(reason.strip()) < 10:
        raise DomainError(_("Jelaskan mengapa laporan perlu dibuka kembali."), field="reason")
    c.status, c.closed_at, c.reopened = ComplaintStatus.IN_PROGRESS, None, c.reopened + 1
    clocks.start_clock(c, start=now, days=complaint_resolution_days(c, now))
    c.escalation = 0
    c.save()
    _event(c, ComplaintEvent.Kind.REOPENED, text=reason.strip(), now=now)
    return c


# --- The clock ------------------------------------------------------------------------------------------

ESCALATE_AGAIN_DAYS = 3  # working days an escalation to the unit head has before it goes to the agency


def escalate_overdue(*, now: datetime.datetime | None = None) -> dict:
    """Raise every overdue open report one level: past its verification or response deadline → the unit
    head (level 1); still open three working days after that → the agency (level 2). Run by the task
    worker on a schedule; each step is recorded in the report's history (not shown to the citizen)."""
    now = now or timezone.now()
    counts = {"unit_head": 0, "agency": 0}
    overdue = Complaint.objects.filter(status__in=OPEN_STATUSES).select_related("unit")
    for c in overdue.iterator():
        due = c.verify_due if c.status == ComplaintStatus.RECEIVED else c.response_due
        if due is None or now <= due:
            continue
        level = 1 if now <= calendar.due_at(due, ESCALATE_AGAIN_DAYS) else 2
        if level <= c.escalation:
            continue
        with transaction.atomic():
            Complaint.objects.filter(pk=c.pk).update(escalation=level)
            who = _("kepala unit") if level == 1 else _("pimpinan instansi")
            _event(c, ComplaintEvent.Kind.ESCALATED, text=who, citizen_visible=False, now=now)
        counts["unit_head" if level == 1 else "agency"] += 1
    return counts


# --- Surveys ---------------------------------------------------------------------------------------------


def survey_open(code: str, today: datetime.date | None = None) -> tuple[SurveyCampaign, SurveyPoint | None]:
    """The campaign (and desk) behind a public survey code, if it is running today."""
    today = today or timezone.localdate()
    point = SurveyPoint.objects.filter(code=code).select_related("campaign__unit").first()
    campaign = point.campaign if point else SurveyCampaign.objects.filter(code=code).select_related("unit").first()
    if campaign is None:
        raise DomainError(_("Survei tidak ditemukan."), code="unknown")
    if not campaign.starts_on <= today <= campaign.ends_on:
        raise DomainError(_("Survei ini tidak sedang dibuka."), code="closed")
    return campaign, point


@transaction.atomic
def survey_submit(
    *, code: str, answers: dict[str, int], profile: dict[str, str], device: str, suggestion: str = "", now=None
) -> SurveyResponse:
    """One questionnaire: all nine unsur on 1–4 and the respondent's profile; one per device per day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    campaign, point = survey_open(code, today)
    missing = [c for c in rules.CODES if answers.get(c) not in (1, 2, 3, 4)]
    if missing:
        raise DomainError(
            _("Jawab semua pertanyaan (belum: %(list)s).") % {"list": ", ".join(missing)}, field="answers"
        )
    choices = {
        "age_band": dict(SurveyResponse.AGE_BANDS),
        "gender": {"M": 1, "F": 1},
        "education": dict(SurveyResponse.EDUCATION),
        "occupation": dict(SurveyResponse.OCCUPATION),
    }
    for name, allowed in choices.items():
        if profile.get(name) not in allowed:
            raise DomainError(_("Lengkapi data responden."), field=name)
    if not device:
        raise DomainError(_("Aktifkan cookie untuk mengisi survei."), code="device")
    device_key = digest(device, "survey-device")
    if SurveyResponse.objects.filter(campaign=campaign, device=device_key, day=today).exists():
        raise DomainError(_("Perangkat ini sudah mengisi survei hari ini. Terima kasih."), code="duplicate")
    return SurveyResponse.objects.create(
        campaign=campaign,
        point=point,
        **{c.lower(): answers[c] for c in rules.CODES},
        **{k: profile[k] for k in choices},
        suggestion=suggestion.strip()[:500],
        device=device_key,
        day=today,
    )


def campaign_result(campaign: SurveyCampaign, point: SurveyPoint | None = None) -> dict:
    """IKM, grade, NRR per unsur, the sample target and progress, the weakest unsur."""
    rows = SurveyResponse.objects.filter(campaign=campaign)
    if point is not None:
        rows = rows.filter(point=point)
    answers = [dict(zip(rules.CODES, r)) for r in rows.values_list(*[c.lower() for c in rules.CODES])]
    target = rules.krejcie_morgan(campaign.population)
    out = {
        "respondents": len(answers),
        "target": target,
        "progress": min(1.0, len(answers) / target) if target else 1.0,
        "result": None,
    }
    if answers:
        out["result"] = rules.ikm(answers, campaign.weighting)
    return out
