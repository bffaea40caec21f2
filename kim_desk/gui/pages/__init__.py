"""The pages of the main window, one module each."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kim_desk.gui.pages.base import Page


def page_class(name: str) -> type[Page]:
    """A page's class, its module imported on first use: the start imports only Today's
    (the settings page alone pulls in httpx, the applications page the print dialog)."""
    if name == "today":
        from kim_desk.gui.pages.today import TodayPage

        return TodayPage
    if name == "clients":
        from kim_desk.gui.pages.clients import ClientsPage

        return ClientsPage
    if name == "calendar":
        from kim_desk.gui.pages.calendar import CalendarPage

        return CalendarPage
    if name == "applications":
        from kim_desk.gui.pages.applications import ApplicationsPage

        return ApplicationsPage
    if name == "statistics":
        from kim_desk.gui.pages.statistics import StatisticsPage

        return StatisticsPage
    if name == "settings":
        from kim_desk.gui.pages.settings import SettingsPage

        return SettingsPage
    raise KeyError(name)
