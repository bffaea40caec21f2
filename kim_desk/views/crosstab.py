"""One table of the quarterly report as a crosstab: rows × columns with their totals (Qt-free).

The payload's cells are keyed by codes, "*" standing for "all" (the margin). A table with three
dimensions (municipality, type, state) is shown for one value of the first (default: all
municipalities); rows are the second dimension, columns the last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TOTAL = "*"
MISSING = -1  # no such cell in the payload (nothing counted there)


@dataclass
class Crosstab:
    name: str
    row_dim: str
    col_dim: str
    rows: list[str] = field(default_factory=list)  # codes, the total ("*") last
    cols: list[str] = field(default_factory=list)
    values: dict[tuple[str, str], int | None] = field(default_factory=dict)  # None: suppressed

    def value(self, row: str, col: str) -> int | None:
        return self.values.get((row, col), MISSING)

    def bars(self) -> list[tuple[str, int | None]]:
        """The row totals (without the grand total): what the bar chart shows."""
        return [(row, self.value(row, TOTAL)) for row in self.rows if row != TOTAL]


def _ordered(codes: list[str]) -> list[str]:
    seen = list(dict.fromkeys(code for code in codes if code != TOTAL))
    return [*seen, TOTAL]


def filter_codes(payload: dict[str, Any], name: str) -> list[str]:
    """The values of the first dimension a three-dimensional table can be narrowed to ("*" first)."""
    table = payload["tables"].get(name)
    if table is None or len(table["dims"]) < 3:
        return []
    return [TOTAL, *[c for c in _ordered([cell["key"][0] for cell in table["cells"]]) if c != TOTAL]]


def crosstab(payload: dict[str, Any], name: str, fixed: str = TOTAL) -> Crosstab:
    table = payload["tables"].get(name)
    if table is None:  # a report frozen before this table existed: nothing to show
        return Crosstab(name, "", "")
    dims = list(table["dims"])
    result = Crosstab(name, dims[-2], dims[-1])
    for cell in table["cells"]:
        key = list(cell["key"])
        if len(dims) == 3:
            if key[0] != fixed:
                continue
            key = key[1:]
        result.values[(key[0], key[1])] = cell["value"]
    # rows and columns where something was counted (or suppressed), with the totals last
    shown = [k for k, v in result.values.items() if v != 0]
    result.rows = _ordered([row for row, _col in shown])
    result.cols = _ordered([col for _row, col in shown])
    if (TOTAL, TOTAL) not in result.values and fixed == TOTAL:
        result.values[(TOTAL, TOTAL)] = table["total"]
    return result
