"""The committee PDF (reportlab), laid out like a statistical office's quarterly report:
title, "Stand" and source, legend of symbols, methods in plain German, numbered tables, page x of y."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Sequence
from html import escape
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kim_desk.district import gaps, pdf_charts, picture, population, rates
from kim_desk.district.dashboard import SUPPRESSED, change, label, number, quarter_title
from kim_desk.district.store import DistrictStore
from kim_desk.i18n import _, format_number
from kim_desk.stats.cellkey import TOTAL

_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def _table(head: list[str], rows: list[list[str]], with_total: bool = False) -> Table:
    table = Table([head, *rows], hAlign="LEFT", repeatRows=1)
    table.setStyle(_STYLE)
    if with_total:
        table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]))
    return table


def source_line() -> str:
    return _("Quelle: Quartalsberichte der KIM-Beratungsstellen im Kreis Warendorf; eigene Berechnung.")


def methods_text(max_deviation: int) -> str:
    return _(
        "Damit niemand aus den Zahlen erkannt werden kann, verändert jede Beratungsstelle ihre Zahlen vor dem "
        "Senden ein wenig: Zu jedem Wert kommt eine kleine zufällige Abweichung von höchstens ±{d} "
        "(Zellschlüsselverfahren, wie beim Zensus 2022). Dieselbe Zahl bekommt immer dieselbe Abweichung, "
        "auch in späteren Berichten. Im Mittel heben sich die Abweichungen auf; echte Nullen bleiben Null, "
        "und kein Wert wird gesperrt. Hinter jeder Zahl steht nach „±“ der zu erwartende Fehler "
        "(eine Standardabweichung). Weil die Zahlen mehrerer Stellen addiert werden, kann eine Summe von der "
        "Summe ihrer Teile leicht abweichen."
    ).format(d=max_deviation)


def legend() -> list[list[str]]:
    return [
        ["±", _("zu erwartender Fehler (eine Standardabweichung) des geschützten Wertes")],
        ["0", _("nichts vorhanden")],
        [SUPPRESSED, _("gesperrt (nur in Berichten aus der Zeit vor dem Zellschlüsselverfahren)")],
        [
            _("Balken"),
            _(
                "zeigt den veröffentlichten, geschützten Wert; die Zahl daneben nennt ihn mit seinem Fehler (±); "
                "ein gesperrter Wert hat keinen Balken, nur das Zeichen {mark}"
            ).format(mark=SUPPRESSED),
        ],
    ]


def _legend_table(styles: Any) -> Table:
    """Symbols and their meaning; the meanings wrap within the page."""
    small = styles["BodyText"].clone("legend", fontSize=9, leading=11)
    rows = [[sign, Paragraph(escape(meaning), small)] for sign, meaning in legend()]
    table = Table([[_("Zeichen"), _("Bedeutung")], *rows], hAlign="LEFT", colWidths=[2.2 * cm, 14.7 * cm])
    table.setStyle(_STYLE)
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "LEFT"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def rates_method() -> str:
    return _(
        "Raten je 1.000 Einwohner: die Zahl des Quartals geteilt durch die Einwohnerzahl der Gemeinde "
        "(des Kreises) mal 1.000. Gezählt wird nach dem Wohnort der Beratenen; haben nicht alle "
        "Beratungsstellen berichtet, ist die Rate zu niedrig."
    )


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that writes "Seite x von y" and the source on every page once the page count is known."""

    class Numbered(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 8)
                page = _("Seite {page} von {pages}").format(page=self._pageNumber, pages=count)
                self.drawRightString(A4[0] - 2 * cm, 1.2 * cm, page)
                self.drawString(2 * cm, 1.2 * cm, footer)
                super().showPage()
            super().save()

    return Numbered


def _caption(styles: Any, text: str) -> Paragraph:
    return Paragraph(text, styles["Heading3"])


def _more_tables(
    story: list[Any], styles: Any, store: DistrictStore, figures: picture.Figures, period: str, count: int
) -> int:
    """Trend, barriers against the previous quarter and the year before, rates per 1,000 inhabitants."""
    quarter = quarter_title(period)
    count += 1
    trend_rows = [[quarter_title(p), number(v)] for p, v in picture.trend(store, "cases_by_type_state")]
    caption = _("Tabelle {n}: {title}").format(n=count, title=_("Entwicklung: Anträge je Quartal"))
    story.append(KeepTogether([_caption(styles, caption), _table([_("Quartal"), _("Anzahl")], trend_rows)]))
    story.append(Spacer(1, 0.3 * cm))
    count += 1
    title = _("Hürden nach Gemeinde und Antragsart im Vergleich")
    caption = _("Tabelle {n}: {title}, {quarter}").format(n=count, title=title, quarter=quarter)
    rows = [
        [label("municipality", m), label("application_type", t), number(a), change(a, b), change(a, c)]
        for m, t, a, b, c in picture.barrier_change(store, period)
    ]
    head = [_("Gemeinde"), _("Antragsart"), _("Anzahl"), _("zum Vorquartal"), _("zum Vorjahresquartal")]
    story.append(_caption(styles, caption))
    if rows:
        table = _table(head, rows)
        table.setStyle(TableStyle([("ALIGN", (0, 1), (1, -1), "LEFT")]))
        story.append(table)
    else:
        story.append(Paragraph(_("keine Daten"), styles["Normal"]))
    story.append(Spacer(1, 0.3 * cm))
    count += 1
    caption = _("Tabelle {n}: {title}, {quarter}").format(
        n=count, title=_("Beratungskontakte und Anträge je 1.000 Einwohner"), quarter=quarter
    )
    try:
        people = population.load(store.path.parent)
    except population.PopulationError as exc:
        story += [_caption(styles, caption), Paragraph(str(exc), styles["Normal"])]
        return count
    rate_rows = [
        [
            _("Kreis insgesamt") if r.municipality == TOTAL else label("municipality", r.municipality),
            format_number(r.inhabitants, "de"),
            rates.shown(r.contacts),
            rates.shown(r.cases),
        ]
        for r in rates.rate_rows(figures, people)
    ]
    head = [_("Gemeinde"), _("Einwohner"), _("Kontakte je 1.000"), _("Anträge je 1.000")]
    stand = dt.date.fromisoformat(people.stand).strftime("%d.%m.%Y")
    note = _("Einwohner: {source}, Stand {stand}.").format(source=people.source, stand=stand)
    if not people.checked:
        note += " " + _("Die Einwohnerzahlen sind nicht am Original geprüft; die Raten sind nur Näherungswerte.")
    story.append(
        KeepTogether([_caption(styles, caption), _table(head, rate_rows, True), Paragraph(note, styles["Italic"])])
    )
    story.append(Spacer(1, 0.3 * cm))
    return count


def _figures(story: list[Any], styles: Any, store: DistrictStore, figures: picture.Figures, period: str) -> None:
    """Numbered charts ("Abbildung n") with titles, axes and units."""
    quarter = quarter_title(period)
    unit = _("Anzahl")
    charts: list[tuple[str, Sequence[pdf_charts.Row], bool, str]] = []
    for title, table, position, dim in (
        (_("Anträge nach Gemeinde"), "cases_by_type_state", 0, "municipality"),
        (_("Hürden nach Art"), "barriers_by_type", 2, "barrier"),
    ):
        margin = sorted(picture.margin(figures, table, position), key=lambda row: -(row[1].value or 0))
        charts.append((title, [(label(dim, code), f.value, number(f)) for code, f in margin], False, unit))
    try:
        people = population.load(store.path.parent)
        rate_rows = sorted(rates.rate_rows(figures, people), key=lambda r: -(r.contacts.rate or 0))
        charts.append(
            (
                _("Beratungskontakte je 1.000 Einwohner nach Gemeinde"),
                [
                    (
                        _("Kreis insgesamt") if r.municipality == TOTAL else label("municipality", r.municipality),
                        r.contacts.rate,
                        rates.shown(r.contacts),
                    )
                    for r in rate_rows
                ],
                False,
                _("je 1.000 Einwohner"),
            )
        )
    except population.PopulationError:
        pass
    trend = [(quarter_title(p), f.value, number(f)) for p, f in picture.trend(store, "cases_by_type_state")]
    charts.append((_("Entwicklung: Anträge je Quartal"), trend, True, unit))
    for index, (title, rows, columns, axis) in enumerate(charts, start=1):
        if columns:  # the trend spans quarters
            caption = _("Abbildung {n}: {title}").format(n=index, title=title)
        else:
            caption = _("Abbildung {n}: {title}, {quarter}").format(n=index, title=title, quarter=quarter)
        if not any(value for _n, value, _s in rows):
            story += [_caption(styles, caption), Paragraph(_("keine Daten"), styles["Normal"])]
            continue
        drawing = (pdf_charts.column_drawing if columns else pdf_charts.bar_drawing)(rows, "", axis)
        source = Paragraph(source_line(), styles["Italic"])
        story.append(KeepTogether([_caption(styles, caption), drawing, source, Spacer(1, 0.4 * cm)]))


def committee_pdf(store: DistrictStore, period: str, today: dt.date) -> bytes:
    styles = getSampleStyleSheet()
    figures = picture.picture(store, period)
    quarter = quarter_title(period)
    stand = _("Stand: {date}").format(date=today.strftime("%d.%m.%Y"))
    story: list[Any] = [
        Paragraph(_("Kommunales Integrationsmanagement Kreis Warendorf"), styles["Title"]),
        Paragraph(_("Lagebild für den Ausschuss – {quarter}").format(quarter=quarter), styles["Heading2"]),
        Paragraph(stand, styles["Normal"]),
        Paragraph(source_line(), styles["Normal"]),
        Spacer(1, 0.4 * cm),
        Paragraph(_("Methodische Hinweise"), styles["Heading3"]),
        Paragraph(methods_text(int(store.protection().get("D", 5))), styles["Normal"]),
        Paragraph(rates_method(), styles["Normal"]),
        Spacer(1, 0.3 * cm),
        Paragraph(_("Zeichenerklärung"), styles["Heading3"]),
        _legend_table(styles),
        Spacer(1, 0.4 * cm),
    ]
    sections = (
        (_("Anträge nach Gemeinde"), "cases_by_type_state", 0, "municipality"),
        (_("Anträge nach Stand am Quartalsende"), "cases_by_type_state", 2, "state"),
        (_("Anträge nach Antragsart"), "cases_by_type_state", 1, "application_type"),
        (_("Hürden nach Art"), "barriers_by_type", 2, "barrier"),
        (_("Beratungskontakte nach Sprachgruppe"), "contacts_by_language_group", 1, "language_group"),
        (_("Beratene Personen nach Altersgruppe"), "clients_by_age_band", 1, "age_band"),
    )
    number_of_table = 0
    for heading, table, position, dim in sections:
        number_of_table += 1
        rows = [[label(dim, code), number(value)] for code, value in picture.margin(figures, table, position)]
        caption = _("Tabelle {n}: {title}, {quarter}").format(n=number_of_table, title=heading, quarter=quarter)
        if not rows:
            story += [Paragraph(caption, styles["Heading3"]), Paragraph(_("keine Daten"), styles["Normal"])]
            continue
        rows.append([_("Insgesamt"), number(picture.total(figures, table))])
        # Heading, table and total stay on one page (the tables are short).
        story.append(
            KeepTogether([Paragraph(caption, styles["Heading3"]), _table([_("Merkmal"), _("Anzahl")], rows, True)])
        )
        story.append(Spacer(1, 0.3 * cm))
    numbers = itertools.count(number_of_table + 1)
    caption_of = _("Tabelle {n}: {title}, {quarter}").format
    story += gaps.pdf_story(figures, number, lambda title: caption_of(n=next(numbers), title=title, quarter=quarter))
    number_of_table = next(numbers) - 1
    number_of_table = _more_tables(story, styles, store, figures, period, number_of_table)
    _figures(story, styles, store, figures, period)
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
        out,
        pagesize=A4,
        title=_("KIM-Lagebild {quarter}").format(quarter=quarter),
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    footer = _("KIM-Lagebild Kreis Warendorf, {quarter} · {stand}").format(quarter=quarter, stand=stand)
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return out.getvalue()
