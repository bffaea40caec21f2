"""Issue 16: what a native reader found on the handouts, read back from the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from pathlib import Path

import icalendar
import pytest
from reportlab.lib.units import mm

from kim_desk.catalog import load_catalog
from kim_desk.documents import KINDS, fonts, render, render_bytes
from kim_desk.documents.breaking import wrap
from kim_desk.documents.layout import BOTTOM, Sheet
from kim_desk.documents.model import DeskInfo, DocumentData
from kim_desk.documents.text import Style, recording, shape_line, text_width
from kim_desk.documents.wording import DictCatalogue, Wording, date_value, time_value
from tests.unit.documents_support import pdf_text, planted_catalogue, sample_data

CREATED = dt.datetime(2026, 3, 5, 9, 15)


def _slip_data() -> DocumentData:
    data = sample_data(family_name="Özdemir", given_names="Ayşe Gülşen")
    desk = DeskInfo("Caritas Ahlen", "Frau Müller", "02382 8934-12", "Mo–Do 9–12 Uhr")
    assert data.appointment is not None
    slot = dataclasses.replace(data.appointment, uid="appointment-41@kim-desk")
    return dataclasses.replace(data, desk=desk, appointment=slot, created=CREATED)


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.split("\f") if page.strip()]


@pytest.mark.parametrize("lang", ["tr", "kmr", "ar", "ti"])
def test_a_phone_reads_the_slip_qr_code_as_a_complete_calendar_entry(tmp_path: Path, lang: str) -> None:
    pdf = render("appointment", _slip_data(), lang, tmp_path / "slip.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p*.png")
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, check=True).stdout
    text = scanned.decode("utf-8")  # strict: mojibake from a guessed Shift-JIS would not survive this
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar.name == "VCALENDAR"
    assert str(calendar["version"]) == "2.0" and "KIM Desk" in str(calendar["prodid"])
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Berlin"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "appointment-41@kim-desk"
    assert event.decoded("dtstamp") == dt.datetime(2026, 3, 5, 8, 15, tzinfo=dt.UTC)
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Berlin"
    assert start.replace(tzinfo=None) == dt.datetime(2026, 3, 12, 10, 30)
    assert str(event["location"]) == "Caritas Ahlen, Südstraße 41"
    assert "Beratungstermin" in str(event["summary"])
    assert "Özdemir" not in text and "Ayşe" not in text  # no client data in the calendar entry
    client_title, translated = Wording(lang).translate("Beratungstermin")
    if translated:  # the client's language, read back without mojibake
        assert str(event["summary"]) == f"{client_title} / Beratungstermin"


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["de", "ar", "ti", "uk"])
def test_every_font_of_every_kind_is_embedded(tmp_path: Path, kind: str, lang: str) -> None:
    pdf = render(kind, _slip_data(), lang, tmp_path / "k.pdf")
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row, row
        assert " yes yes " in row, row  # embedded, subset


def test_the_slip_says_how_to_cancel_with_the_desk_phone_and_hours(tmp_path: Path) -> None:
    text = pdf_text(render("appointment", _slip_data(), "de", tmp_path / "s.pdf"))
    assert "Wenn Sie nicht kommen können, sagen Sie bitte vorher ab." in text
    assert "Rufen Sie uns an: 02382 8934-12" in text
    assert "Sprechzeiten: Mo–Do 9–12 Uhr" in text


def _aid(code: str, lang: str, tmp_path: Path, catalogue: object = None, **client: object) -> str:
    data = sample_data(**client)
    assert data.case is not None
    case = dataclasses.replace(data.case, type=load_catalog().types[code])
    pdf = render("application-aid", dataclasses.replace(data, case=case), lang, tmp_path / f"{code}.pdf",
                 catalogue=catalogue)  # type: ignore[arg-type]  # fmt: skip
    return pdf_text(pdf)


def test_application_aids_print_the_postcode(tmp_path: Path) -> None:
    assert "Postleitzahl und Wohnort 59227 Ahlen" in _aid("kindergeld", "de", tmp_path)
    assert "Anschrift der Wohnung Oststraße 12, 59227 Ahlen" in _aid("wohngeld", "de", tmp_path)


def test_no_recorded_household_asks_to_fill_in_instead_of_saying_one(tmp_path: Path) -> None:
    text = _aid("wohngeld", "de", tmp_path)
    assert "Anzahl der Haushaltsmitglieder [ Bitte ausfüllen ]" in text
    assert "Anzahl der Haushaltsmitglieder 1" not in text
    assert "Anzahl der Haushaltsmitglieder 3" in _aid("wohngeld", "de", tmp_path, household_size=3)


def test_children_are_listed_by_name(tmp_path: Path) -> None:
    children = ("Lina Karimi (03.04.2019)", "Omid Karimi (11.09.2021)")
    text = _aid("kindergeld", "de", tmp_path, children=children)
    assert "Kinder, für die Kindergeld beantragt wird Lina Karimi (03.04.2019); Omid Karimi (11.09.2021)" in text
    assert "Kinder, für die Kindergeld beantragt wird [ Bitte ausfüllen ]" in _aid("kindergeld", "de", tmp_path)


def test_nationality_is_printed_by_name_in_both_languages(tmp_path: Path) -> None:
    text = _aid("buergergeld_erstantrag", "ar", tmp_path, nationality="SY")
    assert "Staatsangehörigkeit" in text and "Syrien" in text
    assert "سوريا" in text
    assert " SY " not in f" {text} "
    assert "Staatsangehörigkeit Syrien" in _aid("buergergeld_erstantrag", "de", tmp_path, nationality="SY")


def test_a_described_authority_address_is_translated(tmp_path: Path) -> None:
    catalogue = DictCatalogue({"Rathaus des Wohnorts": "بلدية مكان السكن"})
    text = _aid("wohngeld", "ar", tmp_path, catalogue)
    assert "Rathaus des Wohnorts" in text and "بلدية مكان السكن" in text


def test_pages_are_counted_page_x_of_y(tmp_path: Path) -> None:
    data = sample_data()
    assert data.case is not None
    case = dataclasses.replace(data.case, type=load_catalog().types["buergergeld_erstantrag"])
    pages = _pages(render("application-aid", dataclasses.replace(data, case=case), "uk", tmp_path / "a.pdf"))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in page


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page() -> None:
    words = Wording("de")
    sheet = Sheet(words, organisation="Caritas", client_name="Ahmad Karimi", printed="5. März 2026")
    sheet.row(words.verbatim("Zeile"))
    sheet.y = BOTTOM + 24 * mm  # room for the heading and a line or two, not for the paragraph under it
    sheet.heading(words.verbatim("Bedarfsgemeinschaft"))
    sheet.row(words.verbatim("Die erste Zeile unter der Überschrift, lang genug für vier Zeilen. " * 4))
    path_pages = sheet.finish()
    out = subprocess.run(["pdftotext", "-", "-"], input=path_pages, capture_output=True, check=True).stdout
    first, second = out.decode("utf-8").split("\f")[:2]
    assert "Bedarfsgemeinschaft" not in first
    assert "Bedarfsgemeinschaft" in second and "Die erste Zeile" in second


def _line_of(lines: list[str], piece: str) -> int:
    return next(i for i, line in enumerate(lines) if piece in line)


@pytest.mark.parametrize(("lang", "marker"), [("ckb", "د.ن"), ("ti", "ድ.ቀ."), ("en", "PM")])
def test_a_time_keeps_its_am_pm_marker_on_its_line(lang: str, marker: str) -> None:
    words = Wording(lang, DictCatalogue({"{weekday}, {date}, {time} Uhr": "{date} {time}"}))
    said = words.say("{weekday}, {date}, {time} Uhr", weekday="", date=date_value(dt.date(2026, 3, 12)),
                     time=time_value(dt.datetime(2026, 3, 12, 14, 5)))  # fmt: skip
    family = fonts.family_for_language_script(words.language.script)
    style = Style(10, family, False, words.rtl, lang)
    for width in range(80, 240, 6):
        lines = wrap(said.client, style, width)
        assert _line_of(lines, "2:05") == _line_of(lines, marker), lines


def test_a_day_stays_with_its_month() -> None:
    said = Wording("de").say("Abgabe bis {date} im Rathaus", date=date_value(dt.date(2027, 5, 12)))
    for width in range(70, 200, 4):
        lines = wrap(said.german, Style(10), width)
        assert _line_of(lines, "12.") == _line_of(lines, "Mai"), lines


def test_no_line_ends_with_a_one_letter_word() -> None:
    text = "Прийдіть у четвер о десятій до нашого офісу і принесіть паспорт з довідкою"
    for width in range(50, 200, 5):
        for line in wrap(text, Style(10, lang="uk"), width):
            assert len(line.split()[-1]) > 1 or len(line.split()) == 1, line


def test_long_names_are_hyphenated_not_cut() -> None:
    lines = wrap("Familie Großherzogenbusch", Style(10), 60)
    assert "-".join(lines).replace("--", "-") != "Familie Großherzogenbusch"
    assert lines[0].endswith("-") or lines[1].endswith("-")
    joined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines).strip()
    assert joined == "Familie Großherzogenbusch"
    for line in lines:  # every break sits at a German hyphenation point
        if line.endswith("-"):
            assert line.split()[-1][:-1].lower() in {"groß", "großher", "großherzo", "großherzogen"}


@pytest.mark.parametrize(
    ("lang", "template", "expected"),
    [
        ("uk", "{weekday}, {date}, о {time}", "Четвер, 12 березня 2026 р., о 14:05"),
        ("kmr", "{weekday}, {date}, saet {time}", "Pêncşem, 12ê adara 2026an, saet 14:05"),
    ],
)
def test_weekday_at_the_start_of_a_line_is_capitalised(tmp_path: Path, lang: str, template: str, expected: str) -> None:
    catalogue = DictCatalogue({"{weekday}, {date}, {time} Uhr": template})
    data = _slip_data()
    assert data.appointment is not None
    slot = dataclasses.replace(data.appointment, starts_at=dt.datetime(2026, 3, 12, 14, 5))
    pdf = render("appointment", dataclasses.replace(data, appointment=slot), lang, tmp_path / "u.pdf",
                 catalogue=catalogue)  # fmt: skip
    assert expected in pdf_text(pdf)


def test_one_digit_rule_per_language(tmp_path: Path) -> None:
    catalogue = DictCatalogue({"Stand am {date}: {status}": "د {date} پورې حالت: {status} (۶ میاشتې)"})
    pdf = render("next-steps", sample_data(), "ps", tmp_path / "n.pdf", catalogue=catalogue)
    text = pdf_text(pdf)
    assert "(6 میاشتې)" in text or "6" in text
    assert not any("\u06f0" <= ch <= "\u06f9" or "\u0660" <= ch <= "\u0669" for ch in text)


def test_digits_are_set_in_one_font_wherever_the_line_starts(tmp_path: Path) -> None:
    catalogue = planted_catalogue(tmp_path, "fa")
    with recording() as runs:
        render_bytes("next-steps", sample_data(), "fa", catalogue=catalogue)
    latin = {fonts.face(fonts.LATIN).name, fonts.face(fonts.LATIN, True).name}
    digit_runs = [run for run in runs if any("0" <= ch <= "9" for ch in run.text)]
    assert digit_runs
    assert {run.font for run in digit_runs} <= latin


def test_a_hyphenated_german_word_in_right_to_left_text_keeps_its_hyphen_at_its_end() -> None:
    style = Style(10, fonts.ARABIC, False, True, "ckb")
    lines = wrap("کەشفی حیسابی بانک بۆ سێ مانگی ڕابردوو Kontoauszüge", style, 190)
    assert len(lines) == 2
    runs = [run.text for run in shape_line(lines[0], style).runs]
    latin = next(text for text in runs if "Konto" in text)
    assert latin.endswith("-")  # read left to right: "Konto-", not "-Konto"


@pytest.mark.parametrize(
    ("lang", "text", "term"),
    [
        ("ar", "إرسال الطلب مع نسخ من الوثائق إلى صندوق الأسرة (Familienkasse) أو تقديمه عبر الإنترنت.",
         "(Familienkasse)"),
        ("ckb", "کەشفی حیسابی بانک بۆ سێ مانگی ڕابردوو (Kontoauszüge)", "(Kontoauszüge)"),
        ("fa", "لطفاً این فرم را به اداره (Familienkasse Nordrhein-Westfalen Nord) بفرستید.",
         "(Familienkasse Nordrhein-Westfalen Nord)"),
    ],
)  # fmt: skip
def test_a_bracketed_german_term_in_right_to_left_text_moves_to_the_next_line_whole(
    lang: str, text: str, term: str
) -> None:
    """ "(Familien-" on one line and "kasse)" on the next read in a confusing order: the term goes
    to the next line whole, and only a term wider than the whole line is broken."""
    style = Style(10, fonts.ARABIC, False, True, lang)
    whole_width = text_width(term, style)
    for width in range(40, 330, 3):
        lines = wrap(text, style, width)
        # words are measured one by one: a whole line shaped at once may come out a hair wider
        assert all(text_width(line, style) <= width + 1 for line in lines), (width, lines)
        if whole_width > width:
            continue
        holding = [line for line in lines if any(word in line for word in term.strip("()").split())]
        assert len(holding) == 1 and term in holding[0], (width, lines)
        runs = [run.text for run in shape_line(holding[0], style).runs]
        assert term.strip("()").split()[0] in " ".join(runs), runs


@pytest.mark.parametrize("value", ["FK-2026/0815 (A)", "0176 1234567", "1.234,56 €"])
def test_a_file_number_phone_number_or_amount_is_never_broken(value: str) -> None:
    said = Wording("ckb").say("Aktenzeichen der Behörde: {reference}", reference=value)
    style = Style(10, fonts.ARABIC, False, True, "ckb")
    first, last = value.split(" ", maxsplit=1)[0], value.rsplit(" ", maxsplit=1)[-1]
    for width in range(90, 260, 5):
        lines = wrap(said.client, style, width)
        assert _line_of(lines, first) == _line_of(lines, last), lines
