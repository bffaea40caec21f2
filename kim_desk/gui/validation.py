"""Showing a ValidationError at the field it names."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from kim_desk.errors import KnownError, ValidationError
from kim_desk.gui.accessibility import set_description


def mark(widget: QWidget | None, invalid: bool) -> None:
    """Highlight a field (style.qss styles [invalid="true"]) and tell screen readers."""
    if widget is None:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def show(fields: dict[str, QWidget], message_label: QLabel, field: str, message: str) -> QWidget | None:
    """Clear earlier marks, mark the field named by the error, focus it, say why."""
    for widget in fields.values():
        mark(widget, False)
    target = fields.get(field) or fields.get(field.split(".", maxsplit=1)[0])
    mark(target, True)
    if target is not None:
        target.setFocus()
        set_description(target, message)
    message_label.setText(message)
    message_label.setProperty("role", "error")
    return target


def clear(fields: dict[str, QWidget], message_label: QLabel) -> None:
    for widget in fields.values():
        mark(widget, False)
        widget.setAccessibleDescription("")
    message_label.setText("")


def report(
    fields: dict[str, QWidget], message_label: QLabel, error: Exception, show_error: Callable[[Exception], None]
) -> None:
    """A save that failed: a field's problem is marked at the field, another known error is said in the dialog,
    anything else is a bug for the crash path (`show_error`)."""
    if isinstance(error, ValidationError):
        show(fields, message_label, error.field, str(error))
    elif isinstance(error, KnownError):
        message_label.setText(str(error))
    else:
        show_error(error)
