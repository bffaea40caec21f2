"""The "Angebotslücken" view: unmet needs, referrals by offer and outcome, interpreter requests.

Built from the district picture (summed perturbed figures, each with its expected error) for a
quarter and one municipality or all; the outcomes that show a gap (no place, not offered in the
municipality, waiting list; no interpreter available) are marked. Shared by the dashboard (HTML)
and the committee PDF; both pass their own figure formatter ("12 ± 1,4") so this module stays
below them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from kim_desk import taxonomy
from kim_desk.district import picture
from kim_desk.i18n import _
from kim_desk.stats.cellkey import TOTAL
from kim_desk.stats.render import code_title

REFERRALS = "referrals_by_service_outcome"
NEEDS = "unmet_needs_by_category"
MEDIATION = "mediator_requests_by_language_result"
GAP_OUTCOMES = ("no_place", "not_offered_here", "waiting_list")
GAP_RESULTS = ("none_available",)

Format = Callable[[picture.Figure], str]


@dataclass
class GapTable:
    title: str
    head: list[str]
    rows: list[tuple[str, list[picture.Figure]]] = field(default_factory=list)  # label, figures
    marked: set[int] = field(default_factory=set)  # figure columns that show a gap
    note: str = ""


def _get(figures: picture.Figures, table: str, key: tuple[str, ...]) -> picture.Figure:
    return figures.get((table, key), picture.ZERO)


def _codes(figures: picture.Figures, table: str, position: int, municipality: str) -> list[str]:
    """The codes at `position` with any non-zero figure for the municipality (or all)."""
    found = {
        key[position]
        for (name, key), figure in figures.items()
        if name == table and key[0] == municipality and key[position] != TOTAL and figure.value != 0
    }
    return sorted(found)


def needs_table(figures: picture.Figures, municipality: str) -> GapTable:
    rows = [
        (code_title("need", code), [_get(figures, NEEDS, (municipality, code))])
        for code in _codes(figures, NEEDS, 1, municipality)
    ]
    rows.sort(key=lambda row: -(row[1][0].value or 0))
    if rows:
        rows.append((_("insgesamt"), [_get(figures, NEEDS, (municipality, TOTAL))]))
    return GapTable(_("Bedarfe ohne passendes Angebot"), [_("Bedarf"), _("Anzahl")], rows)


def _grid(
    figures: picture.Figures, table: str, municipality: str, columns: tuple[str, ...], dim: str, marked: tuple[str, ...]
) -> tuple[list[tuple[str, list[picture.Figure]]], set[int]]:
    rows = []
    for code in _codes(figures, table, 1, municipality):
        values = [_get(figures, table, (municipality, code, column)) for column in columns]
        rows.append((code_title(dim, code), [_get(figures, table, (municipality, code, TOTAL)), *values]))
    total = [_get(figures, table, (municipality, TOTAL, column)) for column in (TOTAL, *columns)]
    if rows:
        rows.append((_("insgesamt"), total))
    return rows, {1 + columns.index(code) for code in marked}


def referrals_table(figures: picture.Figures, municipality: str) -> GapTable:
    outcomes = tuple(taxonomy.REFERRAL_OUTCOMES)
    rows, marked = _grid(figures, REFERRALS, municipality, outcomes, "service", GAP_OUTCOMES)
    head = [_("Angebot"), _("Vermittlungen"), *[code_title("referral_outcome", code) for code in outcomes]]
    note = _("Hervorgehoben: kein Platz frei, in der Kommune nicht angeboten, Warteliste.")
    return GapTable(_("Vermittlungen nach Angebot und Ergebnis"), head, rows, marked, note)


def mediation_table(figures: picture.Figures, municipality: str) -> GapTable:
    results = tuple(taxonomy.MEDIATOR_RESULTS)
    rows, marked = _grid(figures, MEDIATION, municipality, results, "language_group", GAP_RESULTS)
    head = [_("Sprachgruppe"), _("Anfragen"), *[code_title("mediator_result", code) for code in results]]
    note = _("Hervorgehoben: keine Sprachmittlerin und kein Sprachmittler verfügbar.")
    return GapTable(_("Anfragen an den Sprachmittlerpool nach Sprachgruppe und Ergebnis"), head, rows, marked, note)


def by_municipality_table(figures: picture.Figures) -> GapTable:
    """All municipalities side by side: the figures that show gaps."""
    columns = [
        (_("Bedarfe ohne Angebot"), NEEDS, (TOTAL,)),
        (_("Vermittlungen"), REFERRALS, (TOTAL, TOTAL)),
        *[(code_title("referral_outcome", code), REFERRALS, (TOTAL, code)) for code in GAP_OUTCOMES],
        (_("Anfragen Sprachmittlung"), MEDIATION, (TOTAL, TOTAL)),
        (code_title("mediator_result", "none_available"), MEDIATION, (TOTAL, "none_available")),
    ]
    rows = []
    for code in taxonomy.MUNICIPALITIES:
        values = [_get(figures, table, (code, *rest)) for _title, table, rest in columns]
        if any(value.value for value in values):
            rows.append((code_title("municipality", code), values))
    if rows:
        rows.append((_("insgesamt"), [_get(figures, table, (TOTAL, *rest)) for _title, table, rest in columns]))
    head = [_("Gemeinde"), *[title for title, _table, _rest in columns]]
    marked = {i for i, (_title, _table, rest) in enumerate(columns) if rest[-1] in (*GAP_OUTCOMES, *GAP_RESULTS)}
    return GapTable(_("Angebotslücken nach Gemeinde"), head, rows, marked)


def gap_tables(figures: picture.Figures, municipality: str = TOTAL) -> list[GapTable]:
    tables = [needs_table(figures, municipality), referrals_table(figures, municipality)]
    tables.append(mediation_table(figures, municipality))
    if municipality == TOTAL:
        tables.insert(0, by_municipality_table(figures))
    return tables


def table_html(table: GapTable, number: Format) -> str:
    if not table.rows:
        return f"<p class='empty'>{escape(_('keine Daten'))}</p>"
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.head)
    lines = [f"<table class='data gaps'><tr>{head}</tr>"]
    for title, values in table.rows:
        cells = "".join(
            f"<td class='gap'>{escape(number(v))}</td>"
            if i in table.marked and v.value
            else f"<td>{escape(number(v))}</td>"
            for i, v in enumerate(values)
        )
        lines.append(f"<tr><td>{escape(title)}</td>{cells}</tr>")
    lines.append("</table>")
    if table.note:
        lines.append(f"<p class='note'>{escape(table.note)}</p>")
    return "".join(lines)


def section_html(figures: picture.Figures, municipality: str, number: Format) -> str:
    """The dashboard's "Angebotslücken" section (with an anchor to link to)."""
    parts = [
        f"<h3>{escape(table.title)}</h3>{table_html(table, number)}" for table in gap_tables(figures, municipality)
    ]
    intro = _(
        "Wo Angebote fehlen oder voll sind: Bedarfe, für die es kein passendes Angebot gab, Vermittlungen "
        "nach ihrem Ergebnis und Anfragen an den Sprachmittlerpool."
    )
    return (
        f"<section id='angebotsluecken'><h2>{escape(_('Angebotslücken'))}</h2>"
        f"<p class='note'>{escape(intro)}</p>{''.join(parts)}</section>"
    )


def pdf_story(figures: picture.Figures, number: Format, caption: Callable[[str], str]) -> list[Any]:
    """The committee PDF's section: every gap table for the whole district, numbered by `caption`."""
    from reportlab.lib import colors
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("gap-cell", fontSize=7, leading=8.5)
    story: list[Any] = [Paragraph(_("Angebotslücken"), styles["Heading2"])]
    for table in gap_tables(figures, TOTAL):
        heading = Paragraph(caption(table.title), styles["Heading3"])
        if not table.rows:
            story += [heading, Paragraph(_("keine Daten"), styles["Normal"])]
            continue
        head = [Paragraph(escape(cell), small) for cell in table.head]
        body = [[Paragraph(escape(title), small), *[number(v) for v in values]] for title, values in table.rows]
        body[-1][0] = Paragraph(f"<b>{escape(table.rows[-1][0])}</b>", small)  # the total row
        columns = len(table.head) - 1
        first = 4.5 * cm if columns < 3 else 2.8 * cm  # 17 cm of text width: the figures share the rest
        width = min(3 * cm, (17 * cm - first) / columns)
        grid = Table([head, *body], repeatRows=1, hAlign="LEFT", colWidths=[first] + [width] * columns)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("VALIGN", (0, 0), (-1, 0), "TOP"),
            ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
        ]
        for column in table.marked:
            style.append(("BACKGROUND", (column + 1, 1), (column + 1, -1), colors.Color(1.0, 0.92, 0.85)))
        grid.setStyle(TableStyle(style))
        parts = [heading, grid]
        if table.note:
            parts.append(Paragraph(escape(table.note), styles["Normal"]))
        story += [KeepTogether(parts), Spacer(1, 8)]
    return story
