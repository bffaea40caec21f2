"""The district dashboard answers the committee's questions in words a person reads."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kim_desk.district.store import DistrictStore
from kim_desk.stats.payload import canonical_json
from kim_desk.stats.periods import Quarter
from tests.unit.test_district_app import App, desk_payload, enrol


class _Text(HTMLParser):
    """The page as a person reads it: text per <section>, keyed by its heading."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._heading: str | None = None
        self._in_h2 = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("style", "title"):
            self._skip += 1
        if tag == "h2":
            self._in_h2, self._heading = True, ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag == "h2":
            self._in_h2 = False
            self.sections[self._heading or ""] = []
        if tag in ("td", "th", "text", "option", "p"):
            self._add("|")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_h2:
            self._heading = (self._heading or "") + data
        self._add(data)

    def _add(self, data: str) -> None:
        self.parts.append(data)
        if self._heading is not None and not self._in_h2 and self._heading in self.sections:
            self.sections[self._heading].append(data)


def read(html: str) -> tuple[str, dict[str, str]]:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts), {k: "".join(v) for k, v in parser.sections.items()}


@pytest.fixture
def app(tmp_path: Path) -> tuple[App, dict]:
    store = DistrictStore(tmp_path / "district.sqlite3")
    app = App(store)
    sent: dict = {}
    for municipality, seed in (("ahlen", 1), ("beckum", 2)):
        desk_id, token = enrol(app, store, municipality)
        for quarter, extra in ((Quarter(2026, 2), 10), (Quarter(2026, 3), 0)):
            payload = desk_payload(desk_id, quarter, municipality, seed + extra)
            sent[(municipality, str(quarter))] = payload
            answer = app.request(
                "POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=canonical_json(payload)
            )
            assert answer.status_code == 201
    store.add_desk("Beratung Oelde", "oelde")  # never enrolled
    app.login()
    return app, sent


BARRIERS = "Hürden nach Gemeinde und Antragsart: Veränderung zum Vorquartal und zum Vorjahresquartal"


def cell(payload: dict, table: str, key: list[str]) -> int:
    return next((c["value"] for c in payload["tables"][table]["cells"] if c["key"] == key), 0)


def test_titles_not_codes_choosers_and_the_quarter_in_words(app) -> None:
    client, _sent = app
    page = client.request("GET", "/?period=2026Q3")
    assert page.status_code == 200 and "<script" not in page.text and "@font-face" not in page.text
    text, sections = read(page.text)
    assert "<form method='get' action='/'" in page.text and "name='municipality'" in page.text
    assert "3. Quartal 2026" in text and "2. Quartal 2026" in text and "2026Q3" not in text
    for code in ("fa_ps", "18_26", "aufenthaltstitel_verlaengerung", "under_18", "up_to_2_weeks", "uk_ru"):
        assert code not in text, code
    assert "Persisch/Dari/Paschtu" in text and "18 bis 26" in text and "bis 2 Wochen" in text
    assert all(unit in text for unit in ("Anzahl",))
    assert "keine Daten" not in sections["Anträge nach Antragsart"]


def test_every_desk_is_listed_with_last_contact_and_missing_quarters(app) -> None:
    client, _sent = app
    _text, sections = read(client.request("GET", "/").text)
    overview = sections["Eingang der Quartalsberichte"]
    rows = overview.split("|")
    oelde = rows.index("Beratung Oelde")
    assert rows[oelde + 1 : oelde + 5] == ["Oelde", "Anmeldecode offen, noch nicht angemeldet", "noch nie", "0"]
    ahlen = rows.index("Desk ahlen")
    assert rows[ahlen + 2] == "angemeldet" and re.fullmatch(r"\d\d\.\d\d\.\d{4}", rows[ahlen + 3])
    assert rows[ahlen + 4] == "0"


def test_barriers_per_municipality_and_type_against_the_previous_quarter(app) -> None:
    client, sent = app
    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=ahlen").text)
    table = sections[BARRIERS].split("|")
    now, before = sent[("ahlen", "2026Q3")], sent[("ahlen", "2026Q2")]
    types = {c["key"][1] for c in now["tables"]["barriers_by_type"]["cells"] if c["value"] and c["key"][1] != "*"}
    assert types and "Beckum" not in table
    from kim_desk.district.dashboard import label

    for type_code in types:
        a = cell(now, "barriers_by_type", ["ahlen", type_code, "*"])
        b = next(
            (
                c["value"]
                for c in before["tables"]["barriers_by_type"]["cells"]
                if c["key"] == ["ahlen", type_code, "*"]
            ),
            0,
        )
        at = table.index(label("application_type", type_code))
        assert table[at - 1] == "Ahlen"
        assert table[at + 1].split(" ±")[0] == f"{a:,}".replace(",", ".")
        assert table[at + 2].split(" ±")[0] == f"{b:,}".replace(",", ".")
        assert table[at + 3] == f"{a - b:+d}".replace("-", "−")


def test_a_municipality_shows_its_own_figures_and_empty_ones_say_so(app) -> None:
    client, sent = app
    from kim_desk.district.dashboard import label

    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=beckum").text)
    chart = sections["Anträge nach Antragsart"]
    payload = sent[("beckum", "2026Q3")]
    for c in payload["tables"]["cases_by_type_state"]["cells"]:
        key = c["key"]
        if key[0] == "beckum" and key[1] != "*" and key[2] == "*" and c["value"]:
            title = label("application_type", key[1])
            shown = chart.split(title + "|", 1)[1].split("|")[0]
            assert shown.split(" ±")[0] == f"{c['value']:,}".replace(",", "."), title
    assert "Anträge nach Gemeinde" not in sections
    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=oelde").text)
    assert sections["Anträge nach Antragsart"].strip("|") == "keine Daten"
    assert sections[BARRIERS].strip("|") == "keine Daten"


def test_unknown_quarter_or_municipality_gets_a_clear_4xx_page(app) -> None:
    client, _sent = app
    html = {"Accept": "text/html"}
    bogus = client.request("GET", "/?period=bogus", headers=html)
    assert bogus.status_code == 400 and "Das Quartal ist ungültig" in bogus.text
    future = client.request("GET", "/?period=2031Q1", headers=html)
    assert future.status_code == 404 and "keine Berichte" in future.text
    place = client.request("GET", "/?period=2026Q3&municipality=muenster", headers=html)
    assert place.status_code == 400 and "Diese Gemeinde gibt es im Kreis Warendorf nicht" in place.text


def test_barrier_titles_fit_their_label_column(app) -> None:
    client, _sent = app
    page = client.request("GET", "/?period=2026Q3").text
    for svg in re.findall(r"<svg.*?</svg>", page):
        for x in re.findall(r'<text x="(-?\d+)"[^>]*text-anchor="end"', svg):
            assert int(x) > 0
        # the longest label's estimated width fits left of its anchor
        for x, label_text in re.findall(r'<text x="(\d+)" y="\d+" text-anchor="end" font-size="13"[^>]*>([^<]*)<', svg):
            assert len(label_text) * 6.5 <= int(x), label_text


def pdf_text(client: App, tmp_path: Path, query: str = "period=2026Q3") -> str:
    answer = client.request("GET", f"/report.pdf?{query}")
    assert answer.status_code == 200
    (tmp_path / "r.pdf").write_bytes(answer.content)
    return subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_committee_pdf_reads_like_a_statistical_report(app, tmp_path: Path) -> None:
    client, sent = app
    text = pdf_text(client, tmp_path)
    pages = text.split("\f")
    real = [p for p in pages if p.strip()]
    assert "2026Q3" not in text and "Lagebild für den Ausschuss – 3. Quartal 2026" in text
    assert "Stand: 20.10.2026" in text and "Quelle: Quartalsberichte der KIM-Beratungsstellen" in text
    assert "Zeichenerklärung" in text and "Methodische Hinweise" in text
    assert "höchstens ±5" in " ".join(text.split())
    for index, page in enumerate(real, start=1):
        assert f"Seite {index} von {len(real)}" in page
    assert "Tabelle 1: Anträge nach Gemeinde, 3. Quartal 2026" in text
    assert "Tabelle 5: Beratungskontakte nach Sprachgruppe" in text and "Persisch/Dari/Paschtu" in text
    # No page starts with a lonely total.
    for page in real[1:]:
        first = next(line for line in page.splitlines() if line.strip())
        assert not first.strip().startswith("Insgesamt"), first
    grand = sum(sent[(m, "2026Q3")]["tables"]["contacts_by_language_group"]["total"] for m in ("ahlen", "beckum"))
    assert f"Insgesamt {grand:,}".replace(",", ".") in " ".join(text.split())


def shown_in(sections: dict[str, str], heading: str, title: str) -> str:
    return sections[heading].split(title + "|", 1)[1].split("|")[0].split(" ±")[0]


def test_spreadsheets_hold_the_dashboards_figures(app, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET
    import zipfile

    import openpyxl

    from kim_desk.district.dashboard import label

    client, _sent = app
    _text, sections = read(client.request("GET", "/?period=2026Q3").text)
    heading = "Hürden nach Art"
    barrier_rows = [r for r in sections[heading].split("|") if r]

    german = client.request("GET", "/report-de.csv?period=2026Q3")
    assert german.status_code == 200 and german.content.startswith(b"\xef\xbb\xbf")
    lines = german.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Quartal;Tabelle;Gemeinde;Merkmal 1;Merkmal 2;Anzahl;Erwarteter Fehler (±)"
    table = [line.split(";") for line in lines[1:]]
    assert all(row[0] == "3. Quartal 2026" for row in table)
    assert "fa_ps" not in german.text and "barriers_by_type" not in german.text

    ods_answer = client.request("GET", "/report.ods?period=2026Q3")
    (tmp_path / "r.ods").write_bytes(ods_answer.content)
    with zipfile.ZipFile(tmp_path / "r.ods") as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = ET.fromstring(archive.read("content.xml"))
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    tab = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    ods_rows = [
        [c.get(office + "value") or "".join(c.itertext()) for c in row.iter(tab + "table-cell")]
        for row in content.iter(tab + "table-row")
    ]

    xlsx_answer = client.request("GET", "/report.xlsx?period=2026Q3")
    (tmp_path / "r.xlsx").write_bytes(xlsx_answer.content)
    xlsx_rows = [list(r) for r in openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True)]
    assert xlsx_rows[0] == ods_rows[0] == lines[0].split(";")

    barrier_table = "Im Quartal erfasste Hürden nach Antragsart"
    checked = 0
    for code in ("language", "missing_documents", "no_appointment", "costs"):
        title = label("barrier", code)
        if title not in barrier_rows:
            continue
        on_page = shown_in(sections, heading, title).replace(".", "")
        key = ["3. Quartal 2026", barrier_table, "insgesamt", "insgesamt", title]
        assert next(r[5] for r in table if r[:5] == key) == on_page
        assert str(int(float(next(r[5] for r in ods_rows if r[:5] == key)))) == on_page
        assert str(next(r[5] for r in xlsx_rows if r[:5] == key)) == on_page
        checked += 1
    assert checked


def test_a_desk_that_skipped_a_quarter_shows_it_missing(tmp_path: Path) -> None:
    store = DistrictStore(tmp_path / "district.sqlite3")
    client = App(store)
    desk_id, token = enrol(client, store, "ahlen")  # first quarter 2026Q2
    payload = desk_payload(desk_id, Quarter(2026, 3))
    auth = {"Authorization": f"Bearer {token}"}
    assert client.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(payload)).status_code == 201
    client.login()
    _text, sections = read(client.request("GET", "/").text)
    rows = sections["Eingang der Quartalsberichte"].split("|")
    at = rows.index("Desk ahlen")
    assert rows[at + 4 : at + 8] == ["1", "unbekannt", "fehlt", "eingegangen"]


RATES = "Beratungskontakte und Anträge je 1.000 Einwohner"


def rates_table(sections: dict[str, str]) -> dict[str, list[str]]:
    cells = sections[RATES].split("|")
    rows: dict[str, list[str]] = {}
    for name in ("Ahlen", "Beckum", "Oelde", "Kreis Warendorf insgesamt"):
        if name in cells:
            at = cells.index(name)
            rows[name] = cells[at + 1 : at + 6]
    return rows


def test_contacts_and_cases_per_thousand_inhabitants_per_municipality(app) -> None:
    from kim_desk.district.population import load

    client, sent = app
    people = load()
    assert people.stand == "2010-12-31" and "IT.NRW" in people.source and people.checked is False
    _text, sections = read(client.request("GET", "/?period=2026Q3").text)
    rows = rates_table(sections)
    for municipality, name in (("ahlen", "Ahlen"), ("beckum", "Beckum")):
        payload = sent[(municipality, "2026Q3")]
        contacts = cell(payload, "contacts_by_channel", [municipality, "*"])
        cases = next(
            c["value"]
            for c in payload["tables"]["cases_by_type_state"]["cells"]
            if c["key"] == [municipality, "*", "*"]
        )
        inhabitants = people.inhabitants[municipality]
        assert rows[name][0] == f"{inhabitants:,}".replace(",", ".")
        assert rows[name][1].split(" ±")[0] == f"{contacts:,}".replace(",", ".")
        assert rows[name][2].split(" ±")[0] == f"{1000 * contacts / inhabitants:.1f}".replace(".", ",")
        assert rows[name][4].split(" ±")[0] == f"{1000 * cases / inhabitants:.1f}".replace(".", ",")
    assert rows["Oelde"][1] == "0"
    assert rows["Kreis Warendorf insgesamt"][0] == f"{people.district:,}".replace(",", ".")
    # the comparison between municipalities: a chart per rate, highest first, with its unit
    assert "Beratungskontakte je 1.000 Einwohner nach Gemeinde" in sections[RATES]
    assert "je 1.000 Einwohner" in sections[RATES] and "Stand 31.12.2010" in sections[RATES]
    assert "nicht am Original geprüft" in sections[RATES]
    # one municipality: its own row beside the district, no other municipality
    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=ahlen").text)
    assert set(rates_table(sections)) == {"Ahlen", "Kreis Warendorf insgesamt"}


def test_newer_population_in_the_data_folder_replaces_the_shipped_one(app) -> None:
    from kim_desk.district.population import SHIPPED

    client, _sent = app
    text = SHIPPED.read_text("utf-8").replace("ahlen = 53414", "ahlen = 54000")
    text = text.replace('stand = "2010-12-31"', 'stand = "2024-12-31"').replace("checked = false", "checked = true")
    (client.store.path.parent / "population.toml").write_text(text, "utf-8")
    _text, sections = read(client.request("GET", "/?period=2026Q3").text)
    assert rates_table(sections)["Ahlen"][0] == "54.000"
    assert "Stand 31.12.2024" in sections[RATES] and "nicht am Original geprüft" not in sections[RATES]


def test_a_broken_population_file_says_so_and_the_page_still_answers(app) -> None:
    from kim_desk.district.population import SHIPPED

    client, _sent = app
    (client.store.path.parent / "population.toml").write_text("[inhabitants]\nahlen = 1\n", "utf-8")
    page = client.request("GET", "/?period=2026Q3")
    assert page.status_code == 200
    _text, sections = read(page.text)
    assert "Die Einwohnerzahlen in" in sections[RATES] and "unvollständig" in sections[RATES]
    assert "Anträge nach Antragsart" in sections
    (client.store.path.parent / "population.toml").write_text(
        SHIPPED.read_text("utf-8").replace("beelen = 6287", "beelen = 0"), "utf-8"
    )
    _text, sections = read(client.request("GET", "/?period=2026Q3").text)
    assert "ganze Zahlen über 0" in sections[RATES]


def test_barriers_against_the_same_quarter_last_year(app) -> None:
    client, sent = app
    desk_id = next(d.id for d in client.store.desks() if d.municipality == "ahlen")
    year_ago = desk_payload(desk_id, Quarter(2025, 3), "ahlen", 99)
    client.store.store_report(year_ago)
    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=ahlen").text)
    table = sections[BARRIERS].split("|")
    assert "3. Quartal 2025" in table and "Veränderung zum Vorjahresquartal" in table
    now = sent[("ahlen", "2026Q3")]
    from kim_desk.district.dashboard import label

    checked = 0
    for c in now["tables"]["barriers_by_type"]["cells"]:
        if c["key"][0] != "ahlen" or c["key"][1] == "*" or c["key"][2] != "*":
            continue
        before = cell(year_ago, "barriers_by_type", c["key"])
        at = table.index(label("application_type", c["key"][1]))
        assert table[at + 4].split(" ±")[0] == f"{before:,}".replace(",", ".")
        assert table[at + 5] == f"{c['value'] - before:+d}".replace("-", "−")
        checked += 1
    assert checked


def test_the_overview_shows_which_content_pack_each_desk_runs(app) -> None:
    client, _sent = app
    desk = next(d for d in client.store.desks() if d.municipality == "ahlen")
    _text, sections = read(client.request("GET", "/").text)
    rows = sections["Eingang der Quartalsberichte"].split("|")
    assert rows[rows.index("Desk ahlen") + 5] == "unbekannt"
    client.store.note_content(desk.id, 0)
    rows = read(client.request("GET", "/").text)[1]["Eingang der Quartalsberichte"].split("|")
    assert rows[rows.index("Desk ahlen") + 5] == "keines (mitgelieferte Inhalte)"
    client.store.note_content(desk.id, 4)
    rows = read(client.request("GET", "/").text)[1]["Eingang der Quartalsberichte"].split("|")
    assert rows[rows.index("Desk ahlen") + 5] == "Version 4"
    assert rows[rows.index("Desk beckum") + 5] == "unbekannt"


def test_committee_pdf_has_charts_rates_and_the_year_before(app, tmp_path: Path) -> None:
    client, sent = app
    text = " ".join(pdf_text(client, tmp_path).split())
    assert "Abbildung 1: Anträge nach Gemeinde, 3. Quartal 2026" in text
    assert "Abbildung 2: Hürden nach Art, 3. Quartal 2026" in text
    assert "Abbildung 3: Beratungskontakte je 1.000 Einwohner nach Gemeinde, 3. Quartal 2026" in text
    assert "Abbildung 4: Entwicklung: Anträge je Quartal" in text
    captions = re.findall(r"Tabelle (\d+): ([^,]+)", text)
    numbers = [int(n) for n, _title in captions]
    assert numbers == list(range(1, len(numbers) + 1))  # numbered once each, in order (the gap tables sit between)
    titles = [title.strip() for _n, title in captions]
    assert "Hürden nach Gemeinde und Antragsart im Vergleich" in titles and "zum Vorjahresquartal" in text
    assert "Beratungskontakte und Anträge je 1.000 Einwohner" in titles
    assert "Raten je 1.000 Einwohner" in text and "Stand 31.12.2010" in text
    assert "ein gesperrter Wert hat keinen Balken" in text
    assert text.count("Anzahl") >= 3 and text.count("je 1.000 Einwohner") >= 3
    contacts = cell(sent[("ahlen", "2026Q3")], "contacts_by_channel", ["ahlen", "*"])
    assert f"{1000 * contacts / 53414:.1f}".replace(".", ",") in text


def test_a_desk_asking_for_content_records_its_pack_and_a_bad_number_changes_nothing(tmp_path: Path) -> None:
    store = DistrictStore(tmp_path / "district.sqlite3")
    client = App(store)
    desk_id, token = enrol(client, store, "ahlen")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.request("GET", "/api/v1/content?installed=7", headers=auth).status_code == 204
    assert store.desk(desk_id).content_version == 7
    assert client.request("GET", "/api/v1/content?installed=-1", headers=auth).status_code == 400
    assert client.request("GET", "/api/v1/content?installed=8", headers={}).status_code == 401
    assert store.desk(desk_id).content_version == 7


def test_a_second_schema_file_upgrades_and_keeps_every_figure_and_its_error(app) -> None:
    """District v3 adds the content pack per desk and each report's V as a column, filled from the JSON."""
    from kim_desk.district import picture

    client, _sent = app
    store = client.store
    before = dict(picture.picture(store, "2026Q3"))
    assert any(figure.error for figure in before.values())
    conn = store.conn
    conn.execute("DROP INDEX figure_cell")
    for table, column in (("desk", "content_version"), ("desk", "content_asked_at"), ("report", "noise_variance")):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 2")
    store.close()
    upgraded = DistrictStore(store.path)
    assert upgraded.conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert dict(picture.picture(upgraded, "2026Q3")) == before
    assert all(d.content_version is None for d in upgraded.desks())


def test_the_fast_german_numbers_are_babels() -> None:
    from kim_desk.district.dashboard import german_number
    from kim_desk.i18n import format_number

    for value in (0, 7, 999, 1000, 1234567, -1234, 0.5, 1.7, 2.0, 12.25, 1234.5, 0.125, 3.14159, -0.3):
        assert german_number(value) == format_number(value, "de"), value


def test_a_population_file_with_a_bad_stand_is_refused_not_a_crash(app) -> None:
    from kim_desk.district.population import SHIPPED

    client, _sent = app
    text = SHIPPED.read_text("utf-8").replace('stand = "2010-12-31"', 'stand = "Ende 2024"')
    (client.store.path.parent / "population.toml").write_text(text, "utf-8")
    page = client.request("GET", "/?period=2026Q3")
    assert page.status_code == 200
    assert "ist kein Datum" in read(page.text)[1][RATES] and "31.12.2010" not in page.text
    assert client.request("GET", "/report.pdf?period=2026Q3").status_code == 200
    # a TOML date (unquoted) is a date too
    (client.store.path.parent / "population.toml").write_text(
        SHIPPED.read_text("utf-8").replace('stand = "2010-12-31"', "stand = 2024-12-31"), "utf-8"
    )
    assert "Stand 31.12.2024" in read(client.request("GET", "/?period=2026Q3").text)[1][RATES]


def test_only_checked_true_counts_as_checked(tmp_path: Path) -> None:
    from kim_desk.district.population import SHIPPED, load

    for written, checked in (('"no"', False), ('"false"', False), ("1", False), ("true", True)):
        text = SHIPPED.read_text("utf-8").replace("checked = false", f"checked = {written}")
        (tmp_path / "population.toml").write_text(text, "utf-8")
        assert load(tmp_path).checked is checked, written
