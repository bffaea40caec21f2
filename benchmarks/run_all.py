"""Run every benchmark and write benchmarks/results.json, benchmarks/RESULTS.md and the README's
performance section. One command regenerates every figure:

    .venv/bin/python -m benchmarks.run_all            (about 10 minutes; builds the 100,000-client desk once)
    .venv/bin/python -m benchmarks.run_all --quick    (small data, for checking the harness)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, machine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
START, END = "<!-- performance:start -->", "<!-- performance:end -->"

# (result name, module, arguments for the full run, arguments for --quick)
BENCHMARKS = [
    ("store", "benchmarks.bench_store", [], ["--clients", "2000"]),
    ("documents", "benchmarks.bench_documents", [], ["--rounds", "5"]),
    ("stats", "benchmarks.bench_stats", [], ["--contacts", "20000"]),
    ("intake", "benchmarks.bench_intake", [], ["--desks", "20", "--quarters", "2"]),
    ("dashboard", "benchmarks.bench_dashboard", [], ["--desks", "5", "--quarters", "3", "--repeat", "2"]),
    ("gui", "benchmarks.bench_gui", [], ["--clients", "2000", "--memory-clients", "2000", "--runs", "1"]),
    ("gui_stall", "benchmarks.bench_gui_stall", [], ["--clients", "2000"]),
    ("frozen", "benchmarks.bench_frozen", [], ["--clients", "2000", "--runs", "1"]),  # needs tools/build_bundle.sh
]


def run(quick: bool, only: set[str]) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    results: dict[str, Any] = {"machine": machine(), "taken": time.strftime("%Y-%m-%d"), "benchmarks": {}}
    for name, module, full, small in BENCHMARKS:
        if only and name not in only:
            continue
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            results["benchmarks"][name] = {"error": "not present"}
            continue
        target = RESULTS / f"{name}.json"
        target.unlink(missing_ok=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", module, *(small if quick else full)], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode != 0 or not target.exists():
            results["benchmarks"][name] = {"error": (done.stderr or done.stdout)[-2000:]}
            print(f"{name}: FAILED\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        results["benchmarks"][name] = json.loads(target.read_text("utf-8"))
        print(f"{name}: {time.perf_counter() - started:.0f} s")
    return results


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Taken {results['taken']} on {m['system']}, {m['cores']} cores, Python {m['python']}"
        " (`python -m benchmarks.run_all`). Each figure stands beside a baseline measured in the same run.",
        "",
        "| measure | value | baseline (same run) | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, data in results["benchmarks"].items():
        if "error" in data:
            lines.append(
                f"| {name} | not measured: {data['error'].splitlines()[-1][:80] if data['error'] else ''} | | | |"
            )
            continue
        for row in data.get("rows", []):
            baseline = f"{row['baseline']}: {row['baseline_value']} {row['unit']}" if row["baseline"] else ""
            ratio = f"{row['ratio']}×" if row["ratio"] is not None else ""
            lines.append(
                f"| {row['measure']} | {row['value']} {row['unit']} | {baseline} | {ratio} | {row['target']} |"
            )
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        readme.write_text(f"{head}{START}\n{table}{END}{tail}", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small data; does not touch the README")
    parser.add_argument("--only", nargs="*", default=[], help="run only these benchmarks")
    args = parser.parse_args()
    results = run(args.quick, set(args.only))
    table = markdown(results)
    if not args.quick:
        (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
        (HERE / "RESULTS.md").write_text("# Benchmark results\n\n" + table, "utf-8")
        if not args.only:
            update_readme(table)
    print(table)


if __name__ == "__main__":
    main()
