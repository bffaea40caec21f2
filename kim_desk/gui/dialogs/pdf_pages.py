"""PDF pages as images, for the print preview and for printing, through pypdfium2.

Qt's own PDF module (QtPdf) is not in the PySide6 wheels the desk installs; pypdfium2 ships
PDFium for Windows, macOS and Linux in a small wheel. The PDF stays in memory, so no temporary
file (and no file name) ever exists. Runs on the pool; PDFium is not thread-safe, hence the lock.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

from kim_desk.errors import KnownError
from kim_desk.gui.background import Progress
from kim_desk.i18n import _

if TYPE_CHECKING:
    import pypdfium2

_pdfium = threading.Lock()


class PreviewUnavailable(KnownError):
    """The PDF could not be rasterised."""


def _open(pdf: bytes) -> pypdfium2.PdfDocument:
    import pypdfium2  # loaded on the first preview, not at every start

    try:
        return pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as exc:
        raise PreviewUnavailable(_("Die Seiten konnten nicht angezeigt werden ({reason}).").format(reason=exc)) from exc


def page_count(pdf: bytes) -> int:
    with _pdfium:
        document = _open(pdf)
        try:
            return len(document)
        finally:
            document.close()


def rasterise(pdf: bytes, dpi: int, progress: Progress | None = None, into: list[bytes] | None = None) -> list[bytes]:
    """One PNG per page at `dpi`; cancellable between pages. Each page is appended to `into` (and
    progress reported) as soon as it is made, for a preview that shows page 1 first."""
    pages: list[bytes] = [] if into is None else into
    with _pdfium:
        document = _open(pdf)
        try:
            total = len(document)
            for index in range(total):
                if progress is not None:
                    progress.check()
                page = document[index]
                try:
                    image = page.render(scale=dpi / 72).to_pil()
                finally:
                    page.close()
                buffer = io.BytesIO()
                image.save(buffer, format="PNG")
                pages.append(buffer.getvalue())
                if progress is not None:
                    progress.update(index + 1, total)
        finally:
            document.close()
    return pages
