#!/usr/bin/env bash
# Set up and run the whole test suite: lint, format, types, and pytest (unit, gui, e2e, property).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test
export QT_QPA_PLATFORM=offscreen
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
lint_paths=""
for folder in kim_desk tests benchmarks tools hatch_build.py; do
    if [[ -e $folder ]]; then lint_paths="$lint_paths $folder"; fi
done
.venv/bin/ruff check $lint_paths
.venv/bin/ruff format --check $lint_paths
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/pytest -p no:cacheprovider "$@"
