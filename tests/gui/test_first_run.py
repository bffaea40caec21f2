"""First start in the GUI only: municipality, demo data as a choice, the recovery sheet as a PDF for IT."""

from __future__ import annotations

import subprocess

from PySide6.QtWidgets import QWizard

from kim_desk import settings, vault
from kim_desk.gui import first_run
from kim_desk.gui.first_run import FirstRunWizard
from kim_desk.paths import DataPaths
from kim_desk.store.clients import count_clients


def test_wizard_sets_the_municipality_adds_demo_data_and_saves_the_sheet(qtbot, tmp_path, options, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(first_run, "DEMO_CLIENTS", 4)
    paths = DataPaths(tmp_path / "new")
    wizard = FirstRunWizard(paths, options)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.passphrase_page
    assert page.demo.isChecked() is False  # a real desk unless asked for
    page.first.setText("ein langer Satz")
    page.second.setText("ein langer Satz")
    page.municipality.setCurrentIndex(page.municipality.findData("ahlen"))
    page.demo.setChecked(True)
    wizard.next()
    desk = wizard.desk
    assert desk is not None
    try:
        assert settings.get(desk.store, "municipality") == "ahlen"
        assert count_clients(desk.store) == 4
        assert options.keyring.secrets  # the key is in the keyring: the next start does not ask
        code = wizard.recovery_page.code.text()
        sheet = wizard.recovery_page.save_pdf(tmp_path / "sheet.pdf")
        text = subprocess.run(["pdftotext", str(sheet), "-"], check=True, capture_output=True, text=True).stdout
        assert code in text and "Wiederherstellungscode" in text and str(paths.root) in text
        wizard.recovery_page.noted.setChecked(True)
        assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
        assert vault.unlock_with_recovery_code(paths, code) is not None
    finally:
        desk.close()


def test_a_new_person_gets_the_desk_municipality_not_the_last_one_viewed(window, desk) -> None:  # type: ignore[no-untyped-def]
    settings.put(desk.store, "municipality", "beckum")
    other = next(c for c in desk.store.rows("SELECT id, municipality FROM client") if c["municipality"] != "beckum")
    window.open_client(int(other["id"]))
    panel = window.clients_page.panel
    assert panel.municipality.currentData() == other["municipality"]
    window.clients_page.new_client()
    assert panel.municipality.currentData() == "beckum"
