"""The CAT over HTTP as the page uses it: login, start, one question at a time, acknowledged saves,
finish with the score and receipt; the server's clock and the one active device; the live board; the
operator's desk."""

import datetime
import json
import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from core.models import AuditRecord
from exams import operations
from exams.models import Answer, ExamSession, Option, Participant, SheetItem
from exams.services import verify_receipt
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def api(client, name, token=None, body=None, **kw):
    url = reverse(f"exams:{name}", kwargs=kw or None)
    headers = {"HTTP_X_CAT_TOKEN": token} if token else {}
    if body is None and name in ("api_question", "api_status", "board_data"):
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def ready(cat, client):
    """The first participant checked in and logged in, the session open."""
    p = cat["people"][0]
    pin = operations.participant_check_in(actor=cat["op"], participant=p, seat="001")
    operations.session_open(actor=cat["op"], session=cat["session"])
    r = api(client, "api_login", body={"number": p.number, "pin": pin})
    assert r.status_code == 200
    return {**cat, "p": p, "pin": pin, "token": r.json()["token"]}


class TestLoginAndStart:
    def test_a_wrong_pin_is_refused_in_indonesian(self, cat, client):
        operations.participant_check_in(actor=cat["op"], participant=cat["people"][0], seat="001")
        r = api(client, "api_login", body={"number": cat["people"][0].number, "pin": "x"})
        assert r.status_code == 401 and r.json()["message"] == "Nomor peserta atau PIN salah."

    def test_before_the_session_opens_the_page_is_told_to_wait(self, cat, client):
        p = cat["people"][0]
        pin = operations.participant_check_in(actor=cat["op"], participant=p, seat="001")
        token = api(client, "api_login", body={"number": p.number, "pin": pin}).json()["token"]
        r = api(client, "api_start", token)
        assert r.status_code == 425 and r["Retry-After"] == "5"

    def test_start_gives_the_grid_and_the_servers_time_left(self, ready, client):
        r = api(client, "api_start", ready["token"])
        data = r.json()
        assert r.status_code == 200
        assert data["subtests"][:1] == ["twk"] and data["subtests"][-1] == "tkp" and len(data["subtests"]) == 110
        assert 99 * 60_000 < data["remaining_ms"] <= 100 * 60_000
        assert data["answers"] == {} and data["max_seq"] == 0

    def test_a_forged_or_missing_token_is_refused(self, ready, client):
        assert api(client, "api_start").status_code == 401
        assert api(client, "api_start", ready["token"] + "x").status_code == 401
        assert api(client, "api_question", "garbage", position=1).status_code == 401


class TestQuestionsAndAnswers:
    def test_a_question_comes_without_its_key(self, ready, client):
        api(client, "api_start", ready["token"])
        r = api(client, "api_question", ready["token"], position=66)
        body = r.content.decode()
        item = SheetItem.objects.get(participant=ready["p"], position=66)
        assert [o["id"] for o in r.json()["options"]] == item.option_order
        assert r.json()["subtest"] == "tkp" and "points" not in body and '"5"' not in body
        assert set(r.json()["options"][0]) == {"id", "text"}

    def test_a_save_is_acknowledged_after_it_is_stored_and_an_older_one_loses(self, ready, client):
        api(client, "api_start", ready["token"])
        opts = SheetItem.objects.get(participant=ready["p"], position=3).option_order
        r = api(client, "api_answer", ready["token"], {"position": 3, "option": opts[2], "seq": 5})
        assert r.status_code == 200 and r.json()["applied"] and r.json()["seq"] == 5
        assert Answer.objects.get(participant=ready["p"], position=3).option_id == opts[2]
        late = api(client, "api_answer", ready["token"], {"position": 3, "option": opts[0], "seq": 4}).json()
        assert late["applied"] is False and late["seq"] == 5
        assert Answer.objects.get(participant=ready["p"], position=3).option_id == opts[2]

    @pytest.mark.parametrize("body", [{}, {"position": "x", "seq": 1}, {"position": 1, "seq": 1, "option": 999999}])
    def test_malformed_or_foreign_answers_are_refused(self, ready, client, body):
        api(client, "api_start", ready["token"])
        r = api(client, "api_answer", ready["token"], body)
        assert r.status_code == 400 and r.json()["message"]
        assert not Answer.objects.exists()

    def test_a_second_device_takes_over_and_the_first_is_refused(self, ready, client):
        api(client, "api_start", ready["token"])
        other = api(client, "api_login", body={"number": ready["p"].number, "pin": ready["pin"]}).json()["token"]
        assert api(client, "api_start", other).status_code == 200
        r = api(client, "api_answer", ready["token"], {"position": 1, "option": None, "seq": 1})
        assert r.status_code == 409 and "perangkat lain" in r.json()["message"]
        assert api(client, "api_status", ready["token"]).status_code == 409
        assert api(client, "api_question", ready["token"], position=1).status_code == 404


class TestClock:
    def test_the_servers_clock_ends_the_exam_whatever_the_page_thinks(self, ready, client):
        api(client, "api_start", ready["token"])
        Participant.objects.filter(pk=ready["p"].pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
        opts = SheetItem.objects.get(participant=ready["p"], position=1).option_order
        r = api(
            client,
            "api_answer",
            ready["token"],
            {"position": 1, "option": opts[0], "seq": 1, "client_time": "2020-01-01T00:00:00Z"},
        )
        assert r.status_code == 410 and not Answer.objects.exists()

    def test_the_page_cannot_shorten_or_extend_its_time(self, ready, client):
        api(client, "api_start", ready["token"])
        deadline = Participant.objects.get(pk=ready["p"].pk).deadline
        for skewed in ({"now": "2099-01-01T00:00:00Z"}, {"remaining_ms": 1}, {"deadline": "2000-01-01T00:00:00Z"}):
            api(client, "api_start", ready["token"], skewed)
            api(client, "api_answer", ready["token"], {"position": 2, "option": None, "seq": 1, **skewed})
        assert Participant.objects.get(pk=ready["p"].pk).deadline == deadline

    def test_an_incident_shows_up_in_the_time_left(self, ready, client):
        api(client, "api_start", ready["token"])
        ten = datetime.timedelta(minutes=10)
        p = Participant.objects.get(pk=ready["p"].pk)
        Participant.objects.filter(pk=p.pk).update(started_at=p.started_at - ten, deadline=p.deadline - ten)
        before = api(client, "api_status", ready["token"]).json()["remaining_ms"]
        now = timezone.now()
        operations.incident_record(
            actor=ready["op"],
            session=ready["session"],
            kind="power",
            started_at=now - datetime.timedelta(minutes=5),
            ended_at=now,
        )
        after = api(client, "api_status", ready["token"]).json()["remaining_ms"]
        assert 4.9 * 60_000 < after - before <= 5 * 60_000


class TestResumeAndFinish:
    @pytest.mark.django_db(transaction=True)  # real commits, so dropping every connection loses nothing committed
    def test_after_a_killed_server_the_participant_resumes_on_another_seat_with_every_answer(self, ready, client):
        api(client, "api_start", ready["token"])
        saved = {}
        for pos in (1, 40, 100):
            opt = SheetItem.objects.get(participant=ready["p"], position=pos).option_order[1]
            assert (
                api(client, "api_answer", ready["token"], {"position": pos, "option": opt, "seq": pos}).status_code
                == 200
            )
            saved[str(pos)] = opt
        connections.close_all()  # the process that held the connections is gone; only committed rows remain
        pin = operations.participant_check_in(actor=ready["op"], participant=ready["p"], seat="007")
        token = api(client, "api_login", body={"number": ready["p"].number, "pin": pin}).json()["token"]
        state = api(client, "api_start", token).json()
        assert {pos: a["option"] for pos, a in state["answers"].items()} == saved and state["max_seq"] == 100

    def test_finish_scores_at_once_and_the_receipt_verifies(self, ready, client):
        api(client, "api_start", ready["token"])
        for pos in (1, 2, 66):
            item = SheetItem.objects.get(participant=ready["p"], position=pos)
            best = max(item.option_order, key=lambda o: Option.objects.get(pk=o).points)
            api(client, "api_answer", ready["token"], {"position": pos, "option": best, "seq": pos})
        r = api(client, "api_finish", ready["token"]).json()
        assert (r["twk"], r["tiu"], r["tkp"], r["total"]) == (10, 0, 5, 15) and len(r["receipt"]) == 64
        assert r["passing"] is None  # the session has no period, so no passing grade applies
        assert verify_receipt(Participant.objects.get(pk=ready["p"].pk))
        assert api(client, "api_answer", ready["token"], {"position": 3, "option": None, "seq": 9}).status_code == 410
        assert api(client, "api_finish", ready["token"]).json()["receipt"] == r["receipt"]


class TestBoard:
    def test_the_board_shows_scores_not_questions(self, ready, client, django_assert_max_num_queries):
        api(client, "api_start", ready["token"])
        api(client, "api_finish", ready["token"])
        url = reverse("exams:board_data", args=[ready["session"].public_key])
        with django_assert_max_num_queries(6):
            data = client.get(url).json()
        first = data["rows"][0]
        assert first["number"] == ready["p"].number and first["status"] == "finished" and first["total"] == 0
        assert [r["status"] for r in data["rows"][1:]] == ["waiting", "waiting"]
        page = client.get(reverse("exams:board", args=[ready["session"].public_key])).content.decode()
        assert "Soal TWK" not in page and "Pilihan" not in page and "Soal TWK" not in json.dumps(data)

    def test_the_board_follows_within_two_seconds(self, ready, client, monkeypatch):
        url = reverse("exams:board_data", args=[ready["session"].public_key])
        clock = [1_000_000.0]
        monkeypatch.setattr("exams.board.time.time", lambda: clock[0])
        assert client.get(url).json()["rows"][0]["status"] == "waiting"
        api(client, "api_start", ready["token"])
        clock[0] += 1.0
        assert client.get(url).json()["rows"][0]["status"] == "working"

    def test_an_unknown_board_is_404(self, client):
        assert client.get(reverse("exams:board_data", args=["nope"])).status_code == 404

    def test_passing_is_judged_by_the_periods_grade(self, cat, client, period):
        ExamSession.objects.filter(pk=cat["session"].pk).update(period=period)
        p = cat["people"][1]
        Participant.objects.filter(pk=p.pk).update(
            started_at=timezone.now(), finished_at=timezone.now(), twk=65, tiu=80, tkp=166
        )
        Participant.objects.filter(pk=cat["people"][2].pk).update(
            started_at=timezone.now(), finished_at=timezone.now(), twk=65, tiu=75, tkp=200
        )
        rows = client.get(reverse("exams:board_data", args=[cat["session"].public_key])).json()["rows"]
        assert [(r["number"], r["passing"]) for r in rows[:2]] == [(cat["people"][2].number, False), (p.number, True)]


class TestOperatorDesk:
    def test_check_in_shows_the_pin_once(self, cat, login):
        client = login(cat["operator"])
        url = reverse("exams:desk", args=[cat["session"].code])
        p = cat["people"][0]
        r = client.post(url, {"action": "checkin", "participant": p.pk, "seat": "004"}, follow=True)
        pin = re.search(r"PIN: (\d{6})", r.content.decode()).group(1)
        assert operations.participant_login(number=p.number, pin=pin)
        assert "PIN: " not in client.get(url).content.decode()

    def test_incident_form_records_and_refuses(self, cat, login):
        client = login(cat["operator"])
        url = reverse("exams:desk", args=[cat["session"].code])
        now = timezone.localtime()
        fmt = "%Y-%m-%dT%H:%M"
        bad = client.post(
            url,
            {
                "action": "incident",
                "kind": "power",
                "started_at": now.strftime(fmt),
                "ended_at": (now - datetime.timedelta(minutes=5)).strftime(fmt),
            },
        )
        assert "Akhir gangguan harus sesudah awalnya." in bad.content.decode()
        unknown = client.post(
            url,
            {
                "action": "incident",
                "kind": "power",
                "participant": "NOPE",
                "started_at": (now - datetime.timedelta(minutes=9)).strftime(fmt),
                "ended_at": (now - datetime.timedelta(minutes=5)).strftime(fmt),
            },
        )
        assert "Nomor peserta tidak ada di sesi ini." in unknown.content.decode()
        ok = client.post(
            url,
            {
                "action": "incident",
                "kind": "power",
                "started_at": (now - datetime.timedelta(minutes=9)).strftime(fmt),
                "ended_at": (now - datetime.timedelta(minutes=5)).strftime(fmt),
            },
            follow=True,
        )
        assert "Gangguan tercatat" in ok.content.decode()
        assert AuditRecord.objects.filter(action="exams.incident_record").count() == 1

    def test_open_button_opens_the_session(self, cat, login):
        client = login(cat["operator"])
        client.post(reverse("exams:desk", args=[cat["session"].code]), {"action": "open"})
        assert ExamSession.objects.get(pk=cat["session"].pk).opened_at

    def test_someone_elses_session_is_404(self, cat, login, world):
        stranger = make_user("operator.lain", totp=False)
        assert login(stranger).get(reverse("exams:desk", args=[cat["session"].code])).status_code == 404
        assert login(stranger).get(reverse("exams:operator")).status_code == 404
        assert login(world["admin_lpg"]).get(reverse("exams:desk", args=[cat["session"].code])).status_code == 404
        assert login(world["national"]).get(reverse("exams:desk", args=[cat["session"].code])).status_code == 200

    def test_desk_query_count_does_not_grow_with_participants(self, cat, login, django_assert_max_num_queries):
        client = login(cat["operator"])
        url = reverse("exams:desk", args=[cat["session"].code])
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
        for n in range(4, 10):
            Participant.objects.create(session=cat["session"], number=f"X{n}", name=f"X {n}")
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
