#!/usr/bin/env bash
# Set up and run the whole test suite: lint, migrations check, the runtime-only demo check, tests on SQLite,
# the date-sensitive tests again at an awkward pinned instant, then everything on PostgreSQL (with Redis as
# cache), browser tests included (Debian's Chromium, installed if missing). Tests run on two workers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed" >&2
fi
bash scripts/services.sh
export PAMONG_ENV=test
WORKERS=${PAMONG_TEST_WORKERS:-2}
.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run -v 1
.venv/bin/python manage.py compilemessages -v 0 -i .venv
echo "== the demo from requirements.txt alone"
bash scripts/check-runtime.sh
echo "== tests on SQLite (clock pinned at the suite's default instant)"
.venv/bin/pytest -q -p no:cacheprovider -n "$WORKERS" "$@"
# The year turns in WIB while UTC is still on 31 December: the tests whose outcome follows from today run
# again there (conftest.py: DATED, PAMONG_TEST_NOW).
echo "== date-sensitive tests on SQLite at 31 Dec 23:30 WIB"
PAMONG_TEST_NOW=2026-12-31T23:30:00+07:00 .venv/bin/pytest -q -p no:cacheprovider -n "$WORKERS" -m dated "$@"
echo "== tests on PostgreSQL (+ Redis cache)"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong REDIS_URL=redis://127.0.0.1:6379/15 \
  .venv/bin/pytest -q -p no:cacheprovider --create-db -n "$WORKERS" "$@"
