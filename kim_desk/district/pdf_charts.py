"""Charts for the committee PDF (reportlab graphics): title, axis with scale and unit, every bar
labelled with its published figure and expected error (±); a suppressed figure gets no bar but
its mark, so it never looks like a zero."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from kim_desk.district.charts import ticks
from kim_desk.i18n import format_number

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BAR = colors.Color(0.18, 0.44, 0.62)
GRID = colors.Color(0.85, 0.85, 0.85)
Row = tuple[str, float | None, str]  # label, value (None: suppressed), figure as printed


def _scale(rows: Sequence[Row]) -> list[int]:
    return ticks(max([v for _n, v, _s in rows if v is not None] or [0]))


def bar_drawing(rows: Sequence[Row], title: str, unit: str, width: float = 450) -> Drawing:
    """Horizontal bars, one per row, with the value axis below and its unit."""
    size, row_height = 8, 14
    label_width = max([stringWidth(name, FONT, size) for name, _v, _s in rows] or [40]) + 8
    shown_width = max([stringWidth(shown, FONT, size) for _n, _v, shown in rows] or [20]) + 8
    plot = max(width - label_width - shown_width, 80)
    top_gap, bottom_gap = (20 if title else 6), 30
    height = top_gap + row_height * len(rows) + bottom_gap
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=9))
    scale = _scale(rows)
    biggest = scale[-1] or 1
    axis_y = bottom_gap
    plot_top = height - top_gap
    for mark in scale:
        x = label_width + plot * mark / biggest
        drawing.add(Line(x, axis_y, x, plot_top, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(x, axis_y - 10, format_number(mark, "de"), fontName=FONT, fontSize=7, textAnchor="middle"))
    drawing.add(Line(label_width, axis_y, label_width + plot, axis_y, strokeWidth=0.7))
    drawing.add(Line(label_width, axis_y, label_width, plot_top, strokeWidth=0.7))
    drawing.add(String(label_width + plot / 2, 2, unit, fontName=FONT, fontSize=7.5, textAnchor="middle"))
    for index, (name, value, shown) in enumerate(rows):
        y = plot_top - (index + 1) * row_height
        length = 0.0 if not value else max(plot * value / biggest, 0.8)
        drawing.add(String(label_width - 4, y + 4, name, fontName=FONT, fontSize=size, textAnchor="end"))
        if length:
            drawing.add(Rect(label_width, y + 2, length, row_height - 5, fillColor=BAR, strokeColor=None))
        drawing.add(String(label_width + length + 3, y + 4, shown, fontName=FONT, fontSize=size))
    return drawing


def column_drawing(rows: Sequence[Row], title: str, unit: str, width: float = 450) -> Drawing:
    """Vertical columns (one per quarter) with a y axis and its unit."""
    left, plot_height, top_gap, bottom_gap = 40, 110, 34, 26
    height = bottom_gap + plot_height + top_gap
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=9))
    drawing.add(String(0, height - 24, unit, fontName=FONT, fontSize=7.5))
    scale = _scale(rows)
    biggest = scale[-1] or 1
    step = (width - left - 10) / max(len(rows), 1)
    for mark in scale:
        y = bottom_gap + plot_height * mark / biggest
        drawing.add(Line(left, y, width - 10, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(left - 4, y - 2.5, format_number(mark, "de"), fontName=FONT, fontSize=7, textAnchor="end"))
    drawing.add(Line(left, bottom_gap, left, bottom_gap + plot_height, strokeWidth=0.7))
    drawing.add(Line(left, bottom_gap, width - 10, bottom_gap, strokeWidth=0.7))
    for index, (name, value, shown) in enumerate(rows):
        x = left + index * step
        size = 0.0 if not value else plot_height * value / biggest
        if size:
            drawing.add(Rect(x + step * 0.15, bottom_gap, step * 0.7, size, fillColor=BAR, strokeColor=None))
        drawing.add(String(x + step / 2, bottom_gap + size + 3, shown, fontName=FONT, fontSize=7, textAnchor="middle"))
        first, _space, second = name.rpartition(" ")  # "3. Quartal" over "2026"
        for line, text in enumerate([first, second] if first else [second]):
            drawing.add(
                String(x + step / 2, bottom_gap - 9 - 8 * line, text, fontName=FONT, fontSize=7, textAnchor="middle")
            )
    return drawing
