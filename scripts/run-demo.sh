#!/usr/bin/env bash
# Set up Pamong on SQLite with the demo registry and serve it on http://127.0.0.1:8000/.
# A task worker runs beside the web server so that long imports show their progress.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
export DEBUG=${DEBUG:-1} TASK_BACKEND=${TASK_BACKEND:-db}
PORT=${PORT:-8000}
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py compilemessages -v 0 -i .venv || echo "msgfmt missing: English translation not compiled" >&2
.venv/bin/python manage.py seed_demo --if-empty
.venv/bin/python manage.py db_worker --no-reload -v 0 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo
echo "Pamong is running at http://127.0.0.1:${PORT}/  (Ctrl+C to stop)"
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload
