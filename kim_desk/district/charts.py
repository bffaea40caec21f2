"""Charts for the district dashboard: inline SVG drawn on the server (no scripts, no web fonts).

Every chart has a title, an axis with a scale and its unit, and labels that are never cut off:
the label column is as wide as the longest label. Each bar carries its figure with the
expected error (±), so a protected small value never looks like a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from kim_desk.i18n import format_number

CHAR_WIDTH = 7.2  # px per character at font-size 13 (sans-serif, generous)
BAR_COLOUR = "#2f6f9f"
COLUMN_COLOUR = "#4f8f5f"


def ticks(biggest: float, count: int = 5) -> list[int]:
    """Round scale marks from 0 to at least `biggest`."""
    if biggest <= 0:
        return [0, 1]
    raw = biggest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(int(step), 1)
    top = math.ceil(biggest / step) * step
    return list(range(0, top + 1, step))


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 13, extra: str = "") -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-family="sans-serif"{extra}>{escape(text)}</text>'
    )


def bar_chart(rows: Sequence[tuple[str, float | None, str]], title: str, unit: str) -> str:
    """Horizontal bars: (label, value, figure as shown). Value None (suppression era): no bar."""
    label_width = int(max([len(name) for name, _v, _s in rows] or [10]) * CHAR_WIDTH) + 16
    value_width = int(max([len(shown) for _n, _v, shown in rows] or [4]) * CHAR_WIDTH) + 12
    plot = 360
    width = label_width + plot + value_width + 10
    row_height = 22
    top = 8
    height = top + row_height * len(rows) + 46
    scale = ticks(max([v for _n, v, _s in rows if v is not None] or [0]))
    biggest = scale[-1] or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    axis_y = top + row_height * len(rows) + 2
    for mark in scale:
        x = label_width + plot * mark / biggest
        parts.append(f'<line x1="{x:.0f}" y1="{top}" x2="{x:.0f}" y2="{axis_y}" stroke="#ddd"/>')
        parts.append(_text(x, axis_y + 15, format_number(mark, "de"), "middle", 11))
    parts.append(f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" y2="{axis_y}" stroke="#333"/>')
    parts.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{axis_y}" stroke="#333"/>')
    parts.append(_text(label_width + plot / 2, axis_y + 34, unit, "middle", 12))
    for index, (name, value, shown) in enumerate(rows):
        y = top + index * row_height
        length = 0 if not value else max(plot * value / biggest, 1)
        parts.append(_text(label_width - 8, y + 15, name, "end"))
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.0f}" height="15" fill="{BAR_COLOUR}"/>')
        parts.append(_text(label_width + length + 6, y + 15, shown))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(rows: Sequence[tuple[str, float | None, str]], title: str, unit: str) -> str:
    """Vertical columns over the quarters, with a y axis and its unit."""
    left, plot_height, top = 60, 150, 24
    step = max(90, int(max([len(n) for n, _v, _s in rows] or [8]) * 6.5) + 16)
    width = left + step * max(len(rows), 1) + 20
    height = top + plot_height + 40
    base = top + plot_height
    scale = ticks(max([v for _n, v, _s in rows if v is not None] or [0]))
    biggest = scale[-1] or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for mark in scale:
        y = base - plot_height * mark / biggest
        parts.append(f'<line x1="{left}" y1="{y:.0f}" x2="{width - 10}" y2="{y:.0f}" stroke="#ddd"/>')
        parts.append(_text(left - 6, y + 4, format_number(mark, "de"), "end", 11))
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#333"/>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#333"/>')
    parts.append(_text(4, 12, unit, "start", 12))
    for index, (name, value, shown) in enumerate(rows):
        x = left + index * step
        size = 0 if not value else plot_height * value / biggest
        parts.append(
            f'<rect x="{x + 10}" y="{base - size:.0f}" width="{step - 20}" height="{size:.0f}" fill="{COLUMN_COLOUR}"/>'
        )
        parts.append(_text(x + step / 2, base - size - 5, shown, "middle", 11))
        parts.append(_text(x + step / 2, base + 18, name, "middle", 12))
    parts.append("</svg>")
    return "".join(parts)
