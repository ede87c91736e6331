#!/bin/sh
# Set up a fresh clone: the system libraries Qt needs and a Chinese font (Debian/Ubuntu, via
# apt-get: as root directly, else through sudo), then .venv with requirements.txt.
#
#   sh tools/setup.sh              # from the clone's folder
#   PYTHON=python3.12 sh tools/setup.sh
#
# On Windows and macOS no system packages are needed: python -m venv .venv, then
# .venv/bin/pip install -r requirements.txt (Scripts\pip on Windows).
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

PACKAGES="python3-venv libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libxkbcommon0
libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1
libxcb-xinerama0 libxrender1 libnss3 fonts-wqy-microhei"

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=""
    elif command -v sudo >/dev/null 2>&1; then
        as_root="sudo"
    else
        echo "tools/setup.sh: installing system packages needs root; run it as root or install sudo" >&2
        exit 1
    fi
    # shellcheck disable=SC2086  # the package list is split on purpose
    $as_root apt-get update -qq
    # shellcheck disable=SC2086
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES
else
    echo "tools/setup.sh: no apt-get here; install Qt's system libraries and a Chinese font yourself" >&2
fi

"$PYTHON" -m venv .venv
.venv/bin/pip install --quiet -r requirements.txt
echo "Set up. Start the app with: .venv/bin/python main.py"
