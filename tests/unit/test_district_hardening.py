"""The district service under attack: every hostile input gets a 4xx (never a 500) and changes nothing;
bugs give a bare 500 with a trace id that the log ties to the exception's type."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from kim_desk.district.accounts import Accounts
from kim_desk.district.http import FailureLimit, Refused, nesting_depth
from kim_desk.district.migrations import SCHEMA_VERSION, DistrictTooNew
from kim_desk.district.store import DistrictError, DistrictStore, _hash
from kim_desk.errors import UsageError
from kim_desk.logs import JsonFormatter
from kim_desk.stats.payload import canonical_json
from kim_desk.stats.periods import Quarter, is_period
from tests.unit.test_district_app import App, desk_payload, enrol, rows

CANARY = "Zzyzxcanary"
HOSTILE_QUARTERS = ["２０２６Q3", "٢٠٢٦Q3", "2025Q2\n", "2026Q3 ", "2026q3", "12026Q3", "2026Q5"]


class Clock:
    """Moves only when the test says so (no sleeps, no timed assertions)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.moment = dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC)

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[DistrictStore]:
    made = DistrictStore(tmp_path / "district.sqlite3", now=clock.now)
    yield made
    made.close()


def everything(store: DistrictStore) -> list[object]:
    """Every row of every table: "changes nothing" is checked on all of it."""
    tables = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [(t, store.conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()) for t in tables]


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# --- quarters ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_QUARTERS)
def test_only_ascii_quarters_without_trailing_newline_are_quarters(text: str) -> None:
    assert not is_period(text)
    assert is_period("2026Q3")


def test_reports_for_hostile_quarters_are_refused_and_change_nothing(store: DistrictStore) -> None:
    app = App(store)
    desk_id, token = enrol(app, store)
    before = everything(store)
    for period in HOSTILE_QUARTERS:
        payload = desk_payload(desk_id, Quarter(2026, 3))
        payload = {**payload, "period": period, "report_id": f"{desk_id}:{period}"}
        answer = app.request(
            "POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=canonical_json(payload)
        )
        assert answer.status_code == 422, (period, answer.text)
    assert everything(store) == before
    app.login()
    for period in ["２０２６Q3", "2026Q3%0A", "bogus", "2026Q3%00"]:
        assert app.request("GET", f"/?period={period}", headers={"Accept": "text/html"}).status_code == 400
        assert app.request("GET", f"/report.csv?period={period}").status_code == 400
    assert app.request("GET", "/report.csv?period=2031Q1").status_code == 404
    page = app.request("GET", "/?period=bogus", headers={"Accept": "text/html"})
    assert "Das Quartal ist ungültig" in page.text


# --- JSON limits --------------------------------------------------------------------------


def test_nesting_is_measured_without_parsing_and_strings_do_not_count() -> None:
    assert nesting_depth(b'{"a": [1, {"b": "[[[[[[[[["}]}') == 3
    assert nesting_depth(deep(2000)) == 2000
    assert nesting_depth(b'"\\"[[[["') == 0
    with pytest.raises(Refused):
        nesting_depth(b'["never closed')


def test_deep_odd_and_huge_json_gets_4xx_on_every_endpoint(store: DistrictStore) -> None:
    app = App(store)
    _desk_id, token = enrol(app, store)
    before = everything(store)
    bodies = [
        deep(2000),
        b'{"code": ' + deep(2000) + b"}",
        b'{"code": "A", "code": "B"}',
        b'{"code": NaN}',
        b'{"code": ' + b"9" * 5000 + b"}",
        b"\xff\xfe{}",
        b"",
        b"[]",
        b" " * 5000,
    ]
    for body in bodies:
        enrolled = app.request("POST", "/api/v1/enrol", content=body, client="10.0.0.1")
        assert 400 <= enrolled.status_code < 500, (body[:30], enrolled.text)
        sent = app.request("POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=body)
        assert 400 <= sent.status_code < 500, (body[:30], sent.text)
    # Unterminated strings full of escaped quotes: once a search from every quote (quadratic, hours).
    hostile = b'{"period": "' + b'\\"' * 400_000
    sent = app.request("POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=hostile)
    assert sent.status_code == 422
    login = app.request("POST", "/login", content=b"user=" + b"%5B" * 3000 + b"&password=\xff")
    assert 400 <= login.status_code < 500
    assert everything(store) == before


# --- enrolment codes ------------------------------------------------------------------------


def test_codes_work_with_or_without_dashes_and_in_any_case(store: DistrictStore) -> None:
    app = App(store)
    for typed in (lambda c: c.replace("-", ""), lambda c: c.lower(), lambda c: f"  {c.replace('-', ' ')} "):
        _desk, code = store.add_desk("Desk", "ahlen")
        answer = app.request("POST", "/api/v1/enrol", json={"code": typed(code)})
        assert answer.status_code == 200, answer.text


def test_codes_expire(store: DistrictStore, clock: Clock) -> None:
    app = App(store)
    _desk, code = store.add_desk("Desk", "ahlen", valid_days=3)
    assert [d.state for d in store.desks()] == ["code_open"]
    clock.moment += dt.timedelta(days=3, seconds=1)
    assert [d.state for d in store.desks()] == ["code_expired"]
    before = everything(store)
    assert app.request("POST", "/api/v1/enrol", json={"code": code}).status_code == 401
    assert everything(store) == before


def test_wrong_codes_are_rate_limited_per_address_with_retry_after(store: DistrictStore, clock: Clock) -> None:
    app = App(store, failures=FailureLimit(limit=10, window=600, clock=clock.monotonic))
    _desk, code = store.add_desk("Desk", "ahlen")
    for n in range(10):
        wrong = app.request("POST", "/api/v1/enrol", json={"code": f"WRONG-{n}"}, client="10.0.0.7")
        assert wrong.status_code == 401
    before = everything(store)
    blocked = app.request("POST", "/api/v1/enrol", json={"code": code}, client="10.0.0.7")
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["Retry-After"]) <= 601
    assert everything(store) == before  # even the right code is not looked at
    clock.seconds += 300
    assert app.request("POST", "/api/v1/enrol", json={"code": code}, client="10.0.0.7").status_code == 429
    clock.seconds += 301
    assert app.request("POST", "/api/v1/enrol", json={"code": code}, client="10.0.0.7").status_code == 200


def test_another_address_is_not_blocked(store: DistrictStore, clock: Clock) -> None:
    app = App(store, failures=FailureLimit(limit=3, window=600, clock=clock.monotonic))
    _desk, code = store.add_desk("Desk", "ahlen")
    for _ in range(3):
        app.request("POST", "/api/v1/enrol", json={"code": "nope"}, client="10.0.0.7")
    assert app.request("POST", "/api/v1/enrol", json={"code": code}, client="10.0.0.7").status_code == 429
    assert app.request("POST", "/api/v1/enrol", json={"code": code}, client="10.0.0.8").status_code == 200


def test_revoke_stops_the_token_and_reissue_gives_the_same_desk_a_new_code(store: DistrictStore) -> None:
    app = App(store)
    desk_id, token = enrol(app, store)
    auth = {"Authorization": f"Bearer {token}"}
    payload = canonical_json(desk_payload(desk_id, Quarter(2026, 2)))
    assert app.request("POST", "/api/v1/reports", headers=auth, content=payload).status_code == 201
    store.revoke(desk_id)
    assert store.desk(desk_id).state == "revoked"
    stored = rows(store)
    later = canonical_json(desk_payload(desk_id, Quarter(2026, 3)))
    assert app.request("POST", "/api/v1/reports", headers=auth, content=later).status_code == 401
    assert rows(store) == stored  # what it sent before stays
    _desk, code = store.reissue(desk_id)
    assert app.request("POST", "/api/v1/reports", headers=auth, content=later).status_code == 401
    again = app.request("POST", "/api/v1/enrol", json={"code": code}).json()
    assert again["desk_id"] == desk_id and again["token"] != token
    new_auth = {"Authorization": f"Bearer {again['token']}"}
    assert app.request("POST", "/api/v1/reports", headers=new_auth, content=later).status_code == 201
    with pytest.raises(UsageError, match="Unbekannter Arbeitsplatz"):
        store.revoke("no-such-desk")


def test_municipalities_by_official_name_or_code(store: DistrictStore) -> None:
    assert store.add_desk("A", "Ahlen")[0].municipality == "ahlen"
    assert store.add_desk("B", "  BECKUM ")[0].municipality == "beckum"
    assert store.add_desk("C", "sendenhorst")[0].municipality == "sendenhorst"
    before = everything(store)
    for wrong in ("Münster", "", "ahlen; DROP TABLE desk", "Ahlen\n"[:-1] + "x"):
        with pytest.raises(UsageError, match="Unbekannte Gemeinde"):
            store.add_desk("D", wrong)
    assert everything(store) == before


# --- login ---------------------------------------------------------------------------------


def test_without_login_the_picture_stays_closed(store: DistrictStore) -> None:
    app = App(store)
    desk_id, token = enrol(app, store)
    payload = canonical_json(desk_payload(desk_id, Quarter(2026, 3)))
    assert app.request("POST", "/api/v1/reports", headers={"Authorization": f"Bearer {token}"}, content=payload)
    for path in ("/", "/report.csv", "/report.pdf?period=2026Q3", "/?period=2026Q3"):
        answer = app.request("GET", path, headers={"Accept": "*/*"})  # what curl sends
        assert answer.status_code == 401, path
        assert "Ahlen" not in answer.text
    browser = app.request("GET", "/?period=2026Q3", headers={"Accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"] == "/login?next=%2F%3Fperiod%3D2026Q3"
    form = app.request("GET", "/login?next=%2F%3Fperiod%3D2026Q3")
    assert form.status_code == 200 and "Passwort" in form.text and 'value="/?period=2026Q3"' not in form.text
    app.cookie = "kim_session=forged"
    assert app.request("GET", "/report.csv").status_code == 401


def test_login_with_argon2id_and_a_strict_session_cookie(store: DistrictStore) -> None:
    app = App(store)
    Accounts(store).add("kim.staff", "ein langes Passwort")
    stored = store.conn.execute("SELECT password_hash FROM account").fetchone()[0]
    assert stored.startswith("$argon2id$") and "ein langes Passwort" not in stored
    wrong = app.request("POST", "/login", content=urlencode({"user": "kim.staff", "password": "falsch"}).encode())
    assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
    assert "stimmt nicht" in wrong.text
    good = app.request(
        "POST",
        "/login",
        content=urlencode({"user": "kim.staff", "password": "ein langes Passwort", "next": "//evil.example/"}).encode(),
    )
    assert good.status_code == 303 and good.headers["location"] == "/"
    cookie = good.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert token not in json.dumps(everything(store))  # only its hash is kept
    app.cookie = cookie.split(";")[0]
    assert app.request("GET", "/report.csv").status_code == 200
    assert app.request("POST", "/logout").status_code == 303
    assert app.request("GET", "/report.csv").status_code == 401


def test_wrong_passwords_are_rate_limited(store: DistrictStore, clock: Clock) -> None:
    app = App(store, failures=FailureLimit(limit=3, window=600, clock=clock.monotonic))
    Accounts(store).add("kim.staff", "ein langes Passwort")
    for _ in range(3):
        body = urlencode({"user": "kim.staff", "password": "x"}).encode()
        assert app.request("POST", "/login", content=body).status_code == 401
    body = urlencode({"user": "kim.staff", "password": "ein langes Passwort"}).encode()
    blocked = app.request("POST", "/login", content=body)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "set-cookie" not in blocked.headers


def test_accounts_refuse_short_passwords_odd_names_and_doubles(store: DistrictStore) -> None:
    accounts = Accounts(store)
    with pytest.raises(UsageError, match="mindestens"):
        accounts.add("kim.staff", "kurz")
    with pytest.raises(UsageError, match="Benutzernamen"):
        accounts.add("<script>", "ein langes Passwort")
    accounts.add("kim.staff", "ein langes Passwort")
    with pytest.raises(UsageError, match="gibt es schon"):
        accounts.add("KIM.staff", "ein anderes Passwort")
    assert accounts.names() == ["kim.staff"]


# --- bugs ----------------------------------------------------------------------------------


def test_a_bug_gives_a_500_with_a_trace_id_logged_with_its_exception_type(store: DistrictStore, monkeypatch) -> None:
    app = App(store)
    app.login()
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)

    def broken() -> list[str]:
        raise RuntimeError(f"Frau {CANARY}")

    monkeypatch.setattr(store, "periods", broken)
    try:
        answer = app.request("GET", "/report.csv")
    finally:
        logging.getLogger().removeHandler(handler)
    assert answer.status_code == 500
    trace = answer.json()["trace_id"]
    assert answer.json() == {"status": "error", "reason": "internal", "trace_id": trace}
    assert CANARY not in answer.text and "RuntimeError" not in answer.text
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    failed = [line for line in logged if line.get("trace_id") == trace]
    assert len(failed) == 1 and failed[0]["exception"] == "builtins.RuntimeError"
    assert failed[0]["event"] == "request.failed" and failed[0]["path"] == "/report.csv"
    assert any("broken" in frame for frame in failed[0]["frames"])
    assert CANARY not in lines.getvalue() and "Exception in ASGI application" not in lines.getvalue()


# --- the file itself -----------------------------------------------------------------------


def test_database_file_is_private(store: DistrictStore) -> None:
    store.add_desk("Desk", "ahlen")
    for path in store.path.parent.glob("district.sqlite3*"):
        assert path.stat().st_mode & 0o077 == 0, path.name


V1_SCHEMA = [  # the tables as the first service shipped them (no user_version)
    "CREATE TABLE desk (id TEXT PRIMARY KEY, name TEXT NOT NULL, municipality TEXT NOT NULL, first_period TEXT,"
    " code_hash TEXT UNIQUE, token_hash TEXT UNIQUE, created_at TEXT NOT NULL, enrolled_at TEXT)",
    "CREATE TABLE report (report_id TEXT PRIMARY KEY, desk_id TEXT NOT NULL REFERENCES desk(id), period TEXT NOT NULL,"
    " content_hash TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL)",
    "CREATE INDEX report_period ON report(period)",
    "CREATE TABLE figure (report_id TEXT NOT NULL REFERENCES report(report_id), period TEXT NOT NULL,"
    " tbl TEXT NOT NULL, key TEXT NOT NULL, value INTEGER)",
    "CREATE INDEX figure_period ON figure(period, tbl)",
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def test_a_file_of_the_first_schema_upgrades_with_its_desks_and_open_codes(tmp_path: Path) -> None:
    path = tmp_path / "district.sqlite3"
    with sqlite3.connect(path) as conn:
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO desk VALUES ('old-desk', 'Alt', 'ahlen', '2026Q1', ?, NULL, '2026-01-01T00:00:00Z', NULL)",
            (_hash("ABCDEF-GHJKLM-NPQRST-UVWXYZ"),),  # codes were hashed with their dashes
        )
        conn.execute("INSERT INTO setting VALUES ('k', '7')")
    conn.close()
    store = DistrictStore(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [d.state for d in store.desks()] == ["code_open"]
        assert store.conn.execute("SELECT value FROM setting WHERE key = 'k'").fetchone()[0] == "7"  # kept as it was
        expires = store.conn.execute("SELECT code_expires_at FROM desk").fetchone()[0]
        left = dt.datetime.fromisoformat(expires) - dt.datetime.now(dt.UTC)
        assert dt.timedelta(days=13) < left <= dt.timedelta(days=14)  # old codes expire too, 14 days on
        desk, _token = store.enrol("abcdefghjklmnpqrstuvwxyz", "2026Q2")  # typed without dashes
        assert desk.id == "old-desk" and desk.first_period == "2026Q1"
        with pytest.raises(DistrictError):
            store.enrol("ABCDEF-GHJKLM-NPQRST-UVWXYZ", "2026Q2")  # spent
    finally:
        store.close()


def test_a_file_from_a_newer_service_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "district.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DistrictTooNew, match="neueren Version"):
        DistrictStore(path)
    assert path.read_bytes() == before


# --- the command line ----------------------------------------------------------------------


def run_cli(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    from kim_desk.district.cli import main

    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_desks_by_name_revoke_reissue_and_list(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    code, out, err = run_cli(capsys, "desk", "add", "Caritas Ahlen", "--municipality", "Ahlen", *data)
    assert code == 0 and "gültig 14 Tage" in err
    first_code = out.strip()
    listed = run_cli(capsys, "desk", "list", *data)[1]
    desk_id = listed.split("\t")[0]
    assert "\tahlen\t" in listed and "Code offen" in listed and first_code not in listed
    assert run_cli(capsys, "desk", "revoke", desk_id, *data)[0] == 0
    assert "gesperrt" in run_cli(capsys, "desk", "list", *data)[1]
    code, out, _err = run_cli(capsys, "desk", "reissue", desk_id, "--valid-days", "3", *data)
    assert code == 0 and out.strip() != first_code and len(out.strip()) == 27
    assert "Code offen" in run_cli(capsys, "desk", "list", *data)[1]
    code, _out, err = run_cli(capsys, "desk", "revoke", "nobody", *data)
    assert code == 2 and "Unbekannter Arbeitsplatz" in err
    code, _out, err = run_cli(capsys, "desk", "add", "X", "--municipality", "Ahlen", "--valid-days", "0", *data)
    assert code == 2 and "1 bis 90 Tage" in err


def test_cli_user_add_reads_the_password_from_stdin(tmp_path: Path, capsys, monkeypatch) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    code, _out, err = run_cli(capsys, "user", "add", "kim", *data, stdin="kurz\n", monkeypatch=monkeypatch)
    assert code == 2 and "mindestens 12 Zeichen" in err
    code, _out, err = run_cli(
        capsys, "user", "add", "Kim.Staff", *data, stdin="ein langes Passwort\n", monkeypatch=monkeypatch
    )
    assert code == 0 and "kim.staff" in err
    store = DistrictStore(tmp_path / "d" / "district.sqlite3")
    try:
        assert Accounts(store).login("kim.staff", "ein langes Passwort") is not None
    finally:
        store.close()


def test_cli_refuses_plain_http_beyond_loopback(tmp_path: Path, capsys, monkeypatch) -> None:
    import uvicorn

    served: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(options))
    data = ["--data-dir", str(tmp_path / "d")]
    for host in ("0.0.0.0", "192.168.1.5", "kim.kreis-warendorf.de", "::"):
        code, _out, err = run_cli(capsys, "serve", "--host", host, *data)
        assert code == 2 and "--insecure-http" in err, host
    assert served == [] and not (tmp_path / "d").exists()
    assert run_cli(capsys, "serve", "--host", "127.0.0.1", *data)[0] == 0
    assert run_cli(capsys, "serve", "--host", "::1", *data)[0] == 0
    code, _out, err = run_cli(capsys, "serve", "--host", "0.0.0.0", "--insecure-http", *data)
    assert code == 0 and "WARNUNG" in err and "unverschlüsselt" in err
    assert [options["host"] for options in served] == ["127.0.0.1", "::1", "0.0.0.0"]
    log = (tmp_path / "d" / "district.log").read_text("utf-8")
    assert "serve.insecure_http" in log
    for handler in [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_cli_report_file_is_private(tmp_path: Path, capsys) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    out = tmp_path / "picture.csv"
    assert run_cli(capsys, "report", "--period", "2026Q3", "-o", str(out), *data)[0] == 0
    assert out.stat().st_mode & 0o077 == 0
    code, _out, err = run_cli(capsys, "report", "--period", "２０２６Q3", "-o", str(out), *data)
    assert code == 2 and "Ungültiges Quartal" in err


def test_dashboard_shows_application_types_by_their_titles(store: DistrictStore) -> None:
    from html import escape

    from kim_desk.district.dashboard import application_titles

    app = App(store)
    desk_id, token = enrol(app, store)
    payload = desk_payload(desk_id, Quarter(2026, 3))
    auth = {"Authorization": f"Bearer {token}"}
    assert app.request("POST", "/api/v1/reports", headers=auth, content=canonical_json(payload)).status_code == 201
    app.login()
    html = app.request("GET", "/?period=2026Q3", headers={"Accept": "text/html"}).text
    codes = {c["key"][1] for c in payload["tables"]["cases_by_type_state"]["cells"] if c["value"]} - {"*"}
    titles = application_titles()
    assert len(codes & set(titles)) >= 2
    for code in codes & set(titles):
        assert escape(titles[code]) in html, code
        assert f">{code}<" not in html, code
