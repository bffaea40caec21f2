"""Handouts are tagged PDFs: a title of their own, a language, and a structure tree a screen reader follows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from kim_desk.documents import KINDS, render
from tests.unit.documents_support import planted_catalogue, sample_data

TITLES = {
    "checklist": "Checkliste Wohngeld – ",
    "next-steps": "Stand und nächste Schritte Wohngeld – ",
    "appointment": "Termin am 12.03.2026",
    "application-aid": "Ausfüllhilfe Wohngeld – ",
    "referral": "Vermittlung Integrationskurs (Kursträger vor Ort) – 04.03.2026",
    "mediator-request": "Anfrage Sprachmittlung Arabisch – 12.03.2026",
}


def _pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def _page_texts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """The text shown inside each marked-content sequence, by (page object id, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for page in pdf.pages:
        stack: list[int | None] = []
        for instruction in pikepdf.parse_content_stream(page):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            operands, name = instruction.operands, str(instruction.operator)
            if name == "BDC":
                props = operands[1]
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append(int(mcid) if mcid is not None else (stack[-1] if stack else None))
            elif name == "BMC":
                stack.append(stack[-1] if stack and str(operands[0]) != "/Artifact" else None)
            elif name == "EMC":
                stack.pop()
            elif name in ("Tj", "TJ") and stack and stack[-1] is not None:
                key = (page.obj.objgen[0], stack[-1])
                texts[key] = texts.get(key, "") + "x"
    return texts


def _walk(element: pikepdf.Object, lang: str, out: list[tuple[str, str, int]]) -> None:
    """(role, language, number of marked-content pieces) of every element, in reading order."""
    lang = str(element.get("/Lang", lang))
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    pieces = sum(1 for kid in items if isinstance(kid, int) or kid.get("/Type") == "/MCR")
    out.append((str(element.S)[1:], lang, pieces))
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            _walk(kid, lang, out)


def _tree(path: Path) -> list[tuple[str, str, int]]:
    with pikepdf.open(path) as pdf:
        out: list[tuple[str, str, int]] = []
        for kid in pdf.Root.StructTreeRoot.K:
            _walk(kid, str(pdf.Root.Lang), out)
        return out


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_tagged_with_its_own_title_and_language(tmp_path: Path, kind: str) -> None:
    pdf = render(kind, sample_data(), "ar", tmp_path / "h.pdf", catalogue=planted_catalogue(tmp_path, "ar"))
    info = _pdfinfo(pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"].startswith(TITLES[kind])
    assert re.search(r"\d\d\.\d\d\.\d{4}$", info["Title"])
    assert "Karimi" not in info["Title"] and "Ahmad" not in info["Title"]
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "de"
        assert bool(doc.Root.ViewerPreferences.DisplayDocTitle)
    tree = _tree(pdf)
    roles = [role for role, _, _ in tree]
    assert roles[0] == "Document"
    sections = [(role, lang) for role, lang, _ in tree if role == "Sect"]
    if kind == "mediator-request":  # for the pool: German only, whatever the client reads
        assert sections == [("Sect", "de")]
    else:
        assert sections == [("Sect", "de"), ("Sect", "ar")]  # German column first, then the client's
    assert "H2" in roles and "P" in roles


def test_checklist_tree_reads_heading_items_in_order_german_then_arabic(tmp_path: Path) -> None:
    data = sample_data()
    pdf = render("checklist", data, "ar", tmp_path / "c.pdf", catalogue=planted_catalogue(tmp_path, "ar"))
    tree = _tree(pdf)
    split = [index for index, (role, _, _) in enumerate(tree) if role == "Sect"][1]
    german, client = tree[:split], tree[split:]
    assert german[1][0] == "Sect" and german[2][0] == "H1"  # the title first
    for part, lang in ((german[1:], "de"), (client, "ar")):
        roles = [role for role, _, _ in part]
        assert part[0][:2] == ("Sect", lang)
        assert roles.index("H2") < roles.index("L") < roles.index("LI") < roles.index("LBody")
        assert roles.index("P") < roles.index("L")  # the introduction comes before the list
    assert data.case is not None
    items = [entry for entry in german if entry[0] == "LI"]
    assert len(items) == len(data.case.checklist)
    # the items' text is in the Arabic section in Arabic: its bodies are marked "ar" unless still German
    bodies = [entry for entry in client if entry[0] == "LBody"]
    assert len(bodies) == len(data.case.checklist)
    assert {lang for _, lang, _ in bodies} <= {"ar", "de"}
    assert any(lang == "ar" for _, lang, _ in bodies)


def test_every_text_block_is_in_the_tree_or_an_artifact(tmp_path: Path) -> None:
    """Each MCID on a page is referenced by exactly the element the parent tree names."""
    pdf = render("next-steps", sample_data(), "ar", tmp_path / "n.pdf", catalogue=planted_catalogue(tmp_path, "ar"))
    with pikepdf.open(pdf) as doc:
        shown = _page_texts(doc)
        nums = list(doc.Root.StructTreeRoot.ParentTree.Nums)
        referenced = set()
        for index, page in enumerate(doc.pages):
            assert int(page.obj.StructParents) == index
            assert nums[2 * index] == index
            for mcid, element in enumerate(nums[2 * index + 1]):
                assert element.get("/Type") == "/StructElem"
                referenced.add((page.obj.objgen[0], mcid))
        assert shown and set(shown) <= referenced


def test_german_only_handout_has_one_german_section(tmp_path: Path) -> None:
    pdf = render("checklist", sample_data(), "de", tmp_path / "d.pdf")
    assert _pdfinfo(pdf)["Tagged"] == "yes"
    sections = [(role, lang) for role, lang, _ in _tree(pdf) if role == "Sect"]
    assert sections == [("Sect", "de")]
