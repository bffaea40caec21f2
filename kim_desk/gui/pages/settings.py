"""Settings: counsellor, organisation, municipality, UI language, idle lock, district service."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from kim_desk import settings
from kim_desk.errors import ValidationError
from kim_desk.gui import validation
from kim_desk.gui.pages.base import Page
from kim_desk.gui.uiload import child
from kim_desk.i18n import LANGUAGES, _
from kim_desk.store import Store
from kim_desk.taxonomy import MUNICIPALITIES


class SettingsPage(Page):
    UI_NAME = "settings"
    saved = Signal(dict)  # the settings as stored

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        ui = self.ui
        self.counsellor: QLineEdit = child(ui, QLineEdit, "counsellor")
        self.organisation: QLineEdit = child(ui, QLineEdit, "organisation")
        self.municipality: QComboBox = child(ui, QComboBox, "municipality")
        self.place: QLineEdit = child(ui, QLineEdit, "place")
        self.language: QComboBox = child(ui, QComboBox, "language")
        self.idle_minutes: QSpinBox = child(ui, QSpinBox, "idleMinutes")
        self.district_url: QLineEdit = child(ui, QLineEdit, "districtUrl")
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
            "place": self.place, "ui_language": self.language, "idle_lock_minutes": self.idle_minutes,
            "district_url": self.district_url,
        }  # fmt: skip
        self.save_button.clicked.connect(self.save)
        self.values: dict[str, Any] = {}

    def refresh(self) -> None:
        self.ctx.runner.db(settings.all_settings, self._show)

    def _show(self, values: dict[str, Any]) -> None:
        self.values = values
        self.counsellor.setText(values["counsellor"])
        self.organisation.setText(values["organisation"])
        self.municipality.setCurrentIndex(max(0, self.municipality.findData(values["municipality"])))
        self.place.setText(values["place"])
        self.language.setCurrentIndex(max(0, self.language.findData(values["ui_language"])))
        self.idle_minutes.setValue(int(values["idle_lock_minutes"]))
        self.district_url.setText(values["district_url"])

    def collected(self) -> dict[str, Any]:
        return {
            "counsellor": self.counsellor.text().strip(),
            "organisation": self.organisation.text().strip(),
            "municipality": self.municipality.currentData(),
            "place": self.place.text().strip(),
            "ui_language": self.language.currentData(),
            "idle_lock_minutes": self.idle_minutes.value(),
            "district_url": self.district_url.text().strip(),
        }

    def save(self) -> None:
        values = self.collected()

        def write(store: Store) -> dict[str, Any]:
            for key, value in values.items():
                settings.check_value(key, value)  # all or nothing
            with store.transaction():
                for key, value in values.items():
                    settings.put(store, key, value)
            return settings.all_settings(store)

        validation.clear(self.fields, self.message)
        self.ctx.runner.db(write, self._saved, self._failed)

    def _saved(self, values: dict[str, Any]) -> None:
        self.values = values
        self.saved.emit(values)
        self.message.setText(_("Gespeichert."))

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            validation.show(self.fields, self.message, error.field, str(error))
        else:
            self.ctx.show_error(error)
