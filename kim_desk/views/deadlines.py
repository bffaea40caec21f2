"""The deadlines of one case as the case view shows them: one line each, in the UI language."""

from __future__ import annotations

import datetime as dt

from kim_desk.catalog import ApplicationType
from kim_desk.i18n import _
from kim_desk.store.cases import ANCHOR_COLUMNS, Case, case_deadlines
from kim_desk.views.format import date_text


def anchors_needed(app_type: ApplicationType | None) -> set[str]:
    """The case columns (moved_in_on, ...) the type's deadlines count from."""
    if app_type is None:
        return set()
    return {ANCHOR_COLUMNS[spec.anchor] for spec in app_type.deadlines if spec.anchor in ANCHOR_COLUMNS}


def deadline_lines(
    app_type: ApplicationType | None, case: Case, permit_expires: str | None, today: dt.date
) -> list[str]:
    """Lines "Empfohlen bis …" and "Spätestens am …" apart; legal limits with their basis."""
    if app_type is None:
        return []
    lines = []
    for due in case_deadlines(app_type, vars(case), permit_expires, today):
        if due.done:
            continue
        spec, date = due.spec, date_text(due.date)
        label = _(spec.label)
        if spec.kind == "legal":
            line = _("Spätestens am {date}: {label} ({basis})").format(date=date, label=label, basis=spec.basis)
        elif spec.kind == "recommended":
            line = _("Empfohlen bis {date}: {label}").format(date=date, label=label)
        elif spec.kind == "retroactive":
            line = _("{label}: {date} ({basis})").format(date=date, label=label, basis=spec.basis)
        else:
            line = _("Erwartet bis {date}: {label}").format(date=date, label=label)
        if due.stand_in and spec.anchor == "notice_received":
            line += " – " + _("gezählt ab der Entscheidung; bitte das Datum eintragen, an dem der Bescheid ankam")
        lines.append(line)
    return lines
