"""`kim-desk i18n status` as a person runs it: the figures are those of the catalogue files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kim_desk.i18n import LANGUAGES
from kim_desk.i18n.po import po_path
from kim_desk.i18n.status import COMPLETE_CONTENT, COMPLETE_UI
from tests.e2e.harness import run_kim

pytestmark = pytest.mark.e2e
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def _msgfmt_statistics(lang: str) -> dict[str, int]:
    done = subprocess.run(
        ["msgfmt", "--statistics", "--output-file=/dev/null", str(po_path(TRANSLATIONS, lang))],
        capture_output=True,
        text=True,
        check=True,
    )
    return {kind: int(count) for count, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", done.stderr)}


def test_status_json_lists_every_language_with_true_figures(tmp_path: Path) -> None:
    result = run_kim("i18n", "status", "--json", data_dir=tmp_path / "desk")
    assert result.code == 0, result.err
    rows = {row["code"]: row for row in json.loads(result.out)}

    assert list(rows) == list(LANGUAGES)
    assert rows["de"]["reviewed"] is True
    assert rows["de"]["ui_translated"] == rows["de"]["ui_total"] > 100
    assert rows["de"]["content_translated"] == rows["de"]["content_total"] > 100
    for lang in COMPLETE_UI:
        assert rows[lang]["ui_share"] == 1.0 and rows[lang]["complete_ui"] is True
    for lang in COMPLETE_CONTENT:
        assert rows[lang]["content_share"] == 1.0 and rows[lang]["complete_content"] is True
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (Debian package gettext) is not installed for the independent count")
    for lang, row in rows.items():
        if lang == "de":
            continue
        counted = _msgfmt_statistics(lang)
        nothing = row["ui_translated"] == 0 and row["content_translated"] == 0
        assert (counted.get("translated", 0) == 0) == nothing, lang
        everything = row["ui_share"] == 1.0 and row["content_share"] == 1.0
        assert (counted.get("untranslated", 0) + counted.get("fuzzy", 0) == 0) == everything, lang


def test_status_table_shows_shares_and_review_state(tmp_path: Path) -> None:
    result = run_kim("i18n", "status", data_dir=tmp_path / "desk")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "Sprache",
        "Oberfläche",
        "Inhalte",
        "(forms/)",
        "geprüft",
        "davon",
        "geprüft",
        "(Inhalte)",
    ]
    english = next(line for line in lines if line.startswith("en "))
    # no message of the content is marked as checked by a reviewer yet
    assert re.search(r"English +100 % \((\d+)/\1\) +100 % \((\d+)/\2\) +nein +0 % \(0/\2\)$", english), english
    arabic = next(line for line in lines if line.startswith("ar "))
    assert "العربية" in arabic
    assert len(lines) == 1 + len(LANGUAGES)


def test_status_has_no_unknown_subcommand(tmp_path: Path) -> None:
    result = run_kim("i18n", "statistik", data_dir=tmp_path / "desk")
    assert result.code != 0
    assert "statistik" in result.err
