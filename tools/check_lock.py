"""Check that every pin of requirements.lock has a wheel for the platforms the bundle is built on.

    .venv/bin/python tools/check_lock.py [--lock requirements.lock] [--platform win_amd64 ...]

For each platform the lock's environment markers are evaluated as that platform would (pip evaluates them for
the machine it runs on), and the chosen pins are fetched with `pip download --only-binary=:all:` into a temporary
folder, hashes checked. A pin without a wheel there (a Linux-only package) fails here, before a Windows machine
sees it. Needs the package index; pip's download cache makes a second run cheap.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
_COMMON = {"python_version": PYTHON, "python_full_version": f"{PYTHON}.9", "implementation_version": f"{PYTHON}.9",
           "implementation_name": "cpython", "platform_python_implementation": "CPython", "platform_release": "",
           "platform_version": "", "extra": ""}  # fmt: skip
ENVIRONMENTS = {
    "win_amd64": {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"},
    "macosx_11_0_arm64": {
        "os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"
    },
    "macosx_14_0_arm64": {
        "os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64"
    },
    "manylinux2014_x86_64": {
        "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"
    },
}  # fmt: skip
DEFAULT_PLATFORMS = ("win_amd64", "macosx_14_0_arm64")  # PySide6 6.12 needs macOS 14


def read_lock(path: Path) -> list[tuple[Requirement, list[str]]]:
    """The pins of a requirements file: (requirement with its marker, its --hash options)."""
    text = re.sub(r"\\\n", " ", path.read_text("utf-8"))
    pins = []
    for raw in text.splitlines():
        line = raw.strip()  # comments ("# via ...") stand on lines of their own
        if not line or line.startswith("#"):
            continue
        spec, *hashes = re.split(r"\s+(?=--hash=)", line)
        pins.append((Requirement(spec), [h.strip() for h in hashes]))
    return pins


def pins_for(pins: list[tuple[Requirement, list[str]]], platform: str) -> list[str]:
    """The lines `pip download` gets for `platform`: markers evaluated there and dropped."""
    environment = {**_COMMON, **ENVIRONMENTS[platform]}
    lines = []
    for requirement, hashes in pins:
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        lines.append(" ".join([f"{requirement.name}{requirement.specifier}", *hashes]))
    return lines


def check_platform(lock: Path, platform: str) -> list[str]:
    """Problems for one platform (empty when every pin has a wheel there)."""
    lines = pins_for(read_lock(lock), platform)
    with tempfile.TemporaryDirectory(prefix="kim-lock-") as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text("\n".join(lines) + "\n", "utf-8")
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--no-deps",
                   "--platform", platform, "--python-version", PYTHON, "--implementation", "cp",
                   "--dest", str(Path(tmp) / "wheels"), "-r", str(requirements)]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed command
    if result.returncode == 0:
        return []
    missing = re.findall(r"No matching distribution found for (\S+)", result.stderr)
    if missing:
        return [f"{platform}: no wheel for {name}" for name in missing]
    tail = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    return [f"{platform}: pip download failed: " + " | ".join(tail[-5:])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--platform", action="append", choices=sorted(ENVIRONMENTS))
    args = parser.parse_args(argv)
    problems = []
    for platform in args.platform or DEFAULT_PLATFORMS:
        found = check_platform(args.lock, platform)
        print(f"{platform}: " + ("ok" if not found else "FAILED"))
        problems += found
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
