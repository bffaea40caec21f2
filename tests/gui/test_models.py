"""Every table model passes pytest-qt's model tester, filled with real desk data."""

from __future__ import annotations

from kim_desk.gui.models.week import SLOTS


def test_client_table_model(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = window.clients_page
    window.show_page("clients")
    assert page.model.rowCount() == 60
    qtmodeltester.check(page.model)
    # rows are loaded lazily; after the tester they show names, not the loading mark
    assert page.model.index(0, 0).data() not in ("", "…")


def test_client_search_narrows_the_table(window, qtbot, desk) -> None:  # type: ignore[no-untyped-def]
    page = window.clients_page
    window.show_page("clients")
    family = page.model.index(5, 0).data()
    qtbot.keyClicks(page.search, family)
    qtbot.waitUntil(lambda: page.last_query == family)
    assert 1 <= page.model.rowCount() < 60
    assert page.model.index(0, 0).data() == family
    assert page.panel.client is not None and page.panel.client.family_name == family


def test_record_models(window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    window.show_page("today")
    for model in (window.today_page.appointments, window.today_page.deadlines, window.today_page.stalled):
        qtmodeltester.check(model)
    assert window.today_page.deadlines.rowCount() > 0
    window.show_page("applications")
    qtmodeltester.check(window.applications_page.model)
    panel = window.clients_page.panel
    window.open_client(window.clients_page.model.client_id(0))
    for model in (panel.cases, panel.appointments, panel.contacts):
        qtmodeltester.check(model)


def test_checklist_and_week_models(window, qtmodeltester, desk) -> None:  # type: ignore[no-untyped-def]
    case_id = desk.store.one("SELECT id FROM \"case\" WHERE status != 'closed' ORDER BY id")[0]
    window.open_case(case_id)
    checklist = window.applications_page.case_view.checklist
    assert checklist.rowCount() > 0
    qtmodeltester.check(checklist)
    window.show_page("calendar")
    week = window.calendar_page.model
    assert (week.rowCount(), week.columnCount()) == (SLOTS, 7)
    qtmodeltester.check(week)


def test_open_applications_filter_by_type_status_and_overdue(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("applications")
    page = window.applications_page
    total = page.model.rowCount()
    stored_open = desk.store.one("SELECT count(*) FROM \"case\" WHERE status != 'closed'")[0]
    assert total == stored_open
    page.type_filter.setCurrentIndex(page.type_filter.findData("kindergeld"))
    kindergeld = desk.store.one("SELECT count(*) FROM \"case\" WHERE status != 'closed' AND type_code = 'kindergeld'")[
        0
    ]
    assert page.model.rowCount() == kindergeld
    assert all(page.model.index(r, 1).data() == "Kindergeld" for r in range(page.model.rowCount()))
    page.type_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("waiting"))
    waiting = desk.store.one("SELECT count(*) FROM \"case\" WHERE status = 'waiting'")[0]
    assert page.model.rowCount() == waiting
    page.status_filter.setCurrentIndex(0)
    page.overdue_filter.setChecked(True)
    overdue = desk.store.one(
        "SELECT count(*) FROM \"case\" WHERE status != 'closed' AND deadline IS NOT NULL AND deadline < '2026-11-23'"
    )[0]
    assert page.model.rowCount() == overdue
    assert page.count.text().startswith(str(overdue))
    assert all(page.model.index(r, 4).data() == "ja" for r in range(page.model.rowCount()))


def test_open_applications_sort_by_header(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    window.show_page("applications")
    page = window.applications_page
    page.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
    missing = [int(page.model.index(r, 5).data()) for r in range(page.model.rowCount())]
    assert missing == sorted(missing, reverse=True) and missing[0] > missing[-1]
    page.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    names = [page.model.index(r, 0).data().casefold() for r in range(page.model.rowCount())]
    assert names == sorted(names)
