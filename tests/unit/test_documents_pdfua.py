"""PDF/UA-1 rules a handout must keep, checked here because veraPDF (Java) is on neither PyPI nor Debian.

The checks follow the Matterhorn Protocol's machine-checkable points that apply to these sheets:
identification in XMP (06), no content outside a tag or an artifact (01-004/005), title shown (07),
fonts embedded with Unicode mapping (31), tagged and marked (01, 02), headings start at H1 (14).
"""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pikepdf
import pytest

from kim_desk.documents import KINDS, render
from tests.unit.documents_support import planted_catalogue, sample_data

PAINTING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "BI"}


def _handout(tmp_path: Path, kind: str, lang: str = "ar") -> Path:
    catalogue = planted_catalogue(tmp_path, lang) if lang != "de" else None
    return render(kind, sample_data(), lang, tmp_path / f"{kind}.pdf", catalogue=catalogue)


def untagged_content(pdf: pikepdf.Pdf) -> list[str]:
    """Painting operators that are neither inside a structure-tagged sequence nor an artifact."""
    found = []
    for number, page in enumerate(pdf.pages, 1):
        stack: list[str] = []  # "tag" (has an MCID), "artifact" or "other"
        for instruction in pikepdf.parse_content_stream(page):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            operator, operands = str(instruction.operator), instruction.operands
            if operator in ("BDC", "BMC"):
                props = operands[1] if operator == "BDC" else None
                if str(operands[0]) == "/Artifact":
                    stack.append("artifact")
                elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    stack.append("tag")
                else:
                    stack.append("other")
            elif operator == "EMC":
                stack.pop()
            elif operator in PAINTING and not ({"tag", "artifact"} & set(stack)):
                found.append(f"page {number}: {operator} outside any tag")
    return found


def _headings(element: pikepdf.Object, out: list[str]) -> None:
    role = str(element.S)[1:]
    if role[:1] == "H" and role[1:].isdigit():
        out.append(role)
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            assert kid.P.objgen == element.objgen  # every element knows its parent
            _headings(kid, out)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_identifies_as_pdf_ua_1(tmp_path: Path, kind: str) -> None:
    with pikepdf.open(_handout(tmp_path, kind)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["dc:language"] == (
            {"de"} if kind == "mediator-request" else {"de", "ar"}
        )  # the pool's sheet is German
        assert pdf.pdf_version >= "1.7"
        assert bool(pdf.Root.MarkInfo.Marked) and not bool(pdf.Root.MarkInfo.get("/Suspects", False))
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert all(page.obj.Tabs == pikepdf.Name.S for page in pdf.pages)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["ar", "de"])
def test_nothing_is_painted_outside_a_tag_or_an_artifact(tmp_path: Path, kind: str, lang: str) -> None:
    with pikepdf.open(_handout(tmp_path, kind, lang)) as pdf:
        assert untagged_content(pdf) == []


def test_the_content_check_finds_untagged_text(tmp_path: Path) -> None:
    """The check above can fail: text drawn after the last EMC is reported."""
    with pikepdf.open(_handout(tmp_path, "checklist")) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 72 Td (loose) Tj ET"), prepend=False)
        assert untagged_content(pdf) == ["page 1: Tj outside any tag"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_font_is_embedded_with_unicode_mapping(tmp_path: Path, kind: str) -> None:
    out = subprocess.run(["pdffonts", str(_handout(tmp_path, kind))], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    assert rows
    for row in rows:  # name type encoding emb sub uni object ID (type may be two words)
        assert row[-5:-2] == ["yes", "yes", "yes"], row


@pytest.mark.parametrize("kind", list(KINDS))
def test_headings_start_at_h1_and_never_skip_a_level(tmp_path: Path, kind: str) -> None:
    with pikepdf.open(_handout(tmp_path, kind)) as pdf:
        headings: list[str] = []
        for kid in pdf.Root.StructTreeRoot.K:
            _headings(kid, headings)
    levels = [int(role[1:]) for role in headings]
    assert levels and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
