"""Statistics: exactly what goes to the district, per closed quarter, before and after sending.

The figures as crosstabs per table (rows × columns with totals, and a bar chart of the row
totals), as a list and in words, the raw payload (read-only), the outbox and the
journal of everything sent, the enrolment. "Jetzt senden" takes the reports on the DB worker,
sends them on the pool and records the answers on the DB worker (kim_desk.views.jobs); the
network is never touched on the GUI thread or the DB worker.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kim_desk import i18n
from kim_desk.errors import KnownError
from kim_desk.gui.models.crosstab import CrosstabModel, code_title
from kim_desk.gui.models.crosstab import figure_text as cell_text
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import Page, setup_table
from kim_desk.gui.uiload import child
from kim_desk.gui.widgets.bar_chart import BarChart
from kim_desk.i18n import N_, _
from kim_desk.store import Store
from kim_desk.views import crosstab, jobs
from kim_desk.views.format import datetime_text

# How the outbox and the journal name their states.
STATES = {
    "queued": N_("wartet auf das Senden"),
    "sent": N_("gesendet"),
    "already": N_("war schon beim Kreis"),
    "refused": N_("vom Kreis abgelehnt"),
    "": N_("noch nicht gebildet (Vorschau)"),
}
# How the journal names its events.
EVENTS = {
    "queued": N_("gebildet und eingereiht"),
    "sent": N_("gesendet"),
    "already": N_("war schon beim Kreis"),
    "refused": N_("vom Kreis abgelehnt"),
    "error": N_("Kreisdienst nicht erreichbar"),
}


@dataclass(frozen=True)
class Figure:
    table: str  # German source title, translated when shown
    words: str
    value: int | None


@dataclass
class StatisticsData:
    enrolment: Any = None  # kim_desk.sync.service.Enrolment | None
    quarters: list[tuple[str, str]] = field(default_factory=list)  # (period, outbox state or "")
    period: str = ""
    payload: dict[str, Any] | None = None
    outbox: list[Any] = field(default_factory=list)
    journal: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # made in the job too: at district scale (6,000 figures, 0.7 MB of JSON) ~0.1 s of the GUI thread
    rows: list[Figure] = field(default_factory=list)
    description: str = ""
    payload_text: str = ""


def load_statistics(store: Store, today: dt.date, period: str | None, lang: str = "de") -> StatisticsData:
    """Everything the page shows, read in one DB job (preview() builds a report when none is frozen),
    with its texts in `lang`."""
    from kim_desk.stats.periods import last_closed_quarter, parse_quarter, quarters_between
    from kim_desk.stats.render import describe
    from kim_desk.sync import state
    from kim_desk.sync.service import enrolment, first_period_for, preview

    enrolled = enrolment(store)
    last = last_closed_quarter(today)
    first = parse_quarter(enrolled.first_period) if enrolled else first_period_for(store, today)
    entries = state.outbox(store)
    states = {entry.period: entry.state for entry in entries}
    periods = [str(q) for q in reversed(quarters_between(first, last))] or [str(last)]
    for frozen in states:  # frozen later than the last closed quarter (grace days) still shows
        if frozen not in periods:
            periods.append(frozen)
    periods.sort(reverse=True)
    chosen = period if period in periods else periods[0]
    payload = preview(store, parse_quarter(chosen), enrolled)
    return StatisticsData(
        enrolment=enrolled,
        quarters=[(p, states.get(p, "")) for p in periods],
        period=chosen,
        payload=payload,
        outbox=entries,
        journal=state.journal_rows(store, 200),
        rows=figures(payload) if payload else [],
        description=describe(payload, lang) if payload else "",
        payload_text=readable_json(payload) if payload else "",
    )


def figures(payload: dict[str, Any]) -> list[Figure]:
    """Every table's total and every cell that is not zero (older reports: a suppressed cell shows as such)."""
    from kim_desk.stats.payload import TABLES
    from kim_desk.stats.render import code_title

    rows: list[Figure] = []
    for name, spec in TABLES.items():
        if name not in payload["tables"]:
            continue  # frozen before the table existed (an older schema)
        table = payload["tables"][name]
        rows.append(Figure(spec.title, _("insgesamt"), table["total"]))
        for cell in table["cells"]:
            if cell["value"] == 0:
                continue
            words = " · ".join(code_title(d, c) for d, c in zip(spec.dims, cell["key"], strict=True))
            rows.append(Figure(spec.title, words, cell["value"]))
    return rows


def readable_json(value: Any, indent: int = 0) -> str:
    """The payload as JSON, objects spread out, each cell on one line: the same data as sent,
    readable, and a tenth of the text that indent=2 gives (thousands of cells)."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{json.dumps(k)}: {readable_json(v, indent + 1)}" for k, v in sorted(value.items())]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        items = [pad + json.dumps(item, ensure_ascii=False, sort_keys=True) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def figure_text(value: int | None) -> str:
    from kim_desk.stats.render import figure

    return figure(value, i18n.ui_language())


def state_text(code: str) -> str:
    return _(STATES.get(code, code))


def utc_text(value: str | None) -> str:
    """A UTC time from the sync tables, shown in local time."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return datetime_text(moment)


class StatisticsPage(Page):
    UI_NAME = "statistics"
    sync_started = Signal()
    sync_finished = Signal()

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        ui = self.ui
        child(ui, QLabel, "heading").setObjectName("heading")
        self.enrolment_label: QLabel = child(ui, QLabel, "enrolment")
        self.quarter: QComboBox = child(ui, QComboBox, "quarter")
        self.quarter_state: QLabel = child(ui, QLabel, "quarterState")
        self.send_button: QPushButton = child(ui, QPushButton, "sendButton")
        self.message: QLabel = child(ui, QLabel, "message")
        self.description: QPlainTextEdit = child(ui, QPlainTextEdit, "description")
        self.payload_text: QPlainTextEdit = child(ui, QPlainTextEdit, "payload")
        self.figures = RecordTableModel(
            [
                Column(N_("Tabelle"), lambda f: _(f.table)),
                Column(N_("Merkmale"), lambda f: f.words),
                Column(N_("Anzahl"), lambda f: figure_text(f.value)),
            ],
            self,
        )
        self.outbox = RecordTableModel(
            [
                Column(N_("Quartal"), lambda e: e.period),
                Column(N_("Stand"), lambda e: state_text(e.state)),
                Column(N_("Gebildet"), lambda e: utc_text(e.queued_at)),
                Column(N_("Gesendet"), lambda e: utc_text(e.sent_at)),
                Column(N_("Versuche"), lambda e: str(e.attempts)),
                Column(N_("Letzter Fehler"), lambda e: e.last_error),
            ],
            self,
        )
        self.journal = RecordTableModel(
            [
                Column(N_("Zeit"), lambda r: utc_text(r[0])),
                Column(N_("Bericht"), lambda r: r[1]),
                Column(N_("Ereignis"), lambda r: _(EVENTS.get(r[2], r[2]))),
                Column(N_("Prüfsumme"), lambda r: r[3][:12]),
                Column(N_("Einzelheiten"), lambda r: r[4]),
            ],
            self,
        )
        self.tables: dict[str, QTableView] = {}
        for name, model in (("figuresTable", self.figures), ("outboxTable", self.outbox),
                            ("journalTable", self.journal)):  # fmt: skip
            view: QTableView = child(ui, QTableView, name)
            view.setModel(model)
            setup_table(view)
            self.tables[name] = view
        # figures: the table and characteristic texts are long, the count is short
        figures_header = self.tables["figuresTable"].horizontalHeader()
        figures_header.setStretchLastSection(False)
        figures_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        figures_header.setSectionResizeMode(figures_header.count() - 1, QHeaderView.ResizeMode.ResizeToContents)
        self._setup_crosstab()
        self.data = StatisticsData()
        self.sending = False
        self.quarter.activated.connect(self._quarter_chosen)
        self.send_button.clicked.connect(self.send_now)

    def _setup_crosstab(self) -> None:
        from kim_desk.stats.payload import TABLES

        ui = self.ui
        self.table_choice: QComboBox = child(ui, QComboBox, "tableChoice")
        self.place_choice: QComboBox = child(ui, QComboBox, "placeChoice")
        for name, spec in TABLES.items():
            self.table_choice.addItem(_(spec.title), name)
        self.crosstab = CrosstabModel(self)
        self.crosstab_view: QTableView = child(ui, QTableView, "crosstabTable")
        self.crosstab_view.setModel(self.crosstab)
        setup_table(self.crosstab_view, stretch_last=False)
        self.crosstab_view.verticalHeader().setVisible(True)
        self.crosstab_view.horizontalHeader().setDefaultSectionSize(110)
        self.chart = BarChart()
        host: QWidget = child(ui, QWidget, "chartHost")
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart)
        self.table_choice.currentIndexChanged.connect(lambda _i: self._table_chosen())
        self.place_choice.currentIndexChanged.connect(lambda _i: self.show_crosstab())

    def _table_chosen(self) -> None:
        payload = self.data.payload
        name = self.table_choice.currentData()
        self.place_choice.blockSignals(True)
        self.place_choice.clear()
        codes = crosstab.filter_codes(payload, name) if payload and name else []
        for code in codes:
            self.place_choice.addItem(code_title("municipality", code), code)
        self.place_choice.blockSignals(False)
        self.place_choice.setEnabled(bool(codes))
        self.show_crosstab()

    def show_crosstab(self) -> None:
        payload, name = self.data.payload, self.table_choice.currentData()
        if not payload or not name:
            self.crosstab.set_table(crosstab.Crosstab("", "", ""))
            self.chart.set_bars([], "")
            return
        table = crosstab.crosstab(payload, name, self.place_choice.currentData() or crosstab.TOTAL)
        self.crosstab.set_table(table)
        bars = [(code_title(table.row_dim, row), value, cell_text(value)) for row, value in table.bars()]
        self.chart.set_bars(bars, _("Summen je Zeile: {table}").format(table=self.table_choice.currentText()))

    def retranslate(self) -> None:
        _retitle_tables(self.table_choice)  # before the page reloads (and redraws the crosstab)
        super().retranslate()

    # --- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(self.data.period or None)

    def load(self, period: str | None) -> None:
        today, lang = self.ctx.today(), i18n.ui_language()
        self.ctx.runner.db(lambda store: load_statistics(store, today, period, lang), self._show)

    def _quarter_chosen(self, index: int) -> None:
        period = self.quarter.itemData(index)
        if period and period != self.data.period:
            self.load(str(period))

    def _show(self, data: StatisticsData) -> None:
        self.data = data
        self.quarter.blockSignals(True)
        self.quarter.clear()
        for period, _state in data.quarters:
            self.quarter.addItem(period, period)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(data.period)))
        self.quarter.blockSignals(False)
        self.quarter_state.setText(state_text(dict(data.quarters).get(data.period, "")))
        self._show_enrolment(data.enrolment)
        self.figures.set_rows(data.rows)
        self._table_chosen()
        self.description.setPlainText(data.description)
        self.payload_text.setPlainText(data.payload_text)
        self.outbox.set_rows(data.outbox)
        self.journal.set_rows(data.journal)

    def _show_enrolment(self, enrolled: Any) -> None:
        if enrolled is None:
            self.enrolment_label.setText(
                _(
                    "Dieser Arbeitsplatz ist noch nicht beim Kreis angemeldet; gezeigt wird eine Vorschau. "
                    "Anmelden unter Einstellungen › Kreis (Statistik)."
                )
            )
        else:
            self.enrolment_label.setText(
                _(
                    "Angemeldet beim Kreis ({url}) als {desk_id}; Berichte ab {period}; "
                    "jeder Wert wird leicht zufällig verändert (höchstens ±{deviation})."
                ).format(
                    url=enrolled.url,
                    desk_id=enrolled.desk_id,
                    period=enrolled.first_period,
                    deviation=enrolled.perturbation().max_deviation,
                )
            )
        self.send_button.setEnabled(enrolled is not None and not self.sending)

    # --- sending -----------------------------------------------------------------------
    def send_now(self) -> None:
        if self.sending:
            return
        self.sending = True
        self.send_button.setEnabled(False)
        self.message.setText(_("Die Berichte werden gesendet …"))
        self.sync_started.emit()
        options = self.ctx.options
        jobs.send_in_background(
            self.ctx.runner, options.sync_connect, options.sync_attempts, self.ctx.today(),
            self._sent, self._send_failed, only_if_configured=False,
        )  # fmt: skip

    def _gone(self) -> bool:
        """Locked while sending: the page was dropped with everything it showed (the report waits
        in the outbox or is at the district; the next run records it)."""
        return self.ctx.runner.locked or not isValid(self.send_button)

    def _sent(self, summary: Any) -> None:
        self.sending = False
        if self._gone():
            return
        self.message.setText(jobs.summary_text(summary))
        self.sync_finished.emit()
        self.refresh()

    def _send_failed(self, error: Exception) -> None:
        self.sending = False
        if self._gone():
            return
        self.send_button.setEnabled(self.data.enrolment is not None)
        self.sync_finished.emit()
        if isinstance(error, KnownError):  # not reachable, not enrolled, certificate: words on the page
            self.message.setText(str(error))
        else:
            self.message.setText("")
            self.ctx.show_error(error)


def _retitle_tables(combo: QComboBox) -> None:
    from kim_desk.stats.payload import TABLES

    for index in range(combo.count()):
        combo.setItemText(index, _(TABLES[combo.itemData(index)].title))
