"""The CAT as a participant meets it, in Debian's Chromium driven by Playwright: a whole exam with the live
board open beside it, answers kept through a network drop, a timer that follows the server whatever the
computer's clock says, a question still loading that offers nothing to click, and a reload and a takeover by
another device."""

import datetime
import importlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import F
from django.utils import timezone

from exams import operations
from exams.models import Answer, AnswerEvent, ExamSession, Option, Participant, SheetItem
from exams.services import verify_receipt
from exams.tests.conftest import cat, fresh_cache  # noqa: F401 - shared fixtures
from recruitment.tests.conftest import period  # noqa: F401 - shared fixture
from tests.test_browser import CHROMIUM, SHOTS, chromium_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
    ),
]

WRONG_PIN = "Nomor peserta atau PIN salah."
OTHER_DEVICE = "Ujian ini sedang dibuka di perangkat lain."


@pytest.fixture
def open_page(live_server, monkeypatch):
    """Open a page in a context of its own (its own localStorage, as another computer would have)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with chromium_browser() as browser:

        def _open(path: str = "/cat/", *, init_script: str | None = None):
            ctx = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
            if init_script:
                ctx.add_init_script(init_script)
            page = ctx.new_page()
            page.set_default_timeout(10000)
            page.goto(live_server.url + path)
            return page

        yield _open


@pytest.fixture
def exam_day(cat, period):  # noqa: F811 - the imported fixtures
    """The first participant checked in (their PIN in hand) in a session of a CPNS period, opened."""
    # A transactional test's flush removes the passing grades the migration loads: put them back.
    importlib.import_module("recruitment.migrations.0002_passing_grades").forwards(apps, None)
    ExamSession.objects.filter(pk=cat["session"].pk).update(period=period)
    p = cat["people"][0]
    pin = operations.participant_check_in(actor=cat["op"], participant=p, seat="001")
    operations.session_open(actor=cat["op"], session=cat["session"])
    sheet = {
        s.position: (s.question.text, s.option_order)
        for s in SheetItem.objects.filter(participant=p).select_related("question")
    }
    return {**cat, "p": p, "pin": pin, "sheet": sheet}


def sign_in(page, number: str, pin: str) -> None:
    page.fill("#number", number)
    page.fill("#pin", pin)
    page.click("#cat-login button[type=submit]")
    page.wait_for_url("**/cat/ujian/")
    page.wait_for_selector("#exam:not(.d-none)")


def on_question(page, sheet: dict, pos: int) -> None:
    """Wait until the page shows the participant's own question at `pos`, options in their own order."""
    text, order = sheet[pos]
    page.wait_for_function(
        """([pos, text, order]) => document.getElementById("q-pos").textContent === String(pos)
            && document.getElementById("q-text").textContent === text
            && JSON.stringify(Array.from(document.querySelectorAll("#q-options .option"),
                                         (b) => +b.dataset.option)) === JSON.stringify(order)""",
        arg=[pos, text, order],
    )


def choose(page, index: int) -> int:
    """Click the option at `index` (A = 0) and return its id."""
    button = page.locator("#q-options .option").nth(index)
    button.click()
    assert "chosen" in button.get_attribute("class").split()
    return int(button.get_attribute("data-option"))


def grid(page) -> list[set[str]]:
    return [set(c.split()) for c in page.eval_on_selector_all("#grid button", "bs => bs.map((b) => b.className)")]


def tally(page) -> tuple[int, int, int]:
    return tuple(int(page.inner_text(f"#n-{k}")) for k in ("answered", "doubtful", "empty"))


def settled(page, timeout: float = 10000) -> None:
    """Wait until the server acknowledged every answer the page holds."""
    page.wait_for_function(
        "document.querySelectorAll('#grid .saving').length === 0"
        " && document.getElementById('pending-note').textContent === ''",
        timeout=timeout,
    )


def stored(p: Participant) -> dict[int, tuple[int | None, bool, int]]:
    return {
        pos: (opt, doubtful, seq)
        for pos, opt, doubtful, seq in Answer.objects.filter(participant=p).values_list(
            "position", "option_id", "doubtful", "seq"
        )
    }


def wait_for_db(page, check, timeout: float = 8.0):
    """Poll the database while letting Playwright run (its route handlers only run inside its calls)."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        page.wait_for_timeout(150)


def post_answer(page, body: dict) -> tuple[int, dict]:
    """Send one save with this page's token, as a late packet from the page would arrive."""
    return tuple(
        page.evaluate(
            """async (body) => {
                const r = await fetch("/cat/api/jawab/", {method: "POST", body: JSON.stringify(body),
                    headers: {"Content-Type": "application/json", "X-CAT-Token": localStorage.getItem("cat.token")}});
                return [r.status, await r.json()];
            }""",
            body,
        )
    )


def test_a_whole_exam_with_the_live_board_beside_it(open_page, exam_day):
    p, sheet = exam_day["p"], exam_day["sheet"]
    board = open_page(f"/cat/papan/{exam_day['session'].public_key}/")
    polls = []
    board.on("response", lambda r: polls.append(r.status) if "/data/" in r.url else None)
    row = f"#board tbody tr[data-number='{p.number}']"
    board.wait_for_selector(row)
    assert "Belum mulai" in board.inner_text(row)

    page = open_page()
    sign_in(page, p.number, exam_day["pin"])
    on_question(page, sheet, 1)
    assert page.inner_text("#who") == f"{p.number} · {p.name}"
    assert len(grid(page)) == 110 and tally(page) == (0, 0, 110)
    board.wait_for_function(
        "sel => document.querySelector(sel).textContent.includes('Sedang ujian (0/110)')", arg=row, timeout=3000
    )

    chosen = {}
    key = [Option.objects.get(pk=o).points for o in sheet[1][1]].index(5)
    chosen[1] = choose(page, key)  # the right answer
    page.click("#next")
    on_question(page, sheet, 2)
    chosen[2] = choose(page, 1)
    page.check("#q-doubt")
    page.click("#next")
    on_question(page, sheet, 3)
    chosen[3] = choose(page, 2)
    page.click("#grid button[data-pos='66']")  # the first TKP question
    on_question(page, sheet, 66)
    assert page.inner_text("#q-subtest") == "TKP"
    chosen[66] = choose(page, 3)
    page.click("#prev")
    on_question(page, sheet, 65)
    chosen[65] = choose(page, 4)
    page.click("#grid button[data-pos='2']")
    on_question(page, sheet, 2)
    assert page.is_checked("#q-doubt")
    assert page.get_attribute("#q-options .option.chosen", "data-option") == str(chosen[2])
    settled(page)

    classes = grid(page)
    assert [classes[i] for i in (0, 1, 2, 64, 65)] == [
        {"answered"},
        {"doubtful", "current"},
        {"answered"},
        {"answered"},
        {"answered"},
    ]
    assert all(not c for i, c in enumerate(classes) if i not in (0, 1, 2, 64, 65))
    assert tally(page) == (4, 1, 105)
    assert page.inner_text("#q-saved") == "Tersimpan"
    assert {pos: (opt, doubtful) for pos, (opt, doubtful, _seq) in stored(p).items()} == {
        pos: (opt, pos == 2) for pos, opt in chosen.items()
    }
    board.wait_for_function(
        "sel => document.querySelector(sel).textContent.includes('Sedang ujian (5/110)')", arg=row, timeout=3000
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cat-exam.png"), full_page=True)

    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("#finish")
    page.wait_for_timeout(300)
    assert asked == ["Akhiri ujian? 105 soal kosong, 1 ragu-ragu."]
    assert page.is_visible("#exam") and not Participant.objects.get(pk=p.pk).finished_at

    page.once("dialog", lambda d: answer(d, True))
    page.click("#finish")
    page.wait_for_selector("#result:not(.d-none)")
    shown_at = time.monotonic()
    done = Participant.objects.get(pk=p.pk)
    points = dict(Option.objects.filter(pk__in=chosen.values()).values_list("pk", "points"))
    expected = {
        "twk": sum(points[chosen[pos]] for pos in (1, 2, 3)),
        "tiu": points[chosen[65]],
        "tkp": points[chosen[66]],
    }
    assert expected["twk"] >= 5 and (done.twk, done.tiu, done.tkp) == tuple(expected.values())
    total = sum(expected.values())
    assert {k: int(page.inner_text(f"#r-{k}")) for k in ("twk", "tiu", "tkp", "total")} == {**expected, "total": total}
    assert page.inner_text("#r-passing") == "Belum memenuhi nilai ambang batas."  # the period's grade applies
    receipt = page.inner_text("#r-receipt").strip()
    assert re.fullmatch(r"[0-9a-f]{64}", receipt) and receipt == done.receipt
    assert verify_receipt(done)
    assert page.evaluate("localStorage.getItem('cat.token')") is None

    board.wait_for_function(
        """([sel, total]) => { const tr = document.querySelector(sel);
            return tr && tr.textContent.includes("Selesai") && tr.cells[7].textContent === String(total); }""",
        arg=[row, total],
        timeout=3000,
    )
    assert time.monotonic() - shown_at <= 3
    cells = board.eval_on_selector(row, "tr => Array.from(tr.cells, (c) => c.textContent)")
    assert cells[:4] == ["1", p.number, p.name, "Selesai"]
    assert cells[4:9] == [str(v) for v in (*expected.values(), total)] + ["Tidak memenuhi ambang batas"]
    board.screenshot(path=str(SHOTS / "cat-board.png"), full_page=True)

    assert polls and set(polls) == {200}
    html = board.content() + board.evaluate(
        "fetch(document.querySelector('script[data-url]').dataset.url).then((r) => r.text())"
    )
    secrets = [text for text, _order in sheet.values()]
    questions = SheetItem.objects.filter(participant=p).values("question_id")
    secrets += list(Option.objects.filter(question_id__in=questions).values_list("text", flat=True))
    assert len(secrets) > 110 and not [s for s in secrets if s in html]


def test_answers_given_offline_are_kept_and_sent_when_the_network_returns(open_page, exam_day):
    p, sheet = exam_day["p"], exam_day["sheet"]
    page = open_page()
    sign_in(page, p.number, exam_day["pin"])
    on_question(page, sheet, 1)
    dropped = []

    def drop(route):
        dropped.append(route.request.post_data_json)
        route.abort()

    page.route("**/cat/api/jawab/", drop)
    first = choose(page, 0)
    page.click("#next")
    on_question(page, sheet, 2)
    second = choose(page, 1)
    page.click("#prev")
    on_question(page, sheet, 1)
    latest = choose(page, 2)  # changed while offline: the first choice must not come back
    assert latest != first
    page.wait_for_function("document.getElementById('net').dataset.state === 'offline'")
    classes = grid(page)
    assert "saving" in classes[0] and "saving" in classes[1] and "answered" in classes[1]
    assert page.inner_text("#pending-note") == "2 jawaban menunggu terkirim"
    assert page.inner_text("#q-saved") == "Menyimpan…"
    assert not Answer.objects.filter(participant=p).exists() and not AnswerEvent.objects.exists()
    assert {"position": 1, "option": first, "doubtful": False, "seq": 1} in dropped

    page.unroute("**/cat/api/jawab/", drop)
    settled(page, timeout=8000)
    assert wait_for_db(page, lambda: len(stored(p)) == 2)
    saved = stored(p)
    assert saved[1][0] == latest and saved[2][0] == second and saved[1][2] > saved[2][2]
    assert page.get_attribute("#net", "data-state") == "ok"
    assert grid(page)[:2] == [{"answered", "current"}, {"answered"}]
    assert page.evaluate("localStorage.getItem('cat.pending.' + localStorage.getItem('cat.number'))") == "{}"

    status, ack = post_answer(page, {"position": 1, "option": first, "doubtful": False, "seq": 1})
    assert status == 200 and ack["applied"] is False and ack["seq"] == saved[1][2]
    assert stored(p)[1][0] == latest


def test_a_question_still_loading_offers_no_options_of_the_one_before(open_page, exam_day):
    p, sheet = exam_day["p"], exam_day["sheet"]
    page = open_page()
    sign_in(page, p.number, exam_day["pin"])
    on_question(page, sheet, 1)
    held = []
    page.route("**/cat/api/soal/66/", lambda route: held.append(route))  # a slow network: the question stays on its way
    page.click("#grid button[data-pos='66']")
    assert wait_for_db(page, lambda: held, timeout=5)
    assert page.inner_text("#q-pos") == "66" and page.inner_text("#q-text") == ""
    assert page.locator("#q-options .option").count() == 0  # nothing left that would answer question 1
    held[0].continue_()
    on_question(page, sheet, 66)
    chosen = choose(page, 2)
    settled(page)
    assert stored(p) == {66: (chosen, False, 1)}


SKEW = """(() => {
  const Real = Date;
  let shift = %d;
  class Skewed extends Real {
    constructor(...args) { if (args.length) super(...args); else super(Real.now() + shift); }
    static now() { return Real.now() + shift; }
  }
  window.Date = Skewed;
  Object.defineProperty(window, "clockShift", {get: () => shift, set: (v) => { shift = v; }});
})();"""


@pytest.mark.parametrize("hours", [3, -3])
def test_the_timer_follows_the_server_whatever_the_computers_clock_says(open_page, exam_day, hours):
    p, sheet = exam_day["p"], exam_day["sheet"]
    shift = hours * 3600 * 1000
    page = open_page(init_script=SKEW % shift)
    skew = page.evaluate("Date.now() - (performance.timeOrigin + performance.now())")
    assert abs(skew - shift) < 60_000  # the page really lives with the wrong clock
    sign_in(page, p.number, exam_day["pin"])
    on_question(page, sheet, 1)
    page.wait_for_function("document.getElementById('timer').dataset.seconds !== undefined")

    def shown() -> int:
        seconds = int(page.get_attribute("#timer", "data-seconds"))
        h, m, s = (int(x) for x in page.inner_text("#timer").split(":"))
        assert abs(h * 3600 + m * 60 + s - seconds) <= 1
        return seconds

    def servers() -> float:
        return (Participant.objects.get(pk=p.pk).deadline - timezone.now()).total_seconds()

    start = shown()
    assert 100 * 60 - 10 <= start <= 100 * 60 and abs(start - servers()) <= 3
    page.evaluate(f"window.clockShift += {shift}")  # and the clock jumps again mid-exam
    page.wait_for_timeout(2000)
    assert 1 <= start - shown() <= 3  # it counts down in real seconds

    Participant.objects.filter(pk=p.pk).update(deadline=F("deadline") + datetime.timedelta(minutes=5))
    choose(page, 0)  # the acknowledgement carries the server's time left
    page.wait_for_function("+document.getElementById('timer').dataset.seconds > 104 * 60")
    assert abs(shown() - servers()) <= 3
    saved_at = Answer.objects.get(participant=p, position=1).saved_at
    assert abs((saved_at - timezone.now()).total_seconds()) < 60


def test_a_reload_resumes_and_another_device_takes_over(open_page, exam_day):
    p, sheet = exam_day["p"], exam_day["sheet"]
    page = open_page()
    sign_in(page, p.number, exam_day["pin"])
    on_question(page, sheet, 1)
    one = choose(page, 1)
    page.check("#q-doubt")
    page.click("#grid button[data-pos='3']")
    on_question(page, sheet, 3)
    three = choose(page, 2)
    settled(page)

    page.reload()
    page.wait_for_selector("#exam:not(.d-none)")
    on_question(page, sheet, 1)
    assert page.is_checked("#q-doubt")
    assert page.get_attribute("#q-options .option.chosen", "data-option") == str(one)
    assert [grid(page)[i] for i in (0, 1, 2)] == [{"doubtful", "current"}, set(), {"answered"}]
    assert tally(page) == (1, 1, 108)

    page.route("**/cat/api/jawab/", lambda route: route.abort())
    page.click("#grid button[data-pos='4']")
    on_question(page, sheet, 4)
    four = choose(page, 3)
    page.reload()  # with the answer not yet acknowledged: the page keeps it and sends it later
    page.wait_for_selector("#exam:not(.d-none)")
    on_question(page, sheet, 1)
    assert grid(page)[3] == {"answered", "saving"}
    assert page.inner_text("#pending-note") == "1 jawaban menunggu terkirim"
    assert 4 not in stored(p)
    page.unroute("**/cat/api/jawab/")
    settled(page, timeout=8000)
    assert wait_for_db(page, lambda: 4 in stored(p))
    assert {pos: a[:2] for pos, a in stored(p).items()} == {1: (one, True), 3: (three, False), 4: (four, False)}

    other = open_page()
    new_pin = operations.participant_check_in(actor=exam_day["op"], participant=p, seat="002")
    other.fill("#number", p.number)
    other.fill("#pin", exam_day["pin"])  # the PIN of the broken computer no longer opens the exam
    other.click("#cat-login button[type=submit]")
    other.wait_for_selector("#login-error:not(.d-none)")
    assert other.inner_text("#login-error") == WRONG_PIN
    sign_in(other, p.number, new_pin)
    on_question(other, sheet, 1)
    assert tally(other) == (2, 1, 107)

    page.click("#grid button[data-pos='2']")
    on_question(page, sheet, 2)
    choose(page, 0)
    page.wait_for_selector("#blocked:not(.d-none)")
    assert OTHER_DEVICE in page.inner_text("#blocked") and not page.is_visible("#exam")
    assert 2 not in stored(p)

    other.click("#grid button[data-pos='2']")
    on_question(other, sheet, 2)
    two = choose(other, 4)
    settled(other)
    assert stored(p)[2][0] == two
    assert json.loads(other.evaluate("localStorage.getItem('cat.pending.' + localStorage.getItem('cat.number'))")) == {}
