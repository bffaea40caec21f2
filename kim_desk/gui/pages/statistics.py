"""Statistics: the slot for the anonymised quarterly figures.

The statistics engineer fills this page (preview of what will be sent, in words and as
the raw payload). Keep the class name and constructor: the main window builds it with
`StatisticsPage(ctx)` and calls `refresh()` when it is shown, `retranslate()` on a
language switch.
"""

from __future__ import annotations

from kim_desk.gui.pages.base import Page


class StatisticsPage(Page):
    UI_NAME = "statistics"
