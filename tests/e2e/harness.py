"""Run the real `kim-desk` program as a subprocess with its own data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_kim(
    *args: str,
    data_dir: Path | None = None,
    passphrase_file: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Result:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KIM_DESK")}
    environment.update({"QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    if passphrase_file is not None:
        environment["KIM_DESK_PASSPHRASE_FILE"] = str(passphrase_file)
    environment.update(env or {})
    command = [sys.executable, "-m", "kim_desk", *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=timeout, stdin=subprocess.DEVNULL, check=False
    )
    return Result(done.returncode, done.stdout, done.stderr)
