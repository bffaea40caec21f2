#!/usr/bin/env bash
# Set up everything KIM Desk needs in this checkout: Debian libraries for Qt (and,
# with --test, the tools the tests use), a virtual environment in .venv with the
# Python packages, and the compiled translations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_LIBS="libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
 libxcb-xinerama0 libxcb-xfixes0 libxrender1 libxi6 libsm6 libice6 libx11-xcb1 libnss3 libasound2"
TEST_TOOLS="poppler-utils qpdf xvfb xauth gettext zbar-tools chromium chromium-driver"

want="$QT_LIBS"
[[ "${1:-}" == "--test" ]] && want="$want $TEST_TOOLS"

missing=""
for pkg in $want; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if [[ -n "$missing" ]]; then
    if command -v apt-get >/dev/null; then
        if [[ $(id -u) -eq 0 ]]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
        if [[ "$SUDO" == "none" ]]; then
            echo "setup: please install these Debian packages as root:$missing" >&2
        else
            echo "setup: installing Debian packages:$missing"
            $SUDO apt-get update -qq
            # libasound2 is called libasound2t64 on newer releases; install what exists
            available=""
            for pkg in $missing; do
                if apt-cache show "$pkg" >/dev/null 2>&1; then available="$available $pkg";
                elif apt-cache show "${pkg}t64" >/dev/null 2>&1; then available="$available ${pkg}t64"; fi
            done
            DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $available >/dev/null
        fi
    else
        echo "setup: not a Debian system; make sure Qt's libraries are installed:$missing" >&2
    fi
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup: KIM Desk needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
    exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.kim-desk-installed"
fingerprint=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$fingerprint" ]]; then
    # the pinned, hash-checked versions of requirements.lock (made by tools/lock.sh), then this checkout itself
    .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
    .venv/bin/python -m pip install -q --no-deps -e .
    echo "$fingerprint" > "$stamp"
fi
if [[ -f tools/compile_translations.py ]]; then
    .venv/bin/python tools/compile_translations.py
fi
