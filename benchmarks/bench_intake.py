"""Benchmark: the real `kim-district` process taking in 500 desks x 8 quarters over HTTP.

    .venv/bin/python benchmarks/bench_intake.py [--desks 500] [--quarters 8] [--threads 4]

Report bodies are real payloads (built from synthetic desks, one per municipality and
quarter, disclosure control applied) with each desk's own id. The service runs as a
subprocess on a free loopback port; desks are registered with `kim-district desk add`
semantics (through its store, before the service starts) and enrol over HTTP.
Measured: reports per second, request latency, a repeated send (must change nothing),
and the time of the district picture (merge + disclosure control) and its CSV.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import row, summary_ms, write_result  # noqa: E402
from kim_desk import taxonomy  # noqa: E402
from kim_desk.district import picture  # noqa: E402
from kim_desk.district.store import DistrictStore  # noqa: E402
from kim_desk.stats.payload import canonical_json  # noqa: E402
from kim_desk.stats.periods import Quarter  # noqa: E402
from kim_desk.stats.report import build_report  # noqa: E402
from kim_desk.stats.synthetic import plain_store, populate  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def templates(quarters: list[Quarter]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for index, municipality in enumerate(taxonomy.MUNICIPALITIES):
        store = plain_store()
        populate(
            store, clients=300, contacts_per_client=4, quarters=quarters, municipalities=(municipality,), seed=index
        )
        for quarter in quarters:
            found[(municipality, str(quarter))] = build_report(
                store, desk_id="template", municipality=municipality, quarter=quarter, app_version="0.1.0"
            )
    return found


def body(template: dict[str, Any], desk_id: str) -> bytes:
    payload = dict(template, desk_id=desk_id, report_id=f"{desk_id}:{template['period']}")
    return canonical_json(payload)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--desks", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    quarters = [Quarter(2024, 3)]
    while len(quarters) < args.quarters:
        quarters.append(quarters[-1].next())
    start = time.perf_counter()
    bodies = templates(quarters)
    template_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as folder:
        data_dir = Path(folder)
        store = DistrictStore(data_dir / "district.sqlite3")
        codes = []
        municipalities = list(taxonomy.MUNICIPALITIES)
        for n in range(args.desks):
            municipality = municipalities[n % len(municipalities)]
            desk, code = store.add_desk(f"Desk {n}", municipality, str(quarters[0]))
            codes.append((desk.id, municipality, code))
        store.close()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "kim_desk.district.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            jobs = []
            with httpx.Client(base_url=url, timeout=60) as client:
                for desk_id, municipality, code in codes:
                    token = client.post("/api/v1/enrol", json={"code": code}).json()["token"]
                    for quarter in quarters:
                        jobs.append((token, body(bodies[(municipality, str(quarter))], desk_id)))

            def send(job: tuple[str, bytes]) -> tuple[int, float]:
                token, content = job
                begin = time.perf_counter()
                answer = clients[threading_id()].post(
                    "/api/v1/reports",
                    content=content,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )
                return answer.status_code, (time.perf_counter() - begin) * 1000

            import threading

            local = threading.local()
            clients: dict[int, httpx.Client] = {}

            def threading_id() -> int:
                if not hasattr(local, "n"):
                    local.n = len(clients)
                    clients[local.n] = httpx.Client(base_url=url, timeout=60)
                return int(local.n)

            start = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                results = list(pool.map(send, jobs))
            intake_s = time.perf_counter() - start
            with ThreadPoolExecutor(args.threads) as pool:
                repeat = list(pool.map(send, jobs[: min(400, len(jobs))]))
            for client in clients.values():
                client.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        store = DistrictStore(data_dir / "district.sqlite3")
        stored = store.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0]
        start = time.perf_counter()
        figures = picture.picture(store, str(quarters[-1]))
        picture_s = time.perf_counter() - start
        start = time.perf_counter()
        csv_text = picture.csv_text(store, [str(quarters[-1])])
        csv_s = time.perf_counter() - start
        size = sum(p.stat().st_size for p in data_dir.iterdir())
        store.close()
    statuses = sorted({status for status, _ms in results})
    write_result(
        "intake",
        {
            "rows": [
                row(
                    f"district intake of {args.desks} desks x {args.quarters} quarters over HTTP",
                    intake_s * 1000,
                    "ms",
                    "",
                    None,
                    "all stored once",
                ),
                row("intake request, p95", summary_ms([ms for _s, ms in results])["p95_ms"], "ms"),
                row("district picture of one quarter, merged and protected again", picture_s * 1000, "ms"),
            ],
            "desks": args.desks,
            "quarters": args.quarters,
            "threads": args.threads,
            "reports_sent": len(jobs),
            "reports_stored": stored,
            "statuses": statuses,
            "repeat_statuses": sorted({status for status, _ms in repeat}),
            "payload_bytes_avg": round(sum(len(b) for _t, b in jobs) / len(jobs)),
            "template_build_seconds": round(template_s, 1),
            "intake_seconds": round(intake_s, 1),
            "reports_per_second": round(len(jobs) / intake_s, 1),
            "request": summary_ms([ms for _s, ms in results]),
            "district_picture_one_quarter_seconds": round(picture_s, 2),
            "district_csv_one_quarter_seconds": round(csv_s, 2),
            "csv_rows": csv_text.count("\n") - 1,
            "suppressed_after_merge": sum(1 for f in figures.values() if f.value is None),
            "store_bytes": size,
        },
    )
    print(json.dumps({"ok": stored == len(jobs)}))


if __name__ == "__main__":
    main()
