"""The cube of a table (every cell and margin) is summed one dimension at a time: it must give exactly
what adding every cell into each of its 2**d margins gives, keys modulo 2**32 included."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

import pytest

from kim_desk.stats.cellkey import TOTAL, Key, Tally, cube
from kim_desk.stats.ptable import KEY_MODULUS


def every_margin(categories: Sequence[Sequence[str]], tallies: Mapping[Key, Tally]) -> dict[Key, Tally]:
    """The definition (the code before the report got faster): each cell into each of its margins."""
    result = {key: Tally() for key in itertools.product(*[[*values, TOTAL] for values in categories])}
    for key, tally in tallies.items():
        for mask in itertools.product((False, True), repeat=len(key)):
            target = tuple(TOTAL if total else part for total, part in zip(mask, key, strict=True))
            result[target].add(tally.count, tally.keys)
    return result


@pytest.mark.parametrize(("seed", "sizes", "share"), [(1, (14,), 0.8), (2, (14, 9), 0.5), (3, (14, 30, 13), 0.3)])
def test_summed_by_dimension_is_every_cell_into_every_margin(seed: int, sizes: tuple[int, ...], share: float) -> None:
    draw = random.Random(seed)
    categories = [[f"c{dim}_{i}" for i in range(size)] for dim, size in enumerate(sizes)]
    tallies = {
        key: Tally(draw.randint(1, 500), draw.randrange(KEY_MODULUS))  # key sums wrap around 2**32
        for key in itertools.product(*categories)
        if draw.random() < share
    }
    fast = cube(categories, tallies)
    expected = every_margin(categories, tallies)
    assert list(fast) == list(expected)  # the same cells in the same order
    assert {k: (v.count, v.keys) for k, v in fast.items()} == {k: (v.count, v.keys) for k, v in expected.items()}
    total = fast[(TOTAL,) * len(sizes)]
    assert total.count == sum(t.count for t in tallies.values()) and 0 <= total.keys < KEY_MODULUS


def test_a_cell_outside_the_categories_is_refused() -> None:
    with pytest.raises(KeyError):
        cube([["a", "b"]], {("c",): Tally(1, 1)})
