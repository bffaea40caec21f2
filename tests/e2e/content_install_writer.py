"""Child process of the content crash test: installs the packs in a folder one after the other."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import kim_desk.content.validate
import kim_desk.documents.templates
import kim_desk.i18n.po
from kim_desk.content.install import install_pack
from kim_desk.content.pack import PackRefused
from kim_desk.content.state import read_state
from kim_desk.paths import DataPaths

# what installing imports on its first use (the start of the app does not need it), imported before "ready"
_INSTALLING = (kim_desk.content.validate, kim_desk.documents.templates, kim_desk.i18n.po)


def main() -> None:
    paths = DataPaths(Path(sys.argv[1]))
    packs = sorted(Path(sys.argv[2]).glob("pack-*.kimpack"))
    key = bytes.fromhex(sys.argv[3])
    now = dt.datetime.fromisoformat(sys.argv[4])
    print("ready", flush=True)  # imports done: the parent's clock for the kill starts now
    for blob in packs:
        if int(blob.stem.split("-")[1]) <= read_state(paths).current:
            continue
        try:
            install_pack(paths, blob.read_bytes(), key, now)
        except PackRefused:
            continue
        print(blob.stem, flush=True)


if __name__ == "__main__":
    main()
