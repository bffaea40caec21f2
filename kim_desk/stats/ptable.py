"""The perturbation table (p-table) of the cell key method: noise by (true count, cell key).

A published figure is `count + noise`; the noise is read from the row of the true count
(counts from 5 up share the last row) at the position of the cell key in [0, 1). Row
weights are per million; the cell key's interval [lower, upper) in a row is where the
cumulative weights place it, so the same (count, cell key) always gives the same noise.

Design (as the sdcTools `ptable` package, `create_cnt_ptable(D = 5, V = 1, pstay = 1/3)`
for counts 2 to 4; Zensus 2022 and ABS TableBuilder use tables of this kind): each row
maximises entropy under the constraints below, rounded to parts per million with the mean
kept at exactly zero and every noise of the support at least one in a million.

- unbiased: the mean noise of every row is exactly 0;
- maximum deviation D = 5: no published figure is further than 5 from the truth;
- variance V = 1 from count 2 up; count 1 has noise -1, 0 or +1 with a third each (2/3);
- never negative: a row of count n has no noise below -n; a true 0 is always published 0;
- a small count (1 to 4) is published as itself with probability 1/3 (from 5 up: 0.40).

Why these values: V = 1 is about the least variance with which a small count stays at its
true value only a third of the time (an unbiased row for count 1 with P(0) = 1/3 needs at
least 2/3, which is what row 1 has: it also keeps the chance that a true 1 is published
as 0, and so missing from the district's sum, at 1/3). A district figure summed over m
desks has an expected error of about ±sqrt(m) (±2.2 for five desks), small against the
municipality totals. An auditor who combines a cell with its margins can pin a count only
when a noise sits at the very edge of its row (a margin published D below its truth, with
its parts at their least possible values): D = 5 with V = 1 puts that edge at one cell in
a million, while the noises a reader meets are -2..2 (99 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KEY_BITS = 32
KEY_MODULUS = 1 << KEY_BITS  # record and cell keys are integers in [0, 2**32): key / 2**32 in [0, 1)
WEIGHT_TOTAL = 1_000_000


@dataclass(frozen=True)
class PTable:
    id: str  # names the table and its version; reports carry it
    max_deviation: int  # D
    variance: float  # V
    rows: Mapping[int, tuple[tuple[int, int], ...]]  # count -> ((noise, weight per million), ...)

    @property
    def last_row(self) -> int:
        return max(self.rows)

    def row(self, count: int) -> tuple[tuple[int, int], ...]:
        return self.rows[min(count, self.last_row)]

    def noise(self, count: int, cell_key: int) -> int:
        """The noise for a cell of `count` records whose keys sum to `cell_key` (mod 2**32)."""
        if count <= 0:
            return 0
        position = (cell_key % KEY_MODULUS) * WEIGHT_TOTAL // KEY_MODULUS  # 0 .. 999,999
        upper = 0
        for noise, weight in self.row(count):
            upper += weight
            if position < upper:
                return noise
        raise AssertionError("p-table row does not sum to a million")

    def publish(self, count: int, cell_key: int) -> int:
        return count + self.noise(count, cell_key)

    def params(self) -> dict[str, Any]:
        """What a report carries and the district checks: method, table id, D and V."""
        return {"method": "cell_key", "ptable": self.id, "D": self.max_deviation, "V": self.variance}


STANDARD = PTable(
    id="kim-ckm-d5-v1/1",
    max_deviation=5,
    variance=1.0,
    rows={
        0: ((0, 1_000_000),),
        1: ((-1, 333333), (0, 333334), (1, 333333)),
        2: ((-2, 52426), (-1, 282992), (0, 333335), (1, 277730), (2, 50495), (3, 2965), (4, 56), (5, 1)),
        3: ((-3, 2586), (-2, 48572), (-1, 282220), (0, 333340), (1, 282115), (2, 48539), (3, 2584), (4, 43), (5, 1)),
        4: (
            (-4, 42),
            (-3, 2573),
            (-2, 48481),
            (-1, 282237),
            (0, 333338),
            (1, 282232),
            (2, 48481),
            (3, 2573),
            (4, 42),
            (5, 1),
        ),
        5: (
            (-5, 1),
            (-4, 134),
            (-3, 4432),
            (-2, 53991),
            (-1, 241971),
            (0, 398942),
            (1, 241971),
            (2, 53991),
            (3, 4432),
            (4, 134),
            (5, 1),
        ),
    },
)

KNOWN: dict[str, PTable] = {STANDARD.id: STANDARD}


def by_params(params: object) -> PTable | None:
    """The known p-table these parameters name (D and V must match it too), else None."""
    if not isinstance(params, dict) or set(params) != {"method", "ptable", "D", "V"}:
        return None
    table = KNOWN.get(params["ptable"]) if isinstance(params["ptable"], str) else None
    if table is None or params["method"] != "cell_key":
        return None
    d, v = params["D"], params["V"]
    if type(d) is not int or type(v) not in (int, float) or d != table.max_deviation or v != table.variance:
        return None
    return table
