"""The district's own store (plain SQLite in WAL mode: it holds anonymous figures only).

Enrolment codes and desk tokens are stored as SHA-256 hashes; both are random with
well over 100 bits, so a plain hash is enough. Figures of a report are kept as rows
(zeros left out) so the district picture is a GROUP BY, not a JSON walk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kim_desk import taxonomy
from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.stats.payload import TABLES, canonical_json, content_hash
from kim_desk.stats.ptable import STANDARD

SCHEMA = """
CREATE TABLE IF NOT EXISTS desk (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    municipality TEXT NOT NULL,
    first_period TEXT,
    code_hash TEXT UNIQUE,             -- NULL once used
    token_hash TEXT UNIQUE,            -- NULL until enrolled
    created_at TEXT NOT NULL,
    enrolled_at TEXT
);
CREATE TABLE IF NOT EXISTS report (
    report_id TEXT PRIMARY KEY,
    desk_id TEXT NOT NULL REFERENCES desk(id),
    period TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS report_period ON report(period);
CREATE TABLE IF NOT EXISTS figure (
    report_id TEXT NOT NULL REFERENCES report(report_id),
    period TEXT NOT NULL,
    tbl TEXT NOT NULL,
    key TEXT NOT NULL,                 -- JSON list of codes, "*" = total
    value INTEGER                      -- NULL = suppressed by the desk
);
CREATE INDEX IF NOT EXISTS figure_period ON figure(period, tbl);
CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

DEFAULT_K = 5


class DistrictError(KnownError):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "desk"


def new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i : i + 6] for i in range(0, 24, 6))


def normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "")


@dataclass(frozen=True)
class Desk:
    id: str
    name: str
    municipality: str
    first_period: str | None
    enrolled: bool


class DistrictStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA busy_timeout = 10000")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.executescript(SCHEMA)
        self.picture_cache: dict[tuple[str, int], Any] = {}  # (period, reports) -> figures

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # settings ---------------------------------------------------------------
    def k(self) -> int:
        row = self.conn.execute("SELECT value FROM setting WHERE key = 'k'").fetchone()
        return DEFAULT_K if row is None else int(json.loads(row[0]))

    def set_k(self, k: int) -> None:
        if not 2 <= k <= 100:
            raise UsageError(_("k muss zwischen 2 und 100 liegen."))
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES ('k', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (json.dumps(k),),
        )

    # desks ------------------------------------------------------------------
    def add_desk(self, name: str, municipality: str, first_period: str | None = None) -> tuple[Desk, str]:
        """Register a desk; returns it and its one-time enrolment code (shown once)."""
        if municipality not in taxonomy.MUNICIPALITIES:
            raise UsageError(
                _("Unbekannte Gemeinde „{code}“. Bekannt sind: {known}").format(
                    code=municipality, known=", ".join(taxonomy.MUNICIPALITIES)
                )
            )
        if not name.strip():
            raise UsageError(_("Der Name des Arbeitsplatzes fehlt."))
        desk_id = f"{_slug(name)}-{secrets.token_hex(2)}"
        code = new_code()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO desk (id, name, municipality, first_period, code_hash, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (desk_id, name.strip(), municipality, first_period, _hash(normalise_code(code)), _now()),
            )
        return Desk(desk_id, name.strip(), municipality, first_period, False), code

    def desks(self) -> list[Desk]:
        rows = self.conn.execute(
            "SELECT id, name, municipality, first_period, token_hash IS NOT NULL FROM desk ORDER BY municipality, name"
        ).fetchall()
        return [Desk(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def enrol(self, code: str, suggested_first: str) -> tuple[Desk, str]:
        """Exchange a one-time code for a token; the code is spent in the same transaction."""
        token = secrets.token_urlsafe(32)
        with self.transaction():
            row = self.conn.execute(
                "SELECT id FROM desk WHERE code_hash = ?", (_hash(normalise_code(code)),)
            ).fetchone()
            if row is None:
                raise DistrictError(_("Unbekannter oder schon benutzter Anmeldecode."))
            self.conn.execute(
                "UPDATE desk SET code_hash = NULL, token_hash = ?, enrolled_at = ?,"
                " first_period = COALESCE(first_period, ?) WHERE id = ?",
                (_hash(token), _now(), suggested_first, row[0]),
            )
        desk = next(d for d in self.desks() if d.id == row[0])
        return desk, token

    def desk_for_token(self, token: str) -> Desk | None:
        row = self.conn.execute("SELECT id FROM desk WHERE token_hash = ?", (_hash(token),)).fetchone()
        return None if row is None else next(d for d in self.desks() if d.id == row[0])

    # reports ----------------------------------------------------------------
    def store_report(self, payload: dict[str, Any]) -> str:
        """'stored', 'already' (same id, same content) or 'conflict' (same id, other content)."""
        digest = content_hash(payload)
        with self.transaction():
            row = self.conn.execute(
                "SELECT content_hash FROM report WHERE report_id = ?", (payload["report_id"],)
            ).fetchone()
            if row is not None:
                return "already" if row[0] == digest else "conflict"
            self.conn.execute(
                "INSERT INTO report (report_id, desk_id, period, content_hash, payload,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    payload["report_id"],
                    payload["desk_id"],
                    payload["period"],
                    digest,
                    canonical_json(payload).decode("utf-8"),
                    _now(),
                ),
            )
            self.conn.executemany(
                "INSERT INTO figure (report_id, period, tbl, key, value) VALUES (?, ?, ?, ?, ?)", _figure_rows(payload)
            )
        return "stored"

    def received(self) -> set[tuple[str, str]]:
        return {(r[0], r[1]) for r in self.conn.execute("SELECT desk_id, period FROM report")}

    def report_count(self, period: str) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM report WHERE period = ?", (period,)).fetchone()[0])

    def periods(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT period FROM report ORDER BY period")]

    def merged(self, period: str) -> dict[tuple[str, tuple[str, ...]], tuple[int | None, float]]:
        """Figures of all desks for `period`, summed, with the variance of their summed noise.

        The variance adds the p-table's V of every desk with a non-zero figure for the cell
        (reports of the suppression era carry none: their figures are exact). The value is
        None where a desk of that era suppressed the cell.
        """
        rows = self.conn.execute(
            "SELECT f.tbl, f.key, SUM(f.value), COUNT(*) - COUNT(f.value), TOTAL(r.v) FROM figure f"
            " JOIN (SELECT report_id, json_extract(payload, '$.protection.V') AS v FROM report WHERE period = ?) r"
            " ON r.report_id = f.report_id WHERE f.period = ? GROUP BY f.tbl, f.key",
            (period, period),
        )
        return {
            (tbl, tuple(json.loads(key))): (None if unknown else int(total or 0), float(variance))
            for tbl, key, total, unknown, variance in rows
        }

    def protection(self) -> dict[str, Any]:
        """The district's protection parameters; desks perturb with them, intake refuses others."""
        return STANDARD.params()


def _figure_rows(payload: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for name in TABLES:
        table = payload["tables"][name]
        cells = [*table["cells"], {"key": ["*"] * len(table["dims"]), "value": table["total"]}]
        for cell in cells:
            if cell["value"] != 0:
                yield (
                    payload["report_id"],
                    payload["period"],
                    name,
                    json.dumps(cell["key"], separators=(",", ":")),
                    cell["value"],
                )
