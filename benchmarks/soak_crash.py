"""Crash soak: SIGKILL writers and restores at random moments, many times, and report what survived.

    .venv/bin/python benchmarks/soak_crash.py [--runs 200] [--seed N] [--max-delay 1.5]
                                              [--no-restores] [--no-concurrent]

A quarter of the runs restore the newest backup (some while a writer has the desk open), a quarter
run two writers at once, the rest one writer. Exit status 0 when no run found an integrity failure,
a lost acknowledged write, an erased client that came back or is readable in any file of the data
folder, a restore that left neither the old nor the restored database, a leftover file that may
hold people, or a backup that did not verify.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.crash_harness import soak  # the repository root is on the path now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--max-delay", type=float, default=1.5, help="longest wait before the kill (seconds)")
    parser.add_argument("--no-restores", action="store_true", help="no runs that restore a backup")
    parser.add_argument("--no-concurrent", action="store_true", help="no runs with two writers")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kim-soak-") as folder:
        tally = soak(
            Path(folder), args.runs, args.seed, args.max_delay,
            restores=not args.no_restores, concurrent=not args.no_concurrent,
        )  # fmt: skip
    report = {"seed": args.seed, **dataclasses.asdict(tally), "seconds": round(time.monotonic() - started, 1)}
    report["problems"] = tally.problems[:20]
    print(json.dumps(report, indent=1))
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
