#!/usr/bin/env bash
# Build the one-folder desktop bundle into dist/kim-desk and run its headless self-test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh  # installs requirements.lock, PyInstaller included (the "bundle" extra)
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN build_installer.spec
end=$(date +%s)
size=$(du -sm dist/kim-desk | cut -f1)
echo "bundle: dist/kim-desk, ${size} MiB, built in $((end - start)) s"
QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring dist/kim-desk/kim-desk-console self-test
