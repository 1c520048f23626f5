#!/usr/bin/env bash
# Prove that the README's first command needs nothing beyond requirements.txt: a virtual environment with
# only the runtime requirements runs `manage.py check` and builds a small demo on a fresh SQLite file.
# The environment is kept outside the checkout, keyed by the requirements' hash and the Python version,
# so a fresh clone (CI) reuses it while requirements.txt does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
key=$( (cat requirements.txt; "$PY" -VV) | sha256sum | cut -c1-16)
cache=${PAMONG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pamong}
venv="$cache/runtime-$key"
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  "$PY" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r requirements.txt
  touch "$venv/.complete"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The embedded default as a new user gets it: no PAMONG_ENV, no DATABASE_URL/REDIS_URL of the test run.
run() {
  env -u PAMONG_ENV -u REDIS_URL -u PAMONG_TEST_NOW DATABASE_URL="sqlite:///$work/db.sqlite3" \
    MEDIA_ROOT="$work/media" "$venv/bin/python" manage.py "$@"
}
run check
run migrate --noinput -v 0
run seed_demo --employees 50 >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
tail -n 3 "$work/seed.log"
echo "runtime requirements alone: check and seed_demo --employees 50 passed ($venv)"
