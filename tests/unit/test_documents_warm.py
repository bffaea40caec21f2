"""Warming the handout machinery ahead of the first print (issue 19): what it loads, and that it loads it once."""

from __future__ import annotations

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


def test_warm_up_loads_fonts_and_hyphenation_once_with_a_sample_of_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm, "_done", [])
    catalog = load_catalog()
    data = warm.sample(catalog)
    assert (data.client.family_name, data.client.given_names) == ("Muster", "Erika")
    assert data.case is not None and data.case.checklist
    fonts._load.cache_clear()
    breaking._read_pyphen.cache_clear()
    assert warm.warm_up(catalog, cancelled=lambda: True) == 0  # locked before it began: nothing done
    ran = warm.warm_up(catalog)
    assert ran == len(warm.steps(catalog))
    assert fonts._load.cache_info().currsize == len(fonts.FILES)
    assert breaking._read_pyphen.cache_info().currsize == len(warm.FIRST_HYPHENATION + warm.LATER_HYPHENATION)
    loads = breaking._read_pyphen.cache_info().misses
    render_bytes("checklist", data, "uk")  # German beside Ukrainian: no dictionary read again
    assert breaking._read_pyphen.cache_info().misses == loads
    assert warm.warm_up(catalog) == 0  # once per process


def test_german_text_and_german_words_in_arabic_text_share_one_dictionary() -> None:
    """pyphen's "de" is Austria's dictionary; reading it beside Germany's cost the first handout ~0.5 s."""
    from kim_desk.documents.text import Style

    german = breaking._dictionary(Style(10, lang="de"), "Aufenthaltserlaubnis")
    in_arabic = breaking._dictionary(Style(10, fonts.ARABIC, rtl=True, lang="ar"), "Aufenthaltserlaubnis")
    assert german is in_arabic is breaking.hyphenator("de_DE")
