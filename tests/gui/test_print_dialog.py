"""The print dialog: real PDF pages in the preview, saving and printing, audit trail, file names."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from kim_desk import i18n
from kim_desk.store.appointments import list_appointments
from kim_desk.store.cases import list_cases
from kim_desk.store.clients import get_client

BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(BIDI_MARKS.sub("", out.stdout.decode("utf-8")).split())


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _prints(desk, entity: str, entity_id: int) -> int:  # type: ignore[no-untyped-def]
    row = desk.store.one(
        "SELECT count(*) FROM audit_event WHERE action = 'print' AND entity = ? AND entity_id = ?", (entity, entity_id)
    )
    return int(row[0])


def _case_of_a_foreign_language_client(desk):  # type: ignore[no-untyped-def]
    """An open case with a catalogue checklist item, of a client who prefers neither German nor Ukrainian."""
    for case in list_cases(desk.store, open_only=True):
        client = get_client(desk.store, case.client_id)
        app_type = desk.catalog.get(case.type_code)
        labels = [
            spec.label
            for item in case.checklist
            if item.state in ("missing", "present") and (spec := app_type.document(item.code)) is not None
        ]
        if client.preferred_language not in ("de", "uk") and labels:
            return case, client, labels[0]
    raise AssertionError("the demo desk has such a case")


def _open_from_client_page(window, desk, case):  # type: ignore[no-untyped-def]
    window.open_client(case.client_id)
    panel = window.clients_page.panel
    assert panel.client.id == case.client_id
    row = next(r for r in range(panel.cases.rowCount()) if panel.cases.record(r).id == case.id)
    panel.cases_view.selectRow(row)
    panel.buttons["printButton"].click()
    dialog = panel.print_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    return dialog


def test_client_page_opens_the_dialog_with_the_chosen_case_in_the_clients_language(window, desk) -> None:  # type: ignore[no-untyped-def]
    case, client, _label = _case_of_a_foreign_language_client(desk)
    dialog = _open_from_client_page(window, desk, case)
    assert dialog.current_target().case_id == case.id
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert kinds == ["Checkliste", "Nächste Schritte", "Antragshilfe"]
    assert dialog.language.currentData() == client.preferred_language
    assert dialog.language.currentText() == i18n.LANGUAGES[client.preferred_language].native_name
    # the other entries of the chooser are the client's other cases and coming appointments
    labels = [dialog.target.itemText(i) for i in range(dialog.target.count())]
    assert sum(label.startswith("Antrag: ") for label in labels) == len(list_cases(desk.store, client_id=client.id))


@pytest.mark.parametrize("kind", ["checklist", "application-aid"])
def test_the_preview_shows_every_page_of_the_real_pdf(window, desk, kind: str) -> None:  # type: ignore[no-untyped-def]
    case, _client, _label = _case_of_a_foreign_language_client(desk)
    dialog = _open_from_client_page(window, desk, case)
    dialog.choose(kind=kind, lang="uk")
    pages = _pages(dialog.preview.pdf)
    assert pages >= (2 if kind == "application-aid" else 1)  # the aid explains every field: more than a page
    assert len(dialog.page_labels) == pages
    assert all(not label.pixmap().isNull() for label in dialog.page_labels)
    assert dialog.message.text() == ("1 Seite" if pages == 1 else f"{pages} Seiten")
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()


def test_save_as_pdf_writes_both_languages_audits_and_keeps_names_out_of_the_file_name(
    window, desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    case, client, label = _case_of_a_foreign_language_client(desk)
    dialog = _open_from_client_page(window, desk, case)
    dialog.choose(kind="checklist", lang="uk")
    out = tmp_path / "out"
    out.mkdir()
    asked: list[str] = []

    def accept_suggestion(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(out / Path(suggested).name), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(accept_suggestion))
    before = _prints(desk, "case", case.id)
    dialog.save_button.click()

    saved = out / Path(asked[0]).name
    assert saved.name == f"checklist-antrag-{case.id}-uk.pdf"
    for part in (client.family_name, *client.given_names.split()):
        assert part.casefold() not in saved.name.casefold()
    assert saved.read_bytes() == dialog.preview.pdf
    text = _pdf_text(saved.read_bytes())
    assert client.family_name in text
    translated = i18n.translator("uk").gettext(label)
    assert translated != label  # the catalogue has it, so the sheet must show it
    assert " ".join(label.split()) in text
    assert " ".join(translated.split()) in text
    assert _prints(desk, "case", case.id) == before + 1
    assert dialog.message.text() == f"Gespeichert als {saved.name}."
    assert list(out.iterdir()) == [saved]  # no temp file left behind


def test_printing_paints_every_page_and_is_audited(window, desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case, _client, _label = _case_of_a_foreign_language_client(desk)
    dialog = _open_from_client_page(window, desk, case)
    dialog.choose(kind="application-aid", lang="uk")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    before = _prints(desk, "case", case.id)
    dialog.print_to(printer)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert _pages(printed) == _pages(dialog.preview.pdf)
    assert _prints(desk, "case", case.id) == before + 1
    assert dialog.message.text() == "An den Drucker gesendet."


def test_case_view_and_ctrl_p_open_the_dialog_for_the_case(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    case, _client, _label = _case_of_a_foreign_language_client(desk)
    window.open_case(case.id)
    view = window.applications_page.case_view
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = view.print_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == [dialog.targets[0].label]
    assert dialog.targets[0].case_id == case.id
    assert len(dialog.page_labels) == _pages(dialog.preview.pdf)


def test_calendar_prints_the_appointment_slip(window, desk) -> None:  # type: ignore[no-untyped-def]
    planned = [
        a for a in list_appointments(desk.store, dt.date(2026, 11, 23), dt.date(2026, 11, 24)) if a.status == "planned"
    ]
    appointment = planned[0]
    window.show_page("calendar")
    page = window.calendar_page
    page.grid.setCurrentIndex(page.model.index_of(appointment.id))
    page.print_selected()
    dialog = page.print_dialog
    assert dialog is not None
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == ["Terminzettel"]
    assert dialog.targets[0].appointment_id == appointment.id
    assert len(dialog.page_labels) == _pages(dialog.preview.pdf) >= 1
    client = get_client(desk.store, appointment.client_id)
    assert client.family_name in _pdf_text(dialog.preview.pdf)
    assert dialog.suggested_name() == f"appointment-termin-{appointment.id}-{client.preferred_language}.pdf"


def test_calendar_without_a_chosen_appointment_says_so(window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("calendar")
    page = window.calendar_page
    page.grid.setCurrentIndex(QModelIndex())
    page.print_selected()
    assert page.print_dialog is None
    assert page.message.text() == "Bitte zuerst einen Termin im Kalender auswählen."


def test_the_preview_shows_page_one_while_the_other_pages_are_still_made(window, desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.gui.dialogs import pdf_pages

    case, _client, _label = _case_of_a_foreign_language_client(desk)
    dialog = _open_from_client_page(window, desk, case)
    shown_when_made: list[int] = []  # pages on screen when each page's rasterising began
    real_open = pdf_pages._open

    class Watched:
        def __init__(self, pdf: bytes) -> None:
            self.document = real_open(pdf)

        def __len__(self) -> int:
            return len(self.document)

        def __getitem__(self, index: int):  # type: ignore[no-untyped-def]
            shown_when_made.append(len(dialog.page_labels))
            return self.document[index]

        def close(self) -> None:
            self.document.close()

    monkeypatch.setattr(pdf_pages, "_open", Watched)
    dialog.choose(kind="application-aid", lang="uk")
    monkeypatch.undo()
    pages = _pages(dialog.preview.pdf)
    assert pages >= 2
    assert shown_when_made[-pages:] == list(range(pages))  # each page was on screen before the next was made
    assert len(dialog.page_labels) == pages
