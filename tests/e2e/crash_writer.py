"""The process the crash harness kills: acknowledged writes, printed only after COMMIT returned.

Lines on stdout: `W <client id>` (a client with a case and a contact was committed),
`e <client id>` (an erasure starts), `E <client id>` (it finished), `B <name>` (a backup was written and verified).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from kim_desk import vault
from kim_desk.backup import create_backup
from kim_desk.catalog import load_catalog
from kim_desk.paths import DataPaths
from kim_desk.privacy.erasure import erase_client
from kim_desk.store import open_store
from kim_desk.store.cases import open_case
from kim_desk.store.clients import Client, create_client
from kim_desk.store.contacts import Contact, record_contact


def main(data_dir: str, seed: int) -> None:
    paths = DataPaths(Path(data_dir))
    key = vault.unlock(paths, vault.passphrase_from_environment, None).key
    store = open_store(paths.database, key)
    catalog = load_catalog()
    rng = random.Random(seed)
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
            with store.transaction():  # one transaction: the client, a case and a contact, or nothing
                client_id = create_client(
                    store, Client(family_name=f"Crash{rng.randrange(10**6)}", municipality="ahlen")
                ).id
                open_case(store, catalog, client_id, "wohngeld")
                record_contact(store, Contact(client_id, store.today(), notes="x" * rng.randrange(2000)))
            written.append(client_id)
            print(f"W {client_id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
