"""Staff accounts for the dashboard and the exports: Argon2id password hashes, server-side sessions.

Passwords are stored as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`, RFC 9106's
second recommended setting: 64 MiB, 3 passes, 4 lanes). A session is a random token
in an HttpOnly cookie; only its SHA-256 hash is stored, with an absolute expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets

from kim_desk.district.store import DistrictStore
from kim_desk.errors import UsageError
from kim_desk.i18n import _

SESSION_HOURS = 8
MIN_PASSWORD = 12
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}\Z")


def hash_password(password: str) -> str:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(salt=os.urandom(16), length=32, iterations=3, lanes=4, memory_cost=64 * 1024)
    return str(kdf.derive_phc_encoded(password.encode("utf-8")))


def password_matches(password: str, encoded: str) -> bool:
    from cryptography.exceptions import InvalidKey
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    try:
        Argon2id.verify_phc_encoded(password.encode("utf-8"), encoded)
    except (InvalidKey, ValueError):
        return False
    return True


# A hash to verify against when the account does not exist, so both cases take the same time.
_DUMMY: list[str] = []


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts:
    def __init__(self, store: DistrictStore) -> None:
        self.store = store

    def add(self, name: str, password: str) -> None:
        name = name.strip().lower()
        if not _NAME.match(name):
            raise UsageError(_("Benutzernamen: 2 bis 40 Zeichen, Kleinbuchstaben, Ziffern, Punkt, Bindestrich."))
        if len(password) < MIN_PASSWORD:
            raise UsageError(_("Das Passwort braucht mindestens {n} Zeichen.").format(n=MIN_PASSWORD))
        encoded = hash_password(password)
        with self.store.transaction():
            if self.store.conn.execute("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
                raise UsageError(_("Den Benutzer „{name}“ gibt es schon.").format(name=name))
            self.store.conn.execute(
                "INSERT INTO account (name, password_hash, created_at) VALUES (?, ?, ?)",
                (name, encoded, self.store.now().isoformat(timespec="seconds")),
            )

    def names(self) -> list[str]:
        return [r[0] for r in self.store.conn.execute("SELECT name FROM account ORDER BY name")]

    def login(self, name: str, password: str) -> str | None:
        """A new session token for the right password, else None (same work either way)."""
        if len(name) > 40 or len(password) > 1024:
            return None
        row = self.store.conn.execute(
            "SELECT password_hash FROM account WHERE name = ?", (name.strip().lower(),)
        ).fetchone()
        if row is None:
            if not _DUMMY:
                _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
            password_matches(password, _DUMMY[0])
            return None
        if not password_matches(password, row[0]):
            return None
        token = secrets.token_urlsafe(32)
        expires = self.store.now() + dt.timedelta(hours=SESSION_HOURS)
        with self.store.transaction():
            self.store.conn.execute("DELETE FROM session WHERE expires_at <= ?", (self._now(),))
            self.store.conn.execute(
                "INSERT INTO session (token_hash, account, expires_at) VALUES (?, ?, ?)",
                (_token_hash(token), name.strip().lower(), expires.astimezone(dt.UTC).isoformat(timespec="seconds")),
            )
        return token

    def _now(self) -> str:
        return self.store.now().astimezone(dt.UTC).isoformat(timespec="seconds")

    def session(self, token: str | None) -> str | None:
        """The account a session token belongs to, while it is valid."""
        if not token or len(token) > 200:
            return None
        row = self.store.conn.execute(
            "SELECT account FROM session WHERE token_hash = ? AND expires_at > ?", (_token_hash(token), self._now())
        ).fetchone()
        return None if row is None else str(row[0])

    def logout(self, token: str | None) -> None:
        if token:
            self.store.conn.execute("DELETE FROM session WHERE token_hash = ?", (_token_hash(token),))
