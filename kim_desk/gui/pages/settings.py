"""Settings: counsellor, organisation, municipality, desk phone and hours, UI language, idle lock, retention
period (tab Allgemein); enrolment with the district (Kreis); backups (Sicherungen); the retention due list.

Backups: the list, "Jetzt sichern" (on the DB worker, it copies through the connection),
"Prüfen" (on the pool, it opens the backup with its own connection) and "Wiederherstellen"
(after a confirmation the main window closes the store, restores with the checks of
kim_desk.backup.restore and opens the desk again). The key comes from the main window (`key_source`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QTableView, QWidget

from kim_desk import settings
from kim_desk.errors import KnownError, ValidationError
from kim_desk.gui import unsaved, validation
from kim_desk.gui.models.records import Column, RecordTableModel
from kim_desk.gui.pages.base import Page, setup_table
from kim_desk.gui.pages.settings_extra import DistrictSection, RetentionSection
from kim_desk.gui.uiload import child
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.store import Store
from kim_desk.taxonomy import MUNICIPALITIES
from kim_desk.views import jobs
from kim_desk.views.format import datetime_text


class SettingsPage(Page):
    UI_NAME = "settings"
    saved = Signal(dict)  # the settings as stored
    backup_made = Signal()
    restore_requested = Signal(object)  # the BackupInfo, confirmed

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        ui = self.ui
        self.counsellor: QLineEdit = child(ui, QLineEdit, "counsellor")
        self.organisation: QLineEdit = child(ui, QLineEdit, "organisation")
        self.municipality: QComboBox = child(ui, QComboBox, "municipality")
        self.place: QLineEdit = child(ui, QLineEdit, "place")
        self.desk_phone: QLineEdit = child(ui, QLineEdit, "deskPhone")
        self.desk_hours: QLineEdit = child(ui, QLineEdit, "deskHours")
        self.language: QComboBox = child(ui, QComboBox, "language")
        self.idle_minutes: QSpinBox = child(ui, QSpinBox, "idleMinutes")
        self.district_url: QLineEdit = child(ui, QLineEdit, "districtUrl")
        self.retention_years: QSpinBox = child(ui, QSpinBox, "retentionYears")
        self.message: QLabel = child(ui, QLabel, "message")
        self.save_button: QPushButton = child(ui, QPushButton, "saveButton")
        child(ui, QLabel, "heading").setObjectName("heading")
        for code, entry in MUNICIPALITIES.items():
            self.municipality.addItem(entry.title, code)
        for code, lang in LANGUAGES.items():
            # each language in its own script, so a reader finds theirs
            self.language.addItem(lang.native_name, code)
        self.fields: dict[str, QWidget] = {
            "counsellor": self.counsellor, "organisation": self.organisation, "municipality": self.municipality,
            "place": self.place, "desk_phone": self.desk_phone, "desk_hours": self.desk_hours,
            "ui_language": self.language, "idle_lock_minutes": self.idle_minutes,
            "district_url": self.district_url, "retention_years": self.retention_years,
        }  # fmt: skip
        self.district = DistrictSection(ctx, ui)
        self.retention = RetentionSection(ctx, ui)
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.values: dict[str, Any] = {}
        self._setup_backups()

    def _setup_backups(self) -> None:
        ui = self.ui
        self.key_source: Callable[[], bytes | None] = lambda: None  # set by the main window
        self.backup_message: QLabel = child(ui, QLabel, "backupMessage")
        self.backup_button: QPushButton = child(ui, QPushButton, "backupButton")
        self.verify_button: QPushButton = child(ui, QPushButton, "verifyButton")
        self.checked: dict[str, str] = {}  # folder name -> result of "Prüfen"
        self.backups = RecordTableModel(
            [
                Column(N_("Angelegt"), lambda b: datetime_text(b.created_at)),
                Column(N_("Klient/innen"), lambda b: str(b.clients)),
                Column(N_("Ordner"), lambda b: b.name),
                Column(N_("Zustand"), lambda b: b.problem or self.checked.get(b.name, "")),
            ],
            self,
        )
        self.backup_table: QTableView = child(ui, QTableView, "backupTable")
        self.backup_table.setModel(self.backups)
        setup_table(self.backup_table)
        self.backup_button.clicked.connect(self.backup_now)
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button: QPushButton = child(ui, QPushButton, "restoreButton")
        self.restore_button.clicked.connect(lambda _checked=False: self.ask_restore())

    def refresh(self) -> None:
        self.ctx.runner.db(settings.all_settings, self._show)
        self.list_backups()
        self.district.refresh()
        self.retention.refresh()

    def _show(self, values: dict[str, Any]) -> None:
        self.values = values
        self.counsellor.setText(values["counsellor"])
        self.organisation.setText(values["organisation"])
        self.municipality.setCurrentIndex(max(0, self.municipality.findData(values["municipality"])))
        self.place.setText(values["place"])
        self.desk_phone.setText(values["desk_phone"])
        self.desk_hours.setText(values["desk_hours"])
        self.language.setCurrentIndex(max(0, self.language.findData(values["ui_language"])))
        self.idle_minutes.setValue(int(values["idle_lock_minutes"]))
        self.district_url.setText(values["district_url"])
        self.retention_years.setValue(int(values["retention_years"]))

    def collected(self) -> dict[str, Any]:
        return {
            "counsellor": self.counsellor.text().strip(),
            "organisation": self.organisation.text().strip(),
            "municipality": self.municipality.currentData(),
            "place": self.place.text().strip(),
            "desk_phone": self.desk_phone.text().strip(),
            "desk_hours": self.desk_hours.text().strip(),
            "ui_language": self.language.currentData(),
            "idle_lock_minutes": self.idle_minutes.value(),
            "district_url": self.district_url.text().strip(),
            "retention_years": self.retention_years.value(),
        }

    # --- unsaved changes -------------------------------------------------------------
    def unsaved(self) -> str:
        collected = self.collected()
        if not self.values or all(self.values.get(key) == value for key, value in collected.items()):
            return ""
        return _("Die Einstellungen")

    def save_changes(self, then: Callable[[], None]) -> None:
        self.save(then)

    def discard_changes(self) -> None:
        self._show(self.values)

    def save(self, then: Callable[[], None] | None = None) -> None:
        values = self.collected()

        def write(store: Store) -> dict[str, Any]:
            for key, value in values.items():
                settings.check_value(key, value)  # all or nothing
            with store.transaction():
                for key, value in values.items():
                    settings.put(store, key, value)
            return settings.all_settings(store)

        validation.clear(self.fields, self.message)
        self.ctx.runner.db(write, lambda stored: self._saved(stored, then), self._failed)

    def _saved(self, values: dict[str, Any], then: Callable[[], None] | None = None) -> None:
        self.values = values
        self.saved.emit(values)
        self.message.setText(_("Gespeichert."))
        self.retention.refresh()  # the period may have changed
        if then is not None:
            then()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            validation.show(self.fields, self.message, error.field, str(error))
        else:
            self.ctx.show_error(error)

    # --- backups -----------------------------------------------------------------------
    def list_backups(self) -> None:
        paths = self.ctx.paths
        self.ctx.runner.run(lambda _progress: jobs.list_backups(paths), self.backups.set_rows, self._backup_failed)

    def backup_now(self) -> None:
        key = self.key_source()
        if key is None:
            return
        paths = self.ctx.paths
        self.backup_button.setEnabled(False)
        self.backup_message.setText(_("Sicherung läuft …"))
        self.ctx.runner.db(lambda store: jobs.backup_now(store, paths, key), self._backed_up, self._backup_failed)

    def _backed_up(self, info: Any) -> None:
        self.backup_button.setEnabled(True)
        self.checked[info.name] = _("geprüft, in Ordnung")  # create_backup verifies before it keeps one
        self.backup_message.setText(_("Sicherung angelegt: {name}").format(name=info.name))
        self.backup_made.emit()
        self.list_backups()

    def _backup_failed(self, error: Exception) -> None:
        self.backup_button.setEnabled(True)
        self.verify_button.setEnabled(True)
        if isinstance(error, KnownError):  # disk full, folder not writable: said on the page
            self.backup_message.setText(str(error))
        else:
            self.backup_message.setText("")
            self.ctx.show_error(error)

    def selected_backup(self) -> Any:
        rows = self.backup_table.selectionModel().selectedRows()
        return self.backups.record(rows[0].row()) if rows else self.backups.record(0)

    def ask_restore(self, *, confirmed: bool = False) -> None:
        info = self.selected_backup()
        if info is None:
            self.backup_message.setText(_("Es gibt noch keine Sicherung."))
            return
        question = _("Die Datenbank durch die Sicherung {name} ersetzen?").format(name=info.name)
        detail = _(
            "Alles, was seit {when} eingegeben wurde, geht verloren; spätere Löschungen werden erneut "
            "angewandt. Die Sicherung wird vorher geprüft."
        ).format(when=datetime_text(info.created_at))
        if confirmed or unsaved.confirm(self, question, detail):
            self.restore_requested.emit(info)

    def verify_selected(self) -> None:
        info, key = self.selected_backup(), self.key_source()
        if info is None or key is None:
            self.backup_message.setText(_("Es gibt noch keine Sicherung."))
            return
        self.verify_button.setEnabled(False)
        self.backup_message.setText(_("Sicherung {name} wird geprüft …").format(name=info.name))
        folder = info.path
        self.ctx.runner.run(
            lambda _progress: jobs.verify_backup(folder, key),
            lambda problems: self._verified(info.name, problems),
            self._backup_failed,
        )

    def _verified(self, name: str, problems: list[str]) -> None:
        self.verify_button.setEnabled(True)
        if problems:
            result = _("fehlerhaft: {problems}").format(problems="; ".join(problems))
        else:
            result = _("geprüft, in Ordnung")
        self.checked[name] = result
        self.backup_message.setText(_("Sicherung {name}: {result}").format(name=name, result=result))
        self.backups.retranslate()  # redraw the state column
