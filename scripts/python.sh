# Sourced by the setup scripts: PY is CPython 3.12 or newer ($PYTHON, else pyenv's 3.13.0, else python3.13 or python3).
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in /root/.pyenv/versions/3.13.0/bin/python3 "$(command -v python3.13 || true)" "$(command -v python3 || true)"; do
    if [ -n "$cand" ] && [ -x "$cand" ] && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then PY=$cand; break; fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.12+ is needed (Django 6.1)." >&2; exit 1; }
