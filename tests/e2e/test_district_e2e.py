"""The real `kim-district` service on loopback and the real `kim-desk` sending to it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import run_kim

pytestmark = pytest.mark.e2e
CANARIES = ["Zzyzxcanary", "1913-07-29", "AZ-4711-CANARY"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def district(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kim_desk.district.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def staff_session(service: Service) -> dict[str, str]:
    """A staff account made with `kim-district user add`, signed in over HTTP: the session cookie."""
    made = district("user", "add", "kim.staff", data_dir=service.data_dir, stdin="ein langes Passwort\n")
    assert made.returncode == 0, made.stderr
    answer = httpx.post(
        service.url + "/login", data={"user": "kim.staff", "password": "ein langes Passwort"}, timeout=30
    )
    assert answer.status_code == 303, answer.text
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    return {"Cookie": cookie.split(";")[0]}


class Service:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kim_desk.district.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("kim-district did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(tmp_path / "district", free_port())
    running.start()
    yield running
    running.stop()


def plant_canaries(data_dir: Path, secret: Path) -> None:
    """Through the real store, like a counsellor would."""
    os.environ["KIM_DESK_PASSPHRASE_FILE"] = str(secret)
    try:
        from kim_desk.desk import open_desk
        from kim_desk.paths import DataPaths

        desk = open_desk(DataPaths(data_dir), keyring=None)
    finally:
        del os.environ["KIM_DESK_PASSPHRASE_FILE"]
    with desk.store.transaction():
        client_id = desk.store.conn.execute(
            "INSERT INTO client (uid, family_name, birth_date, municipality, created_at, updated_at)"
            " VALUES ('canary', 'Zzyzxcanary', '1913-07-29', 'ahlen', '2026-01-05', '2026-01-05')"
        ).lastrowid
        desk.store.conn.execute(
            'INSERT INTO "case" (client_id, type_code, opened_on, authority_ref, created_at, updated_at)'
            " VALUES (?, 'wohngeld', '2026-07-03', 'AZ-4711-CANARY', 'x', 'x')",
            (client_id,),
        )
    desk.close()


def plant_interpreter_requests(data_dir: Path, secret: Path) -> None:
    """Interpreter requests on appointments of the last closed quarter, through the real store API
    (the demo's appointments lie around today, so none of them is in a closed quarter)."""
    from kim_desk.desk import open_desk
    from kim_desk.paths import DataPaths
    from kim_desk.stats.periods import last_closed_quarter
    from kim_desk.store.appointments import Appointment, create_appointment
    from kim_desk.store.referrals import MediatorRequest, request_mediator

    os.environ["KIM_DESK_PASSPHRASE_FILE"] = str(secret)
    try:
        desk = open_desk(DataPaths(data_dir), keyring=None)
    finally:
        del os.environ["KIM_DESK_PASSPHRASE_FILE"]
    start = last_closed_quarter(desk.store.today()).start
    clients = [row[0] for row in desk.store.conn.execute("SELECT id FROM client ORDER BY id LIMIT 9")]
    for n, client_id in enumerate(clients):
        when = dt.datetime.combine(start + dt.timedelta(days=20 + 3 * n), dt.time(10, 0))
        change = create_appointment(desk.store, Appointment(client_id, when, status="done"))
        result = ("none_available", "came", "did_not_come")[n % 3]
        request_mediator(desk.store, MediatorRequest(change.id, ("ar", "uk", "fa")[n % 3], when.date(), result))
    desk.close()


def test_desk_enrols_sends_once_and_district_shows_the_figures(service: Service, tmp_path) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text("demo desk passphrase\n", "utf-8")
    desk_dir = tmp_path / "desk"
    assert run_kim("demo", "--clients", "150", data_dir=desk_dir, passphrase_file=secret).code == 0
    plant_canaries(desk_dir, secret)
    plant_interpreter_requests(desk_dir, secret)
    added = district("desk", "add", "Caritas Ahlen", "--municipality", "ahlen", data_dir=service.data_dir)
    assert added.returncode == 0, added.stderr
    code = added.stdout.strip()

    enrol = run_kim("sync", "enrol", service.url, code, data_dir=desk_dir, passphrase_file=secret)
    assert enrol.code == 0, enrol.err
    assert "Angemeldet als caritas-ahlen-" in enrol.out
    reused = run_kim("sync", "enrol", service.url, code, data_dir=desk_dir, passphrase_file=secret)
    assert reused.code != 0 and "Anmeldecode" in reused.err

    preview = run_kim("stats", "preview", "--json", data_dir=desk_dir, passphrase_file=secret)
    assert preview.code == 0, preview.err
    period = json.loads(preview.out)["period"]

    sent = run_kim("sync", "run", data_dir=desk_dir, passphrase_file=secret)
    assert sent.code == 0, sent.err
    assert "abgelehnt: 0; wartend: 0" in sent.out

    out = tmp_path / "district.csv"
    report = district("report", "--period", period, "-o", str(out), data_dir=service.data_dir)
    assert report.returncode == 0, report.stderr
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    published = {(r[1], r[2], r[3], r[4]): r[5] for r in rows[1:]}
    # The figures the counsellor previewed are the figures the district publishes.
    expected = json.loads(preview.out)["tables"]["contacts_by_channel"]
    assert published[("contacts_by_channel", "*", "*", "")] == str(expected["total"])
    for cell in expected["cells"]:
        key = ("contacts_by_channel", cell["key"][0], cell["key"][1], "")
        if cell["value"]:
            assert published[key] == str(cell["value"])
        else:
            assert key not in published  # zeros are left out; nothing is suppressed

    # Referrals, unmet needs and interpreter requests from the demo desk reach the district's CSV unchanged.
    for name in ("referrals_by_service_outcome", "unmet_needs_by_category", "mediator_requests_by_language_result"):
        table = json.loads(preview.out)["tables"][name]
        assert table["total"] > 0, name
        assert published[(name, "*", "*", "*" if len(table["dims"]) == 3 else "")] == str(table["total"])
        for cell in table["cells"]:
            key = (name, *cell["key"], "")[:4]
            assert published.get(key, "0") == str(cell["value"]), key

    again = run_kim("sync", "run", data_dir=desk_dir, passphrase_file=secret)
    assert again.code == 0 and "gesendet: 0" in again.out
    report_again = district("report", "--period", period, "-o", str(tmp_path / "again.csv"), data_dir=service.data_dir)
    assert report_again.returncode == 0
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()

    # Without a login the picture stays closed; signed in, the CSV over HTTP is the CLI's CSV.
    assert httpx.get(f"{service.url}/report.csv?period={period}", timeout=10).status_code == 401
    session = staff_session(service)
    over_http = httpx.get(f"{service.url}/report.csv?period={period}", headers=session, timeout=30)
    assert over_http.status_code == 200 and over_http.content == out.read_bytes()
    dashboard = httpx.get(f"{service.url}/?period={period}", headers=session, timeout=30).text
    assert "eingegangen" in dashboard and "<svg" in dashboard
    assert "Angebotslücken" in dashboard and "Vermittlungen nach Angebot und Ergebnis" in dashboard
    service.stop()
    log_lines = (service.data_dir / "district.log").read_text("utf-8").splitlines()
    assert any("Uvicorn running on http://127.0.0.1:" in line for line in log_lines)
    assert not any("%s" in line or "%d" in line for line in log_lines)
    for name in ("district.sqlite3", "district.log"):
        assert (service.data_dir / name).stat().st_mode & 0o077 == 0, name
    everything = b"".join(p.read_bytes() for p in service.data_dir.rglob("*") if p.is_file())
    everything += out.read_bytes() + preview.out.encode() + dashboard.encode()
    everything += b"".join(p.read_bytes() for p in (desk_dir / "logs").rglob("*") if p.is_file())
    for canary in CANARIES:
        assert canary.encode() not in everything, canary


def test_service_down_then_up_delivers_exactly_once(service: Service, tmp_path) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text("demo desk passphrase\n", "utf-8")
    desk_dir = tmp_path / "desk"
    assert run_kim("demo", "--clients", "40", data_dir=desk_dir, passphrase_file=secret).code == 0
    code = district("desk", "add", "AWO Ahlen", "--municipality", "ahlen", data_dir=service.data_dir).stdout.strip()
    not_enrolled = run_kim("sync", "run", data_dir=desk_dir, passphrase_file=secret)
    assert not_enrolled.code != 0 and "noch nicht beim Kreis angemeldet" in not_enrolled.err
    plain = run_kim("sync", "enrol", "http://kim.example.org", code, data_dir=desk_dir, passphrase_file=secret)
    assert plain.code != 0 and "nur zum eigenen Rechner" in plain.err and len(plain.err.strip().splitlines()) == 1
    assert run_kim("sync", "enrol", service.url, code, data_dir=desk_dir, passphrase_file=secret).code == 0
    service.stop()
    down = run_kim("sync", "run", data_dir=desk_dir, passphrase_file=secret)
    assert down.code != 0 and "nicht erreichbar" in down.err
    status = run_kim("sync", "status", data_dir=desk_dir, passphrase_file=secret)
    assert "queued" in status.out and "ConnectError" in status.out
    service.start()
    up = run_kim("sync", "run", data_dir=desk_dir, passphrase_file=secret)
    assert up.code == 0, up.err
    db = service.data_dir / "district.sqlite3"

    with sqlite3.connect(db) as conn:
        per_period = conn.execute("SELECT period, COUNT(*) FROM report GROUP BY period").fetchall()
    queued = len(re.findall(r"^\d{4}Q\d\tqueued\t", status.out, flags=re.MULTILINE))
    assert queued >= 2
    assert len(per_period) == queued and all(n == 1 for _p, n in per_period)


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """An organisation's own CA and a server certificate for 127.0.0.1 signed by it."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kreis Test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def test_https_with_the_organisations_own_ca(tmp_path: Path) -> None:
    from kim_desk.store import open_store
    from kim_desk.sync.client import SyncError, make_client
    from kim_desk.sync.service import enrol_desk

    ca, cert, key = make_certificates(tmp_path)
    data_dir, port = tmp_path / "district", free_port()
    code = district("desk", "add", "DRK Oelde", "--municipality", "oelde", data_dir=data_dir).stdout.strip()
    process = subprocess.Popen(
        [sys.executable, "-m", "kim_desk.district.cli", "serve", "--port", str(port), "--data-dir", str(data_dir),
         "--tls-cert", str(cert), "--tls-key", str(key)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"https://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/healthz", verify=False, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        store = open_store(tmp_path / "desk.db", os.urandom(32), create=True)
        today = dt.date(2026, 11, 20)
        with make_client(url) as untrusted, pytest.raises(SyncError, match="nicht vertrauenswürdig"):
            enrol_desk(store, untrusted, url, code, today)
        with make_client(url, ca_bundle=str(ca)) as trusted:
            enrolled = enrol_desk(store, trusted, url, code, today, ca_bundle=str(ca))
        assert enrolled.municipality == "oelde" and enrolled.ca_bundle == str(ca)
    finally:
        process.terminate()
        process.wait(timeout=30)
