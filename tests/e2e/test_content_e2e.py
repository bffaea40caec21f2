"""A content pack from the real `kim-district` reaches a real desk when it syncs (DESIGN.md §8)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kim_desk.resources import resource_dir
from tests.e2e.harness import run_kim
from tests.e2e.test_district_e2e import Service, district, service  # noqa: F401 - the running service fixture

pytestmark = pytest.mark.e2e
NEW_LABEL = "Geburtsurkunde des Kindes (mit beglaubigter Übersetzung)"
NEW_SERVICE = """code = "elterncafe_test"
title = "Elterncafé im Familienzentrum"
kind = "early_childhood"
stand = 2026-12-01
provider = "Familienzentrum (Beispiel für den Test)"
target_group = "Eltern kleiner Kinder"
summary = "Treffen für Eltern mit kleinen Kindern."
how_to_refer = "Einfach vorbeikommen."
municipalities = ["ahlen"]
source = "Testinhalt"
"""


def test_a_published_pack_changes_the_printed_checklist_after_a_sync(service: Service, tmp_path: Path) -> None:  # noqa: F811
    key = district("content", "keygen", data_dir=service.data_dir)
    assert key.returncode == 0, key.stderr
    secret = tmp_path / "passphrase.txt"
    secret.write_text("demo desk passphrase\n", "utf-8")
    desk = tmp_path / "desk"
    assert run_kim("demo", "--clients", "80", data_dir=desk, passphrase_file=secret).code == 0
    code = district("desk", "add", "Caritas Ahlen", "--municipality", "Ahlen", data_dir=service.data_dir).stdout
    assert run_kim("sync", "enrol", service.url, code.strip(), data_dir=desk, passphrase_file=secret).code == 0

    source = tmp_path / "pack"
    for part in ("applications", "documents", "services"):
        shutil.copytree(resource_dir("forms") / part, source / "forms" / part)
    kindergeld = source / "forms" / "applications" / "kindergeld.toml"
    kindergeld.write_text(kindergeld.read_text("utf-8").replace("Geburtsurkunde des Kindes", NEW_LABEL), "utf-8")
    (source / "forms" / "services" / "elterncafe_test.toml").write_text(NEW_SERVICE, "utf-8")
    published = district("content", "publish", str(source), "--note", "Kindergeld: Geburtsurkunde",
                         data_dir=service.data_dir)  # fmt: skip
    assert published.returncode == 0, published.stderr

    synced = run_kim("sync", "run", data_dir=desk, passphrase_file=secret)
    assert synced.code == 0, synced.err
    assert "Inhaltspaket Version 1 übernommen" in synced.out and "Kindergeld: Unterlagen geändert" in synced.out
    status = json.loads(run_kim("content", "status", "--json", data_dir=desk, passphrase_file=secret).out)
    assert (status["source"], status["version"]) == ("pack", 1)
    services = json.loads(run_kim("services", "--json", data_dir=desk, passphrase_file=secret).out)
    assert "elterncafe_test" in {row["code"] for row in services}

    cases = json.loads(run_kim("cases", "--json", data_dir=desk, passphrase_file=secret).out)
    case_id = next(row["id"] for row in cases if row["type_code"] == "kindergeld")
    pdf = tmp_path / "checklist.pdf"
    printed = run_kim("print", "checklist", "--case", str(case_id), "--lang", "ar", "-o", str(pdf),
                      data_dir=desk, passphrase_file=secret)  # fmt: skip
    assert printed.code == 0, printed.err
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "beglaubigter" in text

    again = run_kim("sync", "run", data_dir=desk, passphrase_file=secret)
    assert again.code == 0 and "Inhaltspaket" not in again.out  # nothing newer: nothing fetched twice
