"""Statistics as crosstabs: rows × columns with totals, a bar chart of the row totals, per table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from kim_desk.stats.periods import Quarter
from kim_desk.stats.render import figure
from kim_desk.sync.service import preview


def cell(page, row: int, col: int) -> str:  # type: ignore[no-untyped-def]
    return page.crosstab.index(row, col).data(Qt.ItemDataRole.DisplayRole)


def header(page, orientation, section: int) -> str:  # type: ignore[no-untyped-def]
    return page.crosstab.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)


def test_contacts_by_channel_as_municipalities_by_channels(window, desk, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    window.show_page("statistics")
    page = window.statistics_page
    tabs = page.ui.findChild(QTabWidget, "views")
    assert [tabs.tabText(i) for i in range(3)] == ["Kreuztabellen", "Liste", "In Worten"]  # payload one tab on
    expected = preview(desk.store, Quarter(2026, 3), None)["tables"]["contacts_by_channel"]
    page.table_choice.setCurrentIndex(page.table_choice.findData("contacts_by_channel"))
    assert not page.place_choice.isEnabled()  # two dimensions: nothing to narrow
    rows, cols = page.crosstab.rowCount(), page.crosstab.columnCount()
    assert header(page, Qt.Orientation.Horizontal, cols - 1) == "insgesamt"
    assert header(page, Qt.Orientation.Vertical, rows - 1) == "insgesamt"
    assert cell(page, rows - 1, cols - 1) == figure(expected["total"])  # the grand total, bottom right
    channels = [header(page, Qt.Orientation.Horizontal, c) for c in range(cols - 1)]
    assert set(channels) <= {"Persönlich", "Telefon", "Video", "E-Mail", "Aufsuchend", "Andere"}
    # every shown cell is the payload's figure for its municipality and channel
    values = {tuple(c["key"]): c["value"] for c in expected["cells"]}
    table = page.crosstab.table
    for r, row in enumerate(table.rows):
        for c, col in enumerate(table.cols):
            if (row, col) in values:
                assert cell(page, r, c) == figure(values[(row, col)])
    # the chart: one bar per municipality, its row total
    assert [label for label, _value, _text in page.chart.bars] == [
        header(page, Qt.Orientation.Vertical, r) for r in range(rows - 1)
    ]
    assert [text for _label, _value, text in page.chart.bars] == [cell(page, r, cols - 1) for r in range(rows - 1)]
    qtmodeltester.check(page.crosstab)
    window.grab()  # paints the chart (and the table) once


def test_three_dimensional_table_narrowed_to_one_municipality(window, desk) -> None:  # type: ignore[no-untyped-def]
    window.show_page("statistics")
    page = window.statistics_page
    page.table_choice.setCurrentIndex(page.table_choice.findData("cases_by_type_state"))
    assert page.place_choice.isEnabled() and page.place_choice.itemText(0) == "insgesamt"
    expected = preview(desk.store, Quarter(2026, 3), None)["tables"]["cases_by_type_state"]
    place = page.place_choice.itemData(1)
    page.place_choice.setCurrentIndex(1)
    table = page.crosstab.table
    values = {tuple(c["key"][1:]): c["value"] for c in expected["cells"] if c["key"][0] == place}
    assert table.values == values
    assert header(page, Qt.Orientation.Vertical, 0) not in ("", None)


def test_referral_tables_are_in_the_chooser_titled_in_the_ui_language(window, desk) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from kim_desk import i18n
    from kim_desk.services import load_services
    from kim_desk.store.referrals import Referral, UnmetNeed, note_unmet_need, refer

    client_id = desk.store.conn.execute("SELECT id FROM client WHERE municipality = 'ahlen' LIMIT 1").fetchone()[0]
    for day in range(1, 9):
        refer(desk.store, Referral(client_id, "fit", dt.date(2026, 8, day), "no_place"), set(load_services()))
        note_unmet_need(desk.store, UnmetNeed(client_id, "housing", dt.date(2026, 8, day)))
    window.show_page("statistics")
    page = window.statistics_page
    names = [page.table_choice.itemData(i) for i in range(page.table_choice.count())]
    for name in ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result"):
        assert name in names
    index = page.table_choice.findData("referrals_by_service_outcome")
    assert page.table_choice.itemText(index) == "Vermittlungen nach Angebot und Ergebnis"
    page.table_choice.setCurrentIndex(index)
    assert page.place_choice.isEnabled()  # three dimensions: narrowed by municipality
    rows = [header(page, Qt.Orientation.Vertical, r) for r in range(page.crosstab.rowCount())]
    cols = [header(page, Qt.Orientation.Horizontal, c) for c in range(page.crosstab.columnCount())]
    assert "FIT – frühkindliche Integration" in rows and "Kein Platz frei" in cols
    expected = preview(desk.store, Quarter(2026, 3), None)["tables"]["referrals_by_service_outcome"]
    fit = next(c["value"] for c in expected["cells"] if c["key"] == ["*", "fit", "no_place"])
    assert cell(page, rows.index("FIT – frühkindliche Integration"), cols.index("Kein Platz frei")) == figure(fit)
    listed = {page.figures.index(r, 0).data(Qt.ItemDataRole.DisplayRole) for r in range(page.figures.rowCount())}
    assert "Vermittlungen nach Angebot und Ergebnis" in listed and "Bedarfe ohne passendes Angebot" in listed
    try:
        i18n.set_ui_language("en")
        page.retranslate()
        assert page.table_choice.itemText(index) == "Referrals by offer and outcome"
        need = page.table_choice.findData("unmet_needs_by_category")
        assert page.table_choice.itemText(need) == "Needs without a suitable offer"
    finally:
        i18n.set_ui_language("de")
        page.retranslate()
