"""Deadlines computed as the civil law computes them (§§ 187–193 BGB), with the public holidays of NRW.

A deadline starts from an event (moving in, the notice arriving, the permit's expiry ...). The day of
the event is not counted (§ 187 Abs. 1 BGB); a period of days ends with its last day, a period of
weeks on the weekday of the event, a period of months on the day with the event's number, or the
month's last day where that day does not exist (§ 188 Abs. 2 and 3 BGB). Where the law says so
(§ 193 BGB, § 26 Abs. 3 SGB X, § 64 Abs. 3 SGG, § 222 Abs. 2 ZPO via § 57 VwGO, § 108 Abs. 3 AO) a
deadline ending on a Saturday, a Sunday or a public holiday ends on the next working day.
Negative lengths count back from the event (recommended dates before a permit expires); they are
never moved. No Qt, no database: plain dates in, plain dates out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from typing import NamedTuple

# where a computed date is moved to: nowhere, the first or the last day of its month
ALIGNMENTS = ("", "month_start", "month_end")


class _Units(NamedTuple):
    days: int = 0
    weeks: int = 0
    months: int = 0


class Length(_Units):
    """The length of a period; one of the three is used, negative counts back. (A tuple, not a frozen dataclass:
    that costs ~1 ms of every start.)"""

    __slots__ = ()

    def __new__(cls, days: int = 0, weeks: int = 0, months: int = 0) -> Length:
        if sum(1 for value in (days, weeks, months) if value) > 1:
            raise ValueError("a period is counted in days, weeks or months, not in several")
        return super().__new__(cls, days, weeks, months)


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def nrw_holidays(year: int) -> dict[dt.date, str]:
    """The statutory public holidays of North Rhine-Westphalia (Feiertagsgesetz NW § 2)."""
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1): "Neujahr",
        easter - dt.timedelta(days=2): "Karfreitag",
        easter + dt.timedelta(days=1): "Ostermontag",
        dt.date(year, 5, 1): "Tag der Arbeit",
        easter + dt.timedelta(days=39): "Christi Himmelfahrt",
        easter + dt.timedelta(days=50): "Pfingstmontag",
        easter + dt.timedelta(days=60): "Fronleichnam",
        dt.date(year, 10, 3): "Tag der Deutschen Einheit",
        dt.date(year, 11, 1): "Allerheiligen",
        dt.date(year, 12, 25): "1. Weihnachtstag",
        dt.date(year, 12, 26): "2. Weihnachtstag",
    }
    return days


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in nrw_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day in NRW, else the next one (§ 193 BGB)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The day with the same number `months` later (or earlier); the month's last day where it is missing."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_end(event: dt.date, length: Length) -> dt.date:
    """The last day of a period starting with `event` (§ 187 Abs. 1, § 188 BGB)."""
    if length.months:
        return add_months(event, length.months)
    return event + dt.timedelta(days=length.days + 7 * length.weeks)


def due_date(event: dt.date, length: Length, *, align: str = "", working_day: bool = False) -> dt.date:
    """The date a deadline ends on: the period's end, aligned, then moved to a working day if the law says so."""
    if align not in ALIGNMENTS:
        raise ValueError(f"unknown alignment {align!r}")
    day = period_end(event, length)
    if align == "month_start":
        day = day.replace(day=1)
    elif align == "month_end":
        day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if working_day:
        day = next_working_day(day)
    return day
