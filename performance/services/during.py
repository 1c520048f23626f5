"""During the year: evidence and realizations, continuous feedback, anonymous 360° input."""

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, entry_for
from core.errors import DomainError
from performance.choices import Behaviour, EvidenceKind, Rating, SkpStatus
from performance.models import Evidence, Feedback, PeerInput, Period, Realization, Rhk, Skp
from performance.services.common import require_assessor, require_owner
from personnel.supervision import employee_snapshot

EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _check_period(skp: Skp, period: Period) -> None:
    if period.perf_year_id != skp.perf_year_id:
        raise DomainError(_("Periode bukan bagian dari tahun SKP ini."), field="period")
    if skp.assessments.filter(period=period, status="final").exists():
        raise DomainError(_("Penilaian periode ini sudah final."), field="period")


def _log(actor, skp: Skp, action: str, after: dict, before: dict | None = None):
    audit_log(
        actor=actor.user,
        entry=entry_for(skp, action, agency_id=skp.employee.agency_id, before=before, after=after),
    )


@transaction.atomic
def evidence_add(*, actor, rhk: Rhk, period: Period, url: str = "", file=None, note: str = "") -> Evidence:
    """Attach a file or a link as evidence of an RHK in a period."""
    skp = rhk.skp
    require_owner(actor, skp.employee)
    if skp.status != SkpStatus.APPROVED and not skp.versions.exists():
        raise DomainError(_("Bukti dicatat setelah SKP disetujui."), code="state")
    _check_period(skp, period)
    if bool(url) == bool(file):
        raise DomainError(_("Isi tautan atau unggah berkas (salah satu)."), field="url")
    if file is not None:
        if Path(file.name).suffix.lower() not in EVIDENCE_TYPES:
            raise DomainError(_("Jenis berkas tidak diterima (PDF, JPG, PNG, DOCX, XLSX)."), field="file")
        if file.size > EVIDENCE_MAX_BYTES:
            raise DomainError(_("Berkas lebih dari 10 MB."), field="file")
    ev = Evidence.objects.create(
        rhk=rhk, period=period, kind=EvidenceKind.FILE if file else EvidenceKind.LINK, url=url, file=file, note=note
    )
    _log(actor, skp, "skp.evidence_add", {"rhk": rhk.pk, "period": period.label, "url": url, "file": ev.file.name})
    return ev


@transaction.atomic
def realization_set(*, actor, rhk: Rhk, period: Period, text: str) -> Realization:
    """Record what the RHK achieved in the period."""
    skp = rhk.skp
    require_owner(actor, skp.employee)
    _check_period(skp, period)
    if not text.strip():
        raise DomainError(_("Tuliskan realisasinya."), field="text")
    old = Realization.objects.filter(rhk=rhk, period=period).first()
    obj, _created = Realization.objects.update_or_create(rhk=rhk, period=period, defaults={"text": text.strip()})
    _log(
        actor,
        skp,
        "skp.realization",
        {"rhk": rhk.pk, "period": period.label, "text": obj.text},
        {"text": old.text} if old else None,
    )
    return obj


@transaction.atomic
def feedback_give(
    *, actor, skp: Skp, text: str, rhk: Rhk | None = None, behaviour: str = "", today: datetime.date | None = None
) -> Feedback:
    """The supervisor's feedback on an RHK or a behaviour, at any time of the year."""
    require_assessor(actor, skp.employee, today or timezone.localdate())
    if not text.strip():
        raise DomainError(_("Tuliskan umpan baliknya."), field="text")
    if rhk is not None and rhk.skp_id != skp.pk:
        raise DomainError(_("RHK bukan bagian dari SKP ini."), field="rhk")
    if behaviour and behaviour not in Behaviour.values:
        raise DomainError(_("Nilai BerAKHLAK tidak dikenal."), field="behaviour")
    fb = Feedback.objects.create(
        skp=skp,
        rhk=rhk,
        behaviour=behaviour,
        author=actor.user,
        author_label=getattr(actor.user, "full_name", "") or actor.user.get_username(),
        text=text.strip(),
    )
    _log(actor, skp, "skp.feedback", {"rhk": rhk.pk if rhk else None, "behaviour": behaviour, "text": fb.text})
    return fb


@transaction.atomic
def feedback_reply(*, actor, feedback: Feedback, reply: str) -> Feedback:
    """The employee's reply to a feedback note."""
    require_owner(actor, feedback.skp.employee)
    if not reply.strip():
        raise DomainError(_("Tuliskan tanggapan Anda."), field="reply")
    before = {"reply": feedback.reply} if feedback.reply else None
    feedback.reply, feedback.replied_at = reply.strip(), timezone.now()
    feedback.save(update_fields=["reply", "replied_at", "updated_at"])
    _log(actor, feedback.skp, "skp.feedback_reply", {"feedback": feedback.pk, "reply": feedback.reply}, before)
    return feedback


def may_give_peer_input(actor, skp: Skp, day: datetime.date) -> bool:
    """Peers (same direct supervisor) and direct subordinates may rate; not oneself, not the supervisor."""
    if actor.employee_id is None or actor.employee_id == skp.employee_id:
        return False
    from personnel.models import Employee

    rater = Employee.objects.filter(pk=actor.employee_id, agency_id=skp.employee.agency_id).first()
    if rater is None:
        return False
    target_sup = employee_snapshot(skp.employee, day).supervisor_of(skp.employee_id)
    rater_sup = employee_snapshot(rater, day).supervisor_of(rater.pk)
    if target_sup.employee_id == rater.pk:
        return False
    if rater_sup.employee_id == skp.employee_id:
        return True
    return bool(target_sup.employee_id) and target_sup.employee_id == rater_sup.employee_id


@transaction.atomic
def peer_input_submit(
    *, actor, skp: Skp, period: Period, ratings: dict[str, str], today: datetime.date | None = None
) -> int:
    """Anonymous 360° observations of the employee's behaviour; a rater answers once per period."""
    if not may_give_peer_input(actor, skp, today or timezone.localdate()):
        raise PermissionDenied(_("Masukan 360° diberikan oleh rekan sejawat atau bawahan langsung."))
    _check_period(skp, period)
    if PeerInput.objects.filter(skp=skp, period=period, rater_id=actor.employee_id).exists():
        raise DomainError(_("Anda sudah memberi masukan untuk periode ini."))
    rows = []
    for behaviour, rating in ratings.items():
        if behaviour not in Behaviour.values or rating not in Rating.values:
            raise DomainError(_("Isian masukan tidak dikenal."))
        rows.append(PeerInput(skp=skp, period=period, rater_id=actor.employee_id, behaviour=behaviour, rating=rating))
    if not rows:
        raise DomainError(_("Beri penilaian untuk sedikitnya satu nilai BerAKHLAK."))
    PeerInput.objects.bulk_create(rows)
    # The audit trail records that input was given, not who gave which rating.
    _log(actor, skp, "skp.peer_input", {"period": period.label, "count": len(rows)})
    return len(rows)
