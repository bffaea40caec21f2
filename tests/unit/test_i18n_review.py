"""The review pack a person works with offline, and bringing the corrections back with their name."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from kim_desk.i18n import po
from kim_desk.i18n.glossary import load_glossary
from kim_desk.i18n.review import ReviewError, import_review, write_review_pack
from kim_desk.i18n.status import catalogue_status

ROOT = Path(__file__).resolve().parents[2]
MSGID = "Wohnsitz beim Bürgerbüro anmelden"


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    folder = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", folder, ignore=shutil.ignore_patterns("*.mo"))
    return folder


def test_pack_has_the_spreadsheet_with_context_the_po_and_the_glossary(translations: Path, tmp_path: Path) -> None:
    glossary = load_glossary(translations / "glossary.toml")
    pack = write_review_pack(translations, glossary, "ps", tmp_path / "out")
    assert {p.name for p in pack.folder.iterdir()} == {
        "kim_desk-ps.ods",
        "kim_desk-ps.po",
        "glossary.toml",
        "LIESMICH.txt",
    }
    with zipfile.ZipFile(pack.ods) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = archive.read("content.xml").decode("utf-8")
    assert 'table:name="Texte"' in content and 'table:name="Glossar"' in content
    assert "applications/wohnsitz_anmeldung.toml: deadlines[0].label" in content  # where the text appears
    assert "د ښاريانو په دفتر (Bürgerbüro) کې د استوګنې ثبت" in content
    assert "Bürgerbüro → د ښاريانو دفتر (+ Deutsch in Klammern)" in content  # the glossary term it uses


def test_import_names_the_reviewer_and_counts_coverage(translations: Path, tmp_path: Path) -> None:
    glossary = load_glossary(translations / "glossary.toml")
    pack = write_review_pack(translations, glossary, "ps", tmp_path / "out")
    returned = po.read_catalogue(pack.po)
    for message in list(po.messages(returned)):
        if message.id != MSGID:
            returned.delete(message.id, context=message.context)  # the reviewer returns one checked text
    message = returned.get(MSGID)
    assert message is not None
    message.string = "په د ښاريانو دفتر (Bürgerbüro) کې خپل ځای ثبت کړئ"
    pack.po.write_text(po.po_text(returned), "utf-8")
    before = next(row for row in catalogue_status(translations) if row.code == "ps")
    assert (before.reviewed, before.content_checked) == (False, 0)

    assert import_review(translations, glossary, "ps", pack.po, "Amina Rahimi", dt.date(2026, 12, 2)) == 1
    catalog = po.read_catalogue(po.po_path(translations, "ps"))
    assert catalog.header("X-Reviewed-By") == "Amina Rahimi, 2026-12-02"
    assert catalog.get(MSGID).string.startswith("په د ښاريانو دفتر")  # type: ignore[union-attr]
    after = next(row for row in catalogue_status(translations) if row.code == "ps")
    assert (after.reviewed, after.content_checked) == (True, 1)


def test_import_that_breaks_the_glossary_changes_nothing(translations: Path, tmp_path: Path) -> None:
    glossary = load_glossary(translations / "glossary.toml")
    pack = write_review_pack(translations, glossary, "en", tmp_path / "out")
    returned = po.read_catalogue(pack.po)
    returned.get("Wohngeld").string = "Rent allowance"  # type: ignore[union-attr]
    pack.po.write_text(po.po_text(returned), "utf-8")
    original = po.po_path(translations, "en").read_bytes()
    with pytest.raises(ReviewError, match="housing benefit"):
        import_review(translations, glossary, "en", pack.po, "Sam Lee", dt.date(2026, 12, 2))
    assert po.po_path(translations, "en").read_bytes() == original
    with pytest.raises(ReviewError, match="Namen"):
        import_review(translations, glossary, "en", pack.po, "  ", dt.date(2026, 12, 2))
