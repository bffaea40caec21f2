"""Wheel build hook: compile the gettext catalogues so the wheel ships .mo files.

The .mo files are not committed; they are compiled in place (translations/<lang>/LC_MESSAGES,
ignored by git) and the wheel's force-include of translations/ takes them in. Needs only Babel,
which [build-system] requires.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileTranslations(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        sys.path.insert(0, self.root)
        try:
            from kim_desk.i18n.po import compile_all
        finally:
            sys.path.remove(self.root)
        translations = Path(self.root) / "translations"
        for mo in compile_all(translations):
            self.app.display_info(f"compiled {mo.relative_to(self.root)}")
