"""The .ics export and the slip's calendar entry: what a calendar program reads."""

from __future__ import annotations

import datetime as dt

import icalendar

from kim_desk import ics

STAMP = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_has_one_event_per_appointment_in_berlin_time() -> None:
    events = [
        ics.Event("a1@kim-desk", dt.datetime(2026, 11, 23, 9, 30), dt.datetime(2026, 11, 23, 10, 0), "Beratung"),
        ics.Event("a2@kim-desk", dt.datetime(2026, 7, 24, 14, 0), dt.datetime(2026, 7, 24, 15, 0), "Kindergeld",
                  location="Rathaus, Raum 2", cancelled=True),
    ]  # fmt: skip
    text = ics.calendar(events, STAMP)
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "PRODID:" + ics.PRODID in lines and "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == 2 and lines.count("BEGIN:VTIMEZONE") == 1
    assert "DTSTART;TZID=Europe/Berlin:20261123T093000" in lines
    assert "DTEND;TZID=Europe/Berlin:20260724T150000" in lines
    assert lines.count("DTSTAMP:20261123T080000Z") == 2
    assert "LOCATION:Rathaus\\, Raum 2" in lines
    assert lines.count("STATUS:CANCELLED") == 1
    assert all(line.endswith("\r\n") for line in text.splitlines(keepends=True))
    # read back: summer time is +02:00, winter time +01:00
    parsed = icalendar.Calendar.from_ical(text)
    starts = sorted(e.decoded("dtstart") for e in parsed.walk("VEVENT"))
    assert [s.utcoffset() for s in starts] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]
    assert all(str(e["uid"]).endswith("@kim-desk") for e in parsed.walk("VEVENT"))


def test_long_lines_are_folded_at_75_octets_without_breaking_characters() -> None:
    summary = "Termin für العربية und Übersetzung; " * 6
    text = ics.calendar(
        [ics.Event("x", dt.datetime(2026, 1, 1, 9), dt.datetime(2026, 1, 1, 10), summary)], dt.datetime(2026, 1, 1)
    )
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    parsed = ics.parse(text.encode("utf-8"))
    (event,) = parsed.walk("VEVENT")
    assert str(event["summary"]) == summary


def test_the_time_zone_block_covers_only_the_years_of_the_events() -> None:
    event = ics.Event("x", dt.datetime(2026, 3, 12, 10, 30), dt.datetime(2026, 3, 12, 11, 15), "Termin")
    text = ics.calendar([event], STAMP)
    assert text.count("BEGIN:DAYLIGHT") == 1
    assert len(text.encode("utf-8")) < 800  # small enough for a QR code a phone reads


def test_the_compact_entry_for_a_qr_code_keeps_only_what_a_phone_needs() -> None:
    event = ics.Event("appointment-41@kim-desk", dt.datetime(2026, 3, 29, 10, 0), dt.datetime(2026, 3, 29, 10, 45),
                      "Danışma randevusu / Beratungstermin", "Caritas Ahlen, Südstraße 41")  # fmt: skip
    full = ics.calendar([event], STAMP)
    compact = ics.calendar([event], STAMP, compact=True)
    assert len(compact.encode("utf-8")) < len(full.encode("utf-8")) - 120
    assert "CALSCALE" not in compact and "STATUS" not in compact
    parsed = ics.parse(compact)
    (entry,) = parsed.walk("VEVENT")
    # the day summer time begins: the rules of that day are in the block, and the start is +02:00
    assert entry.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)
    assert {c.name for c in parsed.walk() if c.name in ("STANDARD", "DAYLIGHT")} == {"STANDARD", "DAYLIGHT"}
    assert str(entry["uid"]) == "appointment-41@kim-desk" and "DTSTAMP:20261123T080000Z" in compact
