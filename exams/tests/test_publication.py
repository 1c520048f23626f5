"""The published log: anyone can download it after the session and the verify command proves that no
answer, score or receipt changed after publication."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from exams import operations, services
from exams.models import AnswerEvent, Participant, SheetItem
from exams.publication import heads_root, log_lines, verify_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def sat(cat):
    """Two participants sat and finished; the third was never placed in a seat."""
    operations.session_open(actor=cat["op"], session=cat["session"])
    Participant.objects.filter(pk=cat["people"][2].pk).delete()
    for i, p in enumerate(cat["people"][:2]):
        operations.participant_check_in(actor=cat["op"], participant=p, seat=f"00{i + 1}")
        services.participant_start(participant=p, device_token="d")
        for pos in (1, 2, 31, 66, 67):
            opts = SheetItem.objects.get(participant=p, position=pos).option_order
            services.answer_save(participant_id=p.pk, device_token="d", position=pos, option_id=opts[i], seq=pos)
        services.participant_finish(participant=p)
    return cat


def published(cat) -> str:
    return "".join(log_lines(cat["session"]))


def test_an_untouched_log_verifies(sat, tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(published(sat))
    out = io.StringIO()
    call_command("exam_verify", sat["session"].code, "--log", str(path), stdout=out)
    assert "published log matches" in out.getvalue()


def test_a_score_changed_after_publication_is_caught(sat):
    text = published(sat)
    p = Participant.objects.get(pk=sat["people"][0].pk)  # the fixture's copy predates the scoring
    Participant.objects.filter(pk=p.pk).update(tkp=p.tkp + 5)
    problems = verify_log(sat["session"], io.StringIO(text))
    assert any("changed after publication" in x for x in problems)


def test_a_rewritten_answer_in_the_database_is_caught(sat):
    text = published(sat)
    e = AnswerEvent.objects.order_by("id")[3]
    AnswerEvent.objects.filter(pk=e.pk).update(option_id=None)
    assert verify_log(sat["session"], io.StringIO(text)) == []  # the file itself is still consistent with the scores …
    assert services.verify_session(sat["session"].pk)  # … but the database chain no longer is


def test_a_doctored_file_is_caught(sat):
    lines = published(sat).splitlines(keepends=True)
    lines[2] = lines[2].replace('"seq":', '"seq":1')
    problems = verify_log(sat["session"], io.StringIO("".join(lines)))
    assert problems and "line 3" in problems[0]
    assert "cut short" in verify_log(sat["session"], io.StringIO("".join(lines[:-1])))[-1]


def test_a_receipt_given_is_checked(sat):
    p = Participant.objects.get(pk=sat["people"][0].pk)
    out = io.StringIO()
    call_command(
        "exam_verify", sat["session"].code, "--participant", p.number, "--receipt", p.receipt.upper(), stdout=out
    )
    with pytest.raises(CommandError, match="not the one issued"):
        call_command(
            "exam_verify",
            sat["session"].code,
            "--participant",
            p.number,
            "--receipt",
            "0" * 64,
            stdout=out,
            stderr=io.StringIO(),
        )


def test_the_log_is_downloadable_only_after_everyone_finished(cat, sat, client):
    url = reverse("exams:board_log", args=[sat["session"].public_key])
    assert client.get(url).status_code == 200
    body = b"".join(client.get(url).streaming_content).decode()
    assert body == published(sat)
    assert "Soal" not in body and "Pilihan" not in body  # no question or option text
    Participant.objects.create(session=sat["session"], number="LATE", name="Terlambat")
    assert client.get(url).status_code == 409


def test_a_session_checked_while_saves_commit_is_not_reported_as_cut(sat, monkeypatch):
    """The heads are read first: an event committed between the two reads is after its head, not missing."""
    p = Participant.objects.filter(session=sat["session"]).first()
    Participant.objects.filter(pk=p.pk).update(finished_at=None)
    real = AnswerEvent.objects.filter

    def commit_then_events(*args, **kwargs):
        opts = SheetItem.objects.get(participant=p, position=5).option_order
        services.answer_save(participant_id=p.pk, device_token="d", position=5, option_id=opts[2], seq=99)
        monkeypatch.setattr(AnswerEvent.objects, "filter", real)
        return real(*args, **kwargs)

    monkeypatch.setattr(AnswerEvent.objects, "filter", commit_then_events)
    assert services.verify_session(sat["session"].pk) == []
    assert AnswerEvent.objects.filter(participant=p, seq=99).exists()  # the save did land in between
    assert services.verify_session(sat["session"].pk) == []


def test_the_last_line_holds_every_participants_head_and_their_root(sat):
    tail = json.loads(published(sat).splitlines()[-1])
    people = Participant.objects.filter(session=sat["session"]).order_by("number")
    assert tail["heads"] == {p.number: p.last_hash for p in people} and len(tail["heads"]) == 2
    assert tail["root"] == heads_root(tail["heads"]) and [s["number"] for s in tail["scores"]] == list(tail["heads"])


def test_the_removed_last_event_of_one_participant_is_caught(sat):
    text = published(sat)
    p = sat["people"][1]
    last = AnswerEvent.objects.filter(participant=p).order_by("-id").first()
    lines = [line for line in text.splitlines(keepends=True) if f'"event":{last.pk},' not in line]
    problems = verify_log(sat["session"], io.StringIO("".join(lines)))
    assert f"participant {p.number}: the published head does not close the published chain" in problems
    last.delete()
    assert any("differs from the published one" in x for x in verify_log(sat["session"], io.StringIO(text)))
    assert services.verify_session(sat["session"].pk) == [
        f"participant {p.number}: the log ends before its head: events were removed"
    ]


def test_an_event_moved_to_another_participant_in_the_file_is_caught(sat):
    a, b = sat["people"][:2]
    lines = published(sat).splitlines(keepends=True)
    n, row = next((n, json.loads(x)) for n, x in enumerate(lines) if json.loads(x).get("participant") == a.pk)
    row.update(participant=b.pk, number=b.number)
    lines[n] = json.dumps(row, separators=(",", ":")) + "\n"
    problems = verify_log(sat["session"], io.StringIO("".join(lines)))
    assert problems and problems[0] == f"line {n + 1}: the published chain is broken"
    row.update(participant=a.pk)  # only the number changed: the hash still holds, the owner does not
    lines[n] = json.dumps(row, separators=(",", ":")) + "\n"
    problems = verify_log(sat["session"], io.StringIO("".join(lines)))
    assert f"line {n + 1}: the event's participant is not participant {b.number} of the session" in problems


def test_a_forged_head_or_root_is_caught(sat):
    lines = published(sat).splitlines(keepends=True)
    tail = json.loads(lines[-1])
    number = next(iter(tail["heads"]))
    tail["heads"][number] = "f" * 64
    forged = lines[:-1] + [json.dumps(tail) + "\n"]
    problems = verify_log(sat["session"], io.StringIO("".join(forged)))
    assert f"participant {number}: the published head does not close the published chain" in problems
    assert "the published root does not follow from the published heads" in problems
    tail["root"] = heads_root(tail["heads"])
    forged = lines[:-1] + [json.dumps(tail) + "\n"]
    assert verify_log(sat["session"], io.StringIO("".join(forged))) == [
        f"participant {number}: the published head does not close the published chain"
    ]
