"""The GUI checks of `kim-desk self-test`: they pass on the real app and name a broken .ui file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kim_desk import resources
from kim_desk.gui import selftest


def test_gui_checks_pass_on_the_shipped_app(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = [name for name, _check in selftest.CHECKS]
    assert names == ["ui files load", "main window opens every page"]
    for name, check in selftest.CHECKS:
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        check(folder)
    assert list((tmp_path / "main_window_opens_every_page" / "desk" / "backups").iterdir())


def test_a_broken_ui_file_is_named(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "ui"
    shutil.copytree(resources.resource_dir("ui"), copy)
    (copy / "broken_dialog.ui").write_text('<?xml version="1.0"?><ui version="4.0"><widget class="QWidget"', "utf-8")
    real = resources.resource_dir
    monkeypatch.setattr(resources, "resource_dir", lambda name: copy if name == "ui" else real(name))

    with pytest.raises(AssertionError, match=r"broken_dialog\.ui") as failed:
        selftest.check_ui_files(tmp_path)
    assert "today.ui" not in str(failed.value)
