"""Warming the handout machinery ahead of the first print (issue 19): what it loads, and that it loads it once."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.pdfbase import pdfmetrics

from kim_desk.catalog import load_catalog
from kim_desk.documents import breaking, fonts, render_bytes, warm


def test_a_face_is_registered_without_searching_type1_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    """reportlab's getFont on an unknown name parses ~90 .afm files first (0.1-0.2 s a face)."""

    def searched(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("Type 1 metrics searched")

    monkeypatch.setattr(pdfmetrics, "bruteForceSearchForAFM", searched)
    monkeypatch.setattr(pdfmetrics, "_fonts", {})  # as in a fresh process
    fonts._load.cache_clear()
    try:
        face = fonts.face(fonts.ARABIC, bold=True)
        assert face.name in pdfmetrics.getRegisteredFontNames()
        assert face.covers("م")
    finally:
        fonts._load.cache_clear()  # the next test registers again in the real registry


def _sample(catalog):  # type: ignore[no-untyped-def]
    from kim_desk.documents.model import CaseView, ChecklistLine, ClientView, DocumentData

    app_type = catalog.sorted()[0]
    case = CaseView(0, app_type, checklist=tuple(ChecklistLine(doc.label) for doc in app_type.documents))
    return DocumentData(ClientView("Muster", "Erika"), dt.date(2026, 1, 5), case=case)


def test_warm_up_loads_fonts_and_hyphenation_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "_done", [])
    fonts._load.cache_clear()
    breaking._dictionaries.clear()
    assert warm.warm_up(cancelled=lambda: True) == 0  # locked before it began: nothing done
    assert warm.warm_up() == len(warm.steps())
    assert fonts._load.cache_info().currsize == len(warm.WARMED_FONTS) == 4  # Latin and Arabic
    assert set(breaking._dictionaries) == {"de_DE"}

    def read_again(*_args: object) -> None:
        raise AssertionError("a dictionary was read again")

    monkeypatch.setattr(breaking.hyphenation, "read", read_again)
    pdf = render_bytes("checklist", _sample(load_catalog()), "ar")  # German beside Arabic: all there
    assert pdf.startswith(b"%PDF")
    assert warm.warm_up() == 0  # once per process


def test_german_text_and_german_words_in_arabic_text_share_one_dictionary() -> None:
    """pyphen's "de" is Austria's dictionary; reading it beside Germany's cost the first handout ~0.5 s."""
    from kim_desk.documents.text import Style

    german = breaking._dictionary(Style(10, lang="de"), "Aufenthaltserlaubnis")
    in_arabic = breaking._dictionary(Style(10, fonts.ARABIC, rtl=True, lang="ar"), "Aufenthaltserlaubnis")
    assert german is in_arabic is breaking.hyphenator("de_DE")


def test_parsed_patterns_come_back_from_the_cache_without_parsing(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import pyphen

    from kim_desk import hyphenation as hyphcache

    words = ["Aufenthaltserlaubnis", "Kindergeldantrag", "Einbürgerung", "Geburtsurkunde"]
    monkeypatch.setattr(pyphen, "hdcache", {})
    parsed = hyphcache.read("de_DE", tmp_path)  # parsed, and written for the next start
    files = list(tmp_path.glob("hyphenation-hyph_de_DE-*.jsonl"))
    assert len(files) == 1 and b"Erika" not in files[0].read_bytes()
    expected = {word: parsed.positions(word) for word in words}
    monkeypatch.setattr(pyphen, "hdcache", {})

    def parse(*_args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(pyphen.HyphDict, "__init__", parse)
    cached = hyphcache.read("de_DE", tmp_path)
    assert {word: cached.positions(word) for word in words} == expected
    assert all(expected.values())
    # a handout printed before the warm-up is done reads the desk's cache the window named
    monkeypatch.setattr(pyphen, "hdcache", {})
    monkeypatch.setattr(hyphcache, "_folder", [])
    monkeypatch.setattr(breaking, "_dictionaries", {})
    hyphcache.use_cache(tmp_path)
    assert breaking._pyphen("de_DE").positions("Aufenthaltserlaubnis") == expected["Aufenthaltserlaubnis"]
    files[0].write_text("{broken", "utf-8")  # a damaged cache is not used
    monkeypatch.setattr(pyphen, "hdcache", {})
    with pytest.raises(AssertionError, match="parsed again"):
        hyphcache.read("de_DE", tmp_path)
