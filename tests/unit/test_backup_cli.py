"""The command line of backups, export, erasure, audit and retention, run through kim_desk.commands.main."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kim_desk import vault
from kim_desk.commands import main
from kim_desk.logs import setup_logging
from kim_desk.paths import DataPaths
from tests.conftest import PASSPHRASE


@pytest.fixture
def kim(desk_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., int]]:
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE, "utf-8")
    monkeypatch.setenv("KIM_DESK_PASSPHRASE_FILE", str(secret))
    monkeypatch.setattr(vault, "SystemKeyring", lambda: None)

    def run(*args: str) -> int:
        return main([*args, "--data-dir", str(desk_paths.root)])

    yield run
    setup_logging(None)


def test_backup_create_list_verify_restore(
    kim: Callable[..., int], desk_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kim("backup", "create") == 0
    out = capsys.readouterr().out
    assert "angelegt und geprüft (60 Personen)" in out
    name = out.split()[1]
    assert kim("backup", "list") == 0
    assert f"{name}  " in capsys.readouterr().out
    assert kim("backup", "verify") == 0
    assert f"{name}: in Ordnung" in capsys.readouterr().out
    assert kim("client", "erase", "5", "--yes") == 0
    assert kim("backup", "restore", name) == 2  # no --yes and no terminal: refused, nothing replaced
    assert "--yes" in capsys.readouterr().err
    assert kim("backup", "restore", name, "--yes") == 0
    assert "59 Personen; 1 spätere Löschungen erneut angewandt" in capsys.readouterr().out


def test_client_export_and_erase(
    kim, desk_paths: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kim("client", "export", "7", "-o", str(tmp_path / "out")) == 0
    assert len(list((tmp_path / "out").glob("auskunft-*.pdf"))) == 1
    assert len(list((tmp_path / "out").glob("auskunft-*.json"))) == 1
    assert kim("client", "erase", "7") == 2
    assert kim("client", "erase", "7", "--yes") == 0
    assert "Person 7 wurde gelöscht." in capsys.readouterr().out
    assert kim("client", "erase", "7", "--yes") == 4
    assert "keine Klientin / keinen Klienten mit der Nummer 7" in capsys.readouterr().err
    assert kim("client", "export", "7", "-o", str(tmp_path / "out2")) == 4
    assert not (tmp_path / "out2").exists()


def test_audit_verify_detects_tampering(
    kim: Callable[..., int], desk_paths: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlcipher3

    assert kim("client", "erase", "3", "--yes") == 0
    assert kim("audit", "verify") == 0
    assert "Zugriffsprotokoll in Ordnung" in capsys.readouterr().out
    key = vault.unlock(desk_paths, lambda _r: PASSPHRASE, None).key
    conn = sqlcipher3.connect(str(desk_paths.database))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    conn.commit()
    conn.close()
    assert kim("audit", "verify") == 1
    assert "Das Zugriffsprotokoll wurde verändert" in capsys.readouterr().err


def test_retention_list_and_apply(kim: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert kim("retention", "list") == 0
    out = capsys.readouterr().out
    assert out.startswith("Aufbewahrungsfrist: 3 Jahre nach Abschluss; fällig: ")
    due = int(out.split("fällig: ")[1].split()[0])
    assert kim("retention", "apply", "--yes") == 0
    after = capsys.readouterr().out
    assert (f"{due} Personen bearbeitet." in after) if due else ("Keine Person ist fällig." in after)
    assert kim("retention", "list") == 0
    assert "fällig: 0" in capsys.readouterr().out
