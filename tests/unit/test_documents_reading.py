"""The reading corpus: right-to-left templates × inserted values, read back from the PDF's glyph positions.

Every template of the corpus is written as segments: right-to-left text ("r"), a left-to-right
island such as a German term or form name ("l") and the slot of the inserted value ("v"). The
expected visual order follows from the segments alone, without any bidi library: the segments
stand in reverse order, right-to-left text reads backwards, islands and values keep their order.
The test renders each line with the product's pipeline (wording → isolates → wrap → bidi →
shaping → PDF) and reads the words back from `pdftotext -bbox`, sorted by their x position.

It must fail when isolates or paired-bracket resolution (UAX #9 N0) are switched off: the two
variants below swap in the pipeline without isolates, and python-bidi's old pure-Python
algorithm (no N0; isolates only approximated by embeddings).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bidi import algorithm as old_bidi
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from kim_desk.documents import breaking, fonts, text, wording
from kim_desk.documents.breaking import wrap
from kim_desk.documents.text import Style, draw_line, shape_line
from kim_desk.documents.wording import DictCatalogue, Wording

Segments = tuple[tuple[str, str], ...]
V: tuple[str, str] = ("v", "")

# Per language: a file number after a German term in brackets (as the catalogues write it), a
# German form name with a bracketed annex inside the sentence, an amount, a contact in brackets.
TEMPLATES: dict[str, list[Segments]] = {
    "ar": [
        (("r", "رقم الملف لدى الدائرة الرسمية ("), ("l", "Aktenzeichen"), ("r", "): "), V),
        (("r", "أحضر "), ("l", "Mietbescheinigung (Anlage 3)"), ("r", " من المؤجر: "), V),
        (("r", "المبلغ الشهري: "), V, ("r", " تقريبًا")),
        (("r", "للاستفسار: "), V, ("r", " ("), ("l", "Caritas Ahlen"), ("r", ")")),
    ],
    "fa": [
        (("r", "شمارهٔ پرونده در اداره ("), ("l", "Aktenzeichen"), ("r", "): "), V),
        (("r", "فرم "), ("l", "Mietbescheinigung (Anlage 3)"), ("r", " را از صاحبخانه بگیرید: "), V),
        (("r", "مبلغ ماهانه: "), V, ("r", " تقریباً")),
        (("r", "برای پرسش: "), V, ("r", " ("), ("l", "Caritas Ahlen"), ("r", ")")),
    ],
    "ps": [
        (("r", "د ادارې د دوسیې شمېره ("), ("l", "Aktenzeichen"), ("r", "): "), V),
        (("r", "فورمه "), ("l", "Mietbescheinigung (Anlage 3)"), ("r", " له کور خاوند څخه واخلئ: "), V),
        (("r", "میاشتنۍ اندازه: "), V, ("r", " نږدې")),
        (("r", "د پوښتنو لپاره: "), V, ("r", " ("), ("l", "Caritas Ahlen"), ("r", ")")),
    ],
    "ckb": [
        (("r", "ژمارەی دۆسیەی فەرمانگە ("), ("l", "Aktenzeichen"), ("r", "): "), V),
        (("r", "فۆڕمی "), ("l", "Mietbescheinigung (Anlage 3)"), ("r", " لە خاوەن خانوو وەربگرە: "), V),
        (("r", "بڕی مانگانە: "), V, ("r", " نزیکەی")),
        (("r", "بۆ پرسیار: "), V, ("r", " ("), ("l", "Caritas Ahlen"), ("r", ")")),
    ],
}

# Inserted values, also as segments (a value that starts in Arabic script reads right to left).
VALUES: list[Segments] = [
    (("l", "FK-2026/0815 (A)"),),
    (("l", "WG 12/3-2026"),),
    (("l", "+49 2382 8934-12"),),
    (("l", "0176 1234567"),),
    (("l", "ahmad.karimi@example.de"),),
    (("l", "1.234,56 €"),),
    (("l", "12.03.2026"),),
    (("l", "12. März 2026"),),
    (("l", "Frau Müller-Lüdenscheidt"),),
    (("l", "Ahmad Karimi · "), ("r", "احمد کریمی")),
    (("r", "احمد کریمی ("), ("l", "Ahmad Karimi"), ("r", ")")),
]


def logical(segments: Segments, value: str = "{value}") -> str:
    return "".join(value if kind == "v" else piece for kind, piece in segments)


def visual(segments: Segments, value_visual: str = "") -> str:
    """The expected left-to-right order of the characters, from the segments alone."""
    parts = []
    for kind, piece in segments:
        parts.append(value_visual if kind == "v" else piece[::-1] if kind == "r" else piece)
    rtl_base = segments[0][0] == "r"
    return "".join(reversed(parts) if rtl_base else parts)


def _cases(lang: str) -> Iterator[tuple[str, str, str]]:
    """(template, value, expected visual string) for every template × value of `lang`."""
    for template in TEMPLATES[lang]:
        for value in VALUES:
            yield logical(template), logical(value), visual(template, visual(value))


def _render_corpus(lang: str, out: Path) -> list[tuple[str, str]]:
    """Draw every case on its own line, right-aligned as in a handout; return (logical, expected)."""
    canvas = Canvas(str(out), pagesize=A4, initialFontName=fonts.face(fonts.LATIN).name)
    style = Style(8, fonts.ARABIC, False, True, lang)
    width = A4[0] - 60
    y = A4[1] - 40
    drawn = []
    for index, (template, value, expected) in enumerate(_cases(lang)):
        words = Wording(lang, DictCatalogue({f"corpus {index}": template}))
        said = words.say(f"corpus {index}", value=value)
        assert said.translated
        lines = wrap(said.client, style, width)
        assert len(lines) == 1, lines
        line = shape_line(lines[0], style)
        draw_line(canvas, line, A4[0] - 30 - line.width, y, style.size)
        drawn.append((template.format(value=value), expected))
        y -= 17
        if y < 40:
            canvas.showPage()
            y = A4[1] - 40
    canvas.save()
    return drawn


def _visual_lines(pdf: Path) -> list[str]:
    """The words of each line of the PDF, ordered by their glyphs' x position, spaces removed."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = xml.split("<page ")[1:]
    result = []
    for page in pages:
        words = sorted(
            (float(y), float(x), _unescape(word))
            for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        )
        rows: list[list[tuple[float, str]]] = []
        top = -100.0
        for y, x, word in words:  # lines are 17 pt apart; words of one line differ by a few points
            if y - top > 8:
                rows.append([])
                top = y
            rows[-1].append((x, word))
        result.extend(re.sub(r"\s+", "", "".join(word for _x, word in sorted(row))) for row in rows)
    return result


def _unescape(word: str) -> str:
    return word.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _mismatches(lang: str, tmp_path: Path) -> list[str]:
    pdf = tmp_path / f"corpus-{lang}.pdf"
    drawn = _render_corpus(lang, pdf)
    read = _visual_lines(pdf)
    assert len(read) == len(drawn)
    problems = []
    for (source, expected), seen in zip(drawn, read, strict=True):
        want = re.sub(r"\s+", "", expected)
        if seen != want:
            problems.append(f"{source!r}\n   expected {want}\n   printed  {seen}")
    return problems


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    text.clear_caches()
    breaking.clear_caches()
    yield
    text.clear_caches()
    breaking.clear_caches()


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_every_inserted_value_reads_right_in_right_to_left_text(tmp_path: Path, lang: str) -> None:
    problems = _mismatches(lang, tmp_path)
    assert problems == [], "\n".join(problems)
    assert len(list(_cases(lang))) == len(TEMPLATES[lang]) * len(VALUES)


def _no_isolates(value: str, rtl_context: bool = False) -> str:
    return value


def _old_levels(line: str, rtl: bool) -> list[int]:
    """python-bidi's old pure-Python steps: no paired brackets (N0), embeddings for isolates."""
    embeddings = {"\u2066": "\u202a", "\u2068": "\u202a", "\u2067": "\u202b", "\u2069": "\u202c"}
    line = line.translate(str.maketrans(embeddings))
    storage = old_bidi.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    old_bidi.get_embedding_levels(line, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    old_bidi.explicit_embed_and_overrides(storage)
    old_bidi.resolve_weak_types(storage)
    old_bidi.resolve_neutral_types(storage, False)
    old_bidi.resolve_implicit_levels(storage, False)
    levels = [storage["base_level"]] * len(line)
    for char in storage["chars"]:
        levels[char["index"]] = char["level"]
    return levels


@pytest.mark.usefixtures("fresh_caches")
@pytest.mark.parametrize("variant", ["without isolates", "without paired brackets"])
@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_the_corpus_fails_when_isolates_or_bracket_pairs_are_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, variant: str
) -> None:
    if variant == "without isolates":
        monkeypatch.setattr(wording, "isolate", _no_isolates)
    else:
        monkeypatch.setattr(text, "_levels", _old_levels)
    problems = _mismatches(lang, tmp_path)
    assert problems, "the corpus did not notice the switched-off rule"
    if variant == "without paired brackets":  # the form name with its bracketed annex breaks apart
        assert any("Mietbescheinigung (Anlage 3)" in problem for problem in problems)
