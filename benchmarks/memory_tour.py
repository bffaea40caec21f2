"""Where the app-tour's memory goes: VmRSS and VmHWM after each step of bench_gui's "app-tour".

    .venv/bin/python -m benchmarks.memory_tour [--clients 100000] [--trace N]

The same steps as benchmarks/bench_gui.py's app-tour (every page, the client list scrolled to the
bottom, four searches), run in this process on the cached benchmark desk. With --trace N,
tracemalloc compares the Python allocations after each step with the step before and prints
the N lines that grew most (tracemalloc itself costs memory: read RSS from a run without it).
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def status() -> tuple[int, int]:
    """(VmRSS, VmHWM) in MiB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            name, value = line.split(":")
            found[name] = int(value.split()[0]) // 1024
    return found["VmRSS"], found["VmHWM"]


def sqlite_memory() -> tuple[int, int]:
    """(bytes SQLite holds now, its high-water mark) in MiB, read from sqlcipher3's own library."""
    import ctypes

    import sqlcipher3._sqlite3 as native

    lib = ctypes.CDLL(native.__file__)
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    return lib.sqlite3_memory_used() >> 20, lib.sqlite3_memory_highwater(0) >> 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--trace", type=int, default=0)
    parser.add_argument("--scroll-all", action="store_true", help="also scroll through every row of the list")
    parser.add_argument("--sql", action="store_true", help="print each statement with SQLite's memory before it")
    parser.add_argument("--cache-kib", type=int, default=0, help="override the connection's page cache size")
    args = parser.parse_args()
    if args.trace:
        tracemalloc.start(int(os.environ.get("TRACE_FRAMES", "1")))
    from benchmarks.datagen import PASSPHRASE, dataset

    data_dir = dataset(args.clients).root
    previous = tracemalloc.take_snapshot() if args.trace else None

    def report(step: str) -> None:
        nonlocal previous
        rss, hwm = status()
        used, high = sqlite_memory()
        print(f"{step:<28} rss {rss:5d} MiB  hwm {hwm:5d} MiB  sqlite {used:4d} MiB (peak {high:4d})", flush=True)
        if args.trace and previous is not None:
            snapshot = tracemalloc.take_snapshot()
            current, _peak = tracemalloc.get_traced_memory()
            print(f"    python traced {current / 2**20:.1f} MiB")
            for stat in snapshot.compare_to(previous, os.environ.get("TRACE_KEY", "lineno"))[: args.trace]:
                print(f"    {stat.size_diff / 2**20:+7.2f} MiB {stat.count_diff:+8d}  {stat.traceback}")
                if len(stat.traceback) > 1:  # TRACE_FRAMES=n TRACE_KEY=traceback: where from
                    print("\n".join("          " + line for line in stat.traceback.format()[-12:]))
            previous = snapshot

    report("interpreter")
    from kim_desk import i18n, settings
    from kim_desk.desk import open_desk
    from kim_desk.gui.app import setup_application
    from kim_desk.gui.context import GuiOptions
    from kim_desk.gui.main_window import MainWindow
    from kim_desk.paths import DataPaths

    report("imports")
    app = setup_application(["kim-desk"])
    desk = open_desk(DataPaths(data_dir), lambda _r: PASSPHRASE, keyring=None, refresh_keyring=False)
    i18n.set_ui_language(settings.get(desk.store, "ui_language"))
    if args.cache_kib:
        desk.store.conn.execute(f"PRAGMA cache_size = -{args.cache_kib}")
    if args.sql:

        def traced(sql: str) -> None:
            used, high = sqlite_memory()
            print(f"    sql (before: {used} MiB, peak {high}) {' '.join(sql.split())[:150]}", flush=True)

        desk.store.conn.set_trace_callback(traced)
    report("desk open")
    window = MainWindow(desk, GuiOptions(keyring=None))
    window.resize(1280, 800)
    window.show()
    window.repaint()
    app.processEvents()
    report("window shown")
    settle_until = time.perf_counter() + 3  # the warm-up starts 200 ms after the window; let it end
    while time.perf_counter() < settle_until:
        app.processEvents()
        time.sleep(0.005)
    report("3 s after the window")

    def settle() -> None:
        deadline = time.perf_counter() + 60
        while window.runner.pending and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.002)
        app.processEvents()

    for page in ("clients", "calendar", "applications", "today", "statistics", "settings", "clients"):
        window.show_page(page)
        settle()
        report(f"page {page}")
    clients = window.clients_page
    clients.table.scrollToBottom()
    settle()
    report("scrolled to bottom")
    if args.scroll_all:  # not in bench_gui's tour: a counsellor paging through the whole list
        for row in range(0, clients.model.rowCount(), 100):
            clients.table.scrollTo(clients.model.index(row, 0))
            app.processEvents()
            settle()
        report("scrolled through every row")
    for text in ("Ahmadi", "Олена", "محمد", "Chalil"):
        clients.search.setText(text)
        clients.run_search()
        settle()
        report(f"search {text}")
    os._exit(0)


if __name__ == "__main__":
    main()
