"""The referral slip for the client and the interpreter request for the pool, read back from the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from kim_desk.desk import Desk
from kim_desk.documents import render
from kim_desk.documents.adapter import document_data
from kim_desk.documents.wording import Wording
from kim_desk.errors import NotFound, UsageError
from kim_desk.paths import DataPaths
from kim_desk.services import load_services
from kim_desk.store.appointments import Appointment, create_appointment
from kim_desk.store.clients import Client, create_client
from kim_desk.store.referrals import MediatorRequest, Referral, refer, request_mediator
from kim_desk.views import printing
from tests.conftest import PASSPHRASE
from tests.unit.documents_support import BIDI_MARKS, pdf_text, qpdf_check, run_print, sample_data

PHONE = "02382 8934-12"  # the desk's phone number in sample_data
# The referral date (4 March 2026, long form) as it stands on the page, left to right: a right-to-left
# reader starts at the right, so in Arabic and Farsi the day stands rightmost (pdftotext gives
# Arabic-script letters in the order they stand on the page, that is reversed).
REFERRAL_DATE_ON_PAGE = {
    "uk": "4 березня 2026 р.",
    "ti": "መጋቢት 4, 2026",
    "ar": "2026 سرام 4",
    "fa": "2026 سرام 4",
}


def _client_lines(pdf: Path) -> list[str]:
    """The lines of the client's (right) column on every page, words in their left-to-right position."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines: list[str] = []
    for page in out.split("<page ")[1:]:
        rows: dict[int, list[tuple[float, str]]] = {}
        for x, y, raw in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<', page):
            if float(x) > 300:  # A4 is 595 pt wide; the client's column starts right of the middle
                word = BIDI_MARKS.sub("", html.unescape(raw)).replace("\xa0", " ")
                rows.setdefault(round(float(y)), []).append((float(x), word))
        lines += [" ".join(word for _x, word in sorted(rows[y])) for y in sorted(rows)]
    return lines


@pytest.mark.parametrize("lang", ["de", "ar", "fa", "uk", "ti"])
def test_referral_slip_names_the_offer_in_both_languages(tmp_path: Path, lang: str) -> None:
    pdf = render("referral", sample_data(), lang, tmp_path / f"referral-{lang}.pdf")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    for german in (
        "Ihre Vermittlung an ein Angebot",
        "Ihre Beratungsstelle hat Sie am 4. März 2026 an dieses Angebot vermittelt (Vermittlung Nr. 42).",
        "Integrationskurs (Kursträger vor Ort)",
        "Bitte mitbringen",
        "Telefon: nicht bekannt",  # the catalogue knows no phone number: none is invented
        "Internet: https://www.bamf.de",
        f"Telefon: {PHONE}",
        "Frau Müller, Caritas Ahlen",
        "Stand der Angaben: 01.12.2026; Grundlage: §§ 43–44a AufenthG",
        "Ahmad Karimi",
    ):
        assert german in text
    if lang == "de":
        return
    wording = Wording(lang)
    lines = _client_lines(pdf)
    client = " / ".join(lines)
    for source in ("So geht es weiter", "Kontakt zum Angebot", "Pass oder Ausweis", "nicht bekannt"):
        translated, done = wording.translate(source)
        assert done, source
        # pdftotext gives right-to-left text in the order it stands on the page: reversed
        assert (translated[::-1] if wording.rtl else translated) in client, translated
    assert "†" not in client  # every text of the slip is translated
    assert ".." not in client  # a date that ends in a full stop ("1 груд. 2026 р.") gets none added
    assert any(PHONE in line for line in lines), client  # the digits groups in their order, also in RTL
    assert any("https://www.bamf.de" in line for line in lines), client
    assert any(REFERRAL_DATE_ON_PAGE[lang] in line for line in lines), client
    numbered = [line for line in lines if "42" in line]  # the referral's number, its digits in order
    assert len(numbered) == 1 and "24" not in client, client
    assert pdf_text(pdf).count(" Seite 1 von 1") == 1  # the slip fits on one page


def test_an_rtl_slip_is_set_right_aligned_with_its_title_in_the_clients_language(tmp_path: Path) -> None:
    pdf = render("referral", sample_data(), "ar", tmp_path / "r.pdf")
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "de"
        assert str(doc.docinfo["/Title"]) == "Vermittlung Integrationskurs (Kursträger vor Ort) – 04.03.2026"
    out = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True)
    ends: dict[int, float] = {}  # the right end of each line of the client's column
    for x_min, y_min, x_max in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', out.stdout):
        if float(x_min) > 300:
            ends[round(float(y_min))] = max(ends.get(round(float(y_min)), 0.0), float(x_max))
    margin = 595.27 - 16 * 72 / 25.4  # A4 less the 16 mm margin
    # flush right: at the margin, inside the review mark's frame (1.5 mm), or after a checkbox (5.6 mm)
    allowed = [margin, margin - 1.5 * 72 / 25.4, margin - 5.6 * 72 / 25.4]
    assert len(ends) > 20
    assert all(min(abs(end - edge) for edge in allowed) < 0.5 for end in ends.values()), sorted(ends.values())
    assert sum(abs(end - margin) < 0.5 for end in ends.values()) > 15


def test_the_slip_prints_what_the_catalogue_knows_of_a_contact(tmp_path: Path) -> None:
    data = sample_data()
    assert data.referral is not None
    contact = data.referral.service.contact._replace(phone="02581 53-1234", address="Waldenburger Str. 2")
    service = data.referral.service._replace(contact=contact)
    known = dataclasses.replace(data, referral=dataclasses.replace(data.referral, service=service))
    text = pdf_text(render("referral", known, "ar", tmp_path / "k.pdf"))
    assert "Telefon: 02581 53-1234" in text and "Adresse: Waldenburger Str. 2" in text
    assert "Telefon: nicht bekannt" not in text
    assert "E-Mail: nicht bekannt" in text
    assert any("02581 53-1234" in line for line in _client_lines(tmp_path / "k.pdf"))


def test_the_interpreter_request_is_german_and_names_nobody(tmp_path: Path) -> None:
    data = sample_data(family_name="Zqwertyanu", given_names="Canarina", phone="0176 5550199")
    assert data.appointment is not None
    slot = dataclasses.replace(data.appointment, topic="Asylanhörung von Canarina Zqwertyanu")
    pdf = render("mediator-request", dataclasses.replace(data, appointment=slot), "ar", tmp_path / "m.pdf")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    for expected in (
        "Anfrage an den Sprachmittlerpool",
        "Anfrage Nr. 5 vom 05.03.2026",
        "Arabisch",
        "Donnerstag, 12. März 2026, 10:30 Uhr, etwa 45 Minuten",
        "Caritas Ahlen, Südstraße 41",
        "Thema Wohngeld",  # the application type at most, never the appointment's free text
        f"Telefon: {PHONE}",
    ):
        assert expected in text
    for personal in ("Zqwertyanu", "Canarina", "Karimi", "کریمی", "0176 5550199", "Asylanhörung", "Oststraße"):
        assert personal not in text
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "de"
        title = str(doc.docinfo["/Title"])
        assert title == "Anfrage Sprachmittlung Arabisch – 12.03.2026"
        sections = [kid for kid in doc.Root.StructTreeRoot.K[0].K if kid.get("/S") == "/Sect"]
        assert [str(s.get("/Lang", "de")) for s in sections] == ["de"]  # one German part, no client column


def test_an_interpreter_request_without_application_says_general_advice(tmp_path: Path) -> None:
    data = dataclasses.replace(sample_data(), case=None)
    text = pdf_text(render("mediator-request", data, "de", tmp_path / "m.pdf"))
    assert "Thema Allgemeine Beratung" in text and "Wohngeld" not in text


def test_the_request_sheet_wording_is_not_offered_for_translation() -> None:
    pot = Path(__file__).parents[2].joinpath("translations", "kim_desk.pot").read_text("utf-8")
    assert 'msgid "Anfrage an den Sprachmittlerpool"' not in pot
    assert "documents/referral.toml" in pot


# --- from the store and through the print targets -------------------------------------------


def _referral_with_canaries(desk: Desk) -> tuple[int, int]:
    client = Client("Zqwertyanu", "ahlen", given_names="Canarina", phone="0176 5550199", street="Kanarienweg 7",
                    birth_date="1991-02-03", languages=["ar"])  # fmt: skip
    client_id = create_client(desk.store, client).id
    referral = Referral(client_id, "fit", dt.date(2026, 3, 4), notes="CANARY-NOTE Gewalt in der Familie")
    return client_id, refer(desk.store, referral, set(load_services())).id


def test_slip_from_the_store_has_the_name_at_most(desk: Desk, tmp_path: Path) -> None:
    _client_id, referral_id = _referral_with_canaries(desk)
    data = document_data(desk.store, desk.catalog, referral_id=referral_id)
    text = pdf_text(render("referral", data, "fa", tmp_path / "s.pdf"))
    assert "Canarina Zqwertyanu" in text and "FIT – frühkindliche Integration" in text
    for private in ("CANARY-NOTE", "Gewalt", "0176 5550199", "Kanarienweg", "03.02.1991", "1991"):
        assert private not in text


def test_referral_print_target_file_name_and_audit(desk: Desk) -> None:
    _client_id, referral_id = _referral_with_canaries(desk)
    from kim_desk.store.referrals import get_referral

    target = printing.referral_target(load_services(), get_referral(desk.store, referral_id))
    assert target.kinds == ("referral",) and "FIT" in target.label
    loaded = printing.load_document(desk.store, desk.catalog, target)
    assert loaded.lang == "ar"
    pdf = printing.render_pdf("referral", loaded, "ar")
    assert pdf.startswith(b"%PDF")
    name = printing.suggested_file_name("referral", target, "ar")
    assert name == f"referral-vermittlung-{referral_id}-ar.pdf"
    printing.record_print(desk.store, target)
    row = desk.store.one("SELECT action, entity, entity_id FROM audit_event ORDER BY id DESC LIMIT 1")
    assert row is not None and tuple(row) == ("print", "referral", referral_id)


def test_an_appointment_with_an_interpreter_request_offers_the_pool_sheet(desk: Desk) -> None:
    client_id, _referral_id = _referral_with_canaries(desk)
    appointment = Appointment(client_id, dt.datetime(2026, 3, 12, 10, 30), topic="Canarina privat")
    appointment_id = create_appointment(desk.store, appointment).id
    stored = appointment._replace(id=appointment_id)
    assert "mediator-request" not in printing.appointment_target(stored).kinds
    request_mediator(desk.store, MediatorRequest(appointment_id, "fa", dt.date(2026, 3, 5)))
    target = printing.appointment_target(stored, mediator=True)
    assert target.kinds == ("appointment", "mediator-request")
    loaded = printing.load_document(desk.store, desk.catalog, target)
    assert printing.suggested_file_name("mediator-request", target, loaded.lang) == (
        f"mediator-request-termin-{appointment_id}-de.pdf"
    )
    pdf = printing.render_pdf("mediator-request", loaded, loaded.lang)
    assert b"Zqwertyanu" not in pdf and b"Canarina" not in pdf


def test_a_referral_to_an_offer_no_longer_listed_is_a_clear_error(desk: Desk) -> None:
    _client_id, referral_id = _referral_with_canaries(desk)
    with pytest.raises(NotFound, match=r"„fit“ der Vermittlung Nr\."):
        document_data(desk.store, desk.catalog, referral_id=referral_id, services={})


# --- the command ---------------------------------------------------------------------------


def test_print_referral_and_mediator_request_commands(
    desk_paths: DataPaths, passphrase_file: Path, tmp_path: Path
) -> None:
    from kim_desk.desk import open_desk
    from tests.conftest import always

    opened = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    referral_id = int(opened.store.one("SELECT id FROM referral ORDER BY id LIMIT 1")["id"])
    with_request = int(opened.store.one("SELECT appointment_id FROM mediator_request LIMIT 1")["appointment_id"])
    without = int(opened.store.one(
        "SELECT id FROM appointment WHERE id NOT IN (SELECT appointment_id FROM mediator_request) LIMIT 1"
    )["id"])  # fmt: skip
    opened.close()
    slip = tmp_path / "slip.pdf"
    assert run_print(["print", "referral", "--referral", str(referral_id), "--lang", "ti", "--out", str(slip)],
                  desk_paths) == 0  # fmt: skip
    qpdf_check(slip)
    assert "Ihre Vermittlung an ein Angebot" in pdf_text(slip)
    sheet = tmp_path / "pool.pdf"
    assert (
        run_print(["print", "mediator-request", "--appointment", str(with_request), "-o", str(sheet)], desk_paths) == 0
    )
    assert "Anfrage an den Sprachmittlerpool" in pdf_text(sheet)
    refused = tmp_path / "none.pdf"
    with pytest.raises(UsageError, match="keine Sprachmittlung angefragt"):
        run_print(["print", "mediator-request", "--appointment", str(without), "-o", str(refused)], desk_paths)
    with pytest.raises(UsageError, match="--referral"):
        run_print(["print", "referral", "--case", "1", "-o", str(refused)], desk_paths)
    assert not refused.exists()


@pytest.mark.parametrize("text", ["направлення № \u206642\u2069).", "(Vermittlung Nr. \u206642\u2069)."])
def test_a_number_sign_stays_with_its_number(text: str) -> None:
    from kim_desk.documents.breaking import wrap
    from kim_desk.documents.text import Style, text_width

    style = Style(10)
    sign = text.split(" ")[-2]
    width = text_width(text.rsplit(" ", 1)[0], style) + 1  # room for everything up to the sign, not the number
    lines = wrap(text, style, width)
    assert len(lines) == 2
    assert lines[1].startswith(sign), lines


def test_a_content_pack_from_before_the_slip_does_not_stop_it_printing(tmp_path: Path) -> None:
    """An installed pack brings its own forms/documents; one made before referral.toml existed lacks it."""
    import shutil

    from kim_desk.resources import resource_dir, use_installed_content

    documents = tmp_path / "pack" / "forms" / "documents"
    documents.mkdir(parents=True)
    shipped = resource_dir("forms") / "documents"
    for name in ("checklist", "next_steps", "appointment", "application_aid"):
        shutil.copy(shipped / f"{name}.toml", documents)
    text = (documents / "checklist.toml").read_text("utf-8")
    (documents / "checklist.toml").write_text(text.replace("Checkliste: Ihre Unterlagen", "Checkliste des Kreises"))
    use_installed_content(tmp_path / "pack")
    try:
        assert "Checkliste des Kreises" in pdf_text(render("checklist", sample_data(), "de", tmp_path / "c.pdf"))
        slip = render("referral", sample_data(), "de", tmp_path / "r.pdf")
        assert "Ihre Vermittlung an ein Angebot" in pdf_text(slip)
    finally:
        use_installed_content(None)
