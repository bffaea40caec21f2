"""Two kinds of error: known conditions a user can act on, and bugs.

Everything a user can do something about is a KnownError with a message in plain
words (German source, translated when shown). Anything else is a bug and goes to
the crash handler, which never includes client data.
"""

from __future__ import annotations


class KnownError(Exception):
    """A condition the user can act on; str(error) is the message to show."""

    exit_code = 1


class UsageError(KnownError):
    """The command line was used wrongly."""

    exit_code = 2


class UnlockError(KnownError):
    """The database key could not be unlocked."""

    exit_code = 3


class WrongPassphrase(UnlockError):
    pass


class NoPassphraseSource(UnlockError):
    pass


class VaultMissing(UnlockError):
    pass


class DatabaseMissing(UnlockError):
    pass


class AlreadyInitialised(KnownError):
    pass


class DatabaseTooNew(KnownError):
    pass


class NotADatabase(KnownError):
    pass


class StorageError(KnownError):
    """Disk full, read-only folder and similar conditions of the file system."""


class CatalogError(KnownError):
    """One or more files in forms/ are invalid; the message names file and field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class NotFound(KnownError):
    exit_code = 4


class ValidationError(KnownError):
    """Input data for a record is invalid; field names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
