#!/usr/bin/env bash
# Create .venv with CPython 3.13 and install the project's Python dependencies (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
[ -x .venv/bin/python ] || "$PY" -m venv .venv
req=${1:-requirements.txt}
stamp=".venv/.installed-$(sha256sum "$req" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
# gettext's msgfmt compiles the English translation (locale/*.po → .mo, not committed).
if ! command -v msgfmt >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) \
    || echo "gettext could not be installed: the English translation will be missing" >&2
fi
# WeasyPrint renders the official PDF documents: it needs HarfBuzz's subsetter (pango comes with it) and
# the metric-compatible Liberation fonts the templates ask for.
if ! dpkg -s libharfbuzz-subset0 fonts-liberation2 >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 fonts-liberation2 >/dev/null) \
    || echo "WeasyPrint's libraries could not be installed: the PDF documents will not render" >&2
fi
