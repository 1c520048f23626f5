"""Running a test day: placing participants into sessions, check-in with a PIN, opening a session,
participant login (one active device), incidents with the lost time given back, and time-outs."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_log_many, entry_for
from core.errors import DomainError
from exams import services
from exams.models import ExamIncident, ExamSession, Participant

PIN_DIGITS = 6
LOGIN_FAILURES_ALLOWED = 5
LOGIN_LOCK_SECONDS = 300
MAX_INCIDENT = datetime.timedelta(hours=3)


def pin_digest(participant_id: int, pin: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"cat-pin:{participant_id}:{pin}".encode(), hashlib.sha256
    ).hexdigest()


def can_operate(actor, session: ExamSession) -> bool:
    """The national admin, or an operator of the session's site."""
    if actor.write_agency_ids is None:
        return True
    user = actor.user
    return user is not None and session.room.site.operators.filter(pk=user.pk).exists()


def sessions_operated_by(actor):
    """Sessions the actor may run: every one for the national admin, else those at the actor's sites."""
    qs = ExamSession.objects.select_related("room__site", "period")
    if actor.write_agency_ids is None:
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(room__site__operators=actor.user)


def _require_operator(actor, session: ExamSession) -> None:
    if not can_operate(actor, session):
        raise PermissionDenied(_("Hanya operator lokasi ujian ini yang dapat melakukan ini."))


@transaction.atomic
def participants_assign(*, actor, period, sessions: list[ExamSession]) -> int:
    """Place every eligible applicant of the period who has no session yet into the given sessions, in
    registration-number order, filling each room up to its seats."""
    from recruitment.choices import ApplicationStatus
    from recruitment.models import Application

    if actor.write_agency_ids is not None:
        raise PermissionDenied(_("Penempatan peserta dilakukan oleh admin nasional."))
    if not sessions:
        raise DomainError(_("Pilih sesi ujian."), field="sessions")
    waiting = list(
        Application.objects.filter(period=period, status=ApplicationStatus.ELIGIBLE, participant__isnull=True)
        .select_related("applicant")
        .order_by("registration_number")
    )
    taken = dict(
        ExamSession.objects.filter(pk__in=[s.pk for s in sessions])
        .annotate(n=Count("participants"))
        .values_list("pk", "n")
    )
    created, entries = [], []
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.code)):
        free = session.room.seats - taken.get(session.pk, 0)
        batch = [waiting.pop(0) for _i in range(min(free, len(waiting)))]
        for app in batch:
            created.append(
                Participant(
                    session=session,
                    application=app,
                    number=app.registration_number,
                    name=app.applicant.name,
                    visually_impaired=app.applicant.visually_impaired,
                )
            )
        if batch:
            entries.append(entry_for(session, "exams.participants_assign", after={"participants": len(batch)}))
    if waiting:
        raise DomainError(
            _("Kursi tidak cukup: %(n)s peserta belum mendapat sesi. Tambah sesi lalu ulangi.") % {"n": len(waiting)},
            code="capacity",
        )
    Participant.objects.bulk_create(created)
    audit_log_many(actor=actor.user, entries=entries)
    return len(created)


@transaction.atomic
def participant_check_in(*, actor, participant: Participant, seat: str, now: datetime.datetime | None = None) -> str:
    """Seat a participant whose identity the operator checked, and issue their PIN (returned once, stored
    only as a keyed digest). Checking in again — another seat after a broken computer — issues a new PIN."""
    now = now or timezone.now()
    p = Participant.objects.select_for_update().select_related("session__room__site").get(pk=participant.pk)
    _require_operator(actor, p.session)
    if p.finished_at:
        raise DomainError(_("Ujian peserta ini sudah selesai."), code="finished")
    if seat not in p.session.room.seat_labels():
        raise DomainError(_("Kursi %(seat)s tidak ada di ruang ini.") % {"seat": seat}, field="seat")
    if Participant.objects.filter(session=p.session, seat=seat).exclude(pk=p.pk).exists():
        raise DomainError(_("Kursi %(seat)s sudah ditempati peserta lain.") % {"seat": seat}, field="seat")
    pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
    before = {"seat": p.seat, "checked_in": bool(p.checked_in_at)}
    p.seat, p.pin_hash, p.checked_in_at = seat, pin_digest(p.pk, pin), p.checked_in_at or now
    p.save(update_fields=["seat", "pin_hash", "checked_in_at", "updated_at"])
    services.sheet_draw(p)  # drawn now, spread over check-in, so the start burst only stamps the clock
    cache.delete(_failures_key(p.number))
    audit_log(actor=actor.user, entry=entry_for(p, "exams.check_in", before=before, after={"seat": seat}))
    return pin


@transaction.atomic
def session_open(*, actor, session: ExamSession, now: datetime.datetime | None = None) -> ExamSession:
    """Let the session's participants start."""
    now = now or timezone.now()
    s = ExamSession.objects.select_for_update().select_related("room__site").get(pk=session.pk)
    _require_operator(actor, s)
    if s.opened_at:
        raise DomainError(_("Sesi ini sudah dibuka."), code="open")
    if now < s.starts_at - datetime.timedelta(minutes=30):
        raise DomainError(_("Sesi baru dapat dibuka 30 menit sebelum jadwal."), code="early")
    s.opened_at = now
    s.save(update_fields=["opened_at", "updated_at"])
    audit_log(actor=actor.user, entry=entry_for(s, "exams.session_open", after={"opened_at": now.isoformat()}))
    return s


def _failures_key(number: str) -> str:
    return f"cat:login-failures:{number}"


def participant_login(*, number: str, pin: str) -> tuple[Participant, str]:
    """Check the participant number and PIN; the device that logs in becomes the only active one (a
    computer that broke down is replaced by logging in on another seat). Five wrong PINs lock the number
    for five minutes."""
    number = (number or "").strip()
    key = _failures_key(number)
    if (cache.get(key) or 0) >= LOGIN_FAILURES_ALLOWED:
        raise DomainError(
            _("Terlalu banyak PIN salah. Tunggu 5 menit atau minta PIN baru kepada operator."), code="locked"
        )
    p = Participant.objects.filter(number=number).select_related("session").first()
    if p is None or not p.pin_hash or not hmac.compare_digest(p.pin_hash, pin_digest(p.pk, (pin or "").strip())):
        try:
            cache.add(key, 0, LOGIN_LOCK_SECONDS)
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOGIN_LOCK_SECONDS)
        raise DomainError(_("Nomor peserta atau PIN salah."), code="login")
    if p.finished_at:
        raise DomainError(_("Ujian peserta ini sudah selesai."), code="finished")
    cache.delete(key)
    device = secrets.token_hex(16)
    Participant.objects.filter(pk=p.pk).update(device_token=device)
    p.device_token = device
    return p, device


@transaction.atomic
def incident_record(
    *,
    actor,
    session: ExamSession,
    kind: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    participant: Participant | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ExamIncident:
    """Record an outage for the whole session or one seat and give every participant it hit the time
    they lost (from the later of the outage's start and their own start to its end)."""
    now = now or timezone.now()
    s = ExamSession.objects.select_for_update().select_related("room__site").get(pk=session.pk)
    _require_operator(actor, s)
    if kind not in ExamIncident.Kind.values:
        raise DomainError(_("Pilih jenis gangguan."), field="kind")
    if ended_at <= started_at:
        raise DomainError(_("Akhir gangguan harus sesudah awalnya."), field="ended_at")
    if ended_at > now + datetime.timedelta(minutes=1):
        raise DomainError(
            _("Gangguan dicatat setelah selesai; akhir gangguan tidak boleh di masa depan."), field="ended_at"
        )
    if ended_at - started_at > MAX_INCIDENT:
        raise DomainError(_("Gangguan lebih dari 3 jam: sesi harus dijadwalkan ulang."), field="ended_at")
    if participant is not None and participant.session_id != s.pk:
        raise DomainError(_("Peserta bukan peserta sesi ini."), field="participant")
    hit = Participant.objects.filter(session=s, finished_at__isnull=True, started_at__lt=ended_at)
    if participant is not None:
        hit = hit.filter(pk=participant.pk)
    whole = list(hit.filter(started_at__lte=started_at).values_list("pk", flat=True))
    lost = ended_at - started_at
    compensated = services.incident_compensate(participant_ids=whole, lost=lost)
    for pk, began in hit.filter(started_at__gt=started_at).values_list("pk", "started_at"):
        compensated += services.incident_compensate(participant_ids=[pk], lost=ended_at - began)
    incident = ExamIncident.objects.create(
        session=s,
        participant=participant,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        lost_seconds=int(lost.total_seconds()),
        compensated=compensated,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit_log(
        actor=actor.user,
        entry=entry_for(
            incident,
            "exams.incident_record",
            after={
                "session": s.code,
                "participant": participant.number if participant else None,
                "kind": kind,
                "lost_seconds": incident.lost_seconds,
                "compensated": compensated,
            },
            reason=note.strip(),
        ),
    )
    return incident


def finish_expired(*, session_id: int | None = None, now: datetime.datetime | None = None) -> int:
    """Close every sheet whose time ran out while its page was gone (the page closes its own at zero)."""
    now = now or timezone.now()
    qs = Participant.objects.filter(finished_at__isnull=True, deadline__lt=now)
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    done = 0
    for p in qs.only("pk"):
        services.participant_finish(participant=p, now=now)
        done += 1
    return done


def session_progress(session: ExamSession) -> dict:
    """Counts for the operator's header: placed, checked in, working, finished."""
    return Participant.objects.filter(session=session).aggregate(
        placed=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        working=Count("pk", filter=Q(started_at__isnull=False, finished_at__isnull=True)),
        finished=Count("pk", filter=Q(finished_at__isnull=False)),
    )
