"""Benchmark: building one quarter's report from 1,000,000 contacts in the encrypted store.

    .venv/bin/python benchmarks/bench_stats.py [--contacts 1000000]

Writes a synthetic desk (100,000 clients, 10 contacts each, cases, status history and
barriers) into a fresh SQLCipher store with a random key (never written anywhere), then
times, in the same process and on the same warm database:
  - the raw SQL count of the quarter's contacts (the floor any report must pay),
  - counting the report's six tables (kim_desk.stats.tables.count_tables),
  - the whole report: counting, disclosure control and the validated payload.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import row, summary_ms, timed, write_result  # noqa: E402
from kim_desk.stats.payload import canonical_json  # noqa: E402
from kim_desk.stats.periods import Quarter  # noqa: E402
from kim_desk.stats.report import build_report  # noqa: E402
from kim_desk.stats.synthetic import populate  # noqa: E402
from kim_desk.stats.tables import Window, count_tables  # noqa: E402
from kim_desk.store import open_store  # noqa: E402

QUARTER = Quarter(2026, 3)
RAW_COUNT = "SELECT COUNT(*) FROM contact WHERE contact_on >= ? AND contact_on < ?"
# The smallest query that counts per municipality: one join, one group.
RAW_GROUP = (
    "SELECT cl.municipality, COUNT(*) FROM contact c JOIN client cl ON cl.id = c.client_id"
    " WHERE c.contact_on >= ? AND c.contact_on < ? GROUP BY 1"
)


def district_scale_desk(repeat: int) -> tuple[float, float, int]:
    """The report for 2026Q3 on the shared district-scale desk (benchmarks/datagen.py)."""
    from benchmarks.datagen import PASSPHRASE, dataset
    from kim_desk.desk import open_desk

    desk = open_desk(dataset(100_000), lambda _reason: PASSPHRASE, keyring=None)
    try:
        store, conn = desk.store, desk.store.conn
        bounds = (QUARTER.start.isoformat(), QUARTER.next().start.isoformat())
        contacts = conn.execute(RAW_COUNT, bounds).fetchone()[0]
        build_report(store, desk_id="bench", municipality="ahlen", quarter=QUARTER, app_version="0.1.0")  # warm
        raw = timed(lambda: conn.execute(RAW_COUNT, bounds).fetchone(), repeat)
        full = timed(
            lambda: build_report(store, desk_id="bench", municipality="ahlen", quarter=QUARTER, app_version="0.1.0"),
            repeat,
        )
    finally:
        desk.close()
    return summary_ms(full)["p50_ms"], summary_ms(raw)["p50_ms"], int(contacts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    per_client = 10
    with tempfile.TemporaryDirectory(prefix="bench-stats-") as folder:
        store = open_store(Path(folder) / "desk.db", os.urandom(32), create=True)
        conn = store.conn
        start = time.perf_counter()
        populate(
            store,
            clients=args.contacts // per_client,
            contacts_per_client=per_client,
            quarters=[QUARTER],
            municipalities=("ahlen", "beckum", "telgte"),
        )
        fill_s = time.perf_counter() - start
        contacts = conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0]
        bounds = (QUARTER.start.isoformat(), QUARTER.next().start.isoformat())
        conn.execute(RAW_COUNT, bounds).fetchone()  # warm the cache once for every variant
        raw = timed(lambda: conn.execute(RAW_COUNT, bounds).fetchone(), args.repeat)
        raw_group = timed(lambda: conn.execute(RAW_GROUP, bounds).fetchall(), args.repeat)
        counting = timed(lambda: count_tables(store, Window(QUARTER)), args.repeat)
        payload: dict[str, object] = {}

        def report() -> None:
            payload.update(
                build_report(store, desk_id="bench", municipality="ahlen", quarter=QUARTER, app_version="0.1.0")
            )

        full = timed(report, args.repeat)
        store.close()
    raw_ms = summary_ms(raw)["p50_ms"]
    full_ms = summary_ms(full)["p50_ms"]
    desk_ms, desk_raw_ms, desk_contacts = district_scale_desk(args.repeat)
    write_result(
        "stats",
        {
            "rows": [
                row(
                    f"quarter's report, desk of 100,000 clients and {desk_contacts:,} contacts in the quarter "
                    "(1,000,000 in the desk)",
                    desk_ms,
                    "ms",
                    "raw count of the quarter's contacts",
                    desk_raw_ms,
                    "< 1 s",
                ),
                row(
                    f"quarter's report, {contacts:,} contacts all in one quarter",
                    full_ms,
                    "ms",
                    "raw per-municipality join and count",
                    summary_ms(raw_group)["p50_ms"],
                    "<= 2x raw count (the 1 s is for the district-scale desk above)",
                ),
            ],
            "contacts_in_quarter": contacts,
            "fill_seconds": round(fill_s, 1),
            "raw_count_query": summary_ms(raw),
            "raw_group_by_municipality_query": summary_ms(raw_group),
            "count_tables": summary_ms(counting),
            "build_report": summary_ms(full),
            "report_vs_raw_count_ratio": round(full_ms / raw_ms, 1),
            "report_vs_raw_group_by_ratio": round(full_ms / summary_ms(raw_group)["p50_ms"], 1),
            "payload_bytes": len(canonical_json(payload)),
        },
    )


if __name__ == "__main__":
    main()
