#!/usr/bin/env bash
# Install what the app needs (see bootstrap.sh), then open it; with no argument it opens the
# sample project (the articles in seeds/) in your data folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh app
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "No display found: run this in a desktop session (or under xvfb-run)." >&2
  exit 2
fi
exec .venv/bin/python main.py "$@"
