"""Admission control: first come first served, nobody who got in is refused, never a 5xx."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from core import admission
from core.admission import PASS_COOKIE, TICKET_COOKIE, AdmissionMiddleware

GATED = "/seleksi/daftar/"
FORM = {"content_type": "application/x-www-form-urlencoded", "HTTP_ACCEPT": "text/html"}  # as a browser sends it
START = 5_000_000.0  # a frozen clock at the start of an in-flight bucket


@pytest.fixture
def clock(monkeypatch):
    now = {"t": START + 1}
    monkeypatch.setattr(admission, "_now", lambda: now["t"])
    return now


@pytest.fixture
def gate(settings, clock):
    """The gate switched on with room for one request at a time."""
    cache.clear()
    settings.ADMISSION = {"ENABLED": True, "CAPACITY": 1}
    yield settings.ADMISSION
    cache.clear()


def busy():
    """A request already running (its slot is taken and never given back by the test)."""
    return admission.acquire(admission._now(), admission.config(), force=True)


def ok(request):
    return HttpResponse("inside")


class Person:
    """A browser (or API client) with its own cookie jar, talking to the middleware alone."""

    def __init__(self, accept="text/html"):
        self.cookies = {}
        self.accept = accept

    def send(self, method="get", path=GATED, view=ok, data=None):
        rf = RequestFactory()
        if method == "post":
            body = "&".join(f"{k}={v}" for k, v in (data or {}).items())
            request = rf.post(path, body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT=self.accept)
        else:
            request = rf.get(path, HTTP_ACCEPT=self.accept)
        request.COOKIES = dict(self.cookies)
        response = AdmissionMiddleware(view)(request)
        for name, morsel in response.cookies.items():
            if morsel["max-age"] == 0:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
        return response

    def inside(self, **kw):
        return self.send(**kw).content == b"inside"


def test_off_switch_lets_everyone_in_without_counting(settings, clock):
    settings.ADMISSION = {"ENABLED": False, "CAPACITY": 0}
    seen = []
    response = Person().send(view=lambda r: seen.append(admission.in_flight()) or HttpResponse("inside"))
    assert response.content == b"inside" and seen == [0] and PASS_COOKIE not in response.cookies


def test_under_capacity_a_request_goes_in_holds_a_slot_and_gets_a_pass(gate):
    seen = []
    response = Person().send(view=lambda r: seen.append(admission.in_flight()) or HttpResponse("inside"))
    assert response.content == b"inside" and seen == [1]
    assert admission.in_flight() == 0
    assert PASS_COOKIE in response.cookies and response.cookies[PASS_COOKIE]["httponly"]


def test_pages_outside_registration_are_never_gated(gate):
    busy()
    for path in (
        "/seleksi/formasi/",
        "/seleksi/formasi/?q=analis",
        "/static/pamong.css",
        "/seleksi/pengumuman/",
        "/seleksi/panitia/",
        "/seleksi/lamaran/CPNS26-00000001/dokumen/7/",  # the committee reads documents during the surge
        "/akun/masuk/",
    ):
        assert Person().inside(path=path), path


@pytest.mark.parametrize(
    "path", ["/seleksi/daftar/", "/seleksi/formasi/12/lamar/", "/seleksi/lamaran/CPNS26-00000001/"]
)
def test_the_registration_pages_are_gated(gate, path):
    busy()
    assert not Person().inside(path=path)


def test_a_browser_waits_in_line_with_its_number_position_and_an_estimate(gate):
    busy()
    people = [Person() for _ in range(3)]
    pages = [p.send() for p in people]
    for n, (person, page) in enumerate(zip(people, pages), start=1):
        html = page.content.decode()
        assert page.status_code == 200 and 'data-testid="waiting-room"' in html
        assert f'data-testid="position">{n}<' in html and f'data-testid="ticket">{n}<' in html
        assert "sedang dihitung" in html  # no admission measured yet
        assert int(page["Refresh"]) >= 1 and page["Retry-After"] == page["Refresh"]
        assert page["Cache-Control"] == "no-store" and TICKET_COOKIE in person.cookies


def test_reloading_keeps_the_place_in_line(gate):
    busy()
    first, second = Person(), Person()
    first.send(), second.send()
    again = second.send()
    assert 'data-testid="ticket">2<' in again.content.decode()
    assert 'data-testid="position">2<' in again.content.decode()
    assert TICKET_COOKIE not in again.cookies  # the same ticket, no new one handed out


def test_tickets_go_in_in_the_order_they_were_taken(gate, clock):
    slot = busy()
    a, b, c = Person(), Person(), Person()
    a.send(), b.send(), c.send()
    admission.release(slot)  # a slot frees up
    assert not c.inside() and not b.inside()  # behind the front of the line: still waiting
    assert a.inside()
    clock["t"] += 20  # a slow line (one in 20 s) keeps the window at one place
    assert not c.inside()
    assert b.inside()
    clock["t"] += 20
    assert c.inside()
    assert TICKET_COOKIE not in c.cookies and PASS_COOKIE in c.cookies


def test_a_line_that_moves_fast_opens_its_window_wider(gate):
    slot = busy()
    people = [Person() for _ in range(4)]
    for p in people:
        p.send()
    admission.release(slot)
    assert people[0].inside()
    # one let in within a second: the window now holds the next 4 s of the line at that pace
    assert people[3].inside()
    assert people[1].inside() and people[2].inside()


def test_a_newcomer_queues_behind_people_already_waiting_even_with_a_free_slot(gate):
    slot = busy()
    waiting = Person()
    waiting.send()
    admission.release(slot)
    late = Person()
    page = late.send()
    assert page.content != b"inside" and 'data-testid="ticket">2<' in page.content.decode()
    assert waiting.inside()


def test_an_abandoned_ticket_does_not_hold_up_the_line(gate):
    slot = busy()
    gone, stays = Person(), Person()
    gone.send(), stays.send()
    admission.release(slot)
    cache.delete("adm:t:1")  # its holder stopped reloading: the mark of a live ticket expired
    assert stays.inside()
    assert gone.inside()  # coming back after being passed over, it goes in at the next free slot


def test_the_estimate_follows_the_measured_pace_of_the_line(gate, clock):
    slot = busy()
    people = [Person(accept="application/json") for _ in range(5)]
    for p in people:
        p.send()
    admission.release(slot)
    for p in people[:3]:  # one goes in each second
        assert p.inside()
        clock["t"] += 1
    clock["t"] += 1
    busy()
    body = json.loads(people[4].send().content)
    # three let in over the 4 s since the first: 0.75 a second; ticket 5 is second in line
    assert body["position"] == 2 and body["estimate_seconds"] == round(2 / 0.75)


def test_a_waiting_room_page_shows_an_estimate_in_minutes(gate, clock):
    slot = busy()
    people = [Person() for _ in range(40)]
    for p in people:
        p.send()
    admission.release(slot)
    for p in people[:2]:
        assert p.inside()
    clock["t"] += 10
    html = people[-1].send().content.decode()
    # two let in over the 10 s since: 0.2 a second; position 38 is 190 s away
    assert 'data-testid="position">38<' in html and "sekitar 4 menit" in html


def test_the_window_widens_with_the_pace_of_the_line():
    cfg = admission.DEFAULTS | {"CAPACITY": 4}
    assert admission.window(cfg, None) == 4
    assert admission.window(cfg, 10.0) == 10 * admission.WINDOW_SECONDS


def test_a_pass_holder_is_let_in_beyond_capacity(gate):
    person = Person()
    assert person.inside()
    busy(), busy()  # the server is now over capacity
    seen = []
    response = person.send(method="post", view=lambda r: seen.append(admission.in_flight()) or HttpResponse("inside"))
    assert response.content == b"inside" and seen == [3]
    assert not Person().inside()  # a newcomer waits


def test_a_forged_pass_is_not_a_pass(gate):
    busy()
    person = Person()
    person.cookies[PASS_COOKIE] = "1:forged:signature"
    assert not person.inside()


def test_an_api_client_gets_429_with_retry_after(gate):
    busy()
    response = Person(accept="application/json").send()
    body = json.loads(response.content)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert body["position"] == 1 and body["retry_after"] == int(response["Retry-After"])


def test_a_browser_post_without_a_pass_gets_429_with_the_same_fields_to_send_again(gate):
    busy()
    response = Person().send(method="post", data={"category": "umum", "idempotency_key": "k-123"})
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert '<input type="hidden" name="idempotency_key" value="k-123">' in html
    assert 'id="resend"' in html and "belum terkirim" in html


def test_a_password_is_never_echoed_back(gate):
    busy()
    response = Person().send(method="post", data={"nik": "1871010101990009", "password": "Sandi-Rahasia-2026!"})
    html = response.content.decode()
    assert response.status_code == 429 and "Sandi-Rahasia-2026!" not in html
    assert 'id="resend"' not in html and "history.back()" in html


def test_the_slot_is_given_back_when_the_view_raises(gate):
    def boom(request):
        raise RuntimeError("view failed")

    with pytest.raises(RuntimeError):
        Person().send(view=boom)
    assert admission.in_flight() == 0
    assert Person().inside()


def test_a_slot_leaked_by_a_killed_worker_is_forgotten_after_the_longest_request(gate, clock):
    busy()  # never released: its worker died
    waiting = Person()
    assert not waiting.inside()
    clock["t"] += admission.config()["MAX_REQUEST_SECONDS"] + admission.FLIGHT_BUCKET
    assert admission.in_flight() == 0
    assert waiting.inside()


def test_a_ticket_from_before_the_cache_was_emptied_is_replaced(gate):
    busy()
    person = Person()
    person.send()
    old = person.cookies[TICKET_COOKIE]
    cache.clear()
    busy(), Person().send()  # someone else takes ticket 1 of the new line
    page = person.send()
    assert person.cookies[TICKET_COOKIE] != old and 'data-testid="ticket">2<' in page.content.decode()


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis is down")

        return fail


def test_when_the_cache_fails_everyone_is_let_in_and_it_is_logged(gate, monkeypatch, caplog):
    monkeypatch.setattr(admission, "cache", BrokenCache())
    monkeypatch.setattr(admission, "_last_failure_logged", 0.0)
    with caplog.at_level("WARNING", logger="pamong.admission"):
        assert Person().inside()
        assert Person().inside()
    assert [r.message for r in caplog.records].count(
        "admission control is letting every request in: the cache failed"
    ) == 1  # logged once, not once per request


def test_a_cache_failure_while_giving_back_a_slot_is_not_an_error(gate, monkeypatch):
    monkeypatch.setattr(admission, "cache", BrokenCache())
    admission.release("adm:fl:1")


# Through the whole stack, with the real pages.


@pytest.fixture
def period(world):
    from accounts.access import build_actor
    from recruitment.services import period_create

    now = timezone.now()
    p = period_create(
        actor=build_actor(world["national"]),
        kind="cpns",
        year=2026,
        name="Seleksi CPNS 2026",
        opens=now,
        closes=now + datetime.timedelta(days=14),
    )
    p.published_at = now
    p.save()
    return p


@pytest.fixture
def applicant(world, period):
    from personnel.models import EducationLevel
    from recruitment.services import applicant_register

    return applicant_register(
        nik="1871010101990009",
        name="Sari Pelamar",
        birth_date=datetime.date(1999, 1, 1),
        education=EducationLevel.objects.get(code="S1"),
        password="Sandi-Pelamar-2026!",
    )


@pytest.mark.django_db
def test_the_waiting_room_is_served_without_touching_the_database(gate, client, django_assert_max_num_queries):
    busy()
    with django_assert_max_num_queries(0):
        page = client.get(GATED, HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200 and "Ruang tunggu pendaftaran" in html and 'data-testid="position">1<' in html


@pytest.mark.django_db
def test_the_language_can_be_switched_from_the_waiting_room(gate):
    from django.test import Client

    busy()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(GATED, HTTP_ACCEPT="text/html").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": GATED, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and browser.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_a_refused_application_sent_again_makes_exactly_one(gate, client, world, period, applicant):
    from recruitment.models import Application
    from recruitment.tests.conftest import make_formation

    formation = make_formation(world, period)
    url = f"/seleksi/formasi/{formation.pk}/lamar/"
    client.force_login(applicant.user)
    form = client.get(url, HTTP_ACCEPT="text/html").content.decode()  # goes in: a pass
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    client.cookies.pop(PASS_COOKIE)  # the pass expired while the applicant was filling the form
    slot = busy()
    refused = client.post(url, f"category=umum&idempotency_key={key}", **FORM)
    assert refused.status_code == 429 and f'name="idempotency_key" value="{key}"' in refused.content.decode()
    assert not Application.objects.exists()
    admission.release(slot)
    sent = client.post(url, f"category=umum&idempotency_key={key}", **FORM)
    again = client.post(url, f"category=umum&idempotency_key={key}", **FORM)
    number = Application.objects.get().registration_number
    assert sent.status_code == again.status_code == 302 and sent["Location"] == again["Location"]
    assert number in sent["Location"]


@pytest.mark.django_db
def test_an_applicant_inside_submits_even_when_the_server_is_saturated(gate, client, world, period, applicant):
    from recruitment.models import Application
    from recruitment.tests.conftest import make_formation

    formation = make_formation(world, period)
    url = f"/seleksi/formasi/{formation.pk}/lamar/"
    client.force_login(applicant.user)
    form = client.get(url, HTTP_ACCEPT="text/html").content.decode()
    key = form.split('name="idempotency_key" value="')[1].split('"')[0]
    busy(), busy()
    sent = client.post(url, {"category": "umum", "idempotency_key": key}, HTTP_ACCEPT="text/html")
    assert sent.status_code == 302 and Application.objects.count() == 1
    assert client.get(sent["Location"], HTTP_ACCEPT="text/html").status_code == 200
