"""The fonts that ship with KIM Desk: registration with reportlab and uharfbuzz, and coverage.

Three families cover every language of the desk: Noto Sans (Latin, Cyrillic), Noto Naskh
Arabic (Arabic, Persian, Pashto, Sorani) and Noto Sans Ethiopic (Tigrinya). reportlab embeds
TrueType fonts as subsets, so a handout carries only the glyphs it uses.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

LATIN = "latin"
ARABIC = "arabic"
ETHIOPIC = "ethiopic"

_FILES = {
    (LATIN, False): "NotoSans-Regular.ttf",
    (LATIN, True): "NotoSans-Bold.ttf",
    (ARABIC, False): "NotoNaskhArabic-Regular.ttf",
    (ARABIC, True): "NotoNaskhArabic-Bold.ttf",
    (ETHIOPIC, False): "NotoSansEthiopic-Regular.ttf",
    (ETHIOPIC, True): "NotoSansEthiopic-Bold.ttf",
}

FILES = tuple(_FILES)  # (family, bold) of every shipped face

# Which family a script of i18n.LANGUAGES is written in.
SCRIPT_FAMILY = {"Latn": LATIN, "Cyrl": LATIN, "Arab": ARABIC, "Ethi": ETHIOPIC}

_ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


@dataclass(frozen=True, eq=False)
class Face:
    """One font file, registered with reportlab, with its harfbuzz font and its character map."""

    name: str  # the reportlab font name
    family: str
    bold: bool
    path: Path
    cmap: frozenset[int]  # code points the font has a glyph for (before any private additions)
    hb_font: hb.Font
    upem: int

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap


_lock = threading.Lock()


@cache
def _load(family: str, bold: bool) -> Face:
    path = FONT_DIR / _FILES[(family, bold)]
    name = "Kim-" + path.stem
    with _lock:  # pdfmetrics' registry is process-wide; the GUI renders off its own thread
        # getFont on a name not yet registered first parses every Type 1 metrics file on reportlab's
        # search path (~90 files, 0.1-0.2 s per face); the registry is asked directly instead
        if name in pdfmetrics.getRegisteredFontNames():
            font = pdfmetrics.getFont(name)
        else:
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
        font.hbFont()  # sets up reportlab's private mapping for glyphs without a character
    cmap = frozenset(font.face.charToGlyph)
    blob = hb.Blob.from_file_path(str(path))
    hb_face = hb.Face(blob)
    return Face(name, family, bold, path, cmap, hb.Font(hb_face), hb_face.upem)


def face(family: str, bold: bool = False) -> Face:
    return _load(family, bold)


def all_faces() -> list[Face]:
    return [_load(family, bold) for family, bold in _FILES]


@cache
def script_family(char: str) -> str | None:
    """The family a character needs by its script; None for Latin, Cyrillic and common characters."""
    code = ord(char)
    for low, high in _ARABIC_RANGES:
        if low <= code <= high:
            return ARABIC
    for low, high in _ETHIOPIC_RANGES:
        if low <= code <= high:
            return ETHIOPIC
    return None


@cache
def is_common(char: str) -> bool:
    """Spaces, digits, punctuation and symbols: they take the font of the text around them."""
    category = unicodedata.category(char)
    return (category[0] in "NPSZ" or category == "Cf") and script_family(char) is None


def family_for_language_script(script: str) -> str:
    return SCRIPT_FAMILY.get(script, LATIN)
