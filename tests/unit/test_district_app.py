"""The district service: intake refuses what it must and shows what it took in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from kim_desk.district.accounts import Accounts
from kim_desk.district.app import create_app
from kim_desk.district.store import DistrictStore
from kim_desk.stats.payload import MAX_PAYLOAD_BYTES, canonical_json
from kim_desk.stats.periods import Quarter
from kim_desk.stats.report import build_report
from kim_desk.stats.synthetic import plain_store, populate
from tests.asgi import call_app

TODAY = dt.date(2026, 10, 20)


class App:
    def __init__(self, store: DistrictStore, **options) -> None:
        self.app = create_app(store, today=lambda: TODAY, **options)
        self.store = store
        self.cookie = ""

    def request(self, method: str, path: str, client: str = "127.0.0.1", **kwargs) -> httpx.Response:
        if self.cookie:
            kwargs["headers"] = {"Cookie": self.cookie, **kwargs.get("headers", {})}
        return call_app(self.app, httpx.Request(method, "http://127.0.0.1:8765" + path, **kwargs), client)

    def login(self, user: str = "kim.staff", password: str = "ein langes Passwort") -> httpx.Response:
        """Sign in as staff (the account is made on first use), keeping the session cookie."""
        if user not in Accounts(self.store).names():
            Accounts(self.store).add(user, password)
        answer = self.request("POST", "/login", content=urlencode({"user": user, "password": password}).encode())
        assert answer.status_code == 303, answer.text
        self.cookie = answer.headers["set-cookie"].split(";")[0]
        return answer


@pytest.fixture
def store(tmp_path: Path) -> DistrictStore:
    return DistrictStore(tmp_path / "district.sqlite3")


def desk_payload(desk_id: str, quarter: Quarter, municipality: str = "ahlen", seed: int = 7) -> dict:
    store = plain_store()
    populate(store, clients=400, contacts_per_client=3, quarters=[quarter], municipalities=(municipality,), seed=seed)
    return build_report(store, desk_id=desk_id, municipality=municipality, quarter=quarter, app_version="0.1.0")


def enrol(app: App, store: DistrictStore, municipality: str = "ahlen") -> tuple[str, str]:
    _desk, code = store.add_desk(f"Desk {municipality}", municipality)
    answer = app.request("POST", "/api/v1/enrol", json={"code": code, "first_period": "2026Q2"})
    assert answer.status_code == 200
    data = answer.json()
    # The code is spent: a second use is refused.
    assert app.request("POST", "/api/v1/enrol", json={"code": code}).status_code == 401
    return data["desk_id"], data["token"]


def rows(store: DistrictStore) -> tuple[int, int]:
    return (
        store.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0],
        store.conn.execute("SELECT COUNT(*) FROM figure").fetchone()[0],
    )


def test_secrets_are_stored_hashed_only(store: DistrictStore) -> None:
    app = App(store)
    _desk_id, token = enrol(app, store)
    raw = store.path.read_bytes() + Path(str(store.path) + "-wal").read_bytes()
    assert token.encode() not in raw


def test_bad_requests_get_4xx_and_change_nothing(store: DistrictStore) -> None:
    app = App(store)
    desk_id, token = enrol(app, store)
    other_id, _other_token = enrol(app, store, "beckum")
    good = desk_payload(desk_id, Quarter(2026, 3))
    auth = {"Authorization": f"Bearer {token}"}
    before = rows(store)
    cases = [
        ({}, canonical_json(good), 401),
        ({"Authorization": "Bearer wrong"}, canonical_json(good), 401),
        (auth, b"{not json", 422),
        (auth, json.dumps({**good, "notes": "Frau X"}).encode(), 422),
        (auth, json.dumps({**good, "k": 1}).encode(), 422),
        (auth, b" " * (MAX_PAYLOAD_BYTES + 1), 413),
        (auth, canonical_json(desk_payload(other_id, Quarter(2026, 3), "beckum")), 403),
        (auth, canonical_json({**good, "municipality": "beckum"}), 422),
        (auth, canonical_json(desk_payload(desk_id, Quarter(2026, 4))), 422),
    ]
    bad_cell = json.loads(canonical_json(good))
    bad_cell["tables"]["contacts_by_channel"]["cells"][0]["key"][0] = "Ahmed Canary"
    cases.append((auth, canonical_json(bad_cell), 422))
    for headers, body, status in cases:
        answer = app.request("POST", "/api/v1/reports", headers=headers, content=body)
        assert answer.status_code == status, (status, answer.text)
    assert rows(store) == before
    first = app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(good))
    assert first.status_code == 201 and first.json()["status"] == "stored"
    again = app.request(
        "POST", "/api/v1/reports", headers=auth, content=json.dumps(good, indent=2).encode()
    )  # same content, other bytes
    assert again.status_code == 200 and again.json()["status"] == "already"
    changed = {**good, "app_version": "0.2.0"}
    assert app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(changed)).status_code == 409
    assert rows(store)[0] == 1


def test_csv_dashboard_and_pdf_show_the_merged_figures(store: DistrictStore, tmp_path) -> None:
    app = App(store)
    sent = {}
    for municipality, seed in (("ahlen", 1), ("beckum", 2)):
        desk_id, token = enrol(app, store, municipality)
        payload = desk_payload(desk_id, Quarter(2026, 3), municipality, seed)
        sent[municipality] = payload
        assert (
            app.request(
                "POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=canonical_json(payload)
            ).status_code
            == 201
        )
    app.login()
    table = list(csv.reader(io.StringIO(app.request("GET", "/report.csv?period=2026Q3").text)))
    assert table[0] == [
        "Quartal",
        "Tabelle",
        "Gemeinde",
        "Merkmal 1",
        "Merkmal 2",
        "Anzahl",
        "Erwarteter Fehler (±)",
        "Gesperrt",
    ]
    by_key = {(r[1], r[2], r[3], r[4]): r[5] for r in table[1:]}
    for municipality, payload in sent.items():
        contacts = next(c for c in payload["tables"]["contacts_by_channel"]["cells"] if c["key"] == [municipality, "*"])
        assert by_key[("contacts_by_channel", municipality, "*", "")] == str(contacts["value"])
    grand = sum(p["tables"]["contacts_by_channel"]["total"] for p in sent.values())
    assert by_key[("contacts_by_channel", "*", "*", "")] == str(grand)
    html = app.request("GET", "/?period=2026Q3").text
    assert "<svg" in html and "Ahlen" in html and "Beckum" in html and "<script" not in html
    assert "Anträge nach Gemeinde" in html and "eingegangen" in html
    pdf = app.request("GET", "/report.pdf?period=2026Q3")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "3. Quartal 2026" in text and "Beckum" in text
    assert f"{grand:,}".replace(",", ".") in text or str(grand) in text


def test_district_cli_bad_input_gets_one_clear_line(tmp_path: Path, capsys) -> None:
    from kim_desk.district.cli import main

    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["report", "--period", "2026Q9", "-o", str(tmp_path / "x.csv"), *data]) == 2
    assert "Ungültiges Quartal" in capsys.readouterr().err
    assert main(["report", "--period", "2026Q3", "-o", str(tmp_path / "x.docx"), *data]) == 2
    assert ".pdf oder .csv" in capsys.readouterr().err
    assert main(["desk", "add", "Caritas", "--municipality", "muenster", *data]) == 2
    assert "Unbekannte Gemeinde" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.docx").exists()
    assert main(["desk", "add", "Caritas Ahlen", "--municipality", "ahlen", *data]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 27 and code.count("-") == 3
    assert main(["desk", "list", *data]) == 0
    listed = capsys.readouterr().out
    assert "caritas-ahlen-" in listed and code not in listed
