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
    # Summed one dimension at a time (cells, then their sums over the first dimension, and so on):
    # each margin is added from the few sums of the step before, not from every cell again.
    sums: dict[Key, list[int]] = {key: [tally.count, tally.keys] for key, tally in tallies.items()}
    for position in range(len(categories)):
        margins: dict[Key, list[int]] = {}
        for key, (count, keys) in sums.items():
            target = (*key[:position], TOTAL, *key[position + 1 :])
            found = margins.get(target)
            if found is None:
                margins[target] = [count, keys]
            else:
                found[0] += count
                found[1] += keys
        sums.update(margins)
    result = {key: Tally() for key in itertools.product(*[[*values, TOTAL] for values in categories])}
    for key, (count, keys) in sums.items():
        tally = result[key]  # a key outside the categories is a bug: KeyError
        tally.count, tally.keys = count, keys % KEY_MODULUS
    return result


def perturb(cells: Mapping[Key, Tally], ptable: PTable) -> dict[Key, int]:
    """The published value of every cell: true count plus the p-table's noise for its cell key."""
    return {key: ptable.publish(tally.count, tally.keys) for key, tally in cells.items()}
