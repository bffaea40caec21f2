"""Every text colour against its background reaches 4.5:1 (3:1 for large text), computed from what the app sets.

Sources: the rules of ui/style.qss (a rule's `color` on its `background`, or on the palette's window or
base colour when the rule sets only one), the app's palette (colours.light_palette) and the calendar's
cell colours. WCAG 2.1 relative luminance and contrast ratio.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette

from kim_desk.gui.app import style_sheet
from kim_desk.gui.colours import CALENDAR_CANCELLED, CALENDAR_PLANNED, light_palette
from kim_desk.gui.widgets.bar_chart import BAR_COLOUR

TEXT, LARGE, GRAPHIC = 4.5, 3.0, 3.0
Pair = tuple[str, str, str, float]  # where, text colour, background colour, minimum ratio


def luminance(colour: str) -> float:
    c = QColor(colour)
    assert c.isValid(), colour

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour(value: str, palette: QPalette) -> str:
    value = value.strip()
    named = re.fullmatch(r"palette\((\w+)\)", value)
    if named:
        role = named.group(1).title().replace("-", "")
        return palette.color(getattr(QPalette.ColorRole, role)).name()
    return QColor(value).name()


def style_sheet_pairs(qss: str, palette: QPalette) -> list[Pair]:
    pairs = []
    window = palette.color(QPalette.ColorRole.Window).name()
    base = palette.color(QPalette.ColorRole.Base).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", qss, flags=re.S)):
        props = dict(
            (key.strip(), value.strip())
            for key, _, value in (part.partition(":") for part in body.split(";"))
            if value.strip()
        )
        frame = re.search(r"#[0-9a-fA-F]{6}", props.get("border", ""))
        if ":focus" in selector and frame:  # a focus frame is a graphic beside the item (3:1)
            beside = palette.color(QPalette.ColorRole.Highlight if ":selected" in selector else QPalette.ColorRole.Base)
            pairs.append((selector.strip() + " frame", frame.group(0), beside.name(), GRAPHIC))
        fg, bg = props.get("color"), props.get("background", props.get("background-color"))
        if fg is None and bg is None:
            continue
        on_views = any(word in selector for word in ("View", "List", "Edit", "invalid", "::item"))
        fg = _colour(fg, palette) if fg else text
        bg = _colour(bg, palette) if bg else (base if on_views else window)
        size = re.search(r"font-size:\s*(\d+)pt", body)
        points = int(size.group(1)) if size else 10
        large = points >= 18 or (points >= 14 and "bold" in body)
        pairs.append((selector.strip(), fg, bg, LARGE if large else TEXT))
    return pairs


def palette_pairs(palette: QPalette) -> list[Pair]:
    roles = [("WindowText", "Window"), ("Text", "Base"), ("Text", "AlternateBase"), ("ButtonText", "Button"),
             ("HighlightedText", "Highlight"), ("PlaceholderText", "Base"), ("ToolTipText", "ToolTipBase"),
             ("Link", "Base"), ("LinkVisited", "Base")]  # fmt: skip
    pairs = []
    for fg, bg in roles:
        colour = palette.color(getattr(QPalette.ColorRole, fg))
        if colour.alpha() < 255:  # a see-through text colour: mix it over its background
            under = palette.color(getattr(QPalette.ColorRole, bg))
            a = colour.alphaF()
            colour = QColor.fromRgbF(
                *(a * x + (1 - a) * y for x, y in zip(colour.getRgbF()[:3], under.getRgbF()[:3], strict=True))
            )
        pairs.append(
            (f"palette {fg} on {bg}", colour.name(), palette.color(getattr(QPalette.ColorRole, bg)).name(), TEXT)
        )
    return pairs


def all_pairs() -> list[Pair]:
    palette = light_palette()
    window = palette.color(QPalette.ColorRole.Window).name()
    return [
        *style_sheet_pairs(style_sheet(), palette),
        *palette_pairs(palette),
        ("calendar planned", *CALENDAR_PLANNED, TEXT),
        ("calendar cancelled", *CALENDAR_CANCELLED, TEXT),
        ("bar chart bars", BAR_COLOUR.name(), window, GRAPHIC),
    ]


def test_the_sources_are_read() -> None:
    where = [pair[0] for pair in all_pairs()]
    assert "QLabel#heading" in where and 'QLabel[role="error"]' in where and "QHeaderView::section" in where
    assert "palette HighlightedText on Highlight" in where and len(where) > 15
    assert sum(1 for w in where if w.endswith(":focus frame")) == 3


@pytest.mark.parametrize("pair", all_pairs(), ids=lambda pair: pair[0])
def test_every_colour_pair_is_readable(qapp, pair: Pair) -> None:  # type: ignore[no-untyped-def]
    where, fg, bg, minimum = pair
    assert contrast(fg, bg) >= minimum, f"{where}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"


def test_the_measure_is_right() -> None:
    """WCAG's own reference points: black on white is 21:1, #767676 on white just passes, #777 fails."""
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#767676", "#ffffff") >= 4.5 > contrast("#777777", "#ffffff")


def test_the_platform_selection_colour_would_fail(qapp) -> None:  # type: ignore[no-untyped-def]
    """Why the app sets its own palette: Fusion's white on #308cc6 is below 4.5:1."""
    assert contrast("#ffffff", "#308cc6") < TEXT
