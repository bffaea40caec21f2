"""The calendar grid: one column per day, one row per half hour."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kim_desk.gui.accessibility import plain
from kim_desk.gui.colours import CALENDAR_CANCELLED, CALENDAR_PLANNED
from kim_desk.i18n import _, format_weekday, ui_language
from kim_desk.views.format import date_text, time_text
from kim_desk.views.lists import Booked

Index = QModelIndex | QPersistentModelIndex
FIRST_HOUR = 7
LAST_HOUR = 19
SLOT_MIN = 30
SLOTS = (LAST_HOUR - FIRST_HOUR) * 60 // SLOT_MIN
IdRole = Qt.ItemDataRole.UserRole + 1
SHOWN = 2  # entries written into one half-hour cell; the tooltip lists all


def slot_of(moment: dt.datetime) -> int:
    minutes = (moment.hour - FIRST_HOUR) * 60 + moment.minute
    return min(max(0, minutes // SLOT_MIN), SLOTS - 1)  # earlier/later ones go to the first/last row


def slot_time(slot: int) -> dt.time:
    minutes = FIRST_HOUR * 60 + slot * SLOT_MIN
    return dt.time(minutes // 60, minutes % 60)


class WeekModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._days: list[dt.date] = []
        self._cells: dict[tuple[int, int], list[Booked]] = {}

    def set_week(self, days: list[dt.date], booked: list[Booked]) -> None:
        self.beginResetModel()
        self._days = list(days)
        self._cells = {}
        for entry in booked:
            start = entry.appointment.starts_at
            if start.date() in self._days:
                key = (slot_of(start), self._days.index(start.date()))
                self._cells.setdefault(key, []).append(entry)
        self.endResetModel()

    def days(self) -> list[dt.date]:
        return list(self._days)

    def booked_at(self, index: Index) -> list[Booked]:
        return list(self._cells.get((index.row(), index.column()), [])) if index.isValid() else []

    def start_of(self, index: Index) -> dt.datetime | None:
        if not index.isValid() or index.column() >= len(self._days):
            return None
        return dt.datetime.combine(self._days[index.column()], slot_time(index.row()))

    def index_of(self, appointment_id: int) -> QModelIndex:
        for (row, column), entries in self._cells.items():
            if any(e.appointment.id == appointment_id for e in entries):
                return self.index(row, column)
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else SLOTS

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._days)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says: no bidi marks
            return plain(str(self.data(index) or ""))
        if not index.isValid() or not 0 <= index.row() < SLOTS or not 0 <= index.column() < len(self._days):
            return None
        entries = self._cells.get((index.row(), index.column()), [])
        if role == Qt.ItemDataRole.DisplayRole:
            shown = "\n".join(_describe(e) for e in entries[:SHOWN])
            more = len(entries) - SHOWN
            return shown if more <= 0 else shown + "\n" + _("+ {n} weitere").format(n=more)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(_describe(e) for e in entries)
        if role == IdRole:
            return [e.appointment.id for e in entries]
        if role == Qt.ItemDataRole.BackgroundRole and entries:
            planned = any(e.appointment.status == "planned" for e in entries)
            return QBrush(QColor((CALENDAR_PLANNED if planned else CALENDAR_CANCELLED)[1]))
        if role == Qt.ItemDataRole.ForegroundRole and entries:
            planned = any(e.appointment.status == "planned" for e in entries)
            return QBrush(QColor((CALENDAR_PLANNED if planned else CALENDAR_CANCELLED)[0]))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return plain(str(self.headerData(section, orientation) or ""))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._days):
            day = self._days[section]
            return f"{format_weekday(day, ui_language())}\n{date_text(day)}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < SLOTS:
            return time_text(dt.datetime.combine(dt.date(2000, 1, 1), slot_time(section)))
        return None


def _describe(entry: Booked) -> str:
    a = entry.appointment
    text = f"{time_text(a.starts_at)} {entry.client_name}"
    if a.topic:
        text += f" – {a.topic}"
    if a.status == "cancelled":
        text += " " + _("(abgesagt)")
    return text
