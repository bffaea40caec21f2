"""The command line as a person uses it: demo data, listings, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import all_bytes
from tests.e2e.harness import run_kim

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    secret = root / "passphrase.txt"
    secret.write_text("demo desk passphrase\n", "utf-8")
    result = run_kim("demo", "--clients", "40", data_dir=root / "desk", passphrase_file=secret)
    assert result.code == 0, result.err
    assert "40 Personen" in result.out
    assert "Wiederherstellungscode" in result.out
    return root / "desk", secret


def test_demo_clients_are_listed_as_json(demo_dir: tuple[Path, Path]) -> None:
    data_dir, secret = demo_dir
    result = run_kim("clients", "--json", data_dir=data_dir, passphrase_file=secret)
    assert result.code == 0, result.err
    clients = json.loads(result.out)
    assert len(clients) == 40
    assert all(c["family_name"] and c["municipality"] for c in clients)
    scripts = "".join(c["family_name_orig"] + c["given_names_orig"] for c in clients)
    assert any("\u0600" <= ch <= "\u06ff" for ch in scripts)  # Arabic script
    assert any("\u0400" <= ch <= "\u04ff" for ch in scripts)  # Cyrillic
    head = (data_dir / "desk.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"
    everything = all_bytes(data_dir)
    for client in clients:
        assert client["family_name"].encode() not in everything
        if client["family_name_orig"]:
            assert client["family_name_orig"].encode() not in everything


def test_cases_and_appointments_json(demo_dir: tuple[Path, Path]) -> None:
    data_dir, secret = demo_dir
    cases = json.loads(run_kim("cases", "--json", data_dir=data_dir, passphrase_file=secret).out)
    appointments = json.loads(run_kim("appointments", "--json", data_dir=data_dir, passphrase_file=secret).out)
    assert cases and {"id", "client_id", "type_code", "status", "deadline"} <= set(cases[0])
    assert appointments and {"id", "starts_at", "client_id"} <= set(appointments[0])


def test_data_dir_before_the_sub_command(demo_dir: tuple[Path, Path]) -> None:
    data_dir, secret = demo_dir
    result = run_kim("--data-dir", str(data_dir), "clients", "--json", passphrase_file=secret)
    assert result.code == 0, result.err
    assert len(json.loads(result.out)) == 40


def test_data_dir_from_environment(demo_dir: tuple[Path, Path]) -> None:
    data_dir, secret = demo_dir
    result = run_kim("clients", "--json", passphrase_file=secret, env={"KIM_DESK_HOME": str(data_dir)})
    assert result.code == 0 and len(json.loads(result.out)) == 40


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if not line.startswith("  ")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_wrong_passphrase(demo_dir: tuple[Path, Path], tmp_path: Path) -> None:
    data_dir, _secret = demo_dir
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase", "utf-8")
    before = (data_dir / "desk.db").read_bytes()
    result = run_kim("clients", "--json", data_dir=data_dir, passphrase_file=wrong)
    assert result.code == 3
    assert "Passphrase ist falsch" in _one_line(result.err)
    assert result.out == ""
    assert (data_dir / "desk.db").read_bytes() == before


def test_no_way_to_ask_for_the_passphrase(demo_dir: tuple[Path, Path]) -> None:
    data_dir, _secret = demo_dir
    result = run_kim("clients", data_dir=data_dir)
    assert result.code == 3
    assert "KIM_DESK_PASSPHRASE_FILE" in _one_line(result.err)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("frobnicate",), 2, "invalid choice"),
        (("demo", "--clients", "zero"), 2, "invalid int value"),
        (("demo", "--clients", "0"), 1, "--clients"),
        (("clients", "--json"), 3, "noch keine Datenbank"),
    ],
)
def test_bad_input_gets_one_line_and_non_zero_exit(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run_kim(*args, data_dir=tmp_path / "fresh")
    assert result.code == code
    assert message in _one_line(result.err)
    assert not (tmp_path / "fresh" / "desk.db").exists()


def test_demo_refuses_a_folder_with_data(demo_dir: tuple[Path, Path]) -> None:
    data_dir, secret = demo_dir
    result = run_kim("demo", "--clients", "5", data_dir=data_dir, passphrase_file=secret)
    assert result.code == 1
    assert "schon Daten" in _one_line(result.err)


def test_self_test_passes() -> None:
    result = run_kim("self-test")
    assert result.code == 0, result.out + result.err
    assert "ok    encrypted store" in result.out
