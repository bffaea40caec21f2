"""The client table: ids of the whole result, rows fetched lazily in blocks on the DB worker."""

from __future__ import annotations

import datetime as dt
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kim_desk import i18n
from kim_desk.gui.accessibility import plain
from kim_desk.gui.background import Runner
from kim_desk.i18n import N_, _
from kim_desk.taxonomy import MUNICIPALITIES
from kim_desk.views import lists

Index = QModelIndex | QPersistentModelIndex
BLOCK = 100
# Blocks kept loaded: the rows on screen and those scrolled past recently. The ones used longest ago
# are dropped, so scrolling through 100,000 clients holds 4,000 rows, not every row it passed.
KEEP_BLOCKS = 40
COLUMNS = (N_("Familienname"), N_("Vornamen"), N_("Geburtsdatum"), N_("Kommune"), N_("Sprachen"))
LOADING = "…"


class ClientTableModel(QAbstractTableModel):
    """Backed by a list of client ids (Anki's browser table); cells load in blocks of BLOCK."""

    def __init__(self, runner: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._ids: array[int] = array("q")
        self._cache: dict[int, lists.ClientRow] = {}
        self._requested: set[int] = set()  # block numbers asked for
        self._loaded_blocks: OrderedDict[int, None] = OrderedDict()  # least recently used first
        self._generation = 0
        self._in_data = False

    # --- content ---------------------------------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = array("q", ids)
        self._cache.clear()
        self._requested.clear()
        self._loaded_blocks.clear()
        self.endResetModel()

    def client_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, client_id: int) -> int:
        try:
            return self._ids.index(client_id)
        except ValueError:
            return -1

    def forget(self, client_id: int) -> None:
        """Reload one client's row after it changed."""
        row = self.row_of(client_id)
        if row < 0:
            return
        self._cache.pop(client_id, None)
        self._requested.discard(row // BLOCK)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def cached(self, client_id: int) -> lists.ClientRow | None:
        return self._cache.get(client_id)

    # --- lazy loading ----------------------------------------------------------------
    def _request(self, block: int) -> None:
        if block in self._requested:
            return
        self._requested.add(block)
        ids = self._ids[block * BLOCK : (block + 1) * BLOCK].tolist()
        generation = self._generation
        self._runner.db(
            lambda store: lists.client_rows(store, ids),
            lambda rows: self._loaded(generation, block, rows),
            lambda _exc: self._requested.discard(block),
        )

    def _loaded(self, generation: int, block: int, rows: dict[int, lists.ClientRow]) -> None:
        if generation != self._generation:
            return  # a newer search replaced the ids
        self._cache.update(rows)
        self._loaded_blocks[block] = None
        self._loaded_blocks.move_to_end(block)
        while len(self._loaded_blocks) > KEEP_BLOCKS:
            self._drop(next(iter(self._loaded_blocks)))
        if self._in_data:
            return  # delivered synchronously inside data(); the caller reads the cache
        first = block * BLOCK
        last = min(len(self._ids), first + BLOCK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _drop(self, block: int) -> None:
        del self._loaded_blocks[block]
        self._requested.discard(block)
        for client_id in self._ids[block * BLOCK : (block + 1) * BLOCK]:
            self._cache.pop(client_id, None)

    def _row(self, row: int) -> lists.ClientRow | None:
        found = self._cache.get(self._ids[row])
        if found is not None:
            if (block := row // BLOCK) in self._loaded_blocks:
                self._loaded_blocks.move_to_end(block)
        else:
            self._in_data = True
            try:
                self._request(row // BLOCK)
            finally:
                self._in_data = False
            found = self._cache.get(self._ids[row])
        return found

    # --- Qt model API ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says: no bidi marks
            return plain(str(self.data(index) or ""))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._ids) or not 0 <= index.column() < len(COLUMNS):
            return None
        record = self._row(index.row())
        if record is None:
            return LOADING
        return _cell(record, index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return plain(str(self.headerData(section, orientation) or ""))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._ids):
            return section + 1
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))


def _cell(record: lists.ClientRow, column: int) -> str:
    lang = i18n.ui_language()
    if column == 0:
        return record.family_name
    if column == 1:
        return record.given_names
    if column == 2:
        return i18n.format_date(dt.date.fromisoformat(record.birth_date), lang) if record.birth_date else ""
    if column == 3:
        code = MUNICIPALITIES.get(record.municipality)
        return _(code.title) if code else record.municipality
    return ", ".join(i18n.LANGUAGES[c].native_name if c in i18n.LANGUAGES else c for c in record.languages)
