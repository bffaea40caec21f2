"""The committee PDF (reportlab): the district picture of one quarter on a few A4 pages."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kim_desk.district import picture
from kim_desk.district.dashboard import label, method_note, number
from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _

_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def _table(head: list[str], rows: list[list[str]]) -> Table:
    table = Table([head, *rows], hAlign="LEFT", repeatRows=1)
    table.setStyle(_STYLE)
    return table


def committee_pdf(store: DistrictStore, period: str, today: dt.date) -> bytes:
    styles = getSampleStyleSheet()
    figures = picture.picture(store, period)
    story: list[object] = [
        Paragraph(_("Kommunales Integrationsmanagement Kreis Warendorf"), styles["Title"]),
        Paragraph(_("Lagebild für den Ausschuss – Quartal {period}").format(period=period), styles["Heading2"]),
        Paragraph(method_note(), styles["Normal"]),
        Spacer(1, 0.4 * cm),
    ]
    sections = (
        (_("Anträge nach Gemeinde"), "cases_by_type_state", 0, "municipality"),
        (_("Anträge nach Antragsart"), "cases_by_type_state", 1, "application_type"),
        (_("Hürden nach Art"), "barriers_by_type", 2, "barrier"),
        (_("Beratungskontakte nach Sprachgruppe"), "contacts_by_language_group", 1, "language_group"),
        (_("Beratene Personen nach Altersgruppe"), "clients_by_age_band", 1, "age_band"),
    )
    for heading, table, position, dim in sections:
        rows = [[label(dim, code), number(value)] for code, value in picture.margin(figures, table, position)]
        rows.append([_("Insgesamt"), number(picture.total(figures, table))])
        story += [
            Paragraph(heading, styles["Heading3"]),
            _table([_("Merkmal"), _("Anzahl")], rows),
            Spacer(1, 0.3 * cm),
        ]
    trend_rows = [[p, number(v)] for p, v in picture.trend(store, "cases_by_type_state")]
    story += [
        Paragraph(_("Entwicklung: Anträge je Quartal"), styles["Heading3"]),
        _table([_("Quartal"), _("Anzahl")], trend_rows),
    ]
    _periods, expected = picture.expected_vs_received(store, today)
    received = sum(1 for row in expected for ok in row.received.values() if ok)
    due = sum(len(row.received) for row in expected)
    story += [
        Spacer(1, 0.3 * cm),
        Paragraph(
            _("Eingegangene Quartalsberichte: {received} von {due} erwarteten.").format(received=received, due=due),
            styles["Normal"],
        ),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=_("KIM-Lagebild {period}").format(period=period), leftMargin=2 * cm, rightMargin=2 * cm
    )
    doc.build(story)
    return out.getvalue()
