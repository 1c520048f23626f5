"""The answer save on both databases (raw SQL on PostgreSQL, the ORM elsewhere): the same refusals in the
same order, nothing stored by a refusal, chain links (one chain per participant) equal to the ones Python
hashes, and on PostgreSQL the statements a save costs, saves of two participants that never wait on each
other and a chain that stays whole while one participant's saves queue on their row."""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from exams.models import (
    Answer,
    AnswerEvent,
    ExamRoom,
    ExamSession,
    ExamSite,
    Option,
    Participant,
    SheetItem,
)
from exams.services import GENESIS, _event_hash, answer_save, participant_finish, participant_start, verify_session
from exams.tests.conftest import fill_bank

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.UTC)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the raw-SQL save runs on PostgreSQL only; elsewhere the ORM saves"
)
MESSAGES = {
    "unknown": "Peserta tidak dikenal.",
    "device": "Ujian ini sedang dibuka di perangkat lain.",
    "time": "Waktu ujian sudah habis.",
    "invalid": "Jawaban tidak sesuai soal.",
}


@pytest.fixture
def session(db):
    fill_bank()
    room = ExamRoom.objects.create(site=ExamSite.objects.create(name="UPT BKN Palu"), name="R1", seats=40)
    return ExamSession.objects.create(code="S1", room=room, starts_at=T0, opened_at=T0)


def started(session, n: int) -> Participant:
    p = Participant.objects.create(session=session, number=f"P{n:04d}", name=f"Peserta {n}")
    return participant_start(participant=p, device_token="d", now=T0)


def options(p: Participant, position: int) -> list[int]:
    return SheetItem.objects.get(participant=p, position=position).option_order


def save(p: Participant, position: int, option_id, seq: int, **kw) -> dict:
    kw = {"device_token": "d", "now": T0 + datetime.timedelta(minutes=1), **kw}
    return answer_save(participant_id=p.pk, position=position, option_id=option_id, seq=seq, **kw)


def stored_state(session) -> tuple:
    return (
        list(Answer.objects.order_by("participant_id", "position").values_list()),
        list(AnswerEvent.objects.order_by("id").values_list()),
        list(Participant.objects.filter(session=session).order_by("pk").values_list("pk", "last_hash")),
    )


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def head(p: Participant) -> str:
    return Participant.objects.values_list("last_hash", flat=True).get(pk=p.pk)


class TestTheChain:
    def test_every_link_is_the_hash_python_makes_per_participant_and_the_session_verifies(self, session):
        a, b = started(session, 1), started(session, 2)
        jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
        saves = [  # participant, position, option, seq, doubtful, now
            (a, 1, options(a, 1)[0], 1, False, T0 + datetime.timedelta(seconds=1, microseconds=123456)),
            (b, 1, options(b, 1)[2], 1, True, T0 + datetime.timedelta(seconds=2, microseconds=5)),
            (a, 1, None, 2, False, T0 + datetime.timedelta(seconds=3, microseconds=999999)),
            (b, 66, options(b, 66)[4], 2, False, T0 + datetime.timedelta(minutes=4)),  # zero microseconds
            (a, 2, options(a, 2)[1], 3, True, datetime.datetime(2026, 12, 1, 8, 5, 7, 250, tzinfo=jakarta)),
            (a, 1, options(a, 1)[3], 1, False, T0 + datetime.timedelta(minutes=6)),  # older than seq 2: loses
            (b, 1, options(b, 1)[1], 3, False, T0 + datetime.timedelta(minutes=7)),
        ]
        acks = [save(p, pos, o, s, doubtful=d, now=at) for p, pos, o, s, d, at in saves]

        assert [(ack["applied"], ack["seq"]) for ack in acks] == [
            (True, 1),
            (True, 1),
            (True, 2),
            (True, 2),
            (True, 3),
            (False, 2),
            (True, 3),
        ]
        assert acks[0]["deadline"] == a.deadline and acks[1]["deadline"] == b.deadline
        applied = [s for s, ack in zip(saves, acks, strict=True) if ack["applied"]]
        prev = {a.pk: GENESIS, b.pk: GENESIS}
        for e, (p, pos, o, s, _d, at) in zip(AnswerEvent.objects.order_by("id"), applied, strict=True):
            assert (e.session_id, e.participant_id, e.position, e.option_id, e.seq, e.at) == (
                session.pk,
                p.pk,
                pos,
                o,
                s,
                at,
            )
            assert e.prev_hash == prev[p.pk] and e.hash == _event_hash(prev[p.pk], p.pk, pos, o, s, at)
            prev[p.pk] = e.hash
        assert (head(a), head(b)) == (prev[a.pk], prev[b.pk]) != (GENESIS, GENESIS)
        assert verify_session(session.pk) == []
        assert list(
            Answer.objects.order_by("participant_id", "position").values_list(
                "participant_id", "position", "option_id", "doubtful", "seq"
            )
        ) == [
            (a.pk, 1, None, False, 2),
            (a.pk, 2, options(a, 2)[1], True, 3),
            (b.pk, 1, options(b, 1)[1], False, 3),
            (b.pk, 66, options(b, 66)[4], False, 2),
        ]

    def test_a_resent_save_is_acknowledged_without_a_second_link(self, session):
        p = started(session, 1)
        first = save(p, 5, options(p, 5)[0], 4)
        again = save(p, 5, options(p, 5)[0], 4)
        assert (first["applied"], again["applied"], again["seq"]) == (True, False, 4)
        assert AnswerEvent.objects.count() == 1 and verify_session(session.pk) == []

    def test_a_participant_who_saved_nothing_keeps_the_genesis_head(self, session):
        a, b = started(session, 1), started(session, 2)
        save(a, 1, options(a, 1)[0], 1)
        assert head(b) == GENESIS != head(a) and verify_session(session.pk) == []


class TestVerifySession:
    """Each tampering with the stored log is reported, naming the event or the participant."""

    @pytest.fixture
    def two(self, session):
        a, b = started(session, 1), started(session, 2)
        for seq, (p, pos) in enumerate([(a, 1), (b, 1), (a, 2), (b, 2), (a, 3)], start=1):
            save(p, pos, options(p, pos)[0], seq)
        assert verify_session(session.pk) == []
        return a, b

    def test_the_removed_last_event_of_one_participant(self, session, two):
        a, b = two
        AnswerEvent.objects.filter(participant=b).order_by("-id").first().delete()
        assert verify_session(session.pk) == [
            f"participant {b.number}: the log ends before its head: events were removed"
        ]

    def test_a_removed_event_in_the_middle_of_a_chain(self, session, two):
        a, _b = two
        _first, gone, after = AnswerEvent.objects.filter(participant=a).order_by("id")
        gone.delete()
        assert verify_session(session.pk) == [f"event {after.pk}: does not chain to the participant's one before"]

    def test_a_head_without_events(self, session, two):
        c = started(session, 3)
        Participant.objects.filter(pk=c.pk).update(last_hash="e" * 64)
        assert verify_session(session.pk) == [
            f"participant {c.number}: the log ends before its head: events were removed"
        ]

    def test_an_event_moved_to_another_participant(self, session, two):
        a, b = two
        moved = AnswerEvent.objects.filter(participant=a).order_by("id").last()
        AnswerEvent.objects.filter(pk=moved.pk).update(participant=b)
        problems = verify_session(session.pk)
        assert f"event {moved.pk}: altered" in problems
        assert f"event {moved.pk}: does not chain to the participant's one before" in problems
        assert f"participant {a.number}: the log ends before its head: events were removed" in problems

    def test_a_rewritten_answer(self, session, two):
        a, _b = two
        e = AnswerEvent.objects.filter(participant=a).order_by("id").first()
        AnswerEvent.objects.filter(pk=e.pk).update(option_id=options(a, e.position)[1])
        assert verify_session(session.pk) == [f"event {e.pk}: altered"]


def finish(p: Participant) -> dict:
    participant_finish(participant=p, now=T0 + datetime.timedelta(minutes=2))
    return {}


REFUSALS = {
    "unknown participant": ("unknown", lambda p: {"participant_id": p.pk + 1000}),
    "another device": ("device", lambda p: {"device_token": "other"}),
    "after the deadline": ("time", lambda p: {"now": p.deadline + datetime.timedelta(microseconds=1)}),
    "finished": ("time", finish),
    "a position not on the sheet": ("invalid", lambda p: {"position": 111}),
    "an option of another question": ("invalid", lambda p: {"option_id": options(p, 2)[0]}),
    "an option of no question": ("invalid", lambda p: {"option_id": Option.objects.order_by("-pk")[0].pk + 1}),
}


class TestRefusals:
    @pytest.mark.parametrize("case", REFUSALS)
    def test_a_refused_save_stores_nothing_and_leaves_the_chain_head(self, session, case):
        p = started(session, 1)
        save(p, 1, options(p, 1)[0], 1)
        code, change = REFUSALS[case]
        kwargs = {
            "participant_id": p.pk,
            "device_token": "d",
            "position": 1,
            "option_id": options(p, 1)[1],
            "seq": 2,
            "now": T0 + datetime.timedelta(minutes=3),
            **change(p),
        }
        before = stored_state(session)
        with pytest.raises(DomainError) as refused:
            answer_save(**kwargs)
        assert (refused.value.code, refused.value.message) == (code, MESSAGES[code])
        assert stored_state(session) == before and verify_session(session.pk) == []

    def test_the_checks_come_in_order_participant_device_time_answer(self, session):
        p = started(session, 1)
        late, wrong = p.deadline + datetime.timedelta(seconds=1), options(p, 2)[0]

        def refusal(**kw) -> str:
            with pytest.raises(DomainError) as refused:
                answer_save(**{"participant_id": p.pk, "device_token": "d", "position": 1, "seq": 1, **kw})
            return refused.value.code

        assert refusal(participant_id=p.pk + 1000, device_token="x", now=late, option_id=wrong) == "unknown"
        assert refusal(device_token="x", now=late, option_id=wrong) == "device"
        assert refusal(now=late, option_id=wrong) == "time"
        assert refusal(now=T0, position=111, option_id=None) == "invalid"

    def test_a_participant_not_started_yet_is_refused_for_time(self, session):
        p = Participant.objects.create(session=session, number="P0009", name="Peserta 9", device_token="d")
        with pytest.raises(DomainError) as refused:
            save(p, 1, None, 1)
        assert refused.value.code == "time"


@postgres_only
class TestStatementsOnPostgresql:
    """Three statements per save; the participant's row, locked by the first, is the only lock taken."""

    def test_an_applied_save(self, session):
        p = started(session, 1)
        option = options(p, 1)[0]
        with CaptureQueriesContext(connection) as ctx:
            assert save(p, 1, option, 1)["applied"]
        sql = statements(ctx)
        assert len(sql) == 3, sql
        assert "FOR UPDATE OF p" in sql[0] and "ON CONFLICT" in sql[1]
        assert "INSERT INTO" in sql[2] and "UPDATE" in sql[2] and "last_hash" in sql[2]
        assert ["FOR UPDATE" in s for s in sql] == [True, False, False]

    def test_a_save_that_loses_to_a_newer_one(self, session):
        p = started(session, 1)
        first, second = options(p, 1)[:2]
        save(p, 1, first, 5)
        with CaptureQueriesContext(connection) as ctx:
            assert not save(p, 1, second, 4)["applied"]
        assert len(statements(ctx)) == 3, statements(ctx)

    def test_a_refusal(self, session):
        p = started(session, 1)
        wrong = options(p, 2)[0]
        with CaptureQueriesContext(connection) as ctx, pytest.raises(DomainError):
            save(p, 1, wrong, 1)
        assert len(statements(ctx)) == 1, statements(ctx)


def run(body, errors: list) -> None:
    try:
        body()
    except Exception as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(exc)
    finally:
        connection.close()


def holding_a_save(p: Participant, position: int) -> tuple[threading.Thread, threading.Event, list]:
    """A thread that saves for ``p`` and keeps its transaction (and so the participant's row) open until
    the returned event is set."""
    holding, release, errors = threading.Event(), threading.Event(), []

    def body():
        with transaction.atomic():
            save(p, position, options(p, position)[0], 1)
            holding.set()
            release.wait(10)

    t = threading.Thread(target=run, args=(body, errors))
    t.start()
    assert holding.wait(10)
    return t, release, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_saves_of_two_participants_of_a_session_do_not_wait_on_each_other(session):
    """Participant A's save holds A's row (its transaction still open); B's save in the same session takes
    no lock A holds and completes meanwhile. With one chain head per session it queued behind A's commit."""
    a, b = started(session, 1), started(session, 2)
    t1, release, errors = holding_a_save(a, 1)
    t2 = threading.Thread(target=run, args=(lambda: save(b, 1, options(b, 1)[0], 1), errors))
    t2.start()
    t2.join(5)
    finished_meanwhile = not t2.is_alive()
    release.set()
    t1.join(10)
    t2.join(10)
    assert errors == []
    assert finished_meanwhile, "B's save waited for A's transaction"
    first, second = AnswerEvent.objects.order_by("id")
    assert (first.participant_id, second.participant_id) == (a.pk, b.pk)
    assert first.prev_hash == second.prev_hash == GENESIS
    assert (head(a), head(b)) == (first.hash, second.hash)
    assert verify_session(session.pk) == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_for_its_participant_links_to_the_one_committed_before_it(session):
    """Two saves of one participant: the second queues on the row inside its first statement and must read
    the head as the first one's commit left it."""
    a = started(session, 1)
    t1, release, errors = holding_a_save(a, 1)
    t2 = threading.Thread(target=run, args=(lambda: save(a, 2, options(a, 2)[0], 2), errors))
    t2.start()
    deadline = time.monotonic() + 10
    with connection.cursor() as cur:
        while time.monotonic() < deadline:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cur.fetchone()[0]:
                break
            time.sleep(0.02)
        else:
            pytest.fail("the second save never waited for the participant's row")
    release.set()
    t1.join(10)
    t2.join(10)
    assert errors == []
    first_event, second_event = AnswerEvent.objects.order_by("id")
    assert (first_event.position, second_event.position) == (1, 2)
    assert (first_event.prev_hash, second_event.prev_hash) == (GENESIS, first_event.hash)
    assert head(a) == second_event.hash
    assert verify_session(session.pk) == []
