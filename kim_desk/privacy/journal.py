"""The desk journal: a small file beside the database that outlives any restore.

It holds two things a restored backup cannot know about:

- every erasure and anonymisation (the client's random uid, the action and when; never a
  name), so restoring an older backup applies them again;
- the audit trail's anchor (number of events and hash of the newest), so deleting the newest
  audit events, which leaves a valid but shorter hash chain, is noticed.

The file is plain JSON without personal content: a uid means nothing without the encrypted
database. Every write replaces the file atomically. The database keeps the same erasures in
its `erasure` table; `sync_from_store` merges them in, so either copy can restore the other.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kim_desk.errors import StorageError
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.store import Store

FORMAT = "kim-desk-journal/1"
FILE_NAME = "journal.json"
ERASE = "erase"
ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Erasure:
    uid: str
    action: str  # erase | anonymise
    at: str  # ISO date-time


@dataclass(frozen=True)
class AuditAnchor:
    events: int
    hash: str


@dataclass
class Journal:
    erasures: list[Erasure] = field(default_factory=list)
    audit: AuditAnchor | None = None

    def has(self, uid: str, action: str) -> bool:
        return any(e.uid == uid and e.action == action for e in self.erasures)


def journal_path(paths: DataPaths) -> Path:
    return paths.root / FILE_NAME


def _damaged(path: Path) -> StorageError:
    return StorageError(
        _(
            "Das Löschprotokoll {path} ist beschädigt. Stellen Sie es aus der letzten Sicherung wieder her; "
            "ohne es könnten bei einer Wiederherstellung gelöschte Personen zurückkehren."
        ).format(path=path)
    )


def read_journal(paths: DataPaths) -> Journal:
    path = journal_path(paths)
    try:
        data: Any = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Journal()
    except (OSError, ValueError) as exc:
        raise _damaged(path) from exc
    try:
        if data["format"] != FORMAT:
            raise _damaged(path)
        erasures = [Erasure(str(e["uid"]), str(e["action"]), str(e["at"])) for e in data["erasures"]]
        anchor = data.get("audit")
        audit = AuditAnchor(int(anchor["events"]), str(anchor["hash"])) if anchor else None
    except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise _damaged(path) from exc
    return Journal(erasures, audit)


def write_journal(paths: DataPaths, journal: Journal) -> None:
    data = {
        "format": FORMAT,
        "erasures": [asdict(e) for e in journal.erasures],
        "audit": asdict(journal.audit) if journal.audit else None,
    }
    write_atomic(journal_path(paths), json.dumps(data, indent=1).encode("utf-8"))


def add_erasure(paths: DataPaths, erasure: Erasure) -> None:
    journal = read_journal(paths)
    if not journal.has(erasure.uid, erasure.action):
        journal.erasures.append(erasure)
        write_journal(paths, journal)


def store_erasures(store: Store) -> list[Erasure]:
    return [
        Erasure(row["uid"], row["action"], row["erased_at"])
        for row in store.rows("SELECT uid, action, erased_at FROM erasure ORDER BY id")
    ]


def sync_from_store(store: Store, paths: DataPaths) -> Journal:
    """Merge the database's erasures into the file and anchor the audit trail's current head."""
    journal = read_journal(paths)
    changed = False
    for erasure in store_erasures(store):
        if not journal.has(erasure.uid, erasure.action):
            journal.erasures.append(erasure)
            changed = True
    head = audit_head(store)
    if journal.audit != head:
        journal.audit = head
        changed = True
    if changed:
        write_journal(paths, journal)
    return journal


def audit_head(store: Store) -> AuditAnchor:
    row = store.one("SELECT events, hash FROM audit_head WHERE id = 1")
    if row is None:
        return AuditAnchor(0, "0" * 64)
    return AuditAnchor(int(row["events"]), str(row["hash"]))


def anchor_audit(store: Store, paths: DataPaths) -> None:
    """Remember the audit trail's head in the file (after the desk wrote events)."""
    journal = read_journal(paths)
    head = audit_head(store)
    if journal.audit != head:
        journal.audit = head
        write_journal(paths, journal)
