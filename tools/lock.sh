#!/usr/bin/env bash
# Pin every dependency (runtime, dev, bundle) with hashes for every platform into requirements.lock.
# Run it after changing dependencies in pyproject.toml (tests/unit/test_lock.py checks that the two agree);
# `bash tools/lock.sh --upgrade` moves every pin to the newest release. Then run tools/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/uv pip compile pyproject.toml --extra dev --extra bundle --universal --python-version 3.11 \
    --generate-hashes --custom-compile-command "bash tools/lock.sh" --quiet -o requirements.lock "$@"
