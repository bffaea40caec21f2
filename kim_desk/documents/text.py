"""Setting one line of mixed-script text: bidi levels, font per character, shaping, drawing.

A line is ordered with the complete Unicode bidi algorithm (UAX #9 with isolates and paired
brackets, python-bidi's Rust implementation), cut into runs of one font and one direction,
the runs are put into visual order, and each run is shaped with harfbuzz. Every inserted
value sits in an isolate (LRI/RLI … PDI), so a file number or a German term in brackets
keeps its order inside right-to-left text.
Runs of simple left-to-right scripts (Latin, Cyrillic, Ethiopic syllables) without combining
marks map one character to one glyph; they take reportlab's plain path, which keeps the PDF's
text layer exact and is cheaper. Complex runs are drawn glyph by glyph and carry their
text as /ActualText, so copying and text extraction give the real words.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import uharfbuzz as hb
from bidi.bidi import get_display_inner
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfgen.canvas import Canvas

from kim_desk.documents import fonts
from kim_desk.documents.fonts import Face

# Bidi formatting characters steer the algorithm but are never drawn.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
ISOLATE_OPENERS = (LRI, RLI, FSI)
NBSP = "\u00a0"  # binds a time to its marker, a day to its month
REPLACEMENT = "?"
_STRONG_RTL = frozenset(("R", "AL", "RLE", "RLO", "RLI"))
_FEATURES = {"kern": True, "liga": True}
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@dataclass(frozen=True)
class Style:
    size: float
    family: str = fonts.LATIN  # the family of the language the text is in
    bold: bool = False
    rtl: bool = False  # base direction of the paragraph
    lang: str = "de"  # for hyphenation

    def with_(self, **changes: object) -> Style:
        values = {"size": self.size, "family": self.family, "bold": self.bold, "rtl": self.rtl, "lang": self.lang}
        values.update(changes)
        return Style(**values)  # type: ignore[arg-type]


@dataclass
class Run:
    face: Face
    text: str  # logical order, controls removed
    rtl: bool
    width: float  # points
    drawn: str  # what goes to reportlab: the text itself or a ShapedStr
    glyphs: tuple[int, ...] = ()  # harfbuzz glyph ids of a shaped run


@dataclass
class Line:
    text: str
    runs: list[Run]  # visual order, left to right
    width: float
    rtl: bool
    missing: list[str] = field(default_factory=list)  # characters no shipped font has


@dataclass
class DrawnRun:
    """What was put on the page; the glyph test checks these against the fonts."""

    text: str
    font: str
    glyphs: tuple[int, ...]
    missing: tuple[str, ...]


_recorder: contextvars.ContextVar[list[DrawnRun] | None] = contextvars.ContextVar(
    "kim_documents_recorder", default=None
)


@contextlib.contextmanager
def recording() -> Iterator[list[DrawnRun]]:
    """Collect every run drawn in this context (tests, diagnostics)."""
    runs: list[DrawnRun] = []
    token = _recorder.set(runs)
    try:
        yield runs
    finally:
        _recorder.reset(token)


def isolate(value: str, rtl_context: bool = False) -> str:
    """Wrap an inserted value (number, date, phone number, name, German term) in an isolate.

    The value's first strong character decides its direction (RLI for Arabic script, else LRI,
    so a bare number or date reads left to right); nothing outside can reorder it and it
    reorders nothing outside (UAX #9, rules X5a-X5c). `rtl_context` is kept for callers.
    """
    if not value:
        return value
    return (RLI if _first_strong_rtl(value) else LRI) + value + PDI


def _first_strong_rtl(text: str) -> bool | None:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _STRONG_RTL for ch in text)


def _levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of every character (UAX #9 up to rule L1), base level by `rtl`."""
    base = 1 if rtl else 0
    if not rtl and not has_rtl(text):
        return [0] * len(text)
    # python-bidi exposes the Rust algorithm's levels only through its debug output (one per
    # UTF-8 byte); the version is pinned in pyproject.toml and the corpus test checks the result.
    info = get_display_inner(text, "R" if rtl else "L", True)
    try:
        part = info[info.rindex("\n    levels: [") : info.rindex("\n    paragraphs: [")]
    except ValueError:
        raise RuntimeError("python-bidi gave no levels; check its version") from None
    per_byte = [int(level) for level in _LEVEL.findall(part)]
    levels: list[int] = []
    offset = 0
    for char in text:
        levels.append(per_byte[offset] if offset < len(per_byte) else base)
        offset += len(char.encode("utf-8"))
    if offset != len(per_byte):
        raise RuntimeError("python-bidi's levels do not match the text; check its version")
    # L1: whitespace and isolate marks at the end of the line take the paragraph level
    index = len(text) - 1
    while index >= 0 and (text[index] in BIDI_CONTROLS or unicodedata.bidirectional(text[index]) == "WS"):
        levels[index] = base
        index -= 1
    return levels


def _letter_family(char: str) -> str | None:
    """The family a letter asks for; None for digits, spaces and punctuation."""
    family = fonts.script_family(char)
    if family is not None:
        return None if unicodedata.category(char)[0] in "NPSZ" else family
    return fonts.LATIN if unicodedata.category(char)[0] == "L" else None


def _token_families(text: str, paragraph: str) -> list[str]:
    """The family of each character by the rule "one font per script run, digits included".

    A letter takes its script's family. Digits and the punctuation of a token (a run without
    spaces) take the family of the token's letters; a token of digits and signs only (a date,
    a phone number, an amount) is set in the Latin family in every language, so digits look
    the same wherever a line starts. Spaces take the family of the text before them.
    """
    result = [paragraph] * len(text)
    previous = paragraph
    for match in re.finditer(r"[^ \u00a0]+|[ \u00a0]+", text):
        token = match.group()
        if token[0] in " \u00a0":
            for index in range(match.start(), match.end()):
                result[index] = previous
            continue
        letters = [_letter_family(ch) for ch in token]
        token_family = next((f for f in letters if f is not None), None)
        current = token_family or fonts.LATIN
        for offset, char in enumerate(token):
            own = letters[offset]
            if own is not None:
                current = own
            elif fonts.script_family(char) is not None:  # Arabic punctuation and digits
                current = fonts.script_family(char) or current
            result[match.start() + offset] = current
        previous = current
    return result


def _faces(text: str, style: Style) -> tuple[list[Face | None], list[str]]:
    """The face for each character: its run's family, else the first shipped face that has it."""
    result: list[Face | None] = []
    missing: list[str] = []
    families = _token_families(text, style.family)
    for char, family in zip(text, families, strict=True):
        if char in BIDI_CONTROLS:
            result.append(None)
            continue
        chosen: Face | None = fonts.face(family, style.bold)
        if chosen is None or not chosen.covers(char):
            chosen = next((f for f in _fallbacks(style.bold) if f.covers(char)), None)
        if chosen is None:
            missing.append(char)
            result.append(None)
            continue
        result.append(chosen)
    return result, missing


@lru_cache(maxsize=2)
def _fallbacks(bold: bool) -> tuple[Face, ...]:
    return tuple(fonts.face(family, bold) for family in (fonts.LATIN, fonts.ARABIC, fonts.ETHIOPIC))


def _is_simple(text: str, face: Face, rtl: bool) -> bool:
    if rtl or face.family == fonts.ARABIC:
        return False
    return not any(unicodedata.combining(ch) or ch in "\u200c\u200d" for ch in text)


@lru_cache(maxsize=4096)
def _shape(face: Face, text: str, rtl: bool) -> tuple[tuple[int, ...], ShapedStr, float]:
    """Glyph ids, reportlab's shaped string and the advance (in 1/1000 em) of one run."""
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    hb.shape(face.hb_font, buf, _FEATURES)
    ttf = pdfmetrics.getFont(face.name)
    scale = 1000 / face.upem
    chars: list[str] = []
    data: list[ShapeData] = []
    total = 0.0
    gids: list[int] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        gids.append(gid)
        advance = pos.x_advance * scale
        mapped = ttf.face.glyphToChar.get(gid)
        # Ligatures and contextual forms may have no character: reportlab maps them privately.
        name = face.hb_font.glyph_to_string(gid)
        uchar = mapped[0] if mapped else ttf.hbAddPrivate(name, gid, advance)
        chars.append(chr(uchar))
        width = ttf.face.charWidths.get(uchar, advance)
        data.append(
            ShapeData(info.cluster, advance, pos.y_advance * scale, pos.x_offset * scale, pos.y_offset * scale, width)
        )
        total += advance
    return tuple(gids), ShapedStr("".join(chars), shapeData=data), total


def _run(face: Face, text: str, rtl: bool, size: float) -> Run:
    if _is_simple(text, face, rtl):
        return Run(face, text, rtl, pdfmetrics.stringWidth(text, face.name, size), text)
    gids, shaped, advance = _shape(face, text, rtl)
    return Run(face, text, rtl, advance * size / 1000, shaped, gids)


@lru_cache(maxsize=8192)
def shape_line(text: str, style: Style) -> Line:
    """Order, split and shape one line of logical text (cached: handouts repeat their lines)."""
    levels = _levels(text, style.rtl)
    faces, missing = _faces(text, style)
    if missing:
        text = "".join(REPLACEMENT if ch in missing else ch for ch in text)
        faces, _unused = _faces(text, style)
    pieces: list[tuple[int, Face, str]] = []  # logical order
    for char, level, face in zip(text, levels, faces, strict=True):
        if face is None:
            continue
        if pieces and pieces[-1][0] == level and pieces[-1][1] is face:
            pieces[-1] = (level, face, pieces[-1][2] + char)
        else:
            pieces.append((level, face, char))
    order = _visual_order([level for level, _face, _text in pieces])
    runs = [_run(pieces[i][1], pieces[i][2], pieces[i][0] % 2 == 1, style.size) for i in order]
    clean = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    return Line(clean, runs, sum(run.width for run in runs), style.rtl, missing)


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2 of the bidi algorithm on runs: reverse from the highest level to the lowest odd."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(level for level in levels if level % 2) if any(lv % 2 for lv in levels) else highest + 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def text_width(text: str, style: Style) -> float:
    """The width of a piece of text (a word) in points; cached per word."""
    return _width(text, style.family, style.bold, style.rtl) * style.size / 1000


@lru_cache(maxsize=8192)
def _width(text: str, family: str, bold: bool, rtl: bool) -> float:
    line = shape_line(text, Style(1000, family, bold, rtl))
    return line.width


def clear_caches() -> None:
    """Forget shaped lines and widths (tests that swap the algorithm)."""
    shape_line.cache_clear()
    _width.cache_clear()


def draw_line(canvas: Canvas, line: Line, x: float, y: float, size: float) -> None:
    """Draw a shaped line with its left edge at x and its baseline at y."""
    recorder = _recorder.get()
    for run in line.runs:
        shaped = run.drawn is not run.text
        if shaped:
            # Text extractors (poppler, PDFium) read glyphs in visual order and reorder RTL
            # themselves, so the replacement text is given in visual order too.
            actual = run.text[::-1] if run.rtl else run.text
            canvas.addLiteral(f"/Span <</ActualText {_pdf_text(actual)}>> BDC")
        canvas.setFont(run.face.name, size)
        canvas.drawString(x, y, run.drawn)
        if shaped:
            canvas.addLiteral("EMC")
        x += run.width
        if recorder is not None:
            recorder.append(DrawnRun(run.text, run.face.name, run.glyphs, tuple(line.missing)))


def _pdf_text(text: str) -> str:
    """A PDF text string in UTF-16BE hex, as /ActualText wants it."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
