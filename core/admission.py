"""Admission control for the registration surge: a fair waiting room in front of the registration pages.

Gated: the paths matched by ``ADMISSION["PATHS"]`` (account creation, the apply form, the receipt with
its uploads). Everything else passes untouched: static files, the cached formation search, staff pages,
and the committee's document downloads under the receipt's path.

Saturation. The gate counts the gated requests *in flight* (started, not yet answered) across every
worker process, in the shared cache. The server is saturated when that count has reached
``CAPACITY``. With gunicorn's sync workers a worker runs one request at a time, so set ``CAPACITY`` a
little below the number of workers serving the site: registration then never holds every worker, and
the waiting room, the formation search and the staff pages are still answered by a free one. (Requests
queued in the socket before a worker takes them are invisible to any middleware; keeping workers free
is what keeps that queue short.) The count is kept per 5-second bucket of start time, each bucket
expiring after ``MAX_REQUEST_SECONDS`` (set it to gunicorn's ``--timeout``): a worker killed in the
middle of a request leaks its slot for at most that long.

Who is let in, first come first served:

1. A request carrying a valid *admission pass* (a signed cookie, renewed on every answer, valid
   ``PASS_SECONDS`` after the last one) is always let in, whatever the load: whoever got in finishes
   their registration, and their form submissions are never refused.
2. Without a pass, a request is let in at once only when nobody is waiting and a slot is free.
3. Otherwise it takes a *ticket*: a number from an atomic counter in the cache (Redis ``INCR``), kept in
   a signed cookie so that reloading the page keeps the place. A waiting ticket stays *alive* while its
   holder keeps asking (each answer says when to ask again). The *served mark* is the highest number
   behind which nobody waits any more: it moves past the tickets that went in or whose holder stopped
   asking, so an abandoned tab does not hold up the line (a holder who comes back after being passed
   over goes in at the next free slot).
4. A ticket's position is one more than the number of live tickets between the served mark and it
   (counted up to 500 places; further back it is the ticket number minus the mark). It may take a free
   slot once its position is within the *window*: ``CAPACITY`` places, widened to the number of tickets
   the line lets in over 4 s at its measured pace, so that free slots are not left idle while the people
   at the front are between two reloads (ask again after 1 s). Within the window whoever asks first while
   a slot is free goes in; nobody further back can overtake.

The estimate is the position divided by the measured pace: tickets let in per second over the last 30 s.

What the refused get: a browser asking for a page gets the waiting room (position, estimate, progress;
it reloads itself). A form submission without a pass gets 429 with ``Retry-After`` and, for a browser, a
page holding the same form fields (the same idempotency key, so resending makes one application) that
is sent again when its turn comes. Any other client gets 429 JSON with ``Retry-After``. Nothing here
answers 5xx: if the cache fails, the gate lets everyone in and logs it.
"""

import logging
import math
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger("pamong.admission")

DEFAULTS = {
    "ENABLED": False,
    "CAPACITY": 4,
    "PATHS": (r"^/seleksi/daftar/", r"^/seleksi/formasi/\d+/lamar/", r"^/seleksi/lamaran/[^/]+/$"),
    "PASS_SECONDS": 20 * 60,
    "TICKET_SECONDS": 3 * 3600,
    "MAX_REQUEST_SECONDS": 120,
}
PASS_COOKIE = "pamong_izin"
TICKET_COOKIE = "pamong_antrean"
PASS_SALT = "pamong.admission.pass"
TICKET_SALT = "pamong.admission.ticket"

K_EPOCH, K_NEXT, K_SERVED = "adm:epoch", "adm:next", "adm:served"
FLIGHT_BUCKET = 5  # seconds of start time per in-flight counter
RATE_BUCKET, RATE_SECONDS = 1, 30  # the pace of the line: tickets let in per second, over the last 30 s
FRONT_REFRESH = 1  # seconds between two reloads of a ticket inside the window
WINDOW_SECONDS = 4  # the window holds the tickets the line serves in this many seconds at its measured pace
MAX_REFRESH = 20
LOOKAHEAD = 500  # tickets this close to the served mark count the people waiting ahead of them
HEAD_SCAN = 50  # tickets further back only help move the mark past this many at its head
STEP_SECONDS = 600  # life of the one-time token that lets one process move the served mark from a value
PASSWORDISH = ("password", "sandi")

_last_failure_logged = 0.0


def _now() -> float:
    return time.time()


def config() -> dict:
    return DEFAULTS | getattr(settings, "ADMISSION", {})


def gated(path: str, cfg: dict) -> bool:
    return any(re.match(p, path) for p in cfg["PATHS"])


@dataclass
class Verdict:
    admitted: bool
    slot: str | None = None
    ticket: int | None = None
    first_position: int = 0
    position: int = 0
    estimate: float | None = None
    refresh: int = FRONT_REFRESH
    set_ticket: str | None = None  # a new ticket cookie to send
    clear_ticket: bool = False


class AdmissionMiddleware:
    """Let requests to the registration pages in up to the capacity, queue the rest fairly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cfg = config()
        if not cfg["ENABLED"] or not gated(request.path_info, cfg):
            return self.get_response(request)
        try:
            verdict = decide(request, cfg)
            if not verdict.admitted:
                return refusal(request, verdict, cfg)
        except Exception:
            _fail_open()
            return self.get_response(request)
        try:
            response = self.get_response(request)
        finally:
            if verdict.slot:
                release(verdict.slot)
        _set_cookie(response, PASS_COOKIE, signing.dumps("1", salt=PASS_SALT), cfg["PASS_SECONDS"])
        if verdict.clear_ticket:
            response.delete_cookie(TICKET_COOKIE, samesite="Lax")
        return response


def _fail_open() -> None:
    """Log a failing cache at most once a minute per process: under a surge every request would."""
    global _last_failure_logged
    now = _now()
    if now - _last_failure_logged >= 60:
        _last_failure_logged = now
        log.warning("admission control is letting every request in: the cache failed", exc_info=True)


def _incr(key: str, delta: int, timeout: int | None) -> int:
    try:
        return cache.incr(key, delta)
    except ValueError:  # missing or expired
        if cache.add(key, delta, timeout):
            return delta
        return cache.incr(key, delta)


def _flight_keys(now: float, cfg: dict) -> list[str]:
    """The in-flight counters that may still hold a running request, the current one first."""
    current = int(now // FLIGHT_BUCKET)
    count = math.ceil(cfg["MAX_REQUEST_SECONDS"] / FLIGHT_BUCKET) + 1
    return [f"adm:fl:{current - i}" for i in range(count)]


def _rate_keys(now: float) -> list[str]:
    current = int(now // RATE_BUCKET)
    return [f"adm:rate:{current - i}" for i in range(RATE_SECONDS // RATE_BUCKET)]


def acquire(now: float, cfg: dict, *, others: int | None = None, force: bool = False) -> str | None:
    """Take a slot (counted in the current bucket); None when that would pass the capacity."""
    keys = _flight_keys(now, cfg)
    ttl = cfg["MAX_REQUEST_SECONDS"] + FLIGHT_BUCKET
    mine = _incr(keys[0], 1, ttl)
    if force:
        return keys[0]
    if others is None:
        others = sum(v for v in cache.get_many(keys[1:]).values())
    if mine + others > cfg["CAPACITY"]:
        release(keys[0])
        return None
    return keys[0]


def release(slot: str) -> None:
    try:
        cache.decr(slot)
    except ValueError:
        pass  # the bucket expired: the request outlived MAX_REQUEST_SECONDS and was already forgotten
    except Exception:
        _fail_open()


def in_flight(now: float | None = None) -> int:
    cfg = config()
    return sum(v for v in cache.get_many(_flight_keys(_now() if now is None else now, cfg)).values())


def _rate(values: dict, now: float) -> float | None:
    """Tickets let in per second, over the last 30 s (from the first second that let one in)."""
    counted = {int(k.rsplit(":", 1)[1]): v for k, v in values.items() if k.startswith("adm:rate:") and v}
    if not counted:
        return None
    return sum(counted.values()) / max(now - min(counted) * RATE_BUCKET, RATE_BUCKET)


def window(cfg: dict, rate: float | None) -> int:
    return max(cfg["CAPACITY"], math.ceil(WINDOW_SECONDS * (rate or 0)))


def _read_signed(request, name: str, salt: str, max_age: int):
    raw = request.COOKIES.get(name)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def _look_ahead(served: int, ticket: int) -> tuple[int, int | None]:
    """Move the served mark past the tickets at its head that nobody waits with any more, and count
    the people still waiting ahead of this ticket (None when it is too far back to count)."""
    near = ticket - served - 1 <= LOOKAHEAD
    top = ticket - 1 if near else served + HEAD_SCAN
    if top <= served:
        return served, 0
    alive = cache.get_many([f"adm:t:{n}" for n in range(served + 1, top + 1)])
    gone = 0
    for n in range(served + 1, top + 1):
        if f"adm:t:{n}" in alive:
            break
        gone += 1
    # One process only may move the mark from a given value, so two never add up the same gap.
    if gone and cache.add(f"adm:step:{served}", 1, STEP_SECONDS):
        served = _incr(K_SERVED, gone, None)
    return served, len(alive) if near else None


def decide(request, cfg: dict) -> Verdict:
    """Let the request in (with a slot to give back) or tell it where it stands in the line."""
    now = _now()
    if _read_signed(request, PASS_COOKIE, PASS_SALT, cfg["PASS_SECONDS"]) is not None:
        return Verdict(admitted=True, slot=acquire(now, cfg, force=True))
    flights = _flight_keys(now, cfg)
    values = cache.get_many([K_EPOCH, K_NEXT, K_SERVED, *flights, *_rate_keys(now)])
    epoch = values.get(K_EPOCH)
    if epoch is None:  # first use, or the cache was emptied: tickets handed out before are void
        cache.add(K_EPOCH, secrets.token_hex(4), None)
        epoch = cache.get(K_EPOCH)
    last, served = values.get(K_NEXT, 0), values.get(K_SERVED, 0)
    others = sum(values.get(k, 0) for k in flights[1:])
    held = _read_signed(request, TICKET_COOKIE, TICKET_SALT, cfg["TICKET_SECONDS"])
    ticket = first = None
    if isinstance(held, list) and len(held) == 3 and held[0] == epoch and held[1] <= last:
        ticket, first = held[1], held[2]
    if ticket is None and served >= last:  # nobody waiting
        slot = acquire(now, cfg, others=others)
        if slot:
            return Verdict(admitted=True, slot=slot)
    new_cookie = None
    if ticket is None:
        ticket = _incr(K_NEXT, 1, None)
    rate = _rate(values, now)
    width = window(cfg, rate)
    served, ahead = _look_ahead(served, ticket)
    if ticket <= served or (ahead is not None and ahead < width):
        slot = acquire(now, cfg, others=others)
        if slot:
            cache.delete(f"adm:t:{ticket}")
            _incr(_rate_keys(now)[0], 1, RATE_SECONDS + RATE_BUCKET)
            return Verdict(admitted=True, slot=slot, clear_ticket=held is not None)
    position = ahead + 1 if ahead is not None else ticket - served
    if first is None:
        first = position
        new_cookie = signing.dumps([epoch, ticket, first], salt=TICKET_SALT)
    if position <= width:
        refresh = FRONT_REFRESH
    elif rate:  # ask again about halfway to the window, so as not to arrive late at the front
        refresh = min(MAX_REFRESH, max(FRONT_REFRESH, math.ceil((position - width) / rate / 2)))
    else:
        refresh = 2
    cache.set(f"adm:t:{ticket}", 1, refresh * 3 + 5)
    return Verdict(
        admitted=False,
        ticket=ticket,
        first_position=max(first, position),
        position=position,
        estimate=position / rate if rate else None,
        refresh=refresh,
        set_ticket=new_cookie,
    )


def _set_cookie(response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def estimate_text(seconds: float | None) -> str:
    if seconds is None:
        return _("sedang dihitung")
    if seconds < 60:
        return _("kurang dari 1 menit")
    minutes = math.ceil(seconds / 60)
    return ngettext("sekitar %(n)d menit", "sekitar %(n)d menit", minutes) % {"n": minutes}


def _wants_page(request) -> bool:
    return "text/html" in request.headers.get("Accept", "") and not request.headers.get("HX-Request")


def _resubmission(request) -> tuple[list[tuple[str, str]], bool]:
    """The submitted fields to send again, and whether they are all there (no password, no file)."""
    if request.content_type != "application/x-www-form-urlencoded":
        return [], False
    fields, complete = [], True
    for name, values in request.POST.lists():
        if any(word in name.lower() for word in PASSWORDISH):
            complete = False
            continue
        fields += [(name, v) for v in values]
    return fields, complete


def refusal(request, verdict: Verdict, cfg: dict) -> HttpResponse:
    """The waiting room for a browser's page, 429 for a submission or any other client."""
    is_page = request.method in ("GET", "HEAD")
    # The gate stands before the CSRF middleware: let it read and set the token, so that the page's own
    # forms (the language switch) work from the waiting room.
    csrf = CsrfViewMiddleware(lambda r: None)
    csrf.process_request(request)
    with translation.override(translation.get_language_from_request(request)):
        if not _wants_page(request):
            response = JsonResponse(
                {
                    "detail": _("Server pendaftaran sedang penuh. Coba lagi setelah %(n)d detik.")
                    % {"n": verdict.refresh},
                    "position": verdict.position,
                    "estimate_seconds": round(verdict.estimate) if verdict.estimate is not None else None,
                    "retry_after": verdict.refresh,
                },
                status=429,
            )
        else:
            fields, complete = ([], False) if is_page else _resubmission(request)
            first = verdict.first_position
            ctx = {
                "position": verdict.position,
                "ticket": verdict.ticket,
                "estimate": estimate_text(verdict.estimate),
                "refresh": verdict.refresh,
                "progress": round(100 * (first - verdict.position) / first) if first > 1 else 0,
                "resubmit": not is_page,
                "fields": fields,
                "complete": complete,
                "action": request.get_full_path(),
                "nav": "recruitment",
            }
            html = render_to_string("core/waiting_room.html", ctx, request=request)
            response = HttpResponse(html, status=200 if is_page else 429)
            if is_page:
                response["Refresh"] = str(verdict.refresh)
    response["Retry-After"] = str(verdict.refresh)
    response["Cache-Control"] = "no-store"
    response["X-Queue-Position"] = str(verdict.position)
    if verdict.set_ticket:
        _set_cookie(response, TICKET_COOKIE, verdict.set_ticket, cfg["TICKET_SECONDS"])
    return csrf.process_response(request, response)
