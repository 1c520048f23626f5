"""Delivery of the CAT: start (the participant's own randomized sheet, a server deadline), durable answer
saves ordered by the client's sequence number, finish with scoring and a signed receipt."""

import datetime
import hashlib
import hmac
import json
import random

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from exams import rules
from exams.models import GENESIS, Answer, AnswerEvent, Option, Participant, Question, SheetItem


def _event_hash(prev: str, participant_id: int, position: int, option_id, seq: int, at: datetime.datetime) -> str:
    when = at.astimezone(datetime.UTC).isoformat()  # as stored, whatever zone the caller used
    body = json.dumps([prev, participant_id, position, option_id, seq, when], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _pools(blueprint: rules.Blueprint) -> dict[str, tuple[list[int], dict[int, list[int]]]]:
    """The active bank per sub-test (question ids and each question's option ids), read once per change
    of the bank: a session's start burst draws thousands of sheets from the same pools."""
    stamp = Question.objects.filter(active=True).aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    key = (blueprint.code, stamp["n"], stamp["last"], stamp["top"])
    if _POOL_CACHE.get("key") != key:
        pools: dict[str, tuple[list[int], dict[int, list[int]]]] = {}
        for part in blueprint.parts:
            ids = sorted(Question.objects.filter(subtest=part.subtest, active=True).values_list("pk", flat=True))
            options: dict[int, list[int]] = {}
            for q, o in Option.objects.filter(question_id__in=ids).order_by("pk").values_list("question_id", "pk"):
                options.setdefault(q, []).append(o)
            pools[part.subtest] = (ids, options)
        _POOL_CACHE.clear()
        _POOL_CACHE.update(key=key, pools=pools)
    return _POOL_CACHE["pools"]


_POOL_CACHE: dict = {}


def sheet_draw(participant: Participant) -> int:
    """Draw the participant's own sheet: the blueprint's questions per sub-test and each question's options,
    both in an order seeded by the session and participant number (reproducible, different per person).
    Does nothing when the sheet exists. Call inside a transaction holding the participant's row."""
    if SheetItem.objects.filter(participant=participant).exists():
        return 0
    blueprint = rules.BLUEPRINTS[participant.session.blueprint]
    pools = _pools(blueprint)
    rng = random.Random(f"{participant.session_id}:{participant.number}")
    items, position = [], 1
    for part in blueprint.parts:
        pool, options = pools[part.subtest]
        if len(pool) < part.questions:
            raise DomainError(
                _("Bank soal %(s)s kurang dari %(n)s soal.") % {"s": part.subtest.upper(), "n": part.questions}
            )
        for q in rng.sample(pool, part.questions):
            order = list(options[q])
            rng.shuffle(order)
            items.append(SheetItem(participant=participant, position=position, question_id=q, option_order=order))
            position += 1
    SheetItem.objects.bulk_create(items)
    return len(items)


@transaction.atomic
def participant_start(
    *, participant: Participant, device_token: str, now: datetime.datetime | None = None
) -> Participant:
    """Start (or resume on any seat) the exam: the first start sets the server deadline (the sheet is
    drawn then unless the operator drew it when opening the session); a later start moves the exam to the
    new device and keeps every answer."""
    now = now or timezone.now()
    p = Participant.objects.select_for_update().select_related("session").get(pk=participant.pk)
    if p.finished_at:
        raise DomainError(_("Ujian peserta ini sudah selesai."), code="finished")
    if not device_token:
        raise DomainError(_("Perangkat tidak dikenal."), code="device")
    if p.session.opened_at is None or now < p.session.opened_at:
        raise DomainError(_("Sesi belum dibuka oleh operator. Mohon menunggu."), code="not_open")
    fields = ["device_token", "updated_at"]
    p.device_token = device_token
    if p.started_at is None:
        sheet_draw(p)
        blueprint = rules.BLUEPRINTS[p.session.blueprint]
        p.started_at = now
        p.deadline = now + datetime.timedelta(minutes=blueprint.minutes_for(visually_impaired=p.visually_impaired))
        fields += ["started_at", "deadline"]
    p.save(update_fields=fields)
    return p


_UPSERT = None


def _answer_upsert(participant_id: int, position: int, option_id, doubtful: bool, seq: int, now) -> tuple[bool, int]:
    """Insert the answer, or overwrite the stored one only when this save is newer (a higher seq), in one
    statement; returns whether it applied and the seq now stored."""
    global _UPSERT
    qn = connection.ops.quote_name
    if _UPSERT is None:
        t = qn(Answer._meta.db_table)
        _UPSERT = (
            f"INSERT INTO {t} (participant_id, position, option_id, doubtful, seq, saved_at) VALUES (%s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (participant_id, position) DO UPDATE SET option_id = excluded.option_id, "
            f"doubtful = excluded.doubtful, seq = excluded.seq, saved_at = excluded.saved_at "
            f"WHERE {t}.seq < excluded.seq RETURNING seq"
        )
    with connection.cursor() as cur:
        cur.execute(
            _UPSERT, [participant_id, position, option_id, doubtful, seq, connection.ops.adapt_datetimefield_value(now)]
        )
        row = cur.fetchone()
    if row is not None:
        return True, row[0]
    stored = (
        Answer.objects.filter(participant_id=participant_id, position=position).values_list("seq", flat=True).first()
    )
    return False, stored


# The PostgreSQL path of answer_save: the participant's state (with the head of their chain) and the option
# check in one statement, the chain link in one more. Built on first use, from the models' table names.
_PG_SQL: dict[str, str] = {}


def _pg_sql() -> dict[str, str]:
    if not _PG_SQL:
        qn = connection.ops.quote_name
        p, s = qn(Participant._meta.db_table), qn(SheetItem._meta.db_table)
        e = qn(AnswerEvent._meta.db_table)
        _PG_SQL["participant"] = (
            f"SELECT p.session_id, p.device_token, p.deadline, p.finished_at, p.last_hash, s.id IS NOT NULL,"
            f" (%(o)s::bigint IS NULL OR s.option_order @> to_jsonb(%(o)s::bigint))"
            f" FROM {p} p LEFT JOIN {s} s ON s.participant_id = p.id AND s.position = %(pos)s"
            f" WHERE p.id = %(p)s FOR UPDATE OF p"
        )
        # The event and the participant's new head in one statement; the row is already locked by the first.
        _PG_SQL["chain"] = (
            f"WITH e AS (INSERT INTO {e} (session_id, participant_id, position, option_id, seq, at, prev_hash, hash)"
            f" VALUES (%(s)s, %(p)s, %(pos)s, %(o)s, %(seq)s, %(at)s, %(prev)s, %(hash)s) RETURNING hash)"
            f" UPDATE {p} SET last_hash = e.hash FROM e WHERE {p}.id = %(p)s"
        )
    return _PG_SQL


def _participant_state(participant_id: int, position: int, option_id: int | None) -> tuple | None:
    """The participant's row, locked, as (session, device, deadline, finished, head of their chain, position
    on the sheet, option of that question); None for an unknown participant."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(_pg_sql()["participant"], {"p": participant_id, "pos": position, "o": option_id})
            return cur.fetchone()
    p = (
        Participant.objects.select_for_update(of=("self",))
        .filter(pk=participant_id)
        .annotate(
            order=Subquery(
                SheetItem.objects.filter(participant_id=participant_id, position=position).values("option_order")[:1]
            )
        )
        .values_list("session_id", "device_token", "deadline", "finished_at", "last_hash", "order")
        .first()
    )
    if p is None:
        return None
    order = p[5]
    if isinstance(order, str):  # a JSON column read through a subquery comes back as text on some backends
        order = json.loads(order)
    return (*p[:5], order is not None, order is not None and (option_id is None or option_id in order))


def _answer_check(state: tuple | None, device_token: str, now: datetime.datetime) -> tuple[int, datetime.datetime, str]:
    """Refuse the save the page must not get acknowledged; returns the session, the deadline and the head
    of the participant's chain."""
    if state is None:
        raise DomainError(_("Peserta tidak dikenal."), code="unknown")
    session_id, device, deadline, finished_at, head, on_sheet, option_ok = state
    if device != device_token:
        raise DomainError(_("Ujian ini sedang dibuka di perangkat lain."), code="device")
    if finished_at or deadline is None or now > deadline:
        raise DomainError(_("Waktu ujian sudah habis."), code="time")
    if not (on_sheet and option_ok):
        raise DomainError(_("Jawaban tidak sesuai soal."), code="invalid")
    return session_id, deadline, head


def _chain_append(session_id: int, participant_id: int, head: str, position: int, option_id, seq: int, now) -> None:
    """Append the applied save to its participant's hash chain; ``head`` was read under the row lock the
    caller still holds, so no other save of this participant can link to it meanwhile."""
    h = _event_hash(head, participant_id, position, option_id, seq, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                _pg_sql()["chain"],
                {
                    "s": session_id,
                    "p": participant_id,
                    "pos": position,
                    "o": option_id,
                    "seq": seq,
                    "at": connection.ops.adapt_datetimefield_value(now),
                    "prev": head,
                    "hash": h,
                },
            )
        return
    AnswerEvent.objects.create(
        session_id=session_id,
        participant_id=participant_id,
        position=position,
        option_id=option_id,
        seq=seq,
        at=now,
        prev_hash=head,
        hash=h,
    )
    Participant.objects.filter(pk=participant_id).update(last_hash=h)


def answer_save(
    *,
    participant_id: int,
    device_token: str,
    position: int,
    option_id: int | None,
    seq: int,
    doubtful: bool = False,
    now: datetime.datetime | None = None,
) -> dict:
    """Store one answer durably before acknowledging it. Returns the acknowledgement the page keeps:
    the position, the sequence number stored and whether this save was the one applied."""
    now = now or timezone.now()
    with transaction.atomic():
        # The participant's row is locked first (a finish cannot slip between the checks and the write) and
        # is the only lock taken: the chain is the participant's own, so saves of a session never queue on
        # each other. On PostgreSQL three statements for an applied save.
        state = _participant_state(participant_id, position, option_id)
        session_id, deadline, head = _answer_check(state, device_token, now)
        applied, stored = _answer_upsert(participant_id, position, option_id, doubtful, seq, now)
        if applied:
            _chain_append(session_id, participant_id, head, position, option_id, seq, now)
    return {"position": position, "seq": stored, "applied": applied, "deadline": deadline}


def _sheet_items(participant: Participant) -> list[rules.Item]:
    items = []
    sheet = list(SheetItem.objects.filter(participant=participant).select_related("question").order_by("position"))
    points = dict(Option.objects.filter(question_id__in=[s.question_id for s in sheet]).values_list("pk", "points"))
    for s in sheet:
        items.append(rules.Item(s.question.subtest, {str(o): points[o] for o in s.option_order}))
    return items


def sign_receipt(participant: Participant, answers: dict[int, int | None]) -> str:
    """HMAC of the participant's number, final answers and scores: anyone holding it can have it checked."""
    body = json.dumps(
        [
            participant.number,
            sorted((k, v) for k, v in answers.items()),
            participant.twk,
            participant.tiu,
            participant.tkp,
        ],
        separators=(",", ":"),
    )
    return hmac.new(settings.SECRET_KEY.encode(), body.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def participant_finish(*, participant: Participant, now: datetime.datetime | None = None) -> Participant:
    """Close the sheet (at the participant's request or at time-out), score it and sign the receipt."""
    now = now or timezone.now()
    p = Participant.objects.select_for_update().get(pk=participant.pk)
    if p.finished_at:
        return p
    if p.started_at is None:
        raise DomainError(_("Ujian belum dimulai."), code="state")
    answers = dict(Answer.objects.filter(participant=p).values_list("position", "option_id"))
    score = rules.score(_sheet_items(p), {pos - 1: (str(o) if o else None) for pos, o in answers.items()})
    p.twk, p.tiu, p.tkp, p.finished_at = score.twk, score.tiu, score.tkp, min(now, p.deadline)
    p.receipt = sign_receipt(p, answers)
    p.save(update_fields=["twk", "tiu", "tkp", "finished_at", "receipt", "updated_at"])
    return p


@transaction.atomic
def incident_compensate(*, participant_ids: list[int], lost: datetime.timedelta) -> int:
    """Give lost time back after an outage: every running participant's deadline moves by the loss."""
    return Participant.objects.filter(pk__in=participant_ids, finished_at__isnull=True, deadline__isnull=False).update(
        deadline=F("deadline") + lost
    )


def verify_session(session_id: int) -> list[str]:
    """Walk every participant's answer chain in the session: each broken link or altered event, first one
    first, and each chain that stops short of its participant's head.

    The heads are read before the events: a save committing meanwhile only adds events after its head, so
    a live session checks as cleanly as a quiet one (an event and its head are written in one transaction)."""
    people = Participant.objects.filter(session_id=session_id).values_list("pk", "number", "last_hash")
    numbers, heads = {}, {}
    for pk, number, head in people:
        numbers[pk], heads[pk] = number, head
    problems: list[str] = []
    prev: dict[int, str] = {}
    reached = {pk for pk, head in heads.items() if head == GENESIS}
    for e in AnswerEvent.objects.filter(session_id=session_id).order_by("id").iterator(chunk_size=5000):
        if e.prev_hash != prev.get(e.participant_id, GENESIS):
            problems.append(f"event {e.pk}: does not chain to the participant's one before")
        if _event_hash(e.prev_hash, e.participant_id, e.position, e.option_id, e.seq, e.at) != e.hash:
            problems.append(f"event {e.pk}: altered")
        prev[e.participant_id] = e.hash
        if e.hash == heads.get(e.participant_id):
            reached.add(e.participant_id)
    for pk in sorted(heads.keys() - reached, key=numbers.get):
        problems.append(f"participant {numbers[pk]}: the log ends before its head: events were removed")
    return problems


def verify_receipt(participant: Participant) -> bool:
    """Recompute the final answers from the log (the highest seq per position) and check the receipt."""
    latest: dict[int, tuple[int, int | None]] = {}
    for position, seq, option_id in AnswerEvent.objects.filter(participant=participant).values_list(
        "position", "seq", "option_id"
    ):
        if position not in latest or seq > latest[position][0]:
            latest[position] = (seq, option_id)
    answers = {pos: opt for pos, (_s, opt) in latest.items()}
    score = rules.score(_sheet_items(participant), {pos - 1: (str(o) if o else None) for pos, o in answers.items()})
    expected = Participant(number=participant.number, twk=score.twk, tiu=score.tiu, tkp=score.tkp)
    return hmac.compare_digest(sign_receipt(expected, answers), participant.receipt) and (
        (score.twk, score.tiu, score.tkp) == (participant.twk, participant.tiu, participant.tkp)
    )
