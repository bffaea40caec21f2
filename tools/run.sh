#!/usr/bin/env bash
# Set up and start KIM Desk. On first start (no desk yet in the data folder) the app opens its
# first-run wizard: passphrase, recovery code for IT, optional demo data. Nothing is asked here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh </dev/null
exec .venv/bin/kim-desk "$@"
