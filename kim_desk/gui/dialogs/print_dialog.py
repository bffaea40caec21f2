"""The print dialog: choose document and language, see the real PDF's pages, print or save.

Data is read on the DB worker, the PDF is rendered in memory and its pages rasterised on the
pool; the dialog only shows images. Printing paints the pages at the printer's resolution.
Every print and every saved PDF is recorded in the audit trail (without content).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from kim_desk.errors import KnownError
from kim_desk.fileutil import write_atomic
from kim_desk.gui.accessibility import fit_to_screen
from kim_desk.gui.background import Job, Progress
from kim_desk.gui.context import Context
from kim_desk.gui.dialogs import pdf_pages
from kim_desk.gui.uiload import child, load_ui
from kim_desk.i18n import LANGUAGES, _, ngettext
from kim_desk.store import Store
from kim_desk.views import printing

log = logging.getLogger(__name__)

PREVIEW_DPI = 80
MAX_PRINT_DPI = 300  # sharper than any handout needs; keeps page images a few MB


@dataclass(frozen=True)
class Preview:
    pdf: bytes
    pages: list[bytes]  # PNG per page; empty when pages cannot be shown
    note: str = ""  # why there are no pages


def _preview(
    kind: str, loaded: printing.Loaded, lang: str, dpi: int, progress: Progress, into: list[bytes] | None = None
) -> Preview:
    """`into` receives each page as it is ready, so the dialog can show page 1 before the last."""
    pdf = printing.render_pdf(kind, loaded, lang)
    try:
        return Preview(pdf, pdf_pages.rasterise(pdf, dpi, progress, into))
    except pdf_pages.PreviewUnavailable as exc:
        return Preview(pdf, [], str(exc))


class PrintDialog(QObject):
    done = Signal(str)  # "printed" or "saved", after the audit trail has it

    def __init__(self, ctx: Context, parent: QWidget | None, targets: list[printing.Target], selected: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.targets = targets
        self.dialog: QDialog = load_ui("print_dialog", parent)  # type: ignore[assignment]
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.target: QComboBox = child(self.dialog, QComboBox, "target")
        self.kind: QComboBox = child(self.dialog, QComboBox, "kind")
        self.language: QComboBox = child(self.dialog, QComboBox, "language")
        self.message: QLabel = child(self.dialog, QLabel, "message")
        self.print_button: QPushButton = child(self.dialog, QPushButton, "printButton")
        self.save_button: QPushButton = child(self.dialog, QPushButton, "saveButton")
        self.pages_layout: QVBoxLayout = self.dialog.findChild(QWidget, "pagesHost").layout()  # type: ignore[union-attr, assignment]
        self.page_labels: list[QLabel] = []
        self.preview: Preview | None = None
        self._loaded: dict[int, printing.Loaded] = {}
        self._serial = 0
        self._job: Job | None = None
        self._printer: QPrinter | None = None
        self._fill(selected)
        self._connect_signals()
        self._set_ready(False)

    def _fill(self, selected: int) -> None:
        for target in self.targets:
            self.target.addItem(target.label)
        self.target.setCurrentIndex(max(0, min(selected, len(self.targets) - 1)))
        self._fill_kinds()
        for code, language in LANGUAGES.items():
            self.language.addItem(language.native_name, code)  # the client reads their own script
            self.language.setItemData(self.language.count() - 1, _(language.german_name), Qt.ItemDataRole.ToolTipRole)

    def _fill_kinds(self) -> None:
        self.kind.blockSignals(True)
        self.kind.clear()
        target = self.current_target()
        for kind in target.kinds if target else ():
            self.kind.addItem(_(printing.KIND_TITLES[kind]), kind)
        self.kind.blockSignals(False)

    def _connect_signals(self) -> None:
        self.target.currentIndexChanged.connect(self._target_changed)
        self.kind.currentIndexChanged.connect(lambda _i: self._render())
        self.language.currentIndexChanged.connect(lambda _i: self._render())
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self._save_clicked)
        child(self.dialog, QPushButton, "closeButton").clicked.connect(self.dialog.reject)
        self.dialog.finished.connect(lambda _r: self._cancel())

    # --- choices ---------------------------------------------------------------------
    def current_target(self) -> printing.Target | None:
        index = self.target.currentIndex()
        return self.targets[index] if 0 <= index < len(self.targets) else None

    def choose(self, kind: str | None = None, lang: str | None = None) -> None:
        """Pick a kind and/or language as the counsellor would in the lists."""
        if kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind))
        if lang is not None:
            self.language.setCurrentIndex(self.language.findData(lang))

    def _target_changed(self, _index: int) -> None:
        self._fill_kinds()
        self._load()

    def _load(self) -> None:
        index = self.target.currentIndex()
        target = self.current_target()
        if target is None:
            return
        if index in self._loaded:
            self._render()
            return
        catalog = self.ctx.catalog
        self._set_ready(False)
        self.ctx.runner.db(
            lambda store: printing.load_document(store, catalog, target),
            lambda loaded: self._got_data(index, loaded),
            self._failed,
        )

    def _got_data(self, index: int, loaded: printing.Loaded) -> None:
        self._loaded[index] = loaded
        if index != self.target.currentIndex():
            return
        position = self.language.findData(loaded.lang)
        if position >= 0:
            self.language.blockSignals(True)  # one render for the new target, not two
            self.language.setCurrentIndex(position)
            self.language.blockSignals(False)
        self._render()

    # --- preview ---------------------------------------------------------------------
    def _render(self) -> None:
        loaded = self._loaded.get(self.target.currentIndex())
        kind, lang = self.kind.currentData(), self.language.currentData()
        if loaded is None or kind is None or lang is None:
            return
        self._cancel()
        self._serial += 1
        serial = self._serial
        self._set_ready(False)
        self._clear_pages()
        self.message.setText(_("Vorschau wird erstellt …"))
        dpi = round(PREVIEW_DPI * self.dialog.devicePixelRatioF())
        ready: list[bytes] = []  # filled page by page on the pool
        self._job = self.ctx.runner.run(
            lambda progress: _preview(kind, loaded, lang, dpi, progress, ready),
            lambda preview: self._show(serial, preview),
            self._failed,
            lambda done, _total, _text: self._add_pages(serial, ready[:done]),
        )

    def _add_pages(self, serial: int, pages: list[bytes]) -> None:
        """Show the pages not shown yet: page 1 appears while the others are still being made."""
        if serial != self._serial:
            return
        ratio = self.dialog.devicePixelRatioF()
        for number, png in enumerate(pages[len(self.page_labels) :], start=len(self.page_labels) + 1):
            pixmap = QPixmap.fromImage(QImage.fromData(png))
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(_("Seite {n}").format(n=number))
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)

    def _show(self, serial: int, preview: Preview) -> None:
        if serial != self._serial:
            return  # the counsellor chose something else meanwhile
        self._job = None
        self.preview = preview
        self._add_pages(serial, preview.pages)
        count = pdf_pages.page_count(preview.pdf) if not preview.pages else len(preview.pages)
        text = ngettext("{n} Seite", "{n} Seiten", count).format(n=count)
        self.message.setText(f"{text}. {preview.note}" if preview.note else text)
        self._set_ready(True)

    def _clear_pages(self) -> None:
        for label in self.page_labels:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        self.preview = None

    def _cancel(self) -> None:
        if self._job is not None and self._job.progress is not None:
            self._job.progress.cancel()
        self._job = None

    def _set_ready(self, ready: bool) -> None:
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready and self.preview is not None and bool(self.preview.pages))

    def _failed(self, error: Exception) -> None:
        self._job = None
        if isinstance(error, KnownError):
            self.message.setText(str(error))
        else:
            self.message.setText(_("Das Dokument konnte nicht erstellt werden. Der Fehler steht im Protokoll."))
        self._set_ready(self.preview is not None)

    # --- save and print --------------------------------------------------------------
    def suggested_name(self) -> str:
        target = self.current_target()
        assert target is not None
        return printing.suggested_file_name(self.kind.currentData(), target, self.language.currentData())

    def _save_clicked(self) -> None:
        self.save_pdf()

    def save_pdf(self, path: Path | None = None) -> None:
        """Write the previewed PDF (asks where unless given), atomically; then audit it."""
        preview, target = self.preview, self.current_target()
        if preview is None or target is None:
            return
        if path is None:
            suggested = str(Path.home() / self.suggested_name())
            name, _filter = QFileDialog.getSaveFileName(
                self.dialog, _("Als PDF speichern"), suggested, _("PDF-Dokument (*.pdf)")
            )
            if not name:
                return
            path = Path(name)
        target_path = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

        def write(_progress: Progress) -> Path:
            write_atomic(target_path, preview.pdf)
            return target_path

        def written(saved: Path) -> None:
            self._audit(target, _("Gespeichert als {name}.").format(name=saved.name), "saved")

        self.ctx.runner.run(write, written, self._failed)

    def print_document(self) -> None:
        """Ask for printer and pages with the system's print dialog, then print."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.suggested_name())
        dialog = QPrintDialog(printer, self.dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Rasterise the pages at the printer's resolution (on the pool) and paint them."""
        preview, target = self.preview, self.current_target()
        if preview is None or target is None:
            return
        self._printer = printer  # alive until the pages are painted
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        self.message.setText(_("Druck wird vorbereitet …"))
        self.print_button.setEnabled(False)
        self.ctx.runner.run(
            lambda progress: pdf_pages.rasterise(preview.pdf, dpi, progress),
            lambda pages: self._paint(printer, target, pages),
            self._failed,
        )

    def _paint(self, printer: QPrinter, target: printing.Target, pages: list[bytes]) -> None:
        printer.setFullPage(True)  # the page images already carry the sheet's margins
        painter = QPainter()
        if not painter.begin(printer):
            self._printer = None
            self._set_ready(True)
            self.message.setText(_("Der Drucker ist nicht bereit."))
            return
        try:
            for number, png in enumerate(pages):
                if number:
                    printer.newPage()
                image = QImage.fromData(png)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.topLeft(), size), image)
        finally:
            painter.end()
        self._printer = None
        self._set_ready(True)
        self._audit(target, _("An den Drucker gesendet."), "printed")

    def _audit(self, target: printing.Target, text: str, what: str) -> None:
        def recorded(_result: object) -> None:
            self.message.setText(text)
            self.done.emit(what)

        def record(store: Store) -> None:
            printing.record_print(store, target)

        self.ctx.runner.db(record, recorded, self._failed)

    # --- showing ---------------------------------------------------------------------
    def open(self) -> None:
        fit_to_screen(self.dialog, 760, 820)  # the preview scrolls inside
        self.dialog.open()
        self._load()


def open_print_dialog(
    ctx: Context, parent: QWidget | None, targets: list[printing.Target], selected: int = 0
) -> PrintDialog | None:
    """Open the dialog; None (with a note in the status bar) when there is nothing to print."""
    if not targets:
        ctx.notify(_("Es gibt noch keinen Antrag und keinen Termin zum Drucken."))
        return None
    dialog = PrintDialog(ctx, parent, targets, selected)
    dialog.open()
    return dialog
