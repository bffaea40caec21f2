"""The district dashboard: HTML with inline SVG charts drawn on the server (no scripts, no web fonts)."""

from __future__ import annotations

import datetime as dt
import functools
from html import escape
from urllib.parse import urlencode

from kim_desk import taxonomy
from kim_desk.catalog import load_catalog
from kim_desk.district import charts, gaps, picture, population, rates
from kim_desk.district.store import DistrictStore
from kim_desk.errors import KnownError
from kim_desk.i18n import N_, _, format_number
from kim_desk.stats.cellkey import TOTAL
from kim_desk.stats.periods import parse_quarter
from kim_desk.stats.render import code_title

SUPPRESSED = "•"

DESK_STATES = {
    "enrolled": N_("angemeldet"),
    "code_open": N_("Anmeldecode offen, noch nicht angemeldet"),
    "code_expired": N_("Anmeldecode abgelaufen, nie angemeldet"),
    "revoked": N_("gesperrt"),
}


@functools.cache
def application_titles() -> dict[str, str]:
    """Application types' German titles from the shipped catalogue (codes stay codes if it is unreadable)."""
    try:
        return {item.code: item.title for item in load_catalog().types.values()}
    except KnownError:
        return {}


def warm_up() -> None:
    """Load what every page needs once (catalogue titles, German number formats) before the first request."""
    application_titles()
    label("application_type", "")
    format_number(1234.5, "de")


def label(dim: str, code: str) -> str:
    """Titles for coded values (application types, statuses, barriers, language groups, age bands …)."""
    return code_title(dim, code)


def quarter_title(period: str) -> str:
    """ "2026Q3" -> "3. Quartal 2026"."""
    quarter = parse_quarter(period)
    return _("{quarter}. Quartal {year}").format(quarter=quarter.number, year=quarter.year)


_GERMAN = str.maketrans(",.", ".,")


def german_number(value: float) -> str:
    """What format_number(value, "de") gives (pattern #,##0.###), without Babel's cost per call:
    a page shows hundreds of numbers (tests compare the two)."""
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text.translate(_GERMAN)


def number(figure: picture.Figure) -> str:
    """A figure with its expected error: "1.234 ± 2,2" (suppression-era cells: "•")."""
    if figure.value is None:
        return SUPPRESSED
    text = german_number(figure.value)
    error = round(figure.error, 1)
    return f"{text} ± {german_number(error)}" if error else text


def change(now: picture.Figure, before: picture.Figure) -> str:
    if now.value is None or before.value is None:
        return SUPPRESSED
    return f"{now.value - before.value:+d}".replace("-", "−")


def method_note() -> str:
    return _(
        "Die Werte sind zum Schutz der Beratenen leicht zufällig verändert (Zellschlüsselverfahren, "
        "im Mittel unverfälscht); ± nennt den zu erwartenden Fehler (eine Standardabweichung). "
        "Gesperrte Werte ({mark}) gibt es nur in Berichten aus der Zeit vor diesem Verfahren."
    ).format(mark=SUPPRESSED)


def tag(name: str, text: str, attributes: str = "") -> str:
    """An element holding escaped text (keeps translated texts out of f-strings)."""
    return f"<{name}{attributes}>{escape(text)}</{name}>"


def no_data() -> str:
    return tag("p", _("keine Daten"), " class='empty'")


def _section(heading: str, body: str, note: str = "") -> str:
    extra = f"<p class='note'>{escape(note)}</p>" if note else ""
    return f"<section><h2>{escape(heading)}</h2>{body}{extra}</section>"


def _chart_rows(dim: str, rows: list[tuple[str, picture.Figure]]) -> list[tuple[str, int | None, str]]:
    return [(label(dim, code), figure.value, number(figure)) for code, figure in rows]


def _bars(figures: picture.Figures, table: str, position: int, dim: str, municipality: str, title: str) -> str:
    rows = picture.margin(figures, table, position, municipality)
    if not any(figure.value for _code, figure in rows):
        return no_data()
    rows.sort(key=lambda row: -(row[1].value or 0))
    return charts.bar_chart(_chart_rows(dim, rows), title, _("Anzahl"))


def _table(head: list[str], rows: list[list[str]], css: str = "data") -> str:
    if not rows:
        return no_data()
    head_html = "".join(f"<th>{escape(cell)}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table class='{css}'><tr>{head_html}</tr>{body}</table>"


def submission_table(figures: picture.Figures, municipality: str) -> str:
    """Submitted applications per type by time from opening to submission: where they take longest."""
    cells = picture.grid(figures, "submission_time_by_type", municipality)
    bands = list(taxonomy_bands())
    types = sorted({t for t, _band in cells if any(cells.get((t, b), picture.ZERO).value for b in bands)})
    ranked = []
    for type_code in types:
        values = [cells.get((type_code, band), picture.ZERO) for band in bands]
        slow = sum(v.value or 0 for v in values[2:])
        every = sum(v.value or 0 for v in values)
        ranked.append((slow / every if every else 0.0, type_code, values))
    ranked.sort(key=lambda row: (-row[0], label("application_type", row[1])))
    rows = [
        [label("application_type", code), *[number(v) for v in values], german_number(round(100 * share)) + " %"]
        for share, code, values in ranked
    ]
    head = [
        _("Antragsart"),
        *[label("time_to_submission", band) for band in bands],
        _("Anteil über 1 Monat"),
    ]
    return _table(head, rows)


def taxonomy_bands() -> tuple[str, ...]:
    from kim_desk.stats.tables import SUBMISSION_BANDS

    return SUBMISSION_BANDS


def barrier_change_table(store: DistrictStore, period: str, municipality: str) -> str:
    rows = [
        [
            label("municipality", muni),
            label("application_type", type_code),
            number(now),
            number(before),
            change(now, before),
            number(last_year),
            change(now, last_year),
        ]
        for muni, type_code, now, before, last_year in picture.barrier_change(store, period, municipality)
    ]
    previous = quarter_title(picture.previous_period(period))
    year_ago = quarter_title(picture.year_before(period))
    head = [
        _("Gemeinde"),
        _("Antragsart"),
        quarter_title(period),
        previous,
        _("Veränderung zum Vorquartal"),
        year_ago,
        _("Veränderung zum Vorjahresquartal"),
    ]
    return _table(head, rows)


def rates_section(store: DistrictStore, figures: picture.Figures, municipality: str) -> str:
    """Contacts and cases per 1,000 inhabitants: every municipality (or the chosen one) beside the district."""
    try:
        people = population.load(store.path.parent)
    except population.PopulationError as exc:
        return tag("p", str(exc), " class='empty'")
    rows = [
        r for r in rates.rate_rows(figures, people) if municipality == TOTAL or r.municipality in (municipality, TOTAL)
    ]
    if not any(r.contacts.count.value or r.cases.count.value for r in rows):
        return no_data()
    table = _table(
        [
            _("Gemeinde"),
            _("Einwohner"),
            _("Beratungskontakte"),
            _("Kontakte je 1.000 Einwohner"),
            _("Anträge"),
            _("Anträge je 1.000 Einwohner"),
        ],
        [
            [
                _("Kreis Warendorf insgesamt") if r.municipality == TOTAL else label("municipality", r.municipality),
                german_number(r.inhabitants),
                number(r.contacts.count),
                rates.shown(r.contacts),
                number(r.cases.count),
                rates.shown(r.cases),
            ]
            for r in rows
        ],
    )
    charts_html = ""
    for heading, which in (
        (_("Beratungskontakte je 1.000 Einwohner nach Gemeinde"), "contacts"),
        (_("Anträge je 1.000 Einwohner nach Gemeinde"), "cases"),
    ):
        picked = [(r, rates.pick(r, which)) for r in rows]
        picked.sort(key=lambda pair: -(pair[1].rate or 0))
        chart_rows = [
            (
                _("Kreis Warendorf insgesamt") if r.municipality == TOTAL else label("municipality", r.municipality),
                rate.rate,
                rates.shown(rate),
            )
            for r, rate in picked
        ]
        charts_html += tag("h3", heading) + charts.bar_chart(chart_rows, heading, _("je 1.000 Einwohner"))
    stand = dt.date.fromisoformat(people.stand).strftime("%d.%m.%Y")
    note = _("Einwohner: {source}, Stand {stand}.").format(source=people.source, stand=stand)
    if not people.checked:
        note += " " + _("Die Einwohnerzahlen sind nicht am Original geprüft; die Raten sind nur Näherungswerte.")
    return table + charts_html + tag("p", note, " class='note'")


def overview_table(store: DistrictStore, today: dt.date) -> str:
    """Every desk, enrolled or not: state, last contact, quarters received or missing."""
    periods, rows = picture.expected_vs_received(store, today)
    if not rows:
        return tag("p", _("Noch keine Arbeitsplätze angelegt."))
    head = "".join(f"<th>{escape(quarter_title(p))}</th>" for p in periods)
    columns = (
        _("Arbeitsplatz"),
        _("Gemeinde"),
        _("Stand der Anmeldung"),
        _("Letzter Kontakt"),
        _("Fehlende Berichte"),
        _("Inhaltspaket"),
    )
    lines = [
        "<div class='wide'><table class='overview'><tr>"
        + "".join(f"<th>{escape(c)}</th>" for c in columns)
        + f"{head}</tr>"
    ]
    for row in rows:
        cells = []
        for period in periods:
            if period not in row.received:
                cells.append("<td>–</td>")
            elif row.received[period]:
                cells.append(tag("td", _("eingegangen"), " class='ok'"))
            else:
                cells.append(tag("td", _("fehlt"), " class='missing'"))
        last = dt.date.fromisoformat(row.last_contact).strftime("%d.%m.%Y") if row.last_contact else _("noch nie")
        state = _(DESK_STATES.get(row.state, row.state))
        lines.append(
            f"<tr><td>{escape(row.name)}</td>"
            f"<td>{escape(label('municipality', row.municipality))}</td>"
            f"<td>{escape(state)}</td>"
            f"<td>{escape(last)}</td><td class='num'>{row.missing}</td>"
            f"<td>{escape(pack_title(row.content_version))}</td>"
            f"{''.join(cells)}</tr>"
        )
    lines.append("</table></div>")
    return "".join(lines)


def pack_title(version: int | None) -> str:
    """Which content pack a desk runs, as it said when it last asked for a newer one."""
    if version is None:
        return _("unbekannt")
    if version == 0:
        return _("keines (mitgelieferte Inhalte)")
    return _("Version {version}").format(version=version)


def chooser(store: DistrictStore, period: str | None, municipality: str) -> str:
    """Quarter and municipality choice: a plain GET form (works without scripts)."""
    options = "".join(
        f"<option value='{escape(p)}'{' selected' if p == period else ''}>{escape(quarter_title(p))}</option>"
        for p in reversed(store.periods())
    )
    places = [(TOTAL, _("Alle Gemeinden"))] + [(code, _(item.title)) for code, item in taxonomy.MUNICIPALITIES.items()]
    place_options = "".join(
        f"<option value='{'' if code == TOTAL else escape(code)}'{' selected' if code == municipality else ''}>"
        f"{escape(title)}</option>"
        for code, title in places
    )
    quarter, place, show = escape(_("Quartal")), escape(_("Gemeinde")), escape(_("Anzeigen"))
    return (
        "<form method='get' action='/' class='chooser'>"
        f"<label>{quarter} <select name='period'>{options}</select></label> "
        f"<label>{place} <select name='municipality'>{place_options}</select></label> "
        f"<button type='submit'>{show}</button></form>"
    )


def _figure_sections(store: DistrictStore, period: str, municipality: str) -> list[str]:
    figures = picture.picture(store, period)
    sections = []
    charts_list = [
        (_("Anträge nach Stand am Quartalsende"), "cases_by_type_state", 2, "state"),
        (_("Anträge nach Antragsart"), "cases_by_type_state", 1, "application_type"),
        (_("Hürden nach Art"), "barriers_by_type", 2, "barrier"),
        (_("Beratungskontakte nach Sprachgruppe"), "contacts_by_language_group", 1, "language_group"),
        (_("Beratene Personen nach Altersgruppe"), "clients_by_age_band", 1, "age_band"),
    ]
    if municipality == TOTAL:
        charts_list[:0] = [(_("Anträge nach Gemeinde"), "cases_by_type_state", 0, "municipality")]
        charts_list.append((_("Beratungskontakte nach Gemeinde"), "contacts_by_channel", 0, "municipality"))
    for heading, table, position, dim in charts_list:
        sections.append(_section(heading, _bars(figures, table, position, dim, municipality, heading)))
    sections.insert(
        3,
        _section(
            _("Zeit von der Eröffnung bis zur Einreichung nach Antragsart"),
            submission_table(figures, municipality),
            _(
                "Eingereichte Anträge im Quartal; zuoberst die Antragsarten, "
                "die am häufigsten länger als einen Monat brauchen."
            ),
        ),
    )
    sections.insert(
        5,
        _section(
            _("Hürden nach Gemeinde und Antragsart: Veränderung zum Vorquartal und zum Vorjahresquartal"),
            barrier_change_table(store, period, municipality),
        ),
    )
    sections.insert(
        6,
        _section(
            _("Beratungskontakte und Anträge je 1.000 Einwohner"),
            rates_section(store, figures, municipality),
        ),
    )
    for heading, table in (
        (_("Entwicklung: Anträge je Quartal"), "cases_by_type_state"),
        (_("Entwicklung: Hürden je Quartal"), "barriers_by_type"),
    ):
        rows = [(quarter_title(p), f.value, number(f)) for p, f in picture.trend(store, table, municipality)]
        body = charts.column_chart(rows, heading, _("Anzahl")) if any(v for _n, v, _s in rows) else no_data()
        sections.append(_section(heading, body))
    sections.append(gaps.section_html(figures, municipality, number))
    return sections


def dashboard_html(store: DistrictStore, period: str | None, today: dt.date, municipality: str = TOTAL) -> str:
    title = _("KIM-Lagebild Kreis Warendorf")
    sections = [_section(_("Eingang der Quartalsberichte"), overview_table(store, today))]
    if period is None:
        sections.append(tag("p", _("Noch keine Berichte eingegangen.")))
        heading, links = "", ""
    else:
        sections += _figure_sections(store, period, municipality)
        place = _("alle Gemeinden") if municipality == TOTAL else label("municipality", municipality)
        heading = _("{quarter}, {place}").format(quarter=quarter_title(period), place=place)
        query = escape(urlencode({"period": period}))
        downloads = [
            (f"/report.pdf?{query}", _("Bericht für den Ausschuss (PDF)")),
            (f"/report.ods?{query}", _("Tabelle (ODS)")),
            (f"/report.xlsx?{query}", _("Tabelle (XLSX)")),
            (f"/report-de.csv?{query}", _("CSV für Tabellenkalkulation")),
            (f"/report.csv?{query}", _("CSV (maschinenlesbar)")),
        ]
        links = (
            "<p>"
            + escape(_("Herunterladen:"))
            + " "
            + " · ".join(tag("a", text, f" href='{href}'") for href, text in downloads)
            + "</p>"
        )
    sign_out = _("Abmelden")
    return (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
        ".ok{background:#dfd}.missing{background:#fdd}.empty{color:#666;font-style:italic}.note{color:#444}"
        ".gap{background:#fde2c8;font-weight:bold}.gaps td+td{white-space:nowrap}"
        "svg{max-width:100%;height:auto}.wide{overflow-x:auto}h3{font-size:1em}"
        f"</style></head><body><h1>{escape(title)}</h1>"
        f"{chooser(store, period, municipality)}<p><strong>{escape(heading)}</strong></p>{links}"
        f"<p class='note'>{escape(method_note())}</p>{''.join(sections)}"
        f"<form method='post' action='/logout'><button type='submit'>{escape(sign_out)}</button></form>"
        "</body></html>"
    )
