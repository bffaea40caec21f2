"""Benchmark: every dashboard view of the real `kim-district` with 50 desks x 8 quarters.

    .venv/bin/python benchmarks/bench_dashboard.py [--desks 50] [--quarters 8] [--repeat 5]

Reports are real payloads (synthetic desks, one per municipality and quarter, each desk's own
id), stored through the district's store before the service starts. The service then runs as a
subprocess on a free loopback port; a staff account signs in over HTTP and each view is asked
for as a browser would: the first dashboard page after start (every quarter's picture still to
be merged), then each view warm, p50 and max of --repeat requests. Target: every view < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_intake import free_port, templates  # noqa: E402
from benchmarks.common import row, summary_ms, timed, write_result  # noqa: E402
from kim_desk import taxonomy  # noqa: E402
from kim_desk.district.accounts import Accounts  # noqa: E402
from kim_desk.district.store import DistrictStore  # noqa: E402
from kim_desk.stats.periods import Quarter, last_closed_quarter  # noqa: E402

TARGET_MS = 300


def fill(store: DistrictStore, desks: int, quarters: list[Quarter]) -> None:
    bodies = templates(quarters)
    municipalities = list(taxonomy.MUNICIPALITIES)
    for n in range(desks):
        municipality = municipalities[n % len(municipalities)]
        desk, code = store.add_desk(f"Beratung {n}", municipality, str(quarters[0]))
        store.enrol(code, str(quarters[0]))
        if n % 3 == 0:
            store.note_content(desk.id, 1 + n % 4)
        for quarter in quarters:
            if n % 7 == 3 and quarter == quarters[-2]:
                continue  # some desks miss a quarter: the overview has something to show
            template = bodies[(municipality, str(quarter))]
            store.store_report(dict(template, desk_id=desk.id, report_id=f"{desk.id}:{quarter}"))
    store.add_desk("Nie angemeldet", "oelde")
    Accounts(store).add("bench.staff", "ein langes Passwort")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--desks", type=int, default=50)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    last = last_closed_quarter(dt.date.today())
    quarters = [last]
    while len(quarters) < args.quarters:
        quarters.insert(0, quarters[0].previous())
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        store = DistrictStore(data_dir / "district.sqlite3")
        fill(store, args.desks, quarters)
        store.close()
        fill_s = time.perf_counter() - started
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "kim_desk.district.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        measured: list[tuple[str, dict[str, float]]] = []
        floor = {"p50_ms": 0.0}
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            with httpx.Client(base_url=url, timeout=60) as client:
                login = client.post("/login", data={"user": "bench.staff", "password": "ein langes Passwort"})
                assert login.status_code == 303, login.text
                cookie = {"Cookie": login.headers["set-cookie"].split(";")[0]}

                def view(path: str) -> None:
                    answer = client.get(path, headers=cookie)
                    assert answer.status_code == 200, (path, answer.status_code)

                latest, previous = str(quarters[-1]), str(quarters[-2])
                measured.append(("first dashboard page after start (nothing cached yet)", summary_ms(timed(
                    lambda: view("/"), 1))))  # fmt: skip
                views = [
                    ("dashboard, latest quarter, all municipalities", f"/?period={latest}"),
                    ("dashboard, latest quarter, one municipality", f"/?period={latest}&municipality=ahlen"),
                    ("dashboard, previous quarter, all municipalities", f"/?period={previous}"),
                    ("dashboard, oldest quarter, one municipality", f"/?period={quarters[0]}&municipality=telgte"),
                    ("committee PDF", f"/report.pdf?period={latest}"),
                    ("ODS export", f"/report.ods?period={latest}"),
                    ("XLSX export", f"/report.xlsx?period={latest}"),
                    ("CSV for German spreadsheets", f"/report-de.csv?period={latest}"),
                    ("machine CSV", f"/report.csv?period={latest}"),
                ]
                floor = summary_ms(timed(lambda: client.get("/healthz"), args.repeat * 4))
                for name, path in views:
                    view(path)  # warm: this quarter's picture is merged once per new report
                    measured.append((name, summary_ms(timed(lambda path=path: view(path), args.repeat))))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = []
    for name, stats in measured:
        target = f"< {TARGET_MS} ms" if name.startswith(("dashboard", "first")) else ""
        label = f"{name}, {args.desks} desks x {args.quarters} quarters, p50"
        rows.append(row(label, stats["p50_ms"], "ms", "GET /healthz, p50", floor["p50_ms"], target))
    write_result(
        "dashboard",
        {
            "rows": rows,
            "desks": args.desks,
            "quarters": args.quarters,
            "repeat": args.repeat,
            "fill_seconds": round(fill_s, 1),
            "views": {name: stats for name, stats in measured},
            "healthz": floor,
            "all_dashboard_views_under_target": all(
                stats["max_ms"] < TARGET_MS for name, stats in measured if name.startswith(("dashboard", "first"))
            ),
        },
    )


if __name__ == "__main__":
    main()
