"""The client table at district scale: 100,000 ids, rows loaded in blocks and dropped again when
scrolled far past, so the list holds a few thousand rows however far the counsellor scrolls."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from PySide6.QtWidgets import QTableView

from kim_desk.gui.background import Runner
from kim_desk.gui.models import clients as model_module
from kim_desk.gui.models.clients import BLOCK, KEEP_BLOCKS, ClientTableModel
from kim_desk.views import lists

CLIENTS = 100_000


def _row(client_id: int) -> lists.ClientRow:
    return lists.ClientRow(f"Name{client_id}", "Rana", "1990-01-02", "ahlen", ("ar",), "")


@pytest.fixture
def model(qtbot, monkeypatch: pytest.MonkeyPatch) -> ClientTableModel:  # type: ignore[no-untyped-def]
    """A table over 100,000 ids in a shuffled (name) order; each block of rows read counts once."""
    reads: list[int] = []

    def client_rows(_store: object, ids: Sequence[int]) -> dict[int, lists.ClientRow]:
        reads.append(len(ids))
        return {client_id: _row(client_id) for client_id in ids}

    monkeypatch.setattr(model_module.lists, "client_rows", client_rows)
    table = ClientTableModel(Runner(object(), synchronous=True))  # type: ignore[arg-type] # rows come from client_rows
    table.reads = reads  # type: ignore[attr-defined]
    ids = list(range(1, CLIENTS + 1))
    random.Random(3).shuffle(ids)
    table.set_ids(ids)
    return table


def test_the_last_of_100000_rows_shows_its_client(model: ClientTableModel) -> None:
    assert model.rowCount() == CLIENTS
    last = model.client_id(CLIENTS - 1)
    assert last is not None
    assert model.index(CLIENTS - 1, 0).data() == f"Name{last}"
    assert model.row_of(last) == CLIENTS - 1
    assert model.index(CLIENTS - 1, 1).data() == "Rana"


def test_scrolling_through_every_row_keeps_only_the_recent_blocks(model: ClientTableModel) -> None:
    for row in range(0, CLIENTS, BLOCK):  # every block on screen once, top to bottom
        assert model.index(row, 0).data() == f"Name{model.client_id(row)}"
    held = [row for row in range(CLIENTS) if model.cached(model.client_id(row) or 0) is not None]
    assert len(held) == KEEP_BLOCKS * BLOCK
    assert held[-1] == CLIENTS - 1 and held[0] == CLIENTS - KEEP_BLOCKS * BLOCK  # the most recent ones
    # back at the top: the first row was dropped, is read again and shows the right client
    reads = len(model.reads)  # type: ignore[attr-defined]
    assert model.index(0, 0).data() == f"Name{model.client_id(0)}"
    assert len(model.reads) == reads + 1  # type: ignore[attr-defined]


def test_rows_on_screen_are_not_dropped_while_others_load(model: ClientTableModel) -> None:
    on_screen = 50_000
    model.index(on_screen, 0).data()
    for block in range(KEEP_BLOCKS * 2):  # other rows load meanwhile (a search, a jump) ...
        model.index(block * BLOCK, 0).data()
        model.index(on_screen, 0).data()  # ... while the view keeps painting this one
    reads = len(model.reads)  # type: ignore[attr-defined]
    assert model.index(on_screen, 0).data() == f"Name{model.client_id(on_screen)}"
    assert len(model.reads) == reads  # type: ignore[attr-defined]


def test_a_view_scrolled_to_the_bottom_shows_the_last_clients(qtbot, model: ClientTableModel) -> None:  # type: ignore[no-untyped-def]
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.rowAt(view.viewport().height() - 2) == CLIENTS - 1)
    assert model.index(CLIENTS - 1, 0).data() == f"Name{model.client_id(CLIENTS - 1)}"


def test_a_new_search_replaces_the_rows(model: ClientTableModel) -> None:
    model.index(0, 0).data()
    model.set_ids([7, 3])
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["Name7", "Name3"]
    assert model.row_of(3) == 1 and model.row_of(99_999) == -1
