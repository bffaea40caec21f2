"""District-scale data: 100,000 clients (Latin, Arabic, Cyrillic names), ~1,000,000 contacts, ~50,000 appointments.

The database is built once and cached under benchmarks/out/ (ignored by git); benchmarks copy it.
Usage: python -m benchmarks.datagen [--clients 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import time
from pathlib import Path

from kim_desk import demo, vault
from kim_desk.clock import FixedClock
from kim_desk.desk import create_desk
from kim_desk.paths import DataPaths

OUT = Path(__file__).resolve().parent / "out"
PASSPHRASE = "benchmark passphrase"
# Argon2's smallest setting: the benchmarks time the app, not the deliberate cost of deriving a key from a typed
# passphrase (~0.2 s at the desk's default). A start through the keyring derives nothing either.
FAST_KDF = vault.KdfParams(iterations=1, lanes=1, memory_kib=8)
CLOCK = FixedClock(dt.datetime(2026, 11, 23, 9, 30))


def dataset(clients: int = 100_000) -> DataPaths:
    """The cached desk with `clients` clients, made on first use."""
    paths = DataPaths(OUT / f"desk-{clients}")
    if paths.database.exists() and (paths.root / "complete").exists():
        _passphrase_slot_at(paths, FAST_KDF)
        return paths
    if paths.root.exists():
        shutil.rmtree(paths.root)
    started = time.perf_counter()
    desk, _code = create_desk(paths, PASSPHRASE, None, FAST_KDF, clock=CLOCK)
    # 100,000 clients x 10 contacts = 1,000,000; x 0.5 appointments = 50,000
    summary = demo.generate(desk.store, desk.catalog, clients, contacts_per_client=(8, 12), appointment_share=0.5)
    desk.close()
    (paths.root / "complete").write_text(f"{summary} in {time.perf_counter() - started:.0f} s\n", "utf-8")
    return paths


def _passphrase_slot_at(paths: DataPaths, kdf: vault.KdfParams) -> None:
    """A desk made before FAST_KDF changed gets its passphrase slot wrapped again at the current setting."""
    slot = json.loads(paths.vault.read_text("utf-8"))["slots"]["passphrase"]
    if (slot["iterations"], slot["lanes"], slot["memory_kib"]) != tuple(kdf):
        key = vault.unlock_key(paths, lambda _reason: PASSPHRASE).key
        vault.set_passphrase(paths, key, PASSPHRASE, kdf)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    paths = dataset(args.clients)
    print(paths.root, (paths.root / "complete").read_text("utf-8").strip())


if __name__ == "__main__":
    main()
