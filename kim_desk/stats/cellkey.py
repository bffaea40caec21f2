"""The cell key method: a cell's records as (count, key sum) and the published cube of a table.

Every countable record has a random key in [0, 2**32) that never leaves the desk. A cell's
key is the sum of its records' keys modulo 2**32 (the fractional part of the sum of keys
in [0, 1)), so the same set of records always has the same cell key, in whichever table,
margin, quarter or resend it is counted. The published value is read from the p-table.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kim_desk.stats.ptable import KEY_MODULUS, PTable

TOTAL = "*"
Key = tuple[str, ...]
CellId = tuple[str, Key]  # (table name, key)


@dataclass
class Tally:
    """The records of one cell: how many, and the sum of their keys (mod 2**32)."""

    count: int = 0
    keys: int = 0

    def add(self, count: int, keys: int) -> None:
        self.count += count
        self.keys = (self.keys + keys) % KEY_MODULUS


def cube(categories: Sequence[Sequence[str]], tallies: Mapping[Key, Tally]) -> dict[Key, Tally]:
    """Every cell of a table and all its margins ("*" = all values of that dimension)."""
    result = {key: Tally() for key in itertools.product(*[[*values, TOTAL] for values in categories])}
    for key, tally in tallies.items():
        for mask in itertools.product((False, True), repeat=len(key)):
            target = tuple(TOTAL if total else part for total, part in zip(mask, key, strict=True))
            result[target].add(tally.count, tally.keys)
    return result


def perturb(cells: Mapping[Key, Tally], ptable: PTable) -> dict[Key, int]:
    """The published value of every cell: true count plus the p-table's noise for its cell key."""
    return {key: ptable.publish(tally.count, tally.keys) for key, tally in cells.items()}
