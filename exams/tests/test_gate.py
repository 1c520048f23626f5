"""The start gate: beyond its slots a start gets 429 with Retry-After at once; other paths pass."""

import fcntl

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from exams.gate import StartGate


def ok(request):
    return HttpResponse("ok")


@override_settings(CAT_START_GATE=1)
def test_a_full_gate_answers_429_and_a_free_one_passes(tmp_path):
    with override_settings(CAT_GATE_DIR=str(tmp_path)):
        gate = StartGate(ok)
    start = RequestFactory().post("/cat/api/mulai/")
    assert gate(start).status_code == 200
    with open(tmp_path / "pamong-cat-gate-0", "a") as held:  # another worker holds the only slot
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        busy = gate(start)
        assert busy.status_code == 429 and 5 <= int(busy["Retry-After"]) <= 15
        assert gate(RequestFactory().post("/cat/api/jawab/")).status_code == 200  # saves never wait on it
        fcntl.flock(held, fcntl.LOCK_UN)
    assert gate(start).status_code == 200


@override_settings(CAT_START_GATE=0)
def test_no_slots_means_no_gate():
    assert StartGate(ok)(RequestFactory().post("/cat/api/mulai/")).status_code == 200
