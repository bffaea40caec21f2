"""requirements.lock: agrees with pyproject.toml, is hash-pinned, and every pin has a Windows and macOS wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
CHECK = ROOT / "tools" / "check_lock.py"


def _pins() -> dict[str, tuple[str, list[str]]]:
    text = re.sub(r"\\\n", " ", LOCK.read_text("utf-8"))
    pins = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spec, *hashes = line.split(" --hash=")
        requirement = Requirement(spec)
        pins[canonicalize_name(requirement.name)] = (str(requirement.specifier), hashes)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["dev"], *extras["bundle"], *extras["district"]]
    return [Requirement(item) for item in wanted if not item.startswith(project["name"])]


def test_every_dependency_is_pinned_in_the_lock_within_its_range() -> None:
    pins = _pins()
    for requirement in _wanted():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run bash tools/lock.sh"
        version = pins[name][0].removeprefix("==")
        assert requirement.specifier.contains(version), f"{name}=={version} is outside {requirement.specifier}"


def test_every_pin_is_exact_and_hashed() -> None:
    pins = _pins()
    assert len(pins) > 50
    for name, (specifier, hashes) in pins.items():
        assert specifier.startswith("=="), name
        assert hashes and all(h.startswith("sha256:") for h in hashes), name


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_every_pin_has_a_wheel_for_windows_and_macos() -> None:
    """Downloads the Windows and macOS wheels of every pin (about 250 MB the first time; pip caches them)."""
    result = _check("--platform", "win_amd64", "--platform", "macosx_14_0_arm64")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["win_amd64: ok", "macosx_14_0_arm64: ok"]


@pytest.mark.slow
def test_a_pin_without_a_windows_wheel_fails(tmp_path: Path) -> None:
    planted = tmp_path / "requirements.lock"
    # uvloop publishes wheels for Linux and macOS only
    planted.write_text("platformdirs==4.2.2\nuvloop==0.23.0\n", "utf-8")
    result = _check("--lock", str(planted), "--platform", "win_amd64", "--platform", "manylinux2014_x86_64")
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["win_amd64: FAILED", "manylinux2014_x86_64: ok"]
    assert "win_amd64: no wheel for uvloop==0.23.0" in result.stderr
