#!/usr/bin/env bash
# Install Annotator with every dependency at the lowest version pyproject.toml allows, in .venv-lowest,
# and run scripts/smoke.py there: proves the ">=" bounds are true. Run by CI after the test suite.
# uv comes from the test extra (bootstrap.sh test); its --resolution lowest-direct picks the minimum of
# each direct dependency (what they need in turn is resolved as usual).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh test
uv=.venv/bin/uv
started=$(date +%s)
rm -rf .venv-lowest
"$uv" venv -q --python "${PYTHON:-python3}" .venv-lowest
# Not editable: the smoke test runs the built package, so a module or data file left out of it shows.
"$uv" pip install -q --python .venv-lowest/bin/python --resolution lowest-direct .
echo "Lowest allowed versions:"
"$uv" pip freeze -q --python .venv-lowest/bin/python | grep -iE '^(pyside6-essentials|click|platformdirs|charset-normalizer|trafilatura|python-docx|pypdf|rapidfuzz|krippendorff|numpy|dkpro-cassis|pdfminer-six|dateparser|psycopg|lxml|orjson|isal)==' | tr '\n' ' '
echo
.venv-lowest/bin/python scripts/smoke.py
echo "Lowest-versions step took $(( $(date +%s) - started )) s"
