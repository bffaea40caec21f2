"""The district's own store (plain SQLite in WAL mode: it holds anonymous figures only).

Enrolment codes and desk tokens are stored as SHA-256 hashes; both are random with
well over 100 bits, so a plain hash is enough. Figures of a report are kept as rows
(zeros left out) so the district picture is a GROUP BY, not a JSON walk. Tables come
from the numbered steps in `migrations.py`; the file and its journal are the owner's
only (0600). Each thread (the service's thread pool) gets its own connection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import sqlite3
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kim_desk import taxonomy
from kim_desk.district.migrations import check_not_newer, migrate
from kim_desk.errors import KnownError, UsageError
from kim_desk.i18n import _
from kim_desk.stats.payload import TABLES, canonical_json, content_hash
from kim_desk.stats.ptable import STANDARD

CODE_VALID_DAYS = 14


class DistrictError(KnownError):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "desk"


def new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i : i + 6] for i in range(0, 24, 6))


def normalise_code(code: str) -> str:
    """Letters and digits only, upper case: typed with or without dashes or spaces."""
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())


def _code_hashes(code: str) -> tuple[str, str]:
    """The hash of a code as stored now, and as stored before dashes became optional."""
    plain = normalise_code(code)
    dashed = "-".join(plain[i : i + 6] for i in range(0, len(plain), 6))
    return _hash(plain), _hash(dashed)


def resolve_municipality(text: str) -> str:
    """A municipality's code from its code or official name ("Ahlen", "ahlen", " AHLEN ")."""
    wanted = " ".join(text.split()).casefold()
    for code, item in taxonomy.MUNICIPALITIES.items():
        if wanted in (code, item.title.casefold()):
            return code
    raise UsageError(
        _("Unbekannte Gemeinde „{code}“. Bekannt sind: {known}").format(
            code=text, known=", ".join(item.title for item in taxonomy.MUNICIPALITIES.values())
        )
    )


@dataclass(frozen=True)
class Desk:
    id: str
    name: str
    municipality: str
    first_period: str | None
    enrolled: bool
    state: str = "enrolled"  # enrolled | code_open | code_expired | revoked
    content_version: int | None = None  # the content pack the desk last said it has (0: none yet)


def _create_private(path: Path) -> None:
    """The database file is created readable by its owner only, before SQLite writes to it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


class _Connection:
    """One thread's connection; closed when its thread ends (the pool's idle threads come and go)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA busy_timeout = 10000")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def __del__(self) -> None:
        self.conn.close()


class DistrictStore:
    def __init__(self, path: Path, now: Callable[[], dt.datetime] = utc_now) -> None:
        self.path = path
        self.now = now
        self._local = threading.local()
        self._open: weakref.WeakSet[_Connection] = weakref.WeakSet()
        _create_private(path)
        check_not_newer(path)
        migrate(self.conn)
        self.picture_cache: dict[tuple[str, int], Any] = {}  # (period, reports) -> figures

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite transactions must not interleave across threads)."""
        held: _Connection | None = getattr(self._local, "held", None)
        if held is None:
            held = _Connection(self.path)
            self._local.held = held
            self._open.add(held)
        return held.conn

    def close(self) -> None:
        for held in list(self._open):
            held.conn.close()
        self._local = threading.local()

    def _now(self) -> str:
        return _stamp(self.now())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # desks ------------------------------------------------------------------
    def add_desk(
        self, name: str, municipality: str, first_period: str | None = None, valid_days: int = CODE_VALID_DAYS
    ) -> tuple[Desk, str]:
        """Register a desk; returns it and its one-time enrolment code (shown once, valid `valid_days`)."""
        municipality = resolve_municipality(municipality)
        if not name.strip():
            raise UsageError(_("Der Name des Arbeitsplatzes fehlt."))
        desk_id = f"{_slug(name)}-{secrets.token_hex(2)}"
        code = new_code()
        with self.transaction():
            _table(self.conn, "desk").insert(
                {
                    "id": desk_id,
                    "name": name.strip(),
                    "municipality": municipality,
                    "first_period": first_period,
                    "code_hash": _code_hashes(code)[0],
                    "code_expires_at": self._expiry(valid_days),
                    "created_at": self._now(),
                }
            )
        return Desk(desk_id, name.strip(), municipality, first_period, False, "code_open"), code

    def _expiry(self, valid_days: int) -> str:
        if not 1 <= valid_days <= 90:
            raise UsageError(_("Ein Anmeldecode gilt 1 bis 90 Tage."))
        return _stamp(self.now() + dt.timedelta(days=valid_days))

    def desk(self, desk_id: str) -> Desk:
        found = [d for d in self.desks() if d.id == desk_id.strip()]
        if not found:
            raise UsageError(
                _("Unbekannter Arbeitsplatz „{desk}“ (siehe kim-district desk list).").format(desk=desk_id)
            )
        return found[0]

    def revoke(self, desk_id: str) -> Desk:
        """The desk's token and any open code stop working at once; its reports stay."""
        desk = self.desk(desk_id)
        with self.transaction():
            self.conn.execute(
                "UPDATE desk SET token_hash = NULL, code_hash = NULL, code_expires_at = NULL, revoked_at = ?"
                " WHERE id = ?",
                (self._now(), desk.id),
            )
        return self.desk(desk.id)

    def reissue(self, desk_id: str, valid_days: int = CODE_VALID_DAYS) -> tuple[Desk, str]:
        """A new one-time code for the same desk (lost token, new computer); the old token stops working."""
        desk = self.desk(desk_id)
        code = new_code()
        with self.transaction():
            self.conn.execute(
                "UPDATE desk SET token_hash = NULL, code_hash = ?, code_expires_at = ?, revoked_at = NULL WHERE id = ?",
                (_code_hashes(code)[0], self._expiry(valid_days), desk.id),
            )
        return self.desk(desk.id), code

    def desks(self) -> list[Desk]:
        rows = self.conn.execute(
            "SELECT id, name, municipality, first_period, token_hash IS NOT NULL, code_hash IS NOT NULL,"
            " code_expires_at, revoked_at, content_version FROM desk ORDER BY municipality, name"
        ).fetchall()
        now = self._now()
        desks = []
        for r in rows:
            if r[7]:
                state = "revoked"
            elif r[4]:
                state = "enrolled"
            elif r[5] and r[6] is not None and r[6] > now:
                state = "code_open"
            else:
                state = "code_expired"
            desks.append(Desk(r[0], r[1], r[2], r[3], bool(r[4]), state, r[8]))
        return desks

    def enrol(self, code: str, suggested_first: str) -> tuple[Desk, str]:
        """Exchange a one-time code for a token; the code is spent in the same transaction."""
        token = secrets.token_urlsafe(32)
        with self.transaction():
            row = self.conn.execute(
                "SELECT id FROM desk WHERE code_hash IN (?, ?) AND revoked_at IS NULL AND code_expires_at > ?",
                (*_code_hashes(code), self._now()),
            ).fetchone()
            if row is None:
                raise DistrictError(_("Unbekannter, abgelaufener oder schon benutzter Anmeldecode."))
            self.conn.execute(
                "UPDATE desk SET code_hash = NULL, code_expires_at = NULL, token_hash = ?, enrolled_at = ?,"
                " first_period = COALESCE(first_period, ?) WHERE id = ?",
                (_hash(token), self._now(), suggested_first, row[0]),
            )
        desk = next(d for d in self.desks() if d.id == row[0])
        return desk, token

    def desk_for_token(self, token: str) -> Desk | None:
        if not token or len(token) > 200:
            return None
        row = self.conn.execute(
            "SELECT id FROM desk WHERE token_hash = ? AND revoked_at IS NULL", (_hash(token),)
        ).fetchone()
        return None if row is None else next(d for d in self.desks() if d.id == row[0])

    def note_content(self, desk_id: str, installed: int) -> None:
        """Remember which content pack the desk runs (it says so each time it asks for a newer one)."""
        with self.transaction():
            self.conn.execute(
                "UPDATE desk SET content_version = ?, content_asked_at = ? WHERE id = ?",
                (installed, self._now(), desk_id),
            )

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
            _table(self.conn, "report").insert(
                {
                    "report_id": payload["report_id"],
                    "desk_id": payload["desk_id"],
                    "period": payload["period"],
                    "content_hash": digest,
                    "payload": canonical_json(payload).decode("utf-8"),
                    "received_at": self._now(),
                    "noise_variance": payload.get("protection", {}).get("V"),
                }
            )
            columns = ("report_id", "period", "tbl", "key", "value")
            _table(self.conn, "figure").insert_all(
                dict(zip(columns, row, strict=True)) for row in _figure_rows(payload)
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
            "SELECT f.tbl, f.key, SUM(f.value), COUNT(*) - COUNT(f.value), TOTAL(r.noise_variance) FROM figure f"
            " JOIN report r ON r.report_id = f.report_id WHERE f.period = ? GROUP BY f.tbl, f.key",
            (period,),
        )
        return {
            (tbl, tuple(json.loads(key))): (None if unknown else int(total or 0), float(variance))
            for tbl, key, total, unknown, variance in rows
        }

    def table_by_period(
        self, table: str, periods: list[str], last_is_total: bool = False
    ) -> dict[str, dict[tuple[str, ...], tuple[int | None, float]]]:
        """One table summed over all desks, for a few quarters (comparisons without whole pictures);
        with `last_is_total` only the cells whose last dimension is the total."""
        found: dict[str, dict[tuple[str, ...], tuple[int | None, float]]] = {p: {} for p in periods}
        marks = ",".join("?" * len(periods))
        margin = """ AND f.key LIKE '%,"*"]'""" if last_is_total else ""
        rows = self.conn.execute(
            "SELECT f.period, f.key, SUM(f.value), COUNT(*) - COUNT(f.value), TOTAL(r.noise_variance)"
            " FROM figure f INDEXED BY figure_period"  # these quarters only, not the table's whole history
            f" JOIN report r ON r.report_id = f.report_id WHERE f.tbl = ? AND f.period IN ({marks}){margin}"
            " GROUP BY f.period, f.key",
            (table, *periods),
        )
        for period, key, total, unknown, variance in rows:
            found[period][tuple(json.loads(key))] = (None if unknown else int(total or 0), float(variance))
        return found

    def cell_by_period(self, table: str, key: tuple[str, ...]) -> dict[str, tuple[int | None, float]]:
        """One cell (e.g. a table's total) summed over all desks, per quarter: the trend without
        merging every quarter's whole picture."""
        rows = self.conn.execute(
            "SELECT f.period, SUM(f.value), COUNT(*) - COUNT(f.value), TOTAL(r.noise_variance) FROM figure f"
            " JOIN report r ON r.report_id = f.report_id WHERE f.tbl = ? AND f.key = ? GROUP BY f.period",
            (table, json.dumps(list(key), separators=(",", ":"))),
        )
        return {period: (None if unknown else int(total or 0), float(v)) for period, total, unknown, v in rows}

    def protection(self) -> dict[str, Any]:
        """The district's protection parameters; desks perturb with them, intake refuses others."""
        return STANDARD.params()


def _table(conn: sqlite3.Connection, name: str) -> Any:
    """sqlite-utils for plain inserts (inside the caller's transaction: it nests as a savepoint)."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)[name]


def _figure_rows(payload: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for name in TABLES:
        if name not in payload["tables"]:
            continue  # an older schema without this table
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
