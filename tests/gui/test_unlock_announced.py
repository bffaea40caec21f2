"""A wrong passphrase is told to a screen reader with the field, not only shown in red."""

from __future__ import annotations

from PySide6.QtGui import QAccessible

from kim_desk.gui.unlock import UnlockDialog, UnlockFlow
from tests.conftest import PASSPHRASE


def test_wrong_passphrase_is_the_fields_accessible_description(qtbot, desk_paths, options) -> None:  # type: ignore[no-untyped-def]
    described: list[str] = []
    answers = ["falsch falsch falsch", PASSPHRASE]

    def ask(dialog: UnlockDialog) -> bool:
        qtbot.wait(1)  # the announcement is sent once the event loop runs
        iface = QAccessible.queryAccessibleInterface(dialog.passphrase)
        described.append(iface.text(QAccessible.Text.Description))
        dialog.passphrase.setText(answers.pop(0))
        return True

    desk = UnlockFlow(desk_paths, options, ask=ask).run()
    assert desk is not None
    assert described == ["", "Die Passphrase ist falsch."]
    desk.close()
