"""Shaping, bidi order and glyph coverage of the text engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from kim_desk.documents import KINDS, fonts, render_bytes
from kim_desk.documents.breaking import wrap
from kim_desk.documents.text import LRI, PDI, Style, isolate, recording, shape_line, text_width
from kim_desk.i18n import LANGUAGES
from tests.unit.documents_support import planted_catalogue, sample_data

ARABIC = Style(12, fonts.ARABIC, rtl=True)


def _original_cmap(font_name: str) -> frozenset[int]:
    return next(face.cmap for face in fonts.all_faces() if face.name == font_name)


def _check_glyphs(runs: list) -> list[str]:
    """Every drawn character is in the font that draws it, and harfbuzz found a glyph for it."""
    problems = []
    for run in runs:
        cmap = _original_cmap(run.font)
        for char in run.text:
            if ord(char) not in cmap:
                problems.append(f"{char!r} U+{ord(char):04X} not in {run.font}")
        if 0 in run.glyphs:
            problems.append(f".notdef in {run.text!r} ({run.font})")
        problems.extend(f"no font for U+{ord(c):04X}" for c in run.missing)
    return problems


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_glyph_is_missing_in_any_language(tmp_path: Path, lang: str) -> None:
    catalogue = planted_catalogue(tmp_path, lang) if lang != "de" else None
    data = sample_data(given_names_orig="Олександр", family_name_orig="ገብረመድህን")
    with recording() as runs:
        for kind in KINDS:
            render_bytes(kind, data, lang, catalogue=catalogue)
    assert len(runs) > 50
    assert _check_glyphs(runs) == []


def test_the_glyph_check_catches_a_character_no_font_has() -> None:
    data = sample_data(given_names="李")
    with recording() as runs:
        render_bytes("checklist", data, "de")
    assert any("no font for U+674E" in problem for problem in _check_glyphs(runs))


def test_phone_number_and_date_keep_their_order_inside_arabic() -> None:
    text = "هاتف " + isolate("02581 53-1234", True) + " في " + isolate("12.03.2026", True)
    line = shape_line(text, ARABIC)
    visual = [run.text for run in line.runs]
    # Visual order, left to right: the date (read last) stands leftmost, digits left to right.
    joined = "".join(visual)
    assert joined.index("12.03.2026") < joined.index("02581 53-1234")
    assert joined.rstrip().endswith("هاتف")
    assert all(not run.rtl for run in line.runs if run.text.strip(" ").replace("-", "").isdigit())


def test_without_isolation_the_algorithm_would_split_the_phone_number() -> None:
    # The reason for isolate(): bare European digits after Arabic letters become Arabic numbers.
    line = shape_line("هاتف 02581 53-1234", ARABIC)
    assert "53-1234" not in "".join(run.text for run in line.runs)
    assert isolate("53-1234", True) == LRI + "53-1234" + PDI


def test_latin_name_inside_farsi_is_one_left_to_right_run() -> None:
    line = shape_line("درخواست Bürgergeld را پر کنم", Style(12, fonts.ARABIC, rtl=True))
    latin = [run for run in line.runs if "Bürgergeld" in run.text]
    assert len(latin) == 1 and not latin[0].rtl
    assert latin[0].face.family == fonts.LATIN


def test_arabic_is_shaped_into_joined_forms() -> None:
    line = shape_line("جواز", ARABIC)
    (run,) = line.runs
    font = pdfmetrics.getFont(run.face.name)
    nominal = [font.face.charToGlyph[ord(c)] for c in "جواز"]
    assert run.rtl
    assert list(run.glyphs) != nominal  # contextual forms, not isolated letters
    assert list(run.glyphs) != list(reversed(nominal))


def test_wrap_keeps_lines_within_the_width() -> None:
    style = Style(10)
    text = "Einkommensnachweise aller Haushaltsmitglieder der letzten zwölf Monate " * 3
    lines = wrap(text, style, 150)
    assert len(lines) > 3
    assert all(shape_line(line, style).width <= 150 for line in lines)
    assert " ".join(lines).replace("- ", "") == text.strip()  # long words hyphenated, nothing lost


def test_a_wrapped_left_to_right_line_keeps_its_order_in_right_to_left_text() -> None:
    # an untranslated contact line in the Arabic column wraps; its second line is only a phone number
    first = "Frau Müller, Caritas Ahlen – Migrationsberatung,"
    contact = f"{first} 02382 8934-12"
    lines = wrap(isolate(contact, True), ARABIC, text_width(LRI + first + PDI, ARABIC) + 1)
    assert len(lines) == 2
    last = shape_line(lines[-1], ARABIC)
    logical = lines[-1].replace(LRI, "").replace(PDI, "")
    assert "".join(run.text for run in last.runs).strip() == logical.strip()
    assert logical.strip() == "02382 8934-12"
