"""A kill at any moment of a pack installation leaves the old or the new pack current and whole, never a mix."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kim_desk.content.active import activate
from kim_desk.content.install import check_extracted
from kim_desk.content.pack import build_pack
from kim_desk.content.state import pack_dir, read_state
from kim_desk.paths import DataPaths
from kim_desk.resources import resource_dir, use_installed_content

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
WRITER = Path(__file__).with_name("content_install_writer.py")


def test_killed_installations_leave_a_whole_pack(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    source = tmp_path / "source"
    shutil.copytree(resource_dir("forms") / "applications", source / "forms" / "applications")
    shutil.copytree(resource_dir("forms") / "documents", source / "forms" / "documents")
    packs = tmp_path / "packs"
    packs.mkdir()
    kindergeld = source / "forms" / "applications" / "kindergeld.toml"
    text = kindergeld.read_text("utf-8")
    for version in range(1, 81):
        kindergeld.write_text(text.replace("Geburtsurkunde des Kindes", f"Geburtsurkunde (Paket {version})"), "utf-8")
        blob = build_pack(source, version, key, published=NOW, expires=NOW + dt.timedelta(days=30))
        (packs / f"pack-{version:03d}.kimpack").write_bytes(blob)
    paths = DataPaths(tmp_path / "desk")
    rng = random.Random(20261201)
    kills = 0
    try:
        while read_state(paths).current < 80 and kills < 30:
            child = subprocess.Popen(
                [sys.executable, str(WRITER), str(paths.root), str(packs),
                 key.public_key().public_bytes_raw().hex(), NOW.isoformat()],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert child.stdout is not None
            child.stdout.readline()  # "ready": the kill lands in the installations, not in the imports
            time.sleep(rng.uniform(0.0, 0.4))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            child.wait(timeout=60)
            child.stdout.close()
            state = read_state(paths)
            if state.current:
                assert check_extracted(pack_dir(paths, state.current)) == []
                assert activate(paths) == state.current
                from kim_desk.catalog import load_catalog

                labels = [d.label for d in load_catalog().types["kindergeld"].documents]
                assert f"Geburtsurkunde (Paket {state.current})" in labels
            if state.previous:
                assert check_extracted(pack_dir(paths, state.previous)) == []
    finally:
        use_installed_content(None)
    assert kills >= 10
    assert read_state(paths).current > 0
