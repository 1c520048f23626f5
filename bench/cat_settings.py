"""Settings of the app server the CAT benchmarks start: the app's own settings, with the URLconf of
bench/cat_naive.py (every app URL plus the bench-only baselines) and the app's start gate
(exams.gate.StartGate) sized by ``CAT_BENCH_GATE`` (0: off) with its slot files in ``CAT_BENCH_GATE_DIR``."""

from config.settings import *  # noqa: F403
from config.settings import env

ROOT_URLCONF = "bench.cat_naive"
CAT_START_GATE = env.int("CAT_BENCH_GATE", default=0)
CAT_GATE_DIR = env("CAT_BENCH_GATE_DIR", default="")
