"""Time as a collaborator, so tests and the demo can fix 'today'."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...
    def today(self) -> dt.date: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)

    def today(self) -> dt.date:
        return dt.date.today()


class FixedClock(NamedTuple):
    at: dt.datetime

    def now(self) -> dt.datetime:
        return self.at

    def today(self) -> dt.date:
        return self.at.date()
