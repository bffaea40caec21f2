"""The district's "Angebotslücken" view: from report/3 desks (report/2 desks still count for the rest)."""

from __future__ import annotations

import copy
import csv
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kim_desk.district.store import DistrictStore
from kim_desk.stats.payload import canonical_json
from kim_desk.stats.periods import Quarter
from tests.unit.test_district_app import App, desk_payload, enrol
from tests.unit.test_district_dashboard import read

Q3 = Quarter(2026, 3)
NEW = ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result")


def post(app: App, token: str, payload: dict[str, Any]) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.request("POST", "/api/v1/reports", headers=headers, content=canonical_json(payload)).status_code


def as_report2(payload: dict[str, Any]) -> dict[str, Any]:
    old = copy.deepcopy(payload)
    old["schema"] = "kim-desk.report/2"
    for name in NEW:
        del old["tables"][name]
    return old


@pytest.fixture
def app(tmp_path: Path) -> tuple[App, dict[str, Any], dict[str, Any]]:
    """Ahlen sends report/3, Beckum a report/2 it froze before its update."""
    store = DistrictStore(tmp_path / "district.sqlite3")
    app = App(store)
    ahlen_id, ahlen_token = enrol(app, store, "ahlen")
    beckum_id, beckum_token = enrol(app, store, "beckum")
    new = desk_payload(ahlen_id, Q3, "ahlen", 1)
    old = as_report2(desk_payload(beckum_id, Q3, "beckum", 2))
    assert post(app, ahlen_token, new) == 201
    assert post(app, beckum_token, old) == 201
    assert post(app, beckum_token, old) == 200  # the same report again: already there
    app.login()
    return app, new, old


def value(payload: dict[str, Any], table: str, key: list[str]) -> int:
    return int(next(c["value"] for c in payload["tables"][table]["cells"] if c["key"] == key))


def shown(number_text: str) -> int:
    return int(number_text.split(" ±", maxsplit=1)[0].replace(".", ""))


def test_the_dashboard_shows_gaps_with_titles_and_errors_not_codes(app) -> None:  # type: ignore[no-untyped-def]
    client, new, old = app
    page = client.request("GET", "/?period=2026Q3").text
    _text, sections = read(page)
    gaps = sections["Angebotslücken"]
    for title in ("Vermittlungen nach Angebot und Ergebnis", "FIT – frühkindliche Integration", "Kein Platz frei",
                  "In dieser Kommune nicht angeboten", "Warteliste", "Niemand verfügbar",
                  "Bedarfe ohne passendes Angebot", "Angebotslücken nach Gemeinde", "Ahlen", "Arabisch"):  # fmt: skip
        assert title in gaps, title
    for code in ("no_place", "not_offered_here", "none_available", "fa_ps", "referrals_by_service_outcome", "|fit|"):
        assert code not in gaps, code
    assert "Beckum" not in gaps.split("Angebotslücken nach Gemeinde", 1)[1].split("Bedarfe ohne passendes")[0]
    assert "class='gap'" in page and " ± " in gaps
    # The figure on the page is the figure Ahlen sent (one desk: its own perturbed value, ±1).
    cells = gaps.split("FIT – frühkindliche Integration|", 1)[1].split("|")
    assert shown(cells[0]) == value(new, "referrals_by_service_outcome", ["*", "fit", "*"])
    assert cells[0].endswith("± 1")
    # Beckum's old report still counts everywhere else.
    contacts = new["tables"]["contacts_by_channel"]["total"] + old["tables"]["contacts_by_channel"]["total"]
    machine = list(csv.reader(io.StringIO(client.request("GET", "/report.csv?period=2026Q3").text)))
    assert [r[5] for r in machine if r[1:5] == ["contacts_by_channel", "*", "*", ""]] == [str(contacts)]
    assert [r[5] for r in machine if r[1:5] == ["referrals_by_service_outcome", "*", "*", "*"]] == [
        str(new["tables"]["referrals_by_service_outcome"]["total"])
    ]


def test_one_municipality_shows_its_own_gaps(app) -> None:  # type: ignore[no-untyped-def]
    client, new, _old = app
    _text, sections = read(client.request("GET", "/?period=2026Q3&municipality=ahlen").text)
    gaps = sections["Angebotslücken"]
    assert "Angebotslücken nach Gemeinde" not in gaps and "Vermittlungen nach Angebot und Ergebnis" in gaps
    row = gaps.split("Vermittlungen nach Angebot und Ergebnis", 1)[1].split("FIT – frühkindliche Integration|", 1)[1]
    # Columns: all referrals, then the outcomes in the taxonomy's order (open, taken up, waiting list, no place …).
    figures = row.split("|")[:8]
    assert shown(figures[0]) == value(new, "referrals_by_service_outcome", ["ahlen", "fit", "*"])
    assert shown(figures[4]) == value(new, "referrals_by_service_outcome", ["ahlen", "fit", "no_place"])
    _text, beckum = read(client.request("GET", "/?period=2026Q3&municipality=beckum").text)
    assert "keine Daten" in beckum["Angebotslücken"]  # Beckum's report/2 has no referral tables


def test_the_spreadsheets_and_the_committee_pdf_hold_the_gaps(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    client, new, _old = app
    german = client.request("GET", "/report-de.csv?period=2026Q3").content.decode("utf-8-sig")
    rows = [line.split(";") for line in german.splitlines()[1:]]
    key = ["3. Quartal 2026", "Vermittlungen nach Angebot und Ergebnis", "insgesamt", "FIT – frühkindliche Integration",
           "Kein Platz frei"]  # fmt: skip
    assert [r[5] for r in rows if r[:5] == key] == [
        str(value(new, "referrals_by_service_outcome", ["*", "fit", "no_place"]))
    ]
    mediation = "Anfragen an den Sprachmittlerpool nach Sprachgruppe und Ergebnis"
    assert any(r[1] == mediation and r[4] == "Niemand verfügbar" for r in rows)
    assert any(r[1] == "Bedarfe ohne passendes Angebot" for r in rows)
    xlsx = client.request("GET", "/report.xlsx?period=2026Q3")
    (tmp_path / "r.xlsx").write_bytes(xlsx.content)
    sheet = [list(r) for r in openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True)]
    assert [r[5] for r in sheet if list(r[:5]) == key] == [
        value(new, "referrals_by_service_outcome", ["*", "fit", "no_place"])
    ]
    ods = client.request("GET", "/report.ods?period=2026Q3").content
    assert ods[:2] == b"PK"

    answer = client.request("GET", "/report.pdf?period=2026Q3")
    (tmp_path / "r.pdf").write_bytes(answer.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "Angebotslücken" in text
    assert "Vermittlungen nach Angebot und Ergebnis, 3. Quartal 2026" in flat
    assert "Tabelle 7: Angebotslücken nach Gemeinde, 3. Quartal 2026" in flat
    assert "Kein Platz frei" in text and "Niemand verfügbar" in text and "Vermittlungen" in text
    assert "Tabelle 11: Entwicklung: Anträge je Quartal" in flat
    for code in ("no_place", "none_available", "fa_ps"):
        assert code not in text
