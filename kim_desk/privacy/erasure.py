"""Erasing a client completely (GDPR Art. 17) and anonymising one (retention).

Erasure removes every row that hangs on the client (the foreign keys cascade), the search
index entry (FTS5 secure-delete), and then scrubs the file: secure_delete=ON zeroes freed
content, VACUUM rewrites the database without free pages, and a TRUNCATE checkpoint empties
the WAL. The erasure is written to the desk journal *before* the database changes, so it
survives a crash in between and every later restore of an older backup applies it again.
"""

from __future__ import annotations

import logging
import time

from kim_desk.errors import NotFound, StorageError
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.privacy.journal import ANONYMISE, ERASE, Erasure
from kim_desk.store import Change, Store, audit
from kim_desk.store.connection import DatabaseError, database_error
from kim_desk.store.search import unindex_client

log = logging.getLogger(__name__)

ANONYMOUS_NAME = "ANONYM"


def _uid(store: Store, client_id: int) -> str:
    row = store.one("SELECT uid FROM client WHERE id = ?", (client_id,))
    if row is None:
        raise NotFound(_("Es gibt keine Klientin / keinen Klienten mit der Nummer {id}.").format(id=client_id))
    return str(row["uid"])


def _remember(store: Store, erasure: Erasure) -> None:
    store.conn.execute(
        "INSERT OR IGNORE INTO erasure (uid, action, erased_at) VALUES (?, ?, ?)",
        (erasure.uid, erasure.action, erasure.at),
    )


def _delete_rows(store: Store, client_id: int) -> None:
    store.conn.execute("DELETE FROM client WHERE id = ?", (client_id,))  # cascades to every dependent row
    unindex_client(store, client_id)


def _anonymise_rows(store: Store, client_id: int) -> None:
    """Keep the coded facts (municipality, application types, statuses, barriers) and drop the person."""
    store.conn.execute(
        "UPDATE client SET family_name = ?, given_names = '', family_name_orig = '', given_names_orig = '', "
        "birth_date = NULL, street = '', postcode = '', city = '', phone = '', email = '', notes = '', "
        "permit_expires = NULL, updated_at = ? WHERE id = ?",
        (ANONYMOUS_NAME, store.now_text(), client_id),
    )
    store.conn.execute("DELETE FROM household_member WHERE client_id = ?", (client_id,))
    store.conn.execute(
        "UPDATE \"case\" SET authority_ref = '', next_steps = '', notes = '' WHERE client_id = ?", (client_id,)
    )
    store.conn.execute("UPDATE contact SET notes = '' WHERE client_id = ?", (client_id,))
    store.conn.execute(
        "UPDATE checklist_item SET label = '' WHERE code LIKE 'custom:%' "
        'AND case_id IN (SELECT id FROM "case" WHERE client_id = ?)',
        (client_id,),
    )
    store.conn.execute(
        "UPDATE barrier SET notes = '' WHERE case_id IN (SELECT id FROM \"case\" WHERE client_id = ?)", (client_id,)
    )
    store.conn.execute("DELETE FROM appointment WHERE client_id = ?", (client_id,))
    unindex_client(store, client_id)


CHECKPOINT_TRIES = 100  # another process in the middle of a transaction: wait for it, up to ~5 s


def _truncate_wal(store: Store) -> bool:
    """Copy the WAL into the database and empty it; False while another connection keeps it busy."""
    for _try in range(CHECKPOINT_TRIES):
        row = store.one("PRAGMA wal_checkpoint(TRUNCATE)")
        if row is None or not row[0]:
            return True
        time.sleep(0.05)
    return False


def scrub(store: Store) -> None:
    """Leave no freed page or old WAL frame with deleted content in the files.

    With another process writing at the same time the checkpoint is retried until that process
    is between transactions, so the old frames do not stay behind in the WAL.
    """
    try:
        _truncate_wal(store)
        store.conn.execute("VACUUM")
        done = _truncate_wal(store)
    except DatabaseError as exc:
        raise database_error(exc, store.path) or StorageError(
            _("Die Datenbank konnte nach dem Löschen nicht bereinigt werden ({reason}).").format(reason=exc)
        ) from exc
    if not done:
        log.warning("wal_checkpoint_busy")  # the next open of the desk empties the WAL


def _apply(store: Store, paths: DataPaths | None, client_id: int, action: str) -> Change:
    uid = _uid(store, client_id)
    erasure = Erasure(uid, action, store.now_text())
    if paths is not None:
        journal.add_erasure(paths, erasure)  # first: it must outlive a crash and any restore
    with store.transaction():
        if action == ERASE:
            _delete_rows(store, client_id)
        else:
            _anonymise_rows(store, client_id)
        _remember(store, erasure)
        audit.record(store, "erase" if action == ERASE else "change", "client", client_id)
    scrub(store)
    if paths is not None:
        journal.anchor_audit(store, paths)
    log.info("client_erased" if action == ERASE else "client_anonymised", extra={"client_id": client_id})
    return Change("client", client_id, "delete" if action == ERASE else "update")


def erase_client(store: Store, paths: DataPaths | None, client_id: int) -> Change:
    """Erase a client and everything about them; `paths` locates the desk journal."""
    return _apply(store, paths, client_id, ERASE)


def anonymise_client(store: Store, paths: DataPaths | None, client_id: int) -> Change:
    """Remove everything that identifies a client but keep the coded case history."""
    return _apply(store, paths, client_id, ANONYMISE)


def reapply(store: Store, erasures: list[Erasure]) -> list[Erasure]:
    """Apply journalled erasures to a (restored) database; returns those that found a client."""
    applied: list[Erasure] = []
    with store.transaction():
        for erasure in erasures:
            row = store.one("SELECT id FROM client WHERE uid = ?", (erasure.uid,))
            already = store.one("SELECT 1 FROM erasure WHERE uid = ? AND action = ?", (erasure.uid, erasure.action))
            if row is None or (already is not None and erasure.action == ANONYMISE):
                _remember(store, erasure)
                continue
            client_id = int(row["id"])
            if erasure.action == ERASE:
                _delete_rows(store, client_id)
            else:
                _anonymise_rows(store, client_id)
            _remember(store, erasure)
            audit.record(store, "erase" if erasure.action == ERASE else "change", "client", client_id)
            applied.append(erasure)
    if applied:
        scrub(store)
    return applied
