"""The process the crash harness kills: acknowledged work, printed only after it returned.

    python -m tests.e2e.crash_writer DATA_DIR SEED [write|restore|restore@POINT|erase@POINT:CLIENT_ID]

Lines on stdout: `W <client id> <token>` (a client named Crash<token> with a case and a contact
was committed), `e <client id>` (an erasure starts), `E <client id>` (it finished), `B <name>` (a
backup was written and verified), `R <name>` (the restore of backup <name> finished), `X` (the
restore was refused because another process has the desk open: nothing was replaced).
With @POINT the process SIGKILLs itself at that step (see KILL_POINTS), for the kill-point tests.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kim_desk import vault
from kim_desk.backup import create_backup, list_backups, restore_backup
from kim_desk.catalog import load_catalog
from kim_desk.errors import KnownError
from kim_desk.paths import DataPaths
from kim_desk.privacy.erasure import erase_client
from kim_desk.store import open_store
from kim_desk.store.cases import open_case
from kim_desk.store.clients import Client, create_client
from kim_desk.store.contacts import Contact, record_contact


def write(paths: DataPaths, key: bytes, rng: random.Random) -> None:
    store = open_store(paths.database, key)
    catalog = load_catalog()
    written: list[int] = []
    print("READY", flush=True)
    while True:
        roll = rng.random()
        if roll < 0.04 and written:
            victim = written.pop(rng.randrange(len(written)))
            print(f"e {victim}", flush=True)  # intent: killed from here on, either outcome is right
            erase_client(store, paths, victim)
            print(f"E {victim}", flush=True)
        elif roll < 0.06:
            info = create_backup(store, paths, key)
            print(f"B {info.name}", flush=True)
        else:
            token = f"{rng.randrange(16**12):012x}"
            with store.transaction():  # one transaction: the client, a case and a contact, or nothing
                client_id = create_client(store, Client(family_name=f"Crash{token}", municipality="ahlen")).id
                open_case(store, catalog, client_id, "wohngeld")
                record_contact(store, Contact(client_id, store.today(), notes="x" * rng.randrange(2000)))
            written.append(client_id)
            print(f"W {client_id} {token}", flush=True)


def restore(paths: DataPaths, key: bytes) -> None:
    backups = list_backups(paths)
    print("READY", flush=True)
    if not backups:
        return
    try:
        restore_backup(paths, backups[0], key)
    except KnownError:
        print("X", flush=True)
        return
    print(f"R {backups[0].name}", flush=True)


def _die_at(
    owner: Any, name: str, *, call: int = 1, before: bool = False, when: Callable[..., bool] | None = None
) -> None:
    """Replace owner.name so that its `call`-th matching call SIGKILLs this process (before or after it runs)."""
    real = getattr(owner, name)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when is None or when(*args):
            calls["n"] += 1
            if calls["n"] == call and before:
                os.kill(os.getpid(), signal.SIGKILL)
            result = real(*args, **kwargs)
            if calls["n"] == call:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)


def _arm(point: str) -> None:
    import shutil

    from kim_desk.backup import restore as restore_module
    from kim_desk.privacy import erasure

    def is_database(_source: object, target: object) -> bool:
        return Path(str(target)).name == "desk.db"

    points: dict[str, Callable[[], None]] = {
        # restore: staging copied / staging prepared / old database settled / renamed into place / journal written
        "copy": lambda: _die_at(shutil, "copyfile"),
        "prepare": lambda: _die_at(restore_module, "_prepare"),
        "settle": lambda: _die_at(restore_module, "_settle_old"),
        "swap": lambda: _die_at(os, "replace", when=is_database),
        "journal": lambda: _die_at(restore_module.journal, "write_journal", call=2),
        # erase: journalled / inside the transaction / committed, not scrubbed / vacuumed, WAL not emptied
        "journalled": lambda: _die_at(erasure.journal, "add_erasure"),
        "uncommitted": lambda: _die_at(erasure, "_remember"),
        "committed": lambda: _die_at(erasure, "scrub", before=True),
        "vacuumed": lambda: _die_at(erasure, "_truncate_wal", call=2, before=True),
    }
    points[point]()


KILL_POINTS = ("copy", "prepare", "settle", "swap", "journal")
ERASE_KILL_POINTS = ("journalled", "uncommitted", "committed", "vacuumed")


def main(data_dir: str, seed: int, mode: str = "write") -> None:
    paths = DataPaths(Path(data_dir))
    key = vault.unlock(paths, vault.passphrase_from_environment, None).key
    mode, _sep, point = mode.partition("@")
    if point:
        point, _sep, client = point.partition(":")
        _arm(point)
    if mode == "restore":
        restore(paths, key)
    elif mode == "erase":
        store = open_store(paths.database, key)
        print("READY", flush=True)
        erase_client(store, paths, int(client))
        print(f"E {client}", flush=True)
    else:
        write(paths, key, random.Random(seed))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
