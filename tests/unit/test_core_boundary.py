"""The core never imports Qt: import every core module with PySide6 made unimportable."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kim_desk

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
            raise ImportError("Qt is blocked in the core: " + name)
        return None
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(kim_desk.__path__, "kim_desk."):
        if info.name.startswith("kim_desk.gui") or info.name.startswith("kim_desk._data"):
            continue
        names.append(info.name)
    return names


def test_core_imports_without_qt() -> None:
    modules = core_modules()
    assert "kim_desk.store.clients" in modules and "kim_desk.vault" in modules
    done = subprocess.run([sys.executable, "-c", BLOCKER, *modules], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"imported {len(modules)}" in done.stdout


def test_the_blocker_really_blocks() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, "kim_desk.gui.app", "PySide6.QtCore"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "Qt is blocked" in done.stderr
