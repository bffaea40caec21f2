"""Crash soak: SIGKILL the writer at random moments, many times, and report what survived.

    .venv/bin/python benchmarks/soak_crash.py [--runs 200] [--seed N] [--max-delay 1.5]

Exit status 0 when no run found an integrity failure, a lost acknowledged write, an erased
client that came back, or a backup that did not verify.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kim-soak-") as folder:
        tally = soak(Path(folder), args.runs, args.seed, args.max_delay)
    report = {
        "runs": tally.runs,
        "seed": args.seed,
        "acknowledged_writes": tally.acknowledged_writes,
        "acknowledged_erasures": tally.acknowledged_erasures,
        "acknowledged_backups": tally.acknowledged_backups,
        "integrity_failures": tally.integrity_failures,
        "lost_writes": tally.lost_writes,
        "erasures_undone": tally.erasures_undone,
        "backup_failures": tally.backup_failures,
        "seconds": round(time.monotonic() - started, 1),
        "problems": tally.problems[:20],
    }
    print(json.dumps(report, indent=1))
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
