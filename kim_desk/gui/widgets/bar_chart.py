"""A plain horizontal bar chart (Qt Charts is not part of the bundle): one bar per row total.

Suppressed figures get no bar and say "gesperrt"; the chart mirrors for right-to-left languages
and tells screen readers every value in its accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from kim_desk.gui.accessibility import set_description, set_name
from kim_desk.i18n import _

BAR_COLOUR = QColor("#2d6a9f")


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int | None, str]] = []  # label, value (None: suppressed), value text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(80)

    def set_bars(self, bars: list[tuple[str, int | None, str]], title: str) -> None:
        self.bars = bars
        set_name(self, title)
        set_description(self, "; ".join(f"{label}: {text}" for label, _value, text in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, max(80, 8 + len(self.bars) * (self.fontMetrics().height() + 8)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row_height = metrics.height() + 8
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("Keine Zahlen für dieses Quartal."))
            return
        labels = min(self.width() // 3, max(metrics.horizontalAdvance(label) for label, _v, _t in self.bars) + 12)
        numbers = max(metrics.horizontalAdvance(text) for _l, _v, text in self.bars) + 12
        room = max(10, self.width() - labels - numbers - 8)
        largest = max((value or 0 for _l, value, _t in self.bars), default=0) or 1
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        for index, (label, value, text) in enumerate(self.bars):
            top = 4 + index * row_height
            length = 0.0 if value is None else room * value / largest
            label_box = QRectF(0, top, labels - 6, row_height)
            bar_box = QRectF(labels, top + 3, length, row_height - 6)
            value_box = QRectF(labels + length + 6, top, numbers, row_height)
            if rtl:  # mirror: labels on the right, bars growing to the left
                width = self.width()
                label_box.moveLeft(width - label_box.right())
                bar_box.moveLeft(width - bar_box.right())
                value_box.moveLeft(width - value_box.right())
            painter.setPen(text_colour)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_box.width()))
            align = Qt.AlignmentFlag.AlignVCenter | (Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight)
            painter.drawText(label_box, align, shown)
            painter.fillRect(bar_box, BAR_COLOUR)
            other = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            painter.drawText(value_box, Qt.AlignmentFlag.AlignVCenter | other, text)
        painter.end()
