#!/usr/bin/env bash
# Set up and run the whole test suite: lint, migrations check, tests on SQLite, then on PostgreSQL
# (with Redis as cache), browser tests included (Debian's Chromium, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed" >&2
fi
bash scripts/services.sh
export PAMONG_ENV=test
.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run -v 1
.venv/bin/python manage.py compilemessages -v 0 -i .venv
echo "== tests on SQLite"
.venv/bin/pytest -q -p no:cacheprovider "$@"
echo "== tests on PostgreSQL (+ Redis cache)"
DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong REDIS_URL=redis://127.0.0.1:6379/15 \
  .venv/bin/pytest -q -p no:cacheprovider --create-db "$@"
