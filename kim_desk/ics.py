"""iCalendar (RFC 5545) for appointments: the calendar's .ics export and the slip's QR code.

The one iCalendar writer of KIM Desk, built on the `icalendar` package. Every object is a
complete VCALENDAR (PRODID, VERSION, a VTIMEZONE for Europe/Berlin) whose events carry UID,
DTSTAMP and start/end in the desk's time zone, so a phone or calendar program puts them at
the right hour. Stored times are the desk's wall clock (naive); they are read as Berlin time.
Core module: no Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//KIM Desk//Kreis Warendorf//DE"
TZID = "Europe/Berlin"
ZONE = ZoneInfo(TZID)


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime  # the desk's wall clock (naive) or aware
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False


def appointment_uid(appointment_id: int | None) -> str:
    """The UID of an appointment's entry: the same in the .ics export and the slip's QR code."""
    return f"appointment-{appointment_id}@kim-desk"


def local(moment: dt.datetime) -> dt.datetime:
    """A stored wall-clock time as an aware Berlin time."""
    return moment.replace(tzinfo=ZONE) if moment.tzinfo is None else moment.astimezone(ZONE)


def _utc(stamp: dt.datetime) -> dt.datetime:
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=ZONE)).astimezone(dt.UTC)


def _timezone(events: Sequence[Event], compact: bool) -> icalendar.Timezone:
    """The Berlin rules for the years the events fall in (a small VTIMEZONE, not 70 years of them);
    `compact`: only for the days of the events, as a QR code must stay small."""
    if compact and events:
        first = min(e.starts_at for e in events).date() - dt.timedelta(days=1)
        last = max(e.ends_at for e in events).date() + dt.timedelta(days=1)
    else:
        years = [e.starts_at.year for e in events] + [e.ends_at.year for e in events]
        first = dt.date(min(years, default=2026), 1, 1)
        last = dt.date(max(years, default=2026) + 1, 1, 1)
    zone = icalendar.Timezone.from_tzinfo(ZONE, TZID, first_date=first, last_date=last)
    zone.pop("COMMENT", None)
    return zone


def calendar_object(events: Iterable[Event], stamp: dt.datetime, *, compact: bool = False) -> icalendar.Calendar:
    """A VCALENDAR with the Berlin VTIMEZONE and one VEVENT per event; `compact` leaves out
    what has a default (CALSCALE, STATUS) and the time zone rules of other days."""
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if not compact:
        cal.add("calscale", "GREGORIAN")
    cal.add_component(_timezone(events, compact))
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", event.uid)
        entry.add("dtstamp", _utc(stamp))
        entry.add("dtstart", local(event.starts_at))
        entry.add("dtend", local(event.ends_at))
        entry.add("summary", event.summary)
        if event.location:
            entry.add("location", event.location)
        if event.description:
            entry.add("description", event.description)
        if not compact or event.cancelled:
            entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        cal.add_component(entry)
    return cal


def calendar(events: Iterable[Event], stamp: dt.datetime, *, compact: bool = False) -> str:
    """The text of a VCALENDAR: CRLF line ends, lines folded at 75 octets, UTF-8 when encoded."""
    data: bytes = calendar_object(events, stamp, compact=compact).to_ical()
    return data.decode("utf-8")


def parse(text: str | bytes) -> icalendar.Calendar:
    """Read an iCalendar object back (tests, and what a phone would do with the QR code)."""
    return icalendar.Calendar.from_ical(text)
