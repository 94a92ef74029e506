#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian machine with Python 3.11 and nothing else:
# the Debian packages Qt and venv need, then .venv with the project installed.
#   bootstrap.sh app    runtime only (and the X11 libraries when a display is present)
#   bootstrap.sh test   runtime + test tools + the optional spaCy extra
set -euo pipefail
mode=${1:-app}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python=${PYTHON:-python3}

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

want=()
if command -v dpkg-query >/dev/null 2>&1; then
  "$python" -c "import ensurepip, venv" 2>/dev/null || want+=(python3-venv)
  # What the PySide6 wheels load even offscreen, and a font so text is not drawn as boxes.
  for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core; do
    have_pkg "$pkg" || want+=("$pkg")
  done
  if [ "$mode" = app ] && [ -n "${DISPLAY:-}" ]; then
    # The xcb platform plugin; Qt's own error message blames only libxcb-cursor0.
    for pkg in libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
               libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxkbcommon-x11-0; do
      have_pkg "$pkg" || want+=("$pkg")
    done
  fi
  if [ "$mode" = test ]; then
    # The team tests start a throwaway PostgreSQL cluster (initdb + pg_ctl, tests/team_server.py).
    if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      want+=(postgresql)
    fi
  fi
fi
if [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ]; then
    echo "Annotator needs these Debian packages; ask an administrator to install them: ${want[*]}" >&2
  else
    echo "Installing Debian packages: ${want[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  "$python" -m venv .venv
fi
case "$mode" in
  test) extras="[test,spacy]" ;;
  *) extras="" ;;
esac
# Reinstall only when pyproject.toml or the extras change.
stamp=".venv/.installed-$(printf '%s' "$mode" | tr -c 'a-z' '_')"
digest="$(sha256sum pyproject.toml | cut -c1-16)$extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "Installing Annotator$extras into .venv (first run takes a minute)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".$extras"
  echo "$digest" > "$stamp"
fi
