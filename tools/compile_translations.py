"""Compile the gettext catalogues (translations/**/kim_desk.po -> .mo); run by tools/setup.sh.

Needs only Babel. Quiet and quick when nothing changed (a .mo newer than its .po is kept);
prints one line per compiled catalogue otherwise. `--force` recompiles everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kim_desk.i18n.po import compile_all  # noqa: E402 - after making the checkout importable


def main(argv: list[str]) -> int:
    written = compile_all(ROOT / "translations", force="--force" in argv)
    for mo in written:
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
