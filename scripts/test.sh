#!/usr/bin/env bash
# Install what the tests need (see bootstrap.sh), lint, type-check the core, the GUI, main.py and startcache.py, then run the whole
# suite headless.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
.venv/bin/ruff check --quiet .
.venv/bin/mypy annotator ui main.py startcache.py
exec .venv/bin/python -m pytest "$@"
