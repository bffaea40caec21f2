"""Quarters ("2026Q3"): the only time grain that leaves a desk."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kim_desk.errors import UsageError
from kim_desk.i18n import _

# ASCII digits only and no trailing newline: "２０２６Q3", "٢٠٢٦Q3" and "2025Q2\n" are not quarters.
_PERIOD = re.compile(r"\A([0-9]{4})Q([1-4])\Z")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)


def parse_quarter(text: str) -> Quarter:
    match = _PERIOD.match(text.strip().upper())
    if not match:
        raise UsageError(_("Ungültiges Quartal „{text}“. Erwartet wird z. B. 2026Q3.").format(text=text))
    return Quarter(int(match.group(1)), int(match.group(2)))


def is_period(text: object) -> bool:
    return isinstance(text, str) and bool(_PERIOD.match(text))


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_closed_quarter(today: dt.date, grace_days: int = 0) -> Quarter:
    """The latest quarter that ended at least `grace_days` before today."""
    return quarter_of(today - dt.timedelta(days=grace_days)).previous()


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    result: list[Quarter] = []
    current = first
    while current <= last:
        result.append(current)
        current = current.next()
    return result
