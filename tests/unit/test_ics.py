"""The .ics export: what a calendar program reads."""

from __future__ import annotations

import datetime as dt

from kim_desk import ics


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_has_one_event_per_appointment_with_local_times() -> None:
    events = [
        ics.Event("a1@kim-desk", dt.datetime(2026, 11, 23, 9, 30), dt.datetime(2026, 11, 23, 10, 0), "Beratung"),
        ics.Event("a2@kim-desk", dt.datetime(2026, 11, 24, 14, 0), dt.datetime(2026, 11, 24, 15, 0), "Kindergeld",
                  location="Rathaus, Raum 2", cancelled=True),
    ]  # fmt: skip
    text = ics.calendar(events, dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20261123T093000" in lines
    assert "DTEND:20261124T150000" in lines
    assert "DTSTAMP:20261123T080000Z" in lines
    assert "LOCATION:Rathaus\\, Raum 2" in lines
    assert lines.count("STATUS:CANCELLED") == 1
    assert all(line.endswith("\r\n") for line in text.splitlines(keepends=True))


def test_long_lines_are_folded_at_75_octets_without_breaking_characters() -> None:
    summary = "Termin für العربية und Übersetzung; " * 6
    text = ics.calendar(
        [ics.Event("x", dt.datetime(2026, 1, 1, 9), dt.datetime(2026, 1, 1, 10), summary)], dt.datetime(2026, 1, 1)
    )
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert "SUMMARY:" + ics.escape(summary) in _unfold(text)
