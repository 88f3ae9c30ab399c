#!/usr/bin/env bash
# Installs the pinned schemathesis (PyPI) into a private virtualenv under the build cache, once,
# and prints the path of its `st` executable. Idempotent and safe to run from parallel processes
# (flock). Used by the fuzz test itself and by `infra/balai setup`, so a fresh CI machine gets it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="$(sed -n 's/^schemathesis==//p' "$HERE/requirements.txt")"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/balai"
# Newest Python first: CPython 3.11 raises "AST constructor recursion depth mismatch" when
# hypothesis parses sources from several worker threads at once (schemathesis --workers).
PY="${BALAI_PYTHON:-}"
if [ -z "$PY" ]; then
  # pyenv's shims only run the global version; look at its installed versions directly.
  PYENV_PYTHONS="$(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV || true)"
  for candidate in $PYENV_PYTHONS python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys' 2>/dev/null; then PY="$candidate"; break; fi
  done
fi
[ -n "$PY" ] || { echo "[fuzz] python3 is required for the fuzz run" >&2; exit 1; }
PYVER="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
VENV="$CACHE/schemathesis-$VERSION-py$PYVER"
STAMP="$VENV/.balai-requirements.sha256"
WANT="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
mkdir -p "$CACHE"
ready() { [ -x "$VENV/bin/st" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; }
if ! ready; then
  exec 9>"$CACHE/schemathesis.lock"
  flock 9
  if ! ready; then
    echo "[fuzz] installing schemathesis $VERSION into $VENV (first time only)" >&2
    if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >&2
    fi
    rm -rf "$VENV"
    "$PY" -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$HERE/requirements.txt" >&2
    "$VENV/bin/st" --version >/dev/null
    echo "$WANT" >"$STAMP"
  fi
fi
echo "$VENV/bin/st"
