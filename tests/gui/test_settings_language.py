"""Settings are stored; the UI language switches live and mirrors for Arabic."""

from __future__ import annotations

from typing import ClassVar

from babel.support import NullTranslations
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox

from kim_desk import i18n, settings


class _Arabic(NullTranslations):
    WORDS: ClassVar[dict[str, str]] = {
        "Heute": "اليوم",
        "Klienten": "العملاء",
        "Fristen: überfällige und die nächsten 14 Tage": "المواعيد النهائية",
    }

    def gettext(self, message: str) -> str:
        return self.WORDS.get(message, message)


def test_settings_are_validated_and_stored(window, desk) -> None:  # type: ignore[no-untyped-def]
    page = window.settings_page
    window.show_page("settings")
    page.counsellor.setText("Frau Neumann")
    page.organisation.setText("Caritas Ahlen")
    page.municipality.setCurrentIndex(page.municipality.findData("ahlen"))
    page.district_url.setText("https://kim.example.org")
    page.idle_minutes.setValue(15)
    page.desk_phone.setText("02382 8934-12")
    page.desk_hours.setText("Mo–Do 9–12 Uhr")
    page.save()
    stored = settings.all_settings(desk.store)
    assert {key: stored[key] for key in page.fields} == {
        "counsellor": "Frau Neumann", "organisation": "Caritas Ahlen", "municipality": "ahlen", "ui_language": "de",
        "idle_lock_minutes": 15, "district_url": "https://kim.example.org", "place": "",
        "desk_phone": "02382 8934-12", "desk_hours": "Mo–Do 9–12 Uhr", "retention_years": 3,
    }  # fmt: skip
    assert page.message.text() == "Gespeichert."
    assert window.idle.interval_ms == 15 * window.options.minute_ms


def test_language_names_are_in_their_own_script(window) -> None:  # type: ignore[no-untyped-def]
    combo = window.settings_page.language
    names = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert names["ar"] == "العربية" and names["uk"] == "Українська" and names["de"] == "Deutsch"


def test_switching_to_arabic_mirrors_and_retranslates_live(window, desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(i18n, "translator", lambda lang: _Arabic() if lang == "ar" else NullTranslations())
    page = window.settings_page
    window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("ar"))
    page.save()
    assert settings.get(desk.store, "ui_language") == "ar"
    assert i18n.ui_language() == "ar"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.navigation.item(0).text() == "اليوم"
    assert window.navigation.item(1).text() == "العملاء"
    box = window.today_page.ui.findChild(QGroupBox, "deadlinesBox")
    assert box.title() == "المواعيد النهائية"
    # and back: the German source was kept, so German returns
    page.language.setCurrentIndex(page.language.findData("de"))
    page.save()
    assert window.navigation.item(0).text() == "Heute"
    assert box.title() == "Fristen: überfällige und die nächsten 14 Tage"
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_real_arabic_catalogue_and_qt_own_texts(window, desk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    page = window.settings_page
    window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("ar"))
    page.save()
    # the shipped (compiled) Arabic catalogue, not a test double
    assert window.navigation.item(0).text() == i18n.translator("ar").gettext("Heute") != "Heute"
    # Qt's own standard buttons come from Qt's Arabic translation
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    page.language.setCurrentIndex(page.language.findData("de"))
    page.save()
    assert window.navigation.item(0).text() == "Heute"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"


def test_live_switch_to_arabic_leaves_no_german_behind(window, desk) -> None:  # type: ignore[no-untyped-def]
    """Household relations, language glosses, date fields and the status bar follow the switch."""
    from PySide6.QtWidgets import QComboBox

    client_id = desk.store.one("SELECT client_id FROM household_member LIMIT 1")["client_id"]
    window.open_client(client_id)
    panel = window.clients_page.panel
    window.notify("Gespeichert.")
    window.show_page("calendar")
    page = window.settings_page
    window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("ar"))
    page.save()
    relation = panel.household.cellWidget(0, 3)
    assert isinstance(relation, QComboBox)
    german = {"Ehepartner/in", "Kind", "Elternteil", "Geschwister", "Andere"}
    assert not german & {relation.itemText(i) for i in range(relation.count())}
    glosses = [panel.languages.item(row).text() for row in range(panel.languages.count())]
    assert not any("(Deutsch)" in text or "(Arabisch)" in text for text in glosses)
    assert window.calendar_page.day.displayFormat() != "dd.MM.yyyy"
    assert window.statusBar().currentMessage() != "Gespeichert."  # no German message stays behind


def test_rows_are_chosen_in_arabic_too(window, desk) -> None:  # type: ignore[no-untyped-def]
    """QTableView.selectRow selected nothing right to left: no client opened from Today, no Ctrl+K there."""
    page = window.settings_page
    window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("ar"))
    page.save()
    window.show_page("today")
    assert window.today_page.appointments.rowCount() > 0
    assert window.today_page.record_contact() is not None
    window.today_page.contact_dialog.dialog.reject()
    client_id = window.today_page.selected_appointment().appointment.client_id
    window.open_client(client_id)
    clients = window.clients_page
    assert clients.panel.client is not None and clients.panel.client.id == client_id
    assert clients.model.client_id(clients.table.currentIndex().row()) == client_id
