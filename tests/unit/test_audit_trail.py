"""The audit trail: tampering anywhere, including deleting the newest events, is detected."""

from __future__ import annotations

from kim_desk.desk import Desk
from kim_desk.privacy import journal
from kim_desk.privacy.audit_check import check_trail
from kim_desk.store.clients import Client, create_client, get_client, update_client


def _events(desk: Desk, n: int) -> None:
    client_id = create_client(desk.store, Client(family_name="Protokoll", municipality="beckum")).id
    for i in range(n - 1):
        client = get_client(desk.store, client_id)
        client.notes = f"Runde {i}"
        update_client(desk.store, client)


def test_an_untouched_trail_is_sound_and_anchored(desk: Desk) -> None:
    _events(desk, 5)
    check = check_trail(desk.store, desk.paths)
    assert check.ok and check.events >= 5
    anchor = journal.read_journal(desk.paths).audit
    assert anchor is not None and anchor.events == check.events


def test_a_changed_event_is_found(desk: Desk) -> None:
    _events(desk, 5)
    desk.store.conn.execute("UPDATE audit_event SET action = 'view' WHERE id = (SELECT min(id) + 2 FROM audit_event)")
    check = check_trail(desk.store, desk.paths)
    assert not check.ok
    assert "wurde verändert" in check.problems[0]


def test_deleting_the_newest_events_is_found_by_the_head(desk: Desk) -> None:
    _events(desk, 5)
    desk.store.conn.execute("DELETE FROM audit_event WHERE id > (SELECT max(id) - 2 FROM audit_event)")
    check = check_trail(desk.store, desk.paths)
    assert check.problems == [f"Das Protokoll endet nicht wie erwartet: {check.events + 2} Einträge erwartet, "
                              f"{check.events} vorhanden."]  # fmt: skip


def test_deleting_the_newest_events_and_fixing_the_head_is_found_by_the_journal(desk: Desk) -> None:
    _events(desk, 5)
    assert check_trail(desk.store, desk.paths).ok  # anchors the head in the journal file
    desk.store.conn.execute("DELETE FROM audit_event WHERE id > (SELECT max(id) - 2 FROM audit_event)")
    desk.store.conn.execute(
        "UPDATE audit_head SET events = (SELECT count(*) FROM audit_event), "
        "hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)"
    )
    check = check_trail(desk.store, desk.paths)
    assert len(check.problems) == 1
    assert "passt nicht zum Stand im Journal" in check.problems[0]


def test_new_events_after_the_anchor_are_fine(desk: Desk) -> None:
    _events(desk, 3)
    assert check_trail(desk.store, desk.paths).ok
    _events(desk, 3)
    assert check_trail(desk.store, desk.paths).ok
