"""Client page data protection: export everything about a person, erase a person after typing the name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from kim_desk.errors import NotFound
from kim_desk.store.cases import list_cases
from kim_desk.store.clients import get_client
from kim_desk.views import lists


def _client_with_cases(desk) -> int:  # type: ignore[no-untyped-def]
    return next(case.client_id for case in list_cases(desk.store, open_only=True))


def _rows_of(desk, client_id: int) -> int:  # type: ignore[no-untyped-def]
    row = desk.store.one(
        'SELECT (SELECT count(*) FROM client WHERE id = :id) + (SELECT count(*) FROM "case" WHERE client_id = :id)'
        " + (SELECT count(*) FROM appointment WHERE client_id = :id)"
        " + (SELECT count(*) FROM household_member WHERE client_id = :id)",
        {"id": client_id},
    )
    return int(row[0])


def test_export_writes_json_and_pdf_into_the_chosen_folder(
    window, desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    client_id = _client_with_cases(desk)
    client = get_client(desk.store, client_id)
    window.open_client(client_id)
    panel = window.clients_page.panel
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_args: str(tmp_path / "auskunft")))
    panel.buttons["exportButton"].click()

    files = sorted(p.name for p in (tmp_path / "auskunft").iterdir())
    short = client.uid[:12]
    assert files == [f"auskunft-{short}.json", f"auskunft-{short}.pdf"]
    data = json.loads((tmp_path / "auskunft" / f"auskunft-{short}.json").read_text("utf-8"))
    assert data["client"]["uid"] == client.uid
    assert data["client"]["family_name"] == client.family_name
    assert sorted(c["id"] for c in data["cases"]) == sorted(c.id for c in list_cases(desk.store, client_id=client_id))
    assert all(client.family_name.casefold() not in name.casefold() for name in files)
    assert f"auskunft-{short}.json" in panel.message.text()
    exported = desk.store.one(
        "SELECT count(*) FROM audit_event WHERE action = 'export' AND entity = 'client' AND entity_id = ?",
        (client_id,),
    )
    assert exported[0] == 1


def test_erase_needs_the_typed_family_name(window, desk) -> None:  # type: ignore[no-untyped-def]
    client_id = _client_with_cases(desk)
    client = get_client(desk.store, client_id)
    window.open_client(client_id)
    panel = window.clients_page.panel
    rows = _rows_of(desk, client_id)

    panel.buttons["eraseButton"].click()
    dialog = panel.erase_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    assert not dialog.erase_button.isEnabled()
    dialog.typed.setText(client.family_name[:-1])  # one letter short
    assert not dialog.erase_button.isEnabled()
    dialog.erase_button.click()  # a disabled button does nothing
    dialog.buttons.rejected.emit()
    assert not dialog.dialog.isVisible()
    assert _rows_of(desk, client_id) == rows
    assert client_id in lists.client_ids(desk.store, client.family_name)
    assert panel.client is not None and panel.client.id == client_id


def test_erase_after_confirmation_removes_rows_and_search_hits(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _client_with_cases(desk)
    client = get_client(desk.store, client_id)
    window.open_client(client_id)
    panel = window.clients_page.panel
    assert client_id in lists.client_ids(desk.store, client.family_name)
    window.clients_page.run_search()
    assert window.clients_page.model.row_of(client_id) >= 0

    panel.buttons["eraseButton"].click()
    dialog = panel.erase_dialog
    dialog.typed.setText(f"  {client.family_name.upper()} ")
    assert dialog.erase_button.isEnabled()
    with qtbot.waitSignal(panel.erased) as erased:
        dialog.erase_button.click()

    assert erased.args == [client_id]
    assert _rows_of(desk, client_id) == 0
    with pytest.raises(NotFound):
        get_client(desk.store, client_id)
    assert client_id not in lists.client_ids(desk.store, client.family_name)
    assert client_id not in lists.client_ids(desk.store, "")
    assert panel.client is None and panel.heading.text() == ""
    assert panel.edits["family_name"].text() == ""
    assert window.clients_page.model.row_of(client_id) == -1  # the list searched again: the row is gone
    assert not panel.buttons["eraseButton"].isEnabled()
    erased_events = desk.store.one(
        "SELECT count(*) FROM audit_event WHERE action = 'erase' AND entity = 'client' AND entity_id = ?",
        (client_id,),
    )
    assert erased_events[0] == 1
