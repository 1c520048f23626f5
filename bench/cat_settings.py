"""Settings of the app server the CAT benchmarks start: the app's own settings, with the URLconf of
bench/cat_naive.py (every app URL plus the bench-only baselines) and, when ``CAT_BENCH_GATE`` is set,
the prototype start gate of bench/cat_naive.py in front of everything but the security middleware."""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE, env

ROOT_URLCONF = "bench.cat_naive"
if env.int("CAT_BENCH_GATE", default=0):
    MIDDLEWARE = [MIDDLEWARE[0], "bench.cat_naive.StartGate", *MIDDLEWARE[1:]]
