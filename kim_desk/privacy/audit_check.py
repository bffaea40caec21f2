"""Checking the audit trail: the hash chain, its head in the database, and the journal's anchor.

The chain (kim_desk.store.audit) shows any changed or removed event in the middle. Removing
the newest events leaves a valid, shorter chain; two witnesses catch that: the `audit_head`
row that a trigger advances with every insert, and the anchor (count and hash of the newest
event) that the desk journal file beside the database keeps from the last backup, erasure,
retention run or check. Somebody who edits the database alone cannot make both agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.privacy import journal
from kim_desk.store import Store, audit


@dataclass(frozen=True)
class TrailCheck:
    events: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _hash_at(store: Store, position: int) -> str | None:
    row = store.one("SELECT hash FROM audit_event ORDER BY id LIMIT 1 OFFSET ?", (position - 1,))
    return str(row["hash"]) if row else None


def check_trail(store: Store, paths: DataPaths | None, *, anchor: bool = True) -> TrailCheck:
    """Verify everything; with `anchor`, a sound trail's head is then written to the journal."""
    chain = audit.verify(store)
    problems: list[str] = []
    if not chain.ok:
        problems.append(
            _("Eintrag {id} des Protokolls wurde verändert, oder ein Eintrag davor wurde entfernt.").format(
                id=chain.first_bad_id
            )
        )
    last = store.one("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")
    total = int(store.rows("SELECT count(*) FROM audit_event")[0][0])
    head = journal.audit_head(store)
    if head.events != total or (total and last is not None and head.hash != last["hash"]):
        problems.append(
            _("Das Protokoll endet nicht wie erwartet: {expected} Einträge erwartet, {found} vorhanden.").format(
                expected=head.events, found=total
            )
        )
    recorded = journal.read_journal(paths).audit if paths is not None else None
    if recorded is not None and recorded.events and _hash_at(store, recorded.events) != recorded.hash:
        problems.append(
            _(
                "Das Protokoll passt nicht zum Stand im Journal ({events} Einträge): "
                "Einträge wurden entfernt oder ersetzt."
            ).format(events=recorded.events)
        )
    if not problems and anchor and paths is not None:
        journal.anchor_audit(store, paths)
    return TrailCheck(total, problems)
