"""The calendar as a screen reader gets it: a table with one column per day and one row per half hour."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

Role = QAccessible.Role


def _headers(grid) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    table = QAccessible.queryAccessibleInterface(grid)
    assert table.role() == Role.Table
    kids = [table.child(i) for i in range(table.childCount())]
    columns = [kid.text(QAccessible.Text.Name) for kid in kids if kid.role() == Role.ColumnHeader]
    rows = [kid.text(QAccessible.Text.Name) for kid in kids if kid.role() == Role.RowHeader]
    return columns, rows


def test_the_week_is_a_table_of_days_by_hours(window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    columns, rows = _headers(window.calendar_page.grid)
    assert columns == [
        "Montag\n23.11.2026", "Dienstag\n24.11.2026", "Mittwoch\n25.11.2026", "Donnerstag\n26.11.2026",
        "Freitag\n27.11.2026", "Samstag\n28.11.2026", "Sonntag\n29.11.2026",
    ]  # fmt: skip
    assert rows[:3] == ["07:00", "07:30", "08:00"] and rows[-1] == "18:30"


def test_the_days_are_there_before_the_store_answers(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A screen reader that reads the page while the appointments are still loading finds the days."""
    monkeypatch.setattr(window.runner, "db", lambda *args, **kwargs: None)  # the answer never comes
    columns, rows = _headers(window.calendar_page.grid)
    assert len(columns) == 7 and columns[0].startswith("Montag")
    assert len(rows) == 24


def test_the_day_view_has_one_column(window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    window.calendar_page.set_view("day")
    columns, _rows = _headers(window.calendar_page.grid)
    assert columns == ["Montag\n23.11.2026"]
