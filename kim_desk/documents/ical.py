"""The calendar entry behind the appointment slip's QR code (an iCalendar VEVENT).

Phones' camera apps offer "add to calendar" for a QR code holding a VEVENT. Times are
local ("floating"), as the desk and the client are in the same place. The entry holds no
client data: the title, the place and the counsellor only.
"""

from __future__ import annotations

import datetime as dt


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def vevent(*, start: dt.datetime, minutes: int, summary: str, location: str = "", organiser: str = "") -> str:
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_escape(summary)}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + dt.timedelta(minutes=minutes))}",
    ]
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if organiser:
        lines.append(f"DESCRIPTION:{_escape(organiser)}")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)
