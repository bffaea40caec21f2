"""Search latency per keystroke at 100,000 clients against the raw FTS5 query, and
SQLCipher against plain SQLite on the same workload.

Usage: python -m benchmarks.bench_store [--clients 100000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlcipher3

from benchmarks.common import row, summary_ms, write_result
from benchmarks.datagen import CLOCK, PASSPHRASE, dataset
from kim_desk import demo
from kim_desk.catalog import load_catalog
from kim_desk.desk import open_desk
from kim_desk.store import Store
from kim_desk.store.migrations import migrate
from kim_desk.store.search import search_clients


def keystrokes(store: Store, count: int, seed: int = 7) -> list[str]:
    """What a counsellor types: growing prefixes of real names, in every script present."""
    rng = random.Random(seed)
    rows = store.rows(
        "SELECT family_name, given_names, family_name_orig FROM client ORDER BY random() LIMIT ?", (count,)
    )
    typed: list[str] = []
    for family, given, family_orig in rows:
        word = rng.choice([w for w in (family, given, family_orig) if w])
        typed += [word[: i + 1] for i in range(min(len(word), 8))]
    return typed


def raw_fts(store: Store, text: str) -> list[int]:
    quoted = '"' + text.casefold().replace('"', '""') + '"*'
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT rowid FROM client_search WHERE client_search MATCH ? LIMIT 50", (f"names : {quoted}",)
        )
    ]


def bench_search(clients: int) -> dict[str, Any]:
    paths = dataset(clients)
    desk = open_desk(paths, lambda _r: PASSPHRASE, keyring=None, clock=CLOCK)
    try:
        typed = keystrokes(desk.store, 60)
        for text in typed[:20]:  # warm the page cache as a working desk would be
            search_clients(desk.store, text)
        ours = []
        raw = []
        for text in typed:
            start = time.perf_counter()
            search_clients(desk.store, text)
            ours.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            raw_fts(desk.store, text)
            raw.append((time.perf_counter() - start) * 1000)
    finally:
        desk.close()
    result: dict[str, Any] = {"keystrokes": len(typed), "search": summary_ms(ours), "raw_fts5": summary_ms(raw)}
    result["ratio_p95"] = round(result["search"]["p95_ms"] / max(result["raw_fts5"]["p95_ms"], 1e-6), 2)
    return result


def _workload(store: Store) -> float:
    start = time.perf_counter()
    demo.generate(store, load_catalog(), 3000)
    for text in ("moh", "oleks", "ahmadi", "kova", "محمد", "Олена"):
        search_clients(store, text)
    store.rows('SELECT type_code, status, count(*) FROM "case" GROUP BY 1, 2')
    store.rows("SELECT language, count(*) FROM contact GROUP BY 1")
    return (time.perf_counter() - start) * 1000


def _store(conn: object, path: Path) -> Store:
    conn.row_factory = sqlcipher3.Row  # type: ignore[attr-defined]
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "secure_delete = ON"):
        conn.execute(f"PRAGMA {pragma}")  # type: ignore[attr-defined]
    migrate(conn)
    return Store(conn=conn, path=path, clock=CLOCK)


def bench_cipher() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        plain_path, cipher_path = Path(tmp) / "plain.db", Path(tmp) / "cipher.db"
        # the same SQLite build, once without a key (plain) and once keyed (encrypted)
        plain = _store(sqlcipher3.connect(str(plain_path), isolation_level=None), plain_path)
        cipher_conn = sqlcipher3.connect(str(cipher_path), isolation_level=None)
        cipher_conn.execute(f"PRAGMA key = \"x'{'ab' * 32}'\"")
        cipher = _store(cipher_conn, cipher_path)
        plain_ms, cipher_ms = _workload(plain), _workload(cipher)
        plain.close()
        cipher.close()
        if plain_path.read_bytes()[:6] != b"SQLite" or cipher_path.read_bytes()[:6] == b"SQLite":
            raise AssertionError("baseline must be plain and the desk database encrypted")
    return {
        "workload": "3,000 clients with cases and contacts written, 6 searches, 2 aggregates",
        "plain_sqlite_ms": round(plain_ms, 1),
        "sqlcipher_ms": round(cipher_ms, 1),
        "ratio": round(cipher_ms / plain_ms, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    search = bench_search(args.clients)
    cipher = bench_cipher()
    rows = [
        row(
            f"search per keystroke at {args.clients:,} clients, p50",
            search["search"]["p50_ms"],
            "ms",
            "raw FTS5 prefix query, p50",
            search["raw_fts5"]["p50_ms"],
        ),
        row(
            f"search per keystroke at {args.clients:,} clients, p95",
            search["search"]["p95_ms"],
            "ms",
            "raw FTS5 prefix query, p95",
            search["raw_fts5"]["p95_ms"],
            "p95 < 30 ms",
        ),
        row(
            "write + search + aggregate workload, SQLCipher",
            cipher["sqlcipher_ms"],
            "ms",
            "same SQLite build without key",
            cipher["plain_sqlite_ms"],
        ),
    ]
    write_result(
        "store", {"clients": args.clients, "rows": rows, "search_per_keystroke": search, "sqlcipher_vs_sqlite": cipher}
    )


if __name__ == "__main__":
    main()
