"""Calendar: day/week views, double booking warning, move, cancel, .ics export."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QDialogButtonBox

from kim_desk.gui.models.week import slot_of
from kim_desk.store.appointments import get_appointment, list_appointments


def _planned_today(desk):  # type: ignore[no-untyped-def]
    found = [
        a for a in list_appointments(desk.store, dt.date(2026, 11, 23), dt.date(2026, 11, 24)) if a.status == "planned"
    ]
    assert found, "the demo desk has planned appointments today"
    return found[0]


def test_week_and_day_views_show_the_stored_appointments(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    page = window.calendar_page
    week = list_appointments(desk.store, dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    cells = sum(len(page.model.booked_at(page.model.index(r, c)))
                for r in range(page.model.rowCount()) for c in range(page.model.columnCount()))  # fmt: skip
    assert cells == len(week) and page.model.columnCount() == 7
    assert page.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal).startswith("Montag")
    page.set_view("day", dt.date(2026, 11, 23))
    assert page.model.columnCount() == 1


def test_double_booking_is_warned_once_then_saved(window, desk) -> None:  # type: ignore[no-untyped-def]
    other = _planned_today(desk)
    window.show_page("calendar")
    page = window.calendar_page
    client_id = desk.store.one("SELECT id FROM client WHERE id != ? ORDER BY id", (other.client_id,))[0]
    page.new_appointment(client_id, "Testperson")
    dialog = page.dialog
    dialog.date.setDate(QDate(2026, 11, 23))
    dialog.time.setTime(QTime(other.starts_at.hour, other.starts_at.minute))
    dialog.counsellor.setText(other.counsellor)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert "Doppelbuchung" in dialog.warning.text()
    assert save.text() == "Trotzdem speichern"
    assert list_appointments(desk.store, client_id=client_id) == []
    save.click()
    stored = list_appointments(desk.store, client_id=client_id)
    assert [a.starts_at for a in stored] == [other.starts_at]


def test_move_and_cancel_an_appointment(window, desk) -> None:  # type: ignore[no-untyped-def]
    target = _planned_today(desk)
    window.show_page("calendar")
    page = window.calendar_page
    index = page.model.index_of(target.id)
    assert index.isValid() and index.row() == slot_of(target.starts_at)
    page.grid.setCurrentIndex(index)
    page.edit_selected()
    dialog = page.dialog
    dialog.date.setDate(QDate(2026, 11, 25))
    dialog.time.setTime(QTime(8, 0))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    if "Doppelbuchung" in dialog.warning.text():
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert get_appointment(desk.store, target.id).starts_at == dt.datetime(2026, 11, 25, 8, 0)
    page.grid.setCurrentIndex(page.model.index_of(target.id))
    page.cancel_selected()
    assert get_appointment(desk.store, target.id).status == "cancelled"
    assert "abgesagt" in page.model.index_of(target.id).data()


def test_export_week_to_ics(window, desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    page = window.calendar_page
    out = tmp_path / "woche.ics"
    page.export_ics(out)
    text = out.read_text("utf-8")
    week = list_appointments(desk.store, dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    assert text.count("BEGIN:VEVENT") == len(week) > 0
    first = week[0]
    assert f"DTSTART;TZID=Europe/Berlin:{first.starts_at:%Y%m%dT%H%M%S}" in text
    assert "Exportiert nach" in page.message.text()
