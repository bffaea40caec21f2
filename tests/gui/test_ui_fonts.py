"""The fonts shipped for handouts serve the interface too, registered beside the start in a thread."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import threading
from PySide6.QtGui import QFontDatabase
from kim_desk.gui.app import setup_application
app = setup_application([])
before = set(QFontDatabase.families())
for thread in threading.enumerate():
    if thread.name == "fonts":
        thread.join(30)
after = set(QFontDatabase.families())
print("|".join(sorted(after - before)) or "-")
print("|".join(sorted(after)))
"""


def test_arabic_and_ethiopic_fonts_registered_by_the_start() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True).stdout
    _new, families = out.splitlines()[-2:]
    assert {"Noto Naskh Arabic", "Noto Sans Ethiopic", "Noto Sans"} <= set(families.split("|"))
