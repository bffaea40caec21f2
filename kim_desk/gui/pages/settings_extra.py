"""The settings page's tabs for the district enrolment and for retention (what was command-line only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView, QWidget

from kim_desk import retention
from kim_desk.errors import KnownError
from kim_desk.gui import unsaved
from kim_desk.gui.context import Context
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import setup_table
from kim_desk.gui.uiload import child
from kim_desk.i18n import N_, _, ngettext
from kim_desk.store import Change, Store
from kim_desk.views import content_job, jobs, lists
from kim_desk.views.format import date_text


class DistrictSection(QObject):
    """Address + one-time code, "Verbindung testen" and "Anmelden" (kim_desk.sync through views.jobs)."""

    enrolled = Signal()

    def __init__(self, ctx: Context, ui: QWidget) -> None:
        super().__init__(ui)
        self.ctx = ctx
        self.url: QLineEdit = child(ui, QLineEdit, "districtUrl")
        self.code: QLineEdit = child(ui, QLineEdit, "enrolCode")
        self.message: QLabel = child(ui, QLabel, "enrolMessage")
        self.state: QLabel = child(ui, QLabel, "enrolState")
        self.content_state: QLabel = child(ui, QLabel, "contentState")
        self.test_button: QPushButton = child(ui, QPushButton, "testButton")
        self.enrol_button: QPushButton = child(ui, QPushButton, "enrolButton")
        self.test_button.clicked.connect(lambda _checked=False: self.test_connection())
        self.enrol_button.clicked.connect(lambda _checked=False: self.enrol())

    def refresh(self) -> None:
        self.ctx.runner.db(jobs.enrolment_text, self.state.setText, lambda _error: None)
        paths, catalog = self.ctx.paths, self.ctx.catalog
        self.ctx.runner.run(
            lambda _progress: content_job.content_text(paths, catalog, dt.datetime.now(dt.UTC)),
            self.content_state.setText,
            lambda _error: None,
        )

    def _say(self, text: str, role: str = "") -> None:
        self.message.setText(text)
        self.message.setProperty("role", role)

    def test_connection(self) -> None:
        url, connect = self.url.text().strip(), self.ctx.options.sync_connect
        if not url:
            self._say(_("Bitte die Adresse des Kreisdienstes eingeben."), "error")
            return
        self._say(_("Verbindung wird geprüft …"))
        self.ctx.runner.run(
            lambda _progress: jobs.check_connection(connect, url),
            lambda _result: self._say(_("Der Dienst des Kreises antwortet.")),
            self._failed,
        )

    def enrol(self) -> None:
        url, code, connect, today = self.url.text(), self.code.text(), self.ctx.options.sync_connect, self.ctx.today()
        if not url.strip():
            self._say(_("Bitte die Adresse des Kreisdienstes eingeben."), "error")
            return
        self._say(_("Anmeldung läuft …"))
        self.ctx.runner.db(lambda store: jobs.enrol(store, connect, url, code, today), self._enrolled, self._failed)

    def _enrolled(self, result: Any) -> None:
        self.code.clear()
        self._say(_("Angemeldet. Die Quartalszahlen werden ab jetzt automatisch gesendet."))
        self.refresh()
        self.enrolled.emit()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, KnownError):
            self._say(str(error), "error")
        else:
            self._say("")
            self.ctx.show_error(error)


class RetentionSection(QObject):
    """The clients whose retention period has run out; erase or anonymise after confirmation."""

    def __init__(self, ctx: Context, ui: QWidget) -> None:
        super().__init__(ui)
        self.ctx = ctx
        self.ui = ui
        self.message: QLabel = child(ui, QLabel, "retentionMessage")
        self.table: QTableView = child(ui, QTableView, "dueTable")
        self.model = RecordTableModel(
            [
                Column(N_("Person"), lambda d: d[1]),
                Column(N_("Letzte Tätigkeit"), lambda d: date_text(d[0].last_activity)),
                Column(N_("Frist abgelaufen am"), lambda d: date_text(d[0].due_since)),
                Column(N_("Anträge"), lambda d: str(d[0].cases)),
            ],
            self,
        )
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        child(ui, QPushButton, "anonymiseButton").clicked.connect(lambda _checked=False: self.apply("anonymise"))
        child(ui, QPushButton, "eraseDueButton").clicked.connect(lambda _checked=False: self.apply("erase"))

    def refresh(self) -> None:
        today = self.ctx.today()

        def read(store: Store) -> list[tuple[retention.Due, str]]:
            due = retention.due_clients(store, today)
            names = lists.client_names(store, {d.client_id for d in due})
            return [(d, names.get(d.client_id, "")) for d in due]

        self.ctx.runner.db(read, self._show, self._failed)

    def _show(self, due: list[tuple[retention.Due, str]]) -> None:
        self.model.set_rows(due)
        self.message.setText(
            ngettext("{n} Person mit abgelaufener Frist", "{n} Personen mit abgelaufener Frist", len(due)).format(
                n=len(due)
            )
        )

    def chosen(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [record[0].client_id for record in (self.model.record(row) for row in rows) if record is not None]

    def apply(self, mode: str, *, confirmed: bool = False) -> None:
        ids = self.chosen()
        if not ids:
            self.message.setText(_("Bitte zuerst Personen in der Liste wählen."))
            return
        question = (
            ngettext("{n} Person endgültig löschen?", "{n} Personen endgültig löschen?", len(ids))
            if mode == "erase"
            else ngettext("{n} Person anonymisieren?", "{n} Personen anonymisieren?", len(ids))
        ).format(n=len(ids))
        if not confirmed and not unsaved.confirm(self.ui, question, _("Das kann nicht rückgängig gemacht werden.")):
            return
        paths = self.ctx.paths
        self.ctx.runner.db(lambda store: retention.apply(store, paths, ids, mode), self._applied, self._failed)

    def _applied(self, changes: list[Change]) -> None:
        for change in changes:
            self.ctx.changed(change)
        self.ctx.notify(ngettext("{n} Person bearbeitet.", "{n} Personen bearbeitet.", len(changes)).format(
            n=len(changes)))  # fmt: skip
        self.refresh()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, KnownError):
            self.message.setText(str(error))
        else:
            self.ctx.show_error(error)
