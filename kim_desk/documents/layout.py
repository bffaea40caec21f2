"""An A4 sheet in two languages: German on the left, the client's language on the right.

Rows keep both columns level, so the client, the counsellor and the authority can point at
the same line. Titles stand in the client's language above German. Right-to-left columns
are right-aligned. Every page carries the desk, the client, the date, "Seite 1 von 2" and,
while the catalogue is unreviewed, a small mark saying so in both languages. A heading is
never left alone at the foot of a page: it waits and is set together with what follows it.
Every text block is drawn as marked content and every decoration as an artifact (see tagging).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kim_desk.documents import fonts
from kim_desk.documents.breaking import wrap
from kim_desk.documents.tagging import Marker
from kim_desk.documents.text import Style, draw_line, shape_line
from kim_desk.documents.wording import Said, Wording
from kim_desk.i18n import N_

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
GUTTER = 8 * mm
BOTTOM = 22 * mm
BOX = 3.6 * mm  # checkbox size
GREY = colors.Color(0.38, 0.38, 0.38)
LIGHT = colors.Color(0.85, 0.85, 0.85)
ACCENT = colors.Color(0.11, 0.30, 0.52)

# Line height and room below the last line per family, as multiples of the font size:
# Naskh needs more room. The first baseline is the same in both columns, so rows stay level.
_LEADING = {fonts.LATIN: 1.32, fonts.ARABIC: 1.7, fonts.ETHIOPIC: 1.45}
_DESCENT = {fonts.LATIN: 0.32, fonts.ARABIC: 0.62, fonts.ETHIOPIC: 0.4}
_FIRST_BASELINE = 1.02

UNREVIEWED = N_("Übersetzung noch nicht geprüft")
UNTRANSLATED = N_("† noch nicht übersetzt, hier auf Deutsch")
PAGE = N_("Seite {page} von {pages}")
PRINTED = N_("Gedruckt am {date}")


@dataclass(frozen=True)
class Block:
    lines: list[str]
    style: Style
    leading: float

    @property
    def height(self) -> float:
        size = self.style.size
        return size * _FIRST_BASELINE + (len(self.lines) - 1) * self.leading + size * _DESCENT[self.style.family]


class Sheet:
    def __init__(self, wording: Wording, *, organisation: str, client_name: str, printed: str, pages: int = 0) -> None:
        self.wording = wording
        self.pages = pages  # the page count, known on the second pass (0: not yet known)
        self._pending: Said | None = None  # a heading waiting for what follows it
        self.buffer = io.BytesIO()
        body = fonts.face(fonts.LATIN)  # also the initial font, so no unembedded Helvetica is named
        self.canvas = Canvas(
            self.buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=body.name, initialFontSize=10
        )
        self.canvas.setTitle("KIM Desk")  # replaced by the handout's own title in tagging
        self.marker = Marker()
        self.canvas.setCreator("KIM Desk")
        self.organisation = organisation
        self.client_name = client_name
        self.printed = printed
        self.page = 1
        self.untranslated_on_page = False
        width = PAGE_W - 2 * MARGIN
        if wording.bilingual:
            self.column = (width - GUTTER) / 2
            self.client_x = MARGIN + self.column + GUTTER
        else:
            self.column = width
            self.client_x = MARGIN
        self.y = PAGE_H - MARGIN
        self._header()

    # -- styles --------------------------------------------------------------------------
    def style(self, size: float, *, bold: bool = False, client: bool = False) -> Style:
        if client and self.wording.bilingual:
            return Style(size, self.wording.family, bold, self.wording.rtl, self.wording.lang)
        return Style(size, fonts.LATIN, bold, False, "de")

    def block(self, text: str, style: Style, width: float) -> Block:
        return Block(wrap(text, style, width), style, style.size * _LEADING[style.family])

    def draw_block(
        self,
        block: Block,
        x: float,
        width: float,
        y: float,
        color: colors.Color = colors.black,
        *,
        tag: tuple[str, str] | None = None,
    ) -> None:
        """`tag` is (role, part) for content; without it the block is an artifact."""
        if tag is None:
            self.canvas.addLiteral("/Artifact BMC")
        else:
            role, part = tag
            self.canvas.addLiteral(self.marker.open(role, part, block.style.lang))
        self.canvas.setFillColor(color)
        baseline = y - block.style.size * _FIRST_BASELINE
        for text in block.lines:
            line = shape_line(text, block.style)
            left = x + width - line.width if block.style.rtl else x
            draw_line(self.canvas, line, left, baseline, block.style.size)
            baseline -= block.leading
        self.canvas.setFillColor(colors.black)
        self.canvas.addLiteral("EMC")

    # -- pages ---------------------------------------------------------------------------
    def ensure(self, height: float) -> None:
        """Room for `height` below; a waiting heading is set first and counts in (keep with next)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            needed = self._heading_height(pending)
            self._new_page_unless(needed + height)
            self._draw_heading(pending)
            return
        self._new_page_unless(height)

    def _new_page_unless(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._footer()
            self.canvas.showPage()
            self.marker.new_page()
            self.page += 1
            self.untranslated_on_page = False
            self.y = PAGE_H - MARGIN
            self._header()

    def _header(self) -> None:
        small = self.style(7.5)
        left = self.block(f"{self.organisation}  ·  {self.printed}".strip(" ·"), small, self.column)
        self.draw_block(left, MARGIN, self.column, self.y, GREY)
        height = left.height
        if self.wording.bilingual and not self.wording.reviewed:
            height = max(height, self._review_mark())
        self.y -= height + 1.5 * mm
        name = self.block(self.client_name, self.style(9, bold=True), PAGE_W - 2 * MARGIN)
        self.draw_block(name, MARGIN, PAGE_W - 2 * MARGIN, self.y)
        self.y -= name.height + 1 * mm
        self._rule(self.y)
        self.y -= 3 * mm

    def _rule(self, y: float) -> None:
        self.canvas.addLiteral("/Artifact BMC")
        self.canvas.setStrokeColor(LIGHT)
        self.canvas.line(MARGIN, y, PAGE_W - MARGIN, y)
        self.canvas.addLiteral("EMC")

    def _review_mark(self) -> float:
        """A small framed note, top right, in both languages."""
        said = self.wording.say(UNREVIEWED)
        german = self.block(said.german, self.style(7), self.column - 4 * mm)
        client = self.block(said.client, self.style(7, client=True), self.column - 4 * mm)
        width = max(_width(german), _width(client)) + 3 * mm
        height = german.height + client.height + 1.5 * mm
        x = PAGE_W - MARGIN - width
        self.canvas.addLiteral("/Artifact BMC")
        self.canvas.setStrokeColor(colors.Color(0.75, 0.35, 0.0))
        self.canvas.setLineWidth(0.6)
        self.canvas.rect(x, self.y - height, width, height, stroke=1, fill=0)
        self.canvas.addLiteral("EMC")
        inner = width - 3 * mm
        self.draw_block(client, x + 1.5 * mm, inner, self.y - 0.7 * mm, colors.Color(0.6, 0.25, 0.0))
        self.draw_block(german, x + 1.5 * mm, inner, self.y - 0.7 * mm - client.height, GREY)
        return float(height)

    def _footer(self) -> None:
        small = self.style(7.5)
        said = self.wording.say(PAGE, page=str(self.page), pages=str(max(self.pages, self.page)))
        self.draw_block(self.block(said.german, small, 40 * mm), MARGIN, 40 * mm, BOTTOM - 6 * mm, GREY)
        if self.wording.bilingual:
            client = self.block(said.client, self.style(7.5, client=said.translated), 40 * mm)
            self.draw_block(client, PAGE_W - MARGIN - 40 * mm, 40 * mm, BOTTOM - 6 * mm, GREY)
            if self.untranslated_on_page:
                legend = self.wording.say(UNTRANSLATED)
                note = self.block(legend.german, small, self.column)
                self.draw_block(note, MARGIN + 45 * mm, self.column, BOTTOM - 6 * mm, GREY)

    def finish(self) -> bytes:
        if self._pending is not None:
            self.ensure(0)
        self._footer()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    # -- content -------------------------------------------------------------------------
    def title(self, said: Said) -> None:
        """The client's language above German, full width."""
        width = PAGE_W - 2 * MARGIN
        blocks = []
        if self.wording.bilingual and said.translated:
            blocks.append(self._client_block(said, 16, width, bold=True))
        german_size = 13 if blocks else 16
        blocks.append(self.block(said.german, self.style(german_size, bold=True), width))
        self.ensure(sum(b.height for b in blocks))
        for index, block in enumerate(blocks):
            part = "de" if index == len(blocks) - 1 else "client"
            self.draw_block(block, MARGIN, width, self.y, ACCENT if index == 0 else GREY, tag=("H1", part))
            self.y -= block.height
        self.y -= 3 * mm

    def heading(self, said: Said) -> None:
        """A heading is set by the next ensure(), together with the first thing under it."""
        if self._pending is not None:
            self.ensure(0)
        self._pending = said

    def _heading_blocks(self, said: Said) -> list[Block]:
        blocks = [self.block(said.german, self.style(11, bold=True), self.column)]
        if self.wording.bilingual:
            blocks.append(self._client_block(said, 11, self.column, True))
        return blocks

    def _heading_height(self, said: Said) -> float:
        return float(2 * mm + max(b.height for b in self._heading_blocks(said)) + 1.6 * mm + 1.5 * mm)

    def _draw_heading(self, said: Said) -> None:
        self.space(2 * mm)
        self._draw_row(said, self._heading_blocks(said), color=ACCENT, box=None, lead=0.0, indent=0.0, role="H2")
        self.y -= 1.6 * mm
        self._rule(self.y + 0.8 * mm)
        self.y -= 1.5 * mm

    def row(
        self,
        said: Said,
        *,
        size: float = 10,
        bold: bool = False,
        color: colors.Color = colors.black,
        box: str | None = None,
        indent: float = 0.0,
        keep_with_next: float = 0.0,
        gap: float = 1.6 * mm,
        role: str = "",
    ) -> None:
        """German left, client's language right, top-aligned; `box` draws a checkbox first.

        `role` tags the row: P by default, LI (a list item) with a box, "LI+" for more of the item above."""
        role = role or ("LI" if box is not None else "P")
        lead = (BOX + 2 * mm if box is not None else 0.0) + indent
        german = self.block(said.german, self.style(size, bold=bold), self.column - lead)
        blocks = [german]
        if self.wording.bilingual:
            blocks.append(self._client_block(said, size, self.column - (lead if self.wording.rtl else 0), bold))
        height = max(b.height for b in blocks)
        self.ensure(height + keep_with_next)
        self._draw_row(said, blocks, color=color, box=box, lead=lead, indent=indent, role=role)
        self.y -= gap

    def _draw_row(
        self,
        said: Said,
        blocks: list[Block],
        *,
        color: colors.Color,
        box: str | None,
        lead: float,
        indent: float,
        role: str,
    ) -> None:
        german = blocks[0]
        height = max(b.height for b in blocks)
        if box is not None:
            self._checkbox(MARGIN + indent, self.y - BOX - 0.6 * mm, box)
        self.draw_block(german, MARGIN + lead, self.column - lead, self.y, color, tag=(role, "de"))
        if self.wording.bilingual:
            client = blocks[1]
            right_lead = lead if self.wording.rtl else 0.0
            x = self.client_x
            if box is not None and self.wording.rtl and said.translated:  # the box stands where an RTL reader starts
                self._checkbox(PAGE_W - MARGIN - BOX - indent, self.y - BOX - 0.6 * mm, box)
            shade = color if said.translated else GREY
            self.draw_block(client, x, self.column - right_lead, self.y, shade, tag=(role, "client"))
        self.y -= height

    def full(self, text: str, *, size: float = 10, color: colors.Color = colors.black) -> None:
        """Text printed once across the page (the counsellor's own note)."""
        width = PAGE_W - 2 * MARGIN
        block = self.block(text, self.style(size), width)
        self.ensure(block.height)
        self.draw_block(block, MARGIN, width, self.y, color, tag=("P", "de"))
        self.y -= block.height + 1.6 * mm

    def space(self, height: float) -> None:
        self.y -= height

    def _client_block(self, said: Said, size: float, width: float, bold: bool) -> Block:
        if said.translated:
            return self.block(said.client, self.style(size, bold=bold, client=True), width)
        self.untranslated_on_page = True
        return self.block("† " + said.german, self.style(size, bold=bold), width)

    def _checkbox(self, x: float, y: float, state: str) -> None:
        canvas = self.canvas
        canvas.addLiteral("/Artifact BMC")
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        canvas.rect(x, y, BOX, BOX, stroke=1, fill=0)
        if state == "present":  # a tick
            canvas.setLineWidth(1.3)
            path = canvas.beginPath()
            path.moveTo(x + 0.18 * BOX, y + 0.5 * BOX)
            path.lineTo(x + 0.42 * BOX, y + 0.2 * BOX)
            path.lineTo(x + 0.85 * BOX, y + 0.85 * BOX)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.setLineWidth(1)
        canvas.addLiteral("EMC")

    def qr(self, payload: str, x: float, y: float, size: float) -> None:
        """A QR code of `payload` in UTF-8, declared so by an ECI header (segno; reportlab's
        widget cannot declare it, and scanners then guess Shift-JIS). Drawn as filled squares:
        no font is involved."""
        matrix = _qr_matrix(payload)
        quiet = 4
        count = len(matrix) + 2 * quiet
        module = size / count
        canvas = self.canvas
        canvas.addLiteral("/Artifact BMC")
        canvas.setFillColor(colors.black)
        canvas.setStrokeColor(colors.black)
        for row_index, row in enumerate(matrix):
            top = y + size - (row_index + quiet) * module
            column = 0
            while column < len(row):  # one rectangle per run of dark modules in a row
                if not row[column]:
                    column += 1
                    continue
                end = column
                while end < len(row) and row[end]:
                    end += 1
                canvas.rect(x + (column + quiet) * module, top - module, (end - column) * module, module,
                            stroke=0, fill=1)  # fmt: skip
                column = end
        canvas.addLiteral("EMC")


@lru_cache(maxsize=8)
def _qr_matrix(payload: str) -> tuple[tuple[int, ...], ...]:
    """The modules of a QR code (level M) for `payload` in UTF-8 with an ECI header (segno)."""
    import segno

    code = segno.make(payload, error="m", encoding="utf-8", eci=True, micro=False, boost_error=False)
    return tuple(tuple(row) for row in code.matrix)


def _width(block: Block) -> float:
    return max((float(shape_line(text, block.style).width) for text in block.lines), default=0.0)
