"""Tagged PDF for the handouts: marked content while drawing, the structure tree afterwards.

Decision (issue 23): reportlab (4.x) has no tagging API — no structure tree, no /MarkInfo, no
/Lang. It does let us write raw operators into the page stream (`Canvas.addLiteral`), so the
sheet wraps each text block in `/P <</MCID n>> BDC … EMC` and all decoration (page header and
footer, rules, checkboxes, the review mark, the QR code) in `/Artifact BMC … EMC` as it draws.
The sheet records one `Mark` per text block. After reportlab has written the file, pikepdf (qpdf,
well kept) adds what reportlab cannot: /StructTreeRoot with a /ParentTree, one structure element
per mark, /StructParents and /Tabs /S on every page, /MarkInfo, /Lang and DisplayDocTitle.

Reading order: a Document holding two sections, first the German column, then the client's
column (its own /Lang, e.g. "ar"), each with H1 (title), H2 (headings), P (rows) and L/LI/LBody
(checklist items; an item's hint is a P inside its LBody). A client-column block that is still German
("† …", not yet translated) carries /Lang "de". One-language sheets have only the German section.

PDF/UA-1 identification: an XMP metadata stream with pdfuaid:part 1, dc:title (the same title as
the document information) and dc:language. veraPDF, the reference checker, is a Java program that is
neither on PyPI nor in Debian, so tests/unit/test_documents_pdfua.py checks the PDF/UA rules that
apply to these sheets itself (no content outside a tag or an artifact, fonts embedded, metadata).

Not done: tables (the handouts have none), /Alt text for the QR code (an artifact; its caption
follows as text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

GERMAN = "de"


@dataclass(frozen=True)
class Mark:
    role: str  # H1, H2, P, LI (a list item), LI+ (more of the item above)
    part: str  # "de": the German column; "client": the client's column
    lang: str
    page: int  # 0-based
    mcid: int


class Marker:
    """Hands out MCIDs per page and remembers what each one is."""

    def __init__(self) -> None:
        self.marks: list[Mark] = []
        self.page = 0
        self._next = 0

    def open(self, role: str, part: str, lang: str) -> str:
        """The BDC operator for one block; the caller writes "EMC" after it."""
        mark = Mark(role, part, lang, self.page, self._next)
        self._next += 1
        self.marks.append(mark)
        tag = "LBody" if role.startswith("LI") else role
        return f"/{tag} <</MCID {mark.mcid}>> BDC"

    def new_page(self) -> None:
        self.page += 1
        self._next = 0


def add_structure(pdf_bytes: bytes, marks: list[Mark], *, title: str, client_lang: str | None) -> bytes:
    """Return the PDF with its structure tree, language, title and tagging flags."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = _element(pdf, "Document", root)
    root.K = Array([document])
    pages = [page.obj for page in pdf.pages]
    by_page: dict[int, list[pikepdf.Object]] = {index: [] for index in range(len(pages))}
    sections: list[pikepdf.Object] = []
    parts = [("de", GERMAN)] + ([("client", client_lang)] if client_lang else [])
    for part, lang in parts:
        section = _element(pdf, "Sect", document)
        section.Lang = String(lang)
        kids = Array()
        current_list: pikepdf.Object | None = None
        last_body: pikepdf.Object | None = None
        for mark in (m for m in marks if m.part == part):
            if mark.role == "LI+" and last_body is not None:  # a hint is a paragraph inside its item
                holder = None
                parent = last_body
            elif mark.role == "LI":
                if current_list is None:
                    current_list = _element(pdf, "L", section)
                    current_list.K = Array()
                    kids.append(current_list)
                item = _element(pdf, "LI", current_list)
                current_list.K.append(item)
                last_body = _element(pdf, "LBody", item)
                last_body.K = Array()
                item.K = Array([last_body])
                holder = last_body
            else:
                current_list = last_body = None
                holder = None
                parent = section
            page = pages[mark.page]
            if holder is None:
                element = _element(pdf, "P" if mark.role == "LI+" else mark.role, parent)
                element.Pg = page
                element.K = mark.mcid
                if mark.lang != lang:
                    element.Lang = String(mark.lang)
                (kids if parent is section else parent.K).append(element)
                leaf = element
            else:
                holder.K.append(Dictionary(Type=Name.MCR, Pg=page, MCID=mark.mcid))
                leaf = holder
                if mark.lang != lang:
                    holder.Lang = String(mark.lang)
            slots = by_page[mark.page]
            while len(slots) <= mark.mcid:
                slots.append(pikepdf.Object.parse(b"null"))
            slots[mark.mcid] = leaf
        section.K = kids
        sections.append(section)
    document.K = Array(sections)
    nums = Array()
    for index, page in enumerate(pages):
        page.StructParents = index
        page.Tabs = Name.S
        nums.append(index)
        nums.append(pdf.make_indirect(Array(by_page[index])))
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(GERMAN)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.docinfo[Name.Title] = String(title)
    _identify(pdf, title, [lang for _part, lang in parts])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, min_version="1.7")  # PDF/UA-1 builds on PDF 1.7
    return out.getvalue()


def _identify(pdf: pikepdf.Pdf, title: str, languages: list[str]) -> None:
    """The XMP metadata PDF/UA-1 asks for; no dates, so the same sheet gives the same bytes."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = languages
        meta["pdfuaid:part"] = "1"


def _element(pdf: pikepdf.Pdf, role: str, parent: pikepdf.Object) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(f"/{role}"), P=parent))
