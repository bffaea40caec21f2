"""Fonts that must hold on Windows too, where fontconfig's family aliases such as "monospace" do not exist."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo

from kim_desk.gui.first_run import FirstRunWizard
from kim_desk.paths import DataPaths


def test_recovery_code_asks_for_a_fixed_pitch_font_by_hint(qtbot, tmp_path, options) -> None:  # type: ignore[no-untyped-def]
    wizard = FirstRunWizard(DataPaths(tmp_path / "desk"), options)
    qtbot.addWidget(wizard)
    font = wizard.recovery_page.code.font()
    # the family name alone works only through fontconfig; Qt on Windows matches by the style hint
    assert font.styleHint() == QFont.StyleHint.TypeWriter
    assert QFontInfo(font).fixedPitch()
