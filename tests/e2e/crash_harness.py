"""Kill a writing process with SIGKILL at random moments and check what survived.

After every kill: the database passes `PRAGMA integrity_check` and `cipher_integrity_check`,
every acknowledged write is there, every acknowledged erasure is complete, the desk journal
reads, and the newest backup verifies.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kim_desk import vault
from kim_desk.backup import list_backups, verify_backup
from kim_desk.desk import create_desk
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.store import open_store

PASSPHRASE = "crash harness passphrase"
FAST_KDF = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Tally:
    runs: int = 0
    acknowledged_writes: int = 0
    acknowledged_erasures: int = 0
    acknowledged_backups: int = 0
    integrity_failures: int = 0
    lost_writes: int = 0
    erasures_undone: int = 0
    backup_failures: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.integrity_failures or self.lost_writes or self.erasures_undone or self.backup_failures)


def make_desk(folder: Path) -> DataPaths:
    paths = DataPaths(folder)
    desk, _code = create_desk(paths, PASSPHRASE, None, FAST_KDF)
    desk.close()
    (folder.parent / "passphrase").write_text(PASSPHRASE, "utf-8")
    return paths


def _collect(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line.strip())


def run_once(paths: DataPaths, rng: random.Random, max_delay: float = 1.5) -> list[str]:
    """Start the writer, SIGKILL it after a random time; return its acknowledged lines."""
    env = dict(os.environ, KIM_DESK_PASSPHRASE_FILE=str(paths.root.parent / "passphrase"))
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.crash_writer", str(paths.root), str(rng.randrange(10**9))],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=_collect, args=(process.stdout, lines), daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while "READY" not in lines and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, max_delay))
    process.send_signal(signal.SIGKILL)
    process.wait()
    reader.join(timeout=10)
    if process.stdout is not None:
        process.stdout.close()
    return [line for line in lines if line and line != "READY"]


def check(paths: DataPaths, acknowledged: list[str], tally: Tally, expected: dict[int, bool | None]) -> None:
    """`expected` maps acknowledged client ids to True (must exist), False (erased) or None (either)."""
    for line in acknowledged:
        kind, value = line.split(" ", 1)
        if kind == "W":
            expected[int(value)] = True
            tally.acknowledged_writes += 1
        elif kind == "e":
            expected[int(value)] = None
        elif kind == "E":
            expected[int(value)] = False
            tally.acknowledged_erasures += 1
        elif kind == "B":
            tally.acknowledged_backups += 1
    key = vault.unlock(paths, lambda _reason: PASSPHRASE, None).key
    store = open_store(paths.database, key)
    try:
        integrity = [row[0] for row in store.rows("PRAGMA integrity_check")]
        cipher = [row[0] for row in store.rows("PRAGMA cipher_integrity_check")]
        if integrity != ["ok"] or cipher:
            tally.integrity_failures += 1
            tally.problems.append(f"run {tally.runs}: integrity {integrity[:2]} cipher {cipher[:2]}")
        present = {int(row[0]) for row in store.rows("SELECT id FROM client")}
        cases = {int(row[0]) for row in store.rows('SELECT client_id FROM "case"')}
    finally:
        store.close()
    for client_id, must_exist in expected.items():
        if must_exist and (client_id not in present or client_id not in cases):
            tally.lost_writes += 1
            tally.problems.append(f"run {tally.runs}: acknowledged client {client_id} missing")
        if must_exist is False and client_id in present:
            tally.erasures_undone += 1
            tally.problems.append(f"run {tally.runs}: erased client {client_id} is back")
    journal.read_journal(paths)  # raises when the journal file is damaged
    backups = list_backups(paths)
    if backups and verify_backup(backups[0].path, key):
        tally.backup_failures += 1
        tally.problems.append(f"run {tally.runs}: newest backup {backups[0].name} does not verify")
    tally.runs += 1


def soak(folder: Path, runs: int, seed: int, max_delay: float = 1.5) -> Tally:
    paths = make_desk(folder / "desk")
    rng = random.Random(seed)
    tally = Tally()
    expected: dict[int, bool | None] = {}
    for _ in range(runs):
        check(paths, run_once(paths, rng, max_delay), tally, expected)
    return tally
