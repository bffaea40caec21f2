#!/usr/bin/env bash
# Set up and start KIM Desk. On first start (no database yet in the data folder) it
# creates a demo desk with synthetic clients; you choose the passphrase.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
data_dir="${KIM_DESK_HOME:-}"
if ! .venv/bin/python -c '
import sys
from kim_desk.paths import data_paths
from kim_desk.vault import is_initialised
sys.exit(0 if is_initialised(data_paths(sys.argv[1] or None)) else 1)' "$data_dir"; then
    echo "Kein Arbeitsplatz gefunden: lege einen Demo-Arbeitsplatz mit Beispieldaten an."
    .venv/bin/kim-desk demo
fi
exec .venv/bin/kim-desk
