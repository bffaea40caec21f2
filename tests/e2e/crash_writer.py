"""The process the crash harness kills: acknowledged work, printed only after it returned.

    python -m tests.e2e.crash_writer DATA_DIR SEED [write|restore]

Lines on stdout: `W <client id> <token>` (a client named Crash<token> with a case and a contact
was committed), `e <client id>` (an erasure starts), `E <client id>` (it finished), `B <name>` (a
backup was written and verified), `R <name>` (the restore of backup <name> finished), `X` (the
restore was refused because another process has the desk open: nothing was replaced).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

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


def main(data_dir: str, seed: int, mode: str = "write") -> None:
    paths = DataPaths(Path(data_dir))
    key = vault.unlock(paths, vault.passphrase_from_environment, None).key
    if mode == "restore":
        restore(paths, key)
    else:
        write(paths, key, random.Random(seed))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4])
