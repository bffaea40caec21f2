"""What a start to the main window imports: not the content-pack machinery when no pack is installed, not the
TOML parser once the forms are parsed, not uuid, not the Python types of Qt's dialogs (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys

from kim_desk.paths import DataPaths
from tests.conftest import PASSPHRASE

# As `kim-desk --data-dir D` starts (benchmarks/bench_gui.py does the same); prints which of the
# modules named after the arguments were imported once the window has been shown.
PROBE = """
import os, sys
from kim_desk.commands import parse
from kim_desk.logs import setup_logging
from kim_desk.paths import data_paths
paths = data_paths(parse(["--data-dir", sys.argv[1]]).data_dir)
setup_logging(paths.logs)
from kim_desk import i18n, settings
from kim_desk.desk import open_desk
from kim_desk.gui.app import setup_application
from kim_desk.gui.context import GuiOptions
from kim_desk.gui.main_window import MainWindow
app = setup_application(sys.argv[:1])
desk = open_desk(paths, lambda _reason: sys.argv[2], keyring=None, refresh_keyring=False)
i18n.set_ui_language(settings.get(desk.store, "ui_language"))
window = MainWindow(desk, GuiOptions(keyring=None, auto_backup=False, warm_up=False))
window.show()
app.processEvents()
import PySide6.QtWidgets
made = [m for m in sys.argv[3:] if m in sys.modules or m.removeprefix("QtWidgets.") in vars(PySide6.QtWidgets)]
print("shown", " ".join(sorted(made)), flush=True)
os._exit(0)
"""

# Reading, verifying and installing a pack (zip, Ed25519, comparing catalogues): only when a pack is
# installed or a command asks for it.
NOT_AT_START = (
    "kim_desk.content.pack",
    "kim_desk.content.install",
    "kim_desk.content.changes",
    "cryptography.hazmat.primitives.asymmetric.ed25519",
)


def imported_at_start(paths: DataPaths, *modules: str) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(paths.root), PASSPHRASE, *modules],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "shown"
    return result.stdout.split()[1:]


def test_a_start_without_a_content_pack_does_not_import_the_pack_machinery(desk_paths: DataPaths) -> None:
    # the state file is read (no pack installed), nothing more
    assert imported_at_start(desk_paths, "kim_desk.content.state", *NOT_AT_START) == ["kim_desk.content.state"]


def test_the_next_start_reads_the_forms_parsed_and_makes_no_uuid(desk_paths: DataPaths) -> None:
    """tomllib: the catalogue and the offers come from the desk's cache after the first start; uuid (which
    imports platform): only a new client or vault needs one."""
    assert imported_at_start(desk_paths, "tomllib", "uuid", "platform") == ["tomllib"]  # the first start parses
    assert imported_at_start(desk_paths, "tomllib", "uuid", "platform") == []


def test_the_first_window_sets_up_no_python_types_for_widgets_it_does_not_show(desk_paths: DataPaths) -> None:
    """PySide6 makes a widget class's Python type (and its enum classes) on first use; a .ui widget that reached
    Python as a plain QWidget pointer made it set up every QWidget subclass (~85 enum classes, 10-20 ms)."""
    unused = ("QtWidgets.QWizard", "QtWidgets.QFileDialog", "QtWidgets.QGraphicsView", "QtWidgets.QMdiArea")
    assert imported_at_start(desk_paths, "QtWidgets.QStackedWidget", *unused) == ["QtWidgets.QStackedWidget"]


STATUS_PROBE = """
import sys
from kim_desk.desk import open_desk
from kim_desk.paths import DataPaths
from kim_desk.views import jobs
import pathlib
desk = open_desk(DataPaths(pathlib.Path(sys.argv[1])), lambda _reason: sys.argv[2], keyring=None)
print(jobs.sync_state(desk.store), "|", "httpx" in sys.modules, flush=True)
"""


def test_the_status_line_on_sending_does_not_import_the_sync_client(desk_paths: DataPaths) -> None:
    """The status line is read on the DB worker shortly after the window shows; importing httpx there (~0.1 s)
    held the interpreter lock against the window."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = subprocess.run(
        [sys.executable, "-c", STATUS_PROBE, str(desk_paths.root), PASSPHRASE],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Senden an den Kreis: nicht eingerichtet | False"


def test_a_start_makes_no_dataclass_and_loads_no_second_libcrypto(desk_paths: DataPaths) -> None:
    """Python 3.11 compiles a dataclass's methods (~1 ms a class); the records a file shows are imported when
    one is opened; hashlib would load the system's libcrypto beside cryptography's; httpx only to send."""
    modules = ("dataclasses", "kim_desk.store.clients", "kim_desk.store.cases", "hashlib", "httpx")
    imported_at_start(desk_paths)  # the first start parses the forms (tomllib); the next one is the day's start
    assert imported_at_start(desk_paths, *modules) == []
