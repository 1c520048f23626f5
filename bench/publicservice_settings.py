"""Settings of the app server bench/publicservice_burst.py starts: the app's own settings, with the URLconf of
that script (every app URL plus the bench-only baseline views) and a per-address limit raised so that the
burst's clients, which all come from 127.0.0.1 (the app trusts REMOTE_ADDR only, not X-Forwarded-For), are
limited per device as citizens are. ``PS_BENCH_MIN_SECONDS`` sets the "too fast" threshold (default 0: the
clients do not sit through the typing time, which only the client side would wait for)."""

from config.settings import *  # noqa: F403
from config.settings import env

ROOT_URLCONF = "bench.publicservice_burst"
PUBLICSERVICE_ANTISPAM = {
    "PER_ADDRESS": (1_000_000, 3600),
    "MIN_SECONDS": env.int("PS_BENCH_MIN_SECONDS", default=0),
    "POW_BITS": env.int("PS_BENCH_POW_BITS", default=16),
}
