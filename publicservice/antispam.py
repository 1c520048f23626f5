"""Spam and flood defence for the public forms, without a third-party captcha.

A form page calls :func:`issue_challenge`, includes ``publicservice/public/_antispam.html`` inside its form
(with the challenge in the context as ``antispam``, the form tagged ``data-pow data-pow-bits``) and loads
``static/publicservice/pow.js``, which finds a nonce such that SHA-256(token ":" nonce) starts with ``bits``
zero bits while the person types. The POST handler calls :func:`verify` before touching the database, and
:func:`remember_device` on its response. Checks, cheapest first:

1. a honeypot field that people never see and bots fill in;
2. the token's signature (it carries the purpose and the moment the form was served): a post sooner than
   ``MIN_SECONDS`` after the page was served, or older than ``MAX_SECONDS``, is refused;
3. the proof of work (one hash on the server, tens of thousands in the browser);
4. a token is good for one post only (kept in the cache until it would have expired anyway);
5. rate limits per address and per device (a cookie), counted in the cache.

Per-address limits must allow for carrier-grade NAT, where many phones share one address, so the default
per address is looser than the one per device. Everything is tunable in ``settings.PUBLICSERVICE_ANTISPAM``.
The survey form reuses this module with its own ``purpose``.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from core.errors import DomainError

DEFAULTS = {
    "POW_BITS": 16,  # ~65 000 hashes on average: about a second on a modest phone
    "MIN_SECONDS": 3,
    "MAX_SECONDS": 2 * 3600,
    "PER_ADDRESS": (10, 3600),  # (posts, seconds) per client address and purpose
    "PER_DEVICE": (5, 3600),  # (posts, seconds) per device cookie and purpose
}
HONEYPOT = "website"
TOKEN = "ps_token"
NONCE = "ps_nonce"
DEVICE_COOKIE = "pamong_device"
SALT = "publicservice.antispam"


def _now() -> float:
    return time.time()


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "PUBLICSERVICE_ANTISPAM", {})}


class Refused(DomainError):
    """A post refused before any write; ``status`` is the HTTP status to answer with (400 or 429)."""

    def __init__(self, message, *, code: str, status: int = 400, retry_after: int | None = None):
        super().__init__(message, code=code)
        self.status = status
        self.retry_after = retry_after


# --- The device cookie ------------------------------------------------------------------------------------


def device_id(request) -> str:
    """The browser's random device id (from its cookie, or a new one that ``remember_device`` will set)."""
    value = getattr(request, "_pamong_device", None) or request.COOKIES.get(DEVICE_COOKIE, "")
    if not (16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()):
        value = secrets.token_urlsafe(18)
        request._pamong_device_new = True
    request._pamong_device = value
    return value


def remember_device(request, response):
    """Set the device cookie on a response when ``device_id`` had to make a new one."""
    if getattr(request, "_pamong_device_new", False):
        response.set_cookie(
            DEVICE_COOKIE,
            request._pamong_device,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
    return response


def client_address(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


# --- Challenge and verification ----------------------------------------------------------------------------


def issue_challenge(request, purpose: str, *, now: float | None = None) -> dict:
    """A signed, timestamped challenge for one form (its hidden fields and the work the browser must do)."""
    now = _now() if now is None else now
    token = signing.dumps({"p": purpose, "t": int(now), "r": secrets.token_hex(8)}, salt=SALT, compress=False)
    device_id(request)
    return {"token": token, "bits": int(config()["POW_BITS"]), "honeypot": HONEYPOT, "token_field": TOKEN}


def leading_zero_bits(digest: bytes) -> int:
    n = 0
    for byte in digest:
        if byte == 0:
            n += 8
            continue
        return n + 8 - byte.bit_length()
    return n


def work_ok(token: str, nonce: str, bits: int) -> bool:
    """Whether SHA-256 of ``token:nonce`` starts with ``bits`` zero bits."""
    if not nonce or len(nonce) > 32:
        return False
    return leading_zero_bits(hashlib.sha256(f"{token}:{nonce}".encode()).digest()) >= bits


def solve(token: str, bits: int) -> str:
    """Find a nonce the way the browser does (for tests and scripts of the agency itself)."""
    n = 0
    while not work_ok(token, str(n), bits):
        n += 1
    return str(n)


def hit(key: str, window: int) -> int:
    """Count one more event under ``key`` in a fixed window of ``window`` seconds; the count so far."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, window)
        return 1


def verify(request, purpose: str, *, now: float | None = None) -> None:
    """Refuse (raise :class:`Refused`) a POST that looks automated or floods; count it when it passes."""
    cfg = config()
    now = _now() if now is None else now
    data = request.POST
    if data.get(HONEYPOT, ""):
        raise Refused(_("Formulir tidak dapat diterima. Muat ulang halaman lalu coba lagi."), code="honeypot")
    token = data.get(TOKEN, "")
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("p") != purpose or not isinstance(payload.get("t"), int):
        raise Refused(_("Formulir tidak sah. Muat ulang halaman lalu coba lagi."), code="token")
    age = now - payload["t"]
    if age < cfg["MIN_SECONDS"]:
        raise Refused(_("Formulir dikirim terlalu cepat. Periksa isian Anda lalu kirim lagi."), code="too_fast")
    if age > cfg["MAX_SECONDS"]:
        raise Refused(_("Formulir sudah terlalu lama dibuka. Muat ulang halaman lalu kirim lagi."), code="expired")
    if not work_ok(token, data.get(NONCE, ""), int(cfg["POW_BITS"])):
        raise Refused(
            _("Pemeriksaan keamanan di peramban belum selesai. Tunggu sebentar lalu kirim lagi."), code="work"
        )
    used = "antispam:used:" + hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(used, 1, int(cfg["MAX_SECONDS"]) + 60):
        raise Refused(_("Formulir ini sudah pernah dikirim. Muat ulang halaman untuk laporan baru."), code="replay")
    for scope, who in (("PER_ADDRESS", client_address(request)), ("PER_DEVICE", device_id(request))):
        limit, window = cfg[scope]
        key = f"antispam:{purpose}:{scope}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"
        if hit(key, int(window)) > int(limit):
            raise Refused(
                _(
                    "Terlalu banyak kiriman dari perangkat atau jaringan Anda. Silakan coba lagi dalam "
                    "%(minutes)s menit."
                )
                % {"minutes": max(1, int(window) // 60)},
                code="rate",
                status=429,
                retry_after=int(window),
            )
