"""Cold start of the frozen bundle beside the same app run from source and the stack floor, each to its
first window on screen, in the same run.

    bash tools/build_bundle.sh
    .venv/bin/python -m benchmarks.bench_frozen [--clients 10000] [--runs 5]   (starts Xvfb when no display)

The time runs from spawning the process until the X server maps its first top-level window (an
X11 MapNotify event, watched through libX11; no polling). On a desk without a keyring entry the
first window of `kim-desk` is the unlock dialog, so the bundle and the source app are both measured
to it; the stack floor (PySide6, a keyed SQLCipher query, cryptography, Babel, a window) to its
window, as in bench_gui.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_gui import CHILD, stack_floor_database
from benchmarks.common import row, write_result
from benchmarks.datagen import PASSPHRASE, dataset

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "kim-desk" / "kim-desk"
MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


class MapWatch:
    """The root window's children being mapped, as the X server reports them."""

    def __init__(self) -> None:
        x = ctypes.cdll.LoadLibrary("libX11.so.6")
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XConnectionNumber.argtypes = [ctypes.c_void_p]
        x.XPending.argtypes = [ctypes.c_void_p]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        x.XFlush.argtypes = [ctypes.c_void_p]
        self.x = x
        self.display = x.XOpenDisplay(None)
        if not self.display:
            raise SystemExit("no X display: run under xvfb-run -a")
        x.XSelectInput(self.display, x.XDefaultRootWindow(self.display), SUBSTRUCTURE_NOTIFY_MASK)
        x.XFlush(self.display)
        self.fd = x.XConnectionNumber(self.display)
        self.event = (ctypes.c_int * 48)()  # an XEvent is 192 bytes; its first int is the type

    def drain(self) -> None:
        while self.x.XPending(self.display):
            self.x.XNextEvent(self.display, self.event)

    def wait_for_map(self, timeout: float) -> float:
        """perf_counter() when the next top-level window is mapped."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            while self.x.XPending(self.display):
                self.x.XNextEvent(self.display, self.event)
                if self.event[0] == MAP_NOTIFY:
                    return time.perf_counter()
            select.select([self.fd], [], [], 0.05)
        raise RuntimeError("no window appeared")


def first_window_ms(watch: MapWatch, command: list[str], env: dict[str, str]) -> float:
    watch.drain()
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return (watch.wait_for_map(120) - started) * 1000
    finally:
        child.kill()
        child.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("XVFB_STARTED"):
        # an X server of its own: the windows must be mapped somewhere
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, "-m", "benchmarks.bench_frozen"]
        env = dict(os.environ, XVFB_STARTED="1")
        raise SystemExit(subprocess.run([*command, *sys.argv[1:]], env=env, check=False).returncode)
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: bash tools/build_bundle.sh")
    desk = dataset(args.clients).root
    stack_floor_database(desk.parent)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="xcb",
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # no keyring entry: the unlock dialog comes first
    )
    commands = {
        "stack": [sys.executable, "-c", CHILD, "stack", str(desk.parent), PASSPHRASE],
        "source": [str(ROOT / ".venv" / "bin" / "kim-desk"), "--data-dir", str(desk)],
        "bundle": [str(BUNDLE), "--data-dir", str(desk)],
    }
    watch = MapWatch()
    for command in commands.values():  # once each: the OS file cache warm, as on a machine used daily
        first_window_ms(watch, command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits all three alike
        for name, command in commands.items():
            times[name].append(first_window_ms(watch, command, env))
    stack, source, bundle = (statistics.median(times[name]) for name in ("stack", "source", "bundle"))
    title = f"cold start to the first window (unlock dialog), {args.clients:,} clients (median of {args.runs})"
    write_result(
        "frozen",
        {
            "rows": [
                row(f"frozen bundle: {title}", bundle, "ms", "stack floor, fresh process, to its window", stack, ""),
                row(
                    f"from source (kim-desk): {title}",
                    source,
                    "ms",
                    "stack floor, fresh process, to its window",
                    stack,
                    "",
                ),
                row(
                    f"frozen bundle against the source app, {title}",
                    bundle,
                    "ms",
                    "the same app from source",
                    source,
                    "",
                ),
            ],
            "start_ms": {name: [round(ms) for ms in values] for name, values in times.items()},
        },
    )


if __name__ == "__main__":
    main()
