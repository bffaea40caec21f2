"""`kim-desk print referral` and `print mediator-request` as a person runs them, on demo data."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import run_kim

pytestmark = pytest.mark.e2e


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("referral-print")
    secret = root / "passphrase.txt"
    secret.write_text("demo desk passphrase\n", "utf-8")
    result = run_kim("demo", "--clients", "30", data_dir=root / "desk", passphrase_file=secret)
    assert result.code == 0, result.err
    return root / "desk", secret


def test_print_a_referral_slip_in_arabic(demo_desk: tuple[Path, Path], tmp_path: Path) -> None:
    data_dir, secret = demo_desk
    listed = run_kim("referrals", "--json", data_dir=data_dir, passphrase_file=secret)
    assert listed.code == 0, listed.err
    referral = json.loads(listed.out)[0]
    out = tmp_path / "slip.pdf"
    result = run_kim("print", "referral", "--referral", str(referral["id"]), "--lang", "ar", "--out", str(out),
                     data_dir=data_dir, passphrase_file=secret)  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    text = _text(out)
    assert "Ihre Vermittlung an ein Angebot" in text and "Telefon: nicht bekannt" in text
    assert "إحالتك إلى خدمة" in text.replace("\u202b", "").replace("\u202c", "")  # the title in Arabic


def test_print_the_interpreter_request_and_refuse_one_without_request(
    demo_desk: tuple[Path, Path], tmp_path: Path
) -> None:
    data_dir, secret = demo_desk
    listed = run_kim("appointments", "--json", data_dir=data_dir, passphrase_file=secret)
    assert listed.code == 0, listed.err
    printed, refused = None, None
    for appointment in json.loads(listed.out)[:30]:
        out = tmp_path / f"pool-{appointment['id']}.pdf"
        result = run_kim("print", "mediator-request", "--appointment", str(appointment["id"]), "-o", str(out),
                         data_dir=data_dir, passphrase_file=secret)  # fmt: skip
        if result.code == 0:
            printed = out
        else:
            refused = (result, out)
        if printed and refused:
            break
    assert printed is not None and refused is not None
    text = _text(printed)
    assert "Anfrage an den Sprachmittlerpool" in text and "Sprache" in text
    result, out = refused
    assert result.code != 0
    assert "keine Sprachmittlung angefragt" in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()
