"""The district dashboard: HTML with inline SVG charts drawn on the server (no scripts)."""

from __future__ import annotations

import datetime as dt
import functools
from html import escape

from kim_desk import taxonomy
from kim_desk.catalog import load_catalog
from kim_desk.district import picture
from kim_desk.district.store import DistrictStore
from kim_desk.errors import KnownError
from kim_desk.i18n import _, format_number

SUPPRESSED = "•"


@functools.cache
def application_titles() -> dict[str, str]:
    """Application types' German titles from the shipped catalogue (codes stay codes if it is unreadable)."""
    try:
        return {item.code: item.title for item in load_catalog().types.values()}
    except KnownError:
        return {}


def label(dim: str, code: str) -> str:
    """German titles for coded values; codes without a title are shown as they are."""
    if dim == "application_type":
        title = application_titles().get(code)
        return _(title) if title else code
    lists = {
        "municipality": taxonomy.MUNICIPALITIES,
        "barrier": taxonomy.BARRIERS,
        "state": taxonomy.CASE_STATUSES,
        "channel": taxonomy.CHANNELS,
    }
    found = lists.get(dim, {}).get(code)
    return _(found.title) if found else code


def number(figure: picture.Figure) -> str:
    """A figure with its expected error: "1.234 ± 2,2" (suppression-era cells: "•")."""
    if figure.value is None:
        return SUPPRESSED
    text = format_number(figure.value, "de")
    error = round(figure.error, 1)
    return f"{text} ± {format_number(error, 'de')}" if error else text


def method_note() -> str:
    return _(
        "Die Werte sind zum Schutz der Beratenen leicht zufällig verändert (Zellschlüsselverfahren, "
        "im Mittel unverfälscht); ± nennt den zu erwartenden Fehler (eine Standardabweichung). "
        "Gesperrte Werte ({mark}) gibt es nur in Berichten aus der Zeit vor diesem Verfahren."
    ).format(mark=SUPPRESSED)


def bar_chart(rows: list[tuple[str, picture.Figure]], title: str) -> str:
    """Horizontal bars; suppressed figures (older reports) are listed but drawn without a bar."""
    width, bar_left, row_height = 640, 230, 22
    biggest = max([f.value for _, f in rows if f.value is not None] or [1]) or 1
    height = row_height * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}">'
    ]
    for index, (name, figure) in enumerate(rows):
        y = 5 + index * row_height
        length = 0 if figure.value is None else int((width - bar_left - 90) * figure.value / biggest)
        parts.append(f'<text x="{bar_left - 8}" y="{y + 15}" text-anchor="end" font-size="13">{escape(name)}</text>')
        parts.append(f'<rect x="{bar_left}" y="{y + 3}" width="{length}" height="15" fill="#2f6f9f"/>')
        parts.append(f'<text x="{bar_left + length + 6}" y="{y + 15}" font-size="13">{escape(number(figure))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(rows: list[tuple[str, picture.Figure]], title: str) -> str:
    """Vertical columns over the quarters, for trends."""
    width, height, base = 640, 200, 170
    biggest = max([f.value for _, f in rows if f.value is not None] or [1]) or 1
    step = (width - 40) / max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}">'
    ]
    for index, (period, figure) in enumerate(rows):
        x = 20 + index * step
        size = 0 if figure.value is None else int((base - 30) * figure.value / biggest)
        parts.append(f'<rect x="{x + 4:.0f}" y="{base - size}" width="{step - 8:.0f}" height="{size}" fill="#4f8f5f"/>')
        parts.append(
            f'<text x="{x + step / 2:.0f}" y="{base - size - 4}" text-anchor="middle" '
            f'font-size="12">{escape(number(figure))}</text>'
        )
        parts.append(
            f'<text x="{x + step / 2:.0f}" y="{base + 18}" text-anchor="middle" font-size="12">{escape(period)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _section(heading: str, body: str) -> str:
    return f"<section><h2>{escape(heading)}</h2>{body}</section>"


def overview_table(store: DistrictStore, today: dt.date) -> str:
    periods, rows = picture.expected_vs_received(store, today)
    if not rows:
        return f"<p>{escape(_('Noch keine Arbeitsplätze angemeldet.'))}</p>"
    head = "".join(f"<th>{escape(p)}</th>" for p in periods)
    lines = [
        f"<table class='overview'><tr><th>{escape(_('Arbeitsplatz'))}</th><th>{escape(_('Gemeinde'))}</th>{head}</tr>"
    ]
    for row in rows:
        cells = []
        for period in periods:
            if period not in row.received:
                cells.append("<td></td>")
            elif row.received[period]:
                cells.append(f"<td class='ok'>{escape(_('eingegangen'))}</td>")
            else:
                cells.append(f"<td class='missing'>{escape(_('fehlt'))}</td>")
        lines.append(
            f"<tr><td>{escape(row.name)}</td>"
            f"<td>{escape(label('municipality', row.municipality))}</td>"
            f"{''.join(cells)}</tr>"
        )
    lines.append("</table>")
    return "".join(lines)


def dashboard_html(store: DistrictStore, period: str | None, today: dt.date) -> str:
    title = _("KIM-Lagebild Kreis Warendorf")
    sections = [_section(_("Eingang der Quartalsberichte"), overview_table(store, today))]
    if period is None:
        sections.append(f"<p>{escape(_('Noch keine Berichte eingegangen.'))}</p>")
    else:
        figures = picture.picture(store, period)
        charts = (
            (_("Anträge nach Gemeinde"), "cases_by_type_state", 0, "municipality"),
            (_("Anträge nach Antragsart"), "cases_by_type_state", 1, "application_type"),
            (_("Hürden nach Art"), "barriers_by_type", 2, "barrier"),
            (_("Beratungskontakte nach Gemeinde"), "contacts_by_channel", 0, "municipality"),
        )
        for heading, table, position, dim in charts:
            rows = [(label(dim, code), value) for code, value in picture.margin(figures, table, position)]
            sections.append(_section(heading, bar_chart(rows, heading)))
        for heading, table in (
            (_("Entwicklung: Anträge je Quartal"), "cases_by_type_state"),
            (_("Entwicklung: Hürden je Quartal"), "barriers_by_type"),
        ):
            sections.append(_section(heading, column_chart(picture.trend(store, table), heading)))
    note = method_note()
    period_text = escape(_("Quartal {period}").format(period=period or "–"))
    sign_out = _("Abmelden")
    links = (
        f'<p><a href="/report.csv?period={escape(period or "")}">CSV</a> · '
        f'<a href="/report.pdf?period={escape(period or "")}">PDF</a></p>'
        f"<form method='post' action='/logout'><button type='submit'>{escape(sign_out)}</button></form>"
    )
    return (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:60em}"
        "table.overview{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
        ".ok{background:#dfd}.missing{background:#fdd}"
        f"</style></head><body><h1>{escape(title)}</h1><p>{period_text}</p>{links}"
        f"<p>{escape(note)}</p>{''.join(sections)}</body></html>"
    )
