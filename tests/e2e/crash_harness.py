"""Kill writing and restoring processes with SIGKILL at random moments and check what survived.

Each run is one of: a writer; two writers at once (concurrent writers on one desk); a restore of the
newest backup; a restore while a writer has the desk open. After every kill the desk is opened as at
the next start, and then: the database passes `PRAGMA integrity_check` and `cipher_integrity_check`;
every acknowledged write is there (unless an acknowledged or completed restore rolled it back); every
erased person is absent from the database *and* unreadable in every file of the data folder (pages
decrypted, WAL frames included, backups excepted: they are the past); a killed restore left either the
old or the restored database, nothing in between and no leftover file; the journal reads; the newest
backup verifies. Clients are tracked by a random token in their name, since SQLite reuses row ids.
"""

from __future__ import annotations

import contextlib
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
from kim_desk.backup.core import DB_NAME, open_keyed
from kim_desk.desk import create_desk
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.store import open_store
from tests.unit.sqlcipher_pages import all_plaintext

PASSPHRASE = "crash harness passphrase"
FAST_KDF = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
ROOT = Path(__file__).resolve().parents[2]
APP_LEFTOVERS = (".restore", ".tmp-")


@dataclass
class Tally:
    runs: int = 0
    writer_runs: int = 0
    concurrent_runs: int = 0
    restore_runs: int = 0
    acknowledged_writes: int = 0
    acknowledged_erasures: int = 0
    acknowledged_backups: int = 0
    acknowledged_restores: int = 0
    refused_restores: int = 0  # another process had the desk open: nothing replaced
    killed_restores_old: int = 0  # killed before the swap: the old database, whole
    killed_restores_new: int = 0  # killed after the swap: the restored database, whole
    rolled_back_by_restore: int = 0  # acknowledged writes newer than the restored backup
    integrity_failures: int = 0
    lost_writes: int = 0
    erasures_undone: int = 0
    erased_readable: int = 0
    torn_restores: int = 0
    leftover_files: int = 0  # staging copies, moved-aside databases, half-written backups
    temp_files: int = 0  # a kill during an atomic write of journal.json: no personal data, removed when stale
    backup_failures: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.integrity_failures or self.lost_writes or self.erasures_undone or self.erased_readable
            or self.torn_restores or self.leftover_files or self.backup_failures
        )  # fmt: skip


@dataclass
class State:
    expected: dict[str, bool | None] = field(default_factory=dict)  # token → must exist / erased / either
    erased: set[str] = field(default_factory=set)  # every token an erasure was started for
    temp_seen: set[str] = field(default_factory=set)


def make_desk(folder: Path) -> DataPaths:
    paths = DataPaths(folder)
    desk, _code = create_desk(paths, PASSPHRASE, None, FAST_KDF)
    desk.close()
    (folder.parent / "passphrase").write_text(PASSPHRASE, "utf-8")
    return paths


def _collect(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line.strip())


class _Child:
    def __init__(self, paths: DataPaths, seed: int, mode: str) -> None:
        env = dict(os.environ, KIM_DESK_PASSPHRASE_FILE=str(paths.root.parent / "passphrase"))
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.crash_writer", str(paths.root), str(seed), mode],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=_collect, args=(self.process.stdout, self.lines), daemon=True)
        self.reader.start()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while "READY" not in self.lines and self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)

    def kill(self) -> list[str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return [line for line in self.lines if line and line != "READY"]


def run_once(paths: DataPaths, rng: random.Random, max_delay: float = 1.5, writers: int = 1) -> list[str]:
    """Start the writers, SIGKILL them after a random time; return their acknowledged lines."""
    children = [_Child(paths, rng.randrange(10**9), "write") for _ in range(writers)]
    for child in children:
        child.wait_ready()
    time.sleep(rng.uniform(0.0, max_delay))
    lines: list[str] = []
    for child in children:
        lines.extend(child.kill())
    return lines


def run_restore(paths: DataPaths, rng: random.Random, max_delay: float, with_writer: bool) -> list[str]:
    writer = _Child(paths, rng.randrange(10**9), "write") if with_writer else None
    if writer is not None:
        writer.wait_ready()
        time.sleep(rng.uniform(0.0, 0.3))
    restorer = _Child(paths, 0, "restore")
    restorer.wait_ready()
    time.sleep(rng.uniform(0.0, max_delay))
    lines = restorer.kill()
    if writer is not None:
        lines = writer.kill() + lines
    return lines


def _key(paths: DataPaths) -> bytes:
    return vault.unlock(paths, lambda _reason: PASSPHRASE, None).key


def _tokens(paths: DataPaths, key: bytes) -> tuple[set[str], set[str]]:
    """(tokens of clients present, tokens of clients with a case) in the desk as opened at the next start."""
    store = open_store(paths.database, key)
    try:
        present = {str(r[0])[5:] for r in store.rows("SELECT family_name FROM client WHERE family_name LIKE 'Crash%'")}
        cases = {
            str(r[0])[5:]
            for r in store.rows('SELECT family_name FROM client JOIN "case" ON "case".client_id = client.id')
        }
    finally:
        store.close()
    return present, cases


def restored_tokens(paths: DataPaths, key: bytes) -> set[str] | None:
    """What the newest backup holds once the journalled erasures are applied: the oracle for a restore."""
    backups = list_backups(paths)
    if not backups:
        return None
    erased = {e.uid for e in journal.read_journal(paths).erasures}
    erased |= {e.uid for e in journal.read_journal(DataPaths(backups[0].path)).erasures}
    conn = open_keyed(backups[0].path / DB_NAME, key, read_only=True)
    try:
        rows = conn.execute("SELECT family_name, uid FROM client WHERE family_name LIKE 'Crash%'").fetchall()
    finally:
        conn.close()
    return {str(name)[5:] for name, uid in rows if uid not in erased}


def readable_anywhere(paths: DataPaths, key: bytes, tokens: set[str]) -> set[str]:
    """The tokens found in any file of the data folder outside backups/: raw bytes, and decrypted pages."""
    if not tokens:
        return set()
    found: set[str] = set()
    for path in sorted(paths.root.rglob("*")):
        if not path.is_file() or "backups" in path.relative_to(paths.root).parts or path.name.endswith("-shm"):
            continue
        texts = [path.read_bytes().lower()]
        if path.name.endswith(("-wal", "-journal")):
            continue  # read with their database below
        if not path.name.endswith((".json", ".log", ".txt")):
            with contextlib.suppress(ValueError):
                texts.append(all_plaintext(path, key).lower())
        found |= {token for token in tokens if any(token.encode() in text for text in texts)}
    return found


def _leftovers(paths: DataPaths) -> tuple[list[str], list[str]]:
    """(files that may hold people, temp files of atomic writes beside the journal)."""
    found = [p for p in paths.root.rglob("*") if p.name.startswith(APP_LEFTOVERS) or ".replaced-" in p.name]
    temp = [p for p in found if p.parent == paths.root and p.is_file() and p.name.startswith(".tmp-")]
    return [str(p.relative_to(paths.root)) for p in found if p not in temp], [p.name for p in temp]


def check(
    paths: DataPaths,
    acknowledged: list[str],
    tally: Tally,
    state: State,
    before: set[str] | None = None,
    after_restore: set[str] | None = None,
) -> None:
    """Account for the acknowledged lines, then open the desk as at the next start and check everything."""
    expected = state.expected
    ids: dict[str, str] = {}
    restore_acknowledged = refused = False
    for line in acknowledged:
        kind, _sep, value = line.partition(" ")
        if kind == "W":
            client_id, token = value.split(" ")
            ids[client_id] = token
            expected[token] = True
            tally.acknowledged_writes += 1
        elif kind == "e":
            expected[ids[value]] = None
            state.erased.add(ids[value])
        elif kind == "E":
            expected[ids[value]] = False
            tally.acknowledged_erasures += 1
        elif kind == "B":
            tally.acknowledged_backups += 1
        elif kind == "R":
            restore_acknowledged = True
            tally.acknowledged_restores += 1
        elif kind == "X":
            refused = True
            tally.refused_restores += 1
    key = _key(paths)
    present, cases = _tokens(paths, key)  # opens and closes the desk: leftovers are tidied here
    run = tally.runs
    if before is not None and after_restore is not None:
        # a concurrent writer's clients (acknowledged or committed just before the kill) are neither
        state_now = present & (before | after_restore)
        if state_now == after_restore and (after_restore != before or restore_acknowledged):
            if not restore_acknowledged and not refused:
                tally.killed_restores_new += 1
            rolled = {t for t, must in expected.items() if must and t not in present and t in before}
            tally.rolled_back_by_restore += len(rolled)
            for token in rolled:
                expected[token] = None  # legitimately gone: the backup is older than the write
            if refused:
                tally.torn_restores += 1
                tally.problems.append(f"run {run}: a refused restore replaced the database")
        elif state_now == before:
            if restore_acknowledged and after_restore != before:
                tally.torn_restores += 1
                tally.problems.append(f"run {run}: an acknowledged restore is not in the database")
            elif not restore_acknowledged and not refused:
                tally.killed_restores_old += 1
        else:
            tally.torn_restores += 1
            tally.problems.append(
                f"run {run}: after the restore neither the old nor the restored set of clients "
                f"(before {len(before)}, restored {len(after_restore)}, now {len(state_now)}, "
                f"not before {len(state_now - before)}, not restored {len(state_now - after_restore)}, "
                f"missing from restored {len(after_restore - state_now)}, lines {acknowledged[-3:]})"
            )
    store = open_store(paths.database, key)
    try:
        integrity = [row[0] for row in store.rows("PRAGMA integrity_check")]
        cipher = [row[0] for row in store.rows("PRAGMA cipher_integrity_check")]
    finally:
        store.close()
    if integrity != ["ok"] or cipher:
        tally.integrity_failures += 1
        tally.problems.append(f"run {run}: integrity {integrity[:2]} cipher {cipher[:2]}")
    for token, must_exist in expected.items():
        if must_exist and (token not in present or token not in cases):
            tally.lost_writes += 1
            tally.problems.append(f"run {run}: acknowledged client {token} missing")
            expected[token] = None  # count it once
        if must_exist is False and token in present:
            tally.erasures_undone += 1
            tally.problems.append(f"run {run}: erased client {token} is back")
    readable = readable_anywhere(paths, key, state.erased - present)  # acknowledged or completed erasures
    if readable:
        tally.erased_readable += len(readable)
        tally.problems.append(f"run {run}: erased clients readable on disk: {sorted(readable)[:3]}")
    leftovers, temp = _leftovers(paths)
    state.temp_seen.update(temp)
    tally.temp_files = len(state.temp_seen)
    if leftovers:
        tally.leftover_files += len(leftovers)
        tally.problems.append(f"run {run}: leftover files {leftovers[:3]}")
    journal.read_journal(paths)  # raises when the journal file is damaged
    backups = list_backups(paths)
    if backups and verify_backup(backups[0].path, key):
        tally.backup_failures += 1
        tally.problems.append(f"run {run}: newest backup {backups[0].name} does not verify")
    tally.runs += 1


def soak(
    folder: Path, runs: int, seed: int, max_delay: float = 1.5, *, restores: bool = False, concurrent: bool = False
) -> Tally:
    """`runs` kills; with `concurrent` some runs have two writers, with `restores` some runs restore."""
    paths = make_desk(folder / "desk")
    rng = random.Random(seed)
    tally = Tally()
    state = State()
    for _ in range(runs):
        roll = rng.random()
        if restores and roll < 0.25 and list_backups(paths):
            key = _key(paths)
            before, _cases = _tokens(paths, key)
            after = restored_tokens(paths, key)
            with_writer = concurrent and rng.random() < 0.3
            # long enough for some restores to finish, or to meet the writer and refuse
            lines = run_restore(paths, rng, 3.0 if with_writer else 1.2, with_writer)
            tally.restore_runs += 1
            check(paths, lines, tally, state, before, after)
        elif concurrent and roll < 0.5:
            tally.concurrent_runs += 1
            check(paths, run_once(paths, rng, max_delay, writers=2), tally, state)
        else:
            tally.writer_runs += 1
            check(paths, run_once(paths, rng, max_delay), tally, state)
    return tally
