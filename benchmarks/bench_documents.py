"""Benchmark: a two-page bilingual checklist (German + Arabic), median warm render time.

    .venv/bin/python benchmarks/bench_documents.py [--rounds 15]

Compares KIM Desk's renderer (bidi, font choice per character, harfbuzz shaping, layout)
with plain reportlab setting the same strings in the same fonts, without shaping or bidi,
in the same process. Target: under 100 ms and within 1.5x of the plain baseline.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from benchmarks.common import row, write_result  # noqa: E402
from kim_desk.catalog import load_catalog  # noqa: E402
from kim_desk.documents import render_bytes  # noqa: E402
from kim_desk.documents.model import CaseView, ChecklistLine, ClientView, DeskInfo, DocumentData  # noqa: E402
from kim_desk.documents.text import recording  # noqa: E402
from kim_desk.documents.wording import DictCatalogue  # noqa: E402

ARABIC = [
    "جواز السفر أو بطاقة الهوية",
    "شهادة الإيجار من المؤجر، رقم 12/2026",
    "إثباتات دخل جميع أفراد الأسرة عن آخر 12 شهرًا",
    "كشوف الحساب البنكي لآخر ثلاثة أشهر",
    "تصريح الإقامة (Aufenthaltstitel) ساري حتى 31.12.2026",
    "شهادة ميلاد الأطفال مع ترجمة معتمدة",
]


def checklist_data() -> tuple[DocumentData, DictCatalogue]:
    catalog = load_catalog()
    wohngeld = catalog.types["wohngeld"]
    labels: list[str] = []
    for app_type in catalog.sorted():
        labels.extend(doc.label for doc in app_type.documents if doc.label not in labels)
    lines = tuple(ChecklistLine(label, "present" if i % 4 == 0 else "missing") for i, label in enumerate(labels[:44]))
    messages = {label: ARABIC[i % len(ARABIC)] for i, label in enumerate(labels)}
    client = ClientView("Karimi", "Ahmad", "کریمی", "احمد", dt.date(1990, 5, 17))
    case = CaseView(7, wohngeld, "collecting", checklist=lines)
    data = DocumentData(client, dt.date(2026, 3, 5), DeskInfo("Caritas Ahlen"), case)
    return data, DictCatalogue(messages)


def plain(runs: list, pages: int) -> bytes:
    """The same strings in the same fonts with reportlab's plain drawString."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    per_page = -(-len(runs) // pages)
    for index, run in enumerate(runs):
        if index and index % per_page == 0:
            canvas.showPage()
        canvas.setFont(run.font, 10)
        canvas.drawString(40 + (index % 2) * 260, 800 - (index % per_page) * 9, run.text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(action, rounds: int) -> float:  # type: ignore[no-untyped-def]
    action()
    action()
    times = []
    for _round in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    data, catalogue = checklist_data()
    start = time.perf_counter()
    pdf = render_bytes("checklist", data, "ar", catalogue=catalogue)
    cold = (time.perf_counter() - start) * 1000
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
    with recording() as runs:
        render_bytes("checklist", data, "ar", catalogue=catalogue)
    runs = list(runs)
    ours = median_ms(lambda: render_bytes("checklist", data, "ar", catalogue=catalogue), args.rounds)
    base = median_ms(lambda: plain(runs, max(pages, 1)), args.rounds)
    german = dataclasses.replace(data)
    ours_de = median_ms(lambda: render_bytes("checklist", german, "uk", catalogue=DictCatalogue({})), args.rounds)
    print(f"pages: {pages}, strings drawn: {len(runs)}, PDF size: {len(pdf) // 1024} KiB")
    print(f"KIM Desk, German + Arabic checklist: {ours:.1f} ms (median of {args.rounds}, warm)")
    print(f"plain reportlab, same strings, no shaping: {base:.1f} ms")
    print(f"ratio: {ours / base:.2f}x")
    print(f"first render in a fresh process (fonts loaded, caches empty): {cold:.0f} ms")
    print(f"KIM Desk, German + Ukrainian (untranslated) checklist: {ours_de:.1f} ms")
    write_result(
        "documents",
        {
            "rows": [
                row(
                    "two-page checklist, German + Arabic, median warm render",
                    ours,
                    "ms",
                    "plain reportlab, same strings and fonts, no shaping",
                    base,
                    "< 100 ms and <= 1.5x",
                ),
                row("same, first render in a fresh process (fonts loading)", cold, "ms"),
                row("two-page checklist, German + Ukrainian, median warm render", ours_de, "ms"),
            ],
            "pages": pages,
            "strings": len(runs),
            "pdf_kib": len(pdf) // 1024,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
