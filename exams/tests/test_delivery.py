"""The CAT's delivery: own randomized sheet, server deadline, durable ordered saves, resume, scoring,
the hash-chained log and the receipt."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError
from exams.models import Answer, AnswerEvent, ExamRoom, ExamSession, ExamSite, Option, Participant, Question, SheetItem
from exams.services import (
    answer_save,
    incident_compensate,
    participant_finish,
    participant_start,
    verify_receipt,
    verify_session,
)

pytestmark = pytest.mark.django_db
T0 = timezone.make_aware(datetime.datetime(2026, 12, 1, 8, 0))


@pytest.fixture
def bank(db):
    for subtest, n in (("twk", 32), ("tiu", 37), ("tkp", 47)):
        for i in range(n):
            q = Question.objects.create(subtest=subtest, text=f"{subtest} {i}")
            weights = [5, 0, 0, 0, 0] if subtest != "tkp" else [1, 2, 3, 4, 5]
            Option.objects.bulk_create(
                Option(question=q, label=lab, text=f"opsi {lab}", points=w) for lab, w in zip("abcde", weights)
            )
    site = ExamSite.objects.create(name="UPT BKN Bandar Lampung")
    session = ExamSession.objects.create(
        code="S1", room=ExamRoom.objects.create(site=site, name="R1", seats=40), starts_at=T0, opened_at=T0
    )
    return session


def person(session, n, **kw):
    return Participant.objects.create(session=session, number=f"P{n:04d}", name=f"Peserta {n}", **kw)


def best_option(item):
    return max(item.option_order, key=lambda o: Option.objects.get(pk=o).points)


class TestStart:
    def test_each_participant_gets_the_blueprint_in_an_own_order(self, bank):
        a = participant_start(participant=person(bank, 1), device_token="d1", now=T0)
        b = participant_start(participant=person(bank, 2), device_token="d2", now=T0)
        qa = list(SheetItem.objects.filter(participant=a).values_list("question_id", flat=True))
        qb = list(SheetItem.objects.filter(participant=b).values_list("question_id", flat=True))
        assert len(qa) == 110 and [
            SheetItem.objects.get(participant=a, position=p).question.subtest for p in (1, 30, 31, 65, 66, 110)
        ] == ["twk", "twk", "tiu", "tiu", "tkp", "tkp"]
        assert qa != qb
        assert a.deadline == T0 + datetime.timedelta(minutes=100)

    def test_130_minutes_for_the_visually_impaired(self, bank):
        p = participant_start(participant=person(bank, 3, visually_impaired=True), device_token="d", now=T0)
        assert p.deadline == T0 + datetime.timedelta(minutes=130)

    def test_resume_on_another_seat_keeps_the_sheet_and_answers_and_moves_the_device(self, bank):
        p = participant_start(participant=person(bank, 4), device_token="old", now=T0)
        item = SheetItem.objects.get(participant=p, position=1)
        answer_save(participant_id=p.pk, device_token="old", position=1, option_id=item.option_order[0], seq=1, now=T0)
        before = list(SheetItem.objects.filter(participant=p).values_list("question_id", "option_order"))
        participant_start(participant=p, device_token="new", now=T0 + datetime.timedelta(minutes=20))
        assert list(SheetItem.objects.filter(participant=p).values_list("question_id", "option_order")) == before
        assert Answer.objects.get(participant=p, position=1).option_id == item.option_order[0]
        with pytest.raises(DomainError, match="perangkat lain"):
            answer_save(participant_id=p.pk, device_token="old", position=2, option_id=None, seq=2, now=T0)


class TestSaves:
    def test_an_older_save_never_overwrites_a_newer_one(self, bank):
        p = participant_start(participant=person(bank, 5), device_token="d", now=T0)
        opts = SheetItem.objects.get(participant=p, position=7).option_order
        assert answer_save(participant_id=p.pk, device_token="d", position=7, option_id=opts[1], seq=2, now=T0)[
            "applied"
        ]
        late = answer_save(participant_id=p.pk, device_token="d", position=7, option_id=opts[0], seq=1, now=T0)
        assert {k: late[k] for k in ("position", "seq", "applied")} == {"position": 7, "seq": 2, "applied": False}
        assert Answer.objects.get(participant=p, position=7).option_id == opts[1]
        again = answer_save(participant_id=p.pk, device_token="d", position=7, option_id=opts[1], seq=2, now=T0)
        assert again["applied"] is False and AnswerEvent.objects.filter(participant=p).count() == 1

    def test_the_server_clock_decides_the_time(self, bank):
        p = participant_start(participant=person(bank, 6), device_token="d", now=T0)
        with pytest.raises(DomainError, match="Waktu ujian sudah habis"):
            answer_save(
                participant_id=p.pk,
                device_token="d",
                position=1,
                option_id=None,
                seq=1,
                now=p.deadline + datetime.timedelta(seconds=1),
            )

    def test_an_option_of_another_question_is_refused(self, bank):
        p = participant_start(participant=person(bank, 7), device_token="d", now=T0)
        other = SheetItem.objects.get(participant=p, position=2).option_order[0]
        with pytest.raises(DomainError, match="tidak sesuai"):
            answer_save(participant_id=p.pk, device_token="d", position=1, option_id=other, seq=1, now=T0)

    def test_an_incident_gives_the_lost_time_back(self, bank):
        p = participant_start(participant=person(bank, 8), device_token="d", now=T0)
        incident_compensate(participant_ids=[p.pk], lost=datetime.timedelta(minutes=7))
        p.refresh_from_db()
        assert p.deadline == T0 + datetime.timedelta(minutes=107)


class TestScoreLogAndReceipt:
    def finish_with_best_answers(self, bank, n, count=20):
        p = participant_start(participant=person(bank, n), device_token="d", now=T0)
        for pos in range(1, count + 1):
            item = SheetItem.objects.get(participant=p, position=pos)
            answer_save(participant_id=p.pk, device_token="d", position=pos, option_id=best_option(item), seq=1, now=T0)
        return participant_finish(participant=p, now=T0 + datetime.timedelta(minutes=50))

    def test_scoring_at_finish(self, bank):
        p = self.finish_with_best_answers(bank, 9, count=110)
        assert (p.twk, p.tiu, p.tkp) == (150, 175, 225) and p.receipt

    def test_the_log_and_the_receipt_verify_and_a_changed_answer_breaks_both(self, bank):
        p = self.finish_with_best_answers(bank, 10)
        assert verify_session(bank.pk) == [] and verify_receipt(p)
        e = AnswerEvent.objects.filter(participant=p).order_by("id")[3]
        e.option_id = SheetItem.objects.get(participant=p, position=e.position).option_order[-1]
        e.save()
        assert any("altered" in x for x in verify_session(bank.pk))
        p.refresh_from_db()
        assert not verify_receipt(p)

    def test_a_changed_score_fails_the_receipt(self, bank):
        p = self.finish_with_best_answers(bank, 11)
        Participant.objects.filter(pk=p.pk).update(twk=p.twk + 5)
        p.refresh_from_db()
        assert not verify_receipt(p)


def test_the_verify_command(bank, capsys):
    from django.core.management import CommandError, call_command

    p = TestScoreLogAndReceipt().finish_with_best_answers(bank, 12, count=5)
    call_command("exam_verify", "S1")
    assert "1 receipt(s) verified" in capsys.readouterr().out
    Participant.objects.filter(pk=p.pk).update(tkp=(p.tkp or 0) + 1)
    with pytest.raises(CommandError, match="participant P0012"):
        call_command("exam_verify", "S1")
