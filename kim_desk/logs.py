"""Structured logging (JSON lines) and crash reports, both free of client data.

Log calls pass an event name and ids only. Crash reports keep the exception type and
the stack (file, line, function) but never the message or locals, which may hold names.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from pathlib import Path
from types import TracebackType

from kim_desk import __version__

_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.msg if isinstance(record.msg, str) else repr(record.msg),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        return json.dumps(data, ensure_ascii=False, default=str)


class _QuietFileHandler(logging.FileHandler):
    """A log line that cannot be written (full disk, folder gone read-only) is dropped silently.

    The log is housekeeping: it must never print tracebacks on the console or stop the desk.
    """

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            self.failed = True

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            self.failed = True


def setup_logging(log_dir: Path | None, level: int = logging.INFO) -> None:
    """Log to log_dir/kim-desk.log; None logs nowhere (and closes the previous file)."""
    root = logging.getLogger("kim_desk")
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    if log_dir is None:
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = _QuietFileHandler(log_dir / "kim-desk.log", encoding="utf-8")
    except OSError:
        return  # a read-only folder must not stop the desk; errors are shown anyway
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)


def crash_report(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, log_dir: Path | None
) -> str:
    """Write a crash report without client data; return its text."""
    frames = [
        f'  File "{Path(frame.filename).name}", line {frame.lineno}, in {frame.name}'
        for frame in traceback.extract_tb(tb)
    ]
    text = "\n".join(
        [f"KIM Desk {__version__} crash at {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
         "Traceback (most recent call last):", *frames, f"{exc_type.__module__}.{exc_type.__qualname__}"]
    )  # fmt: skip
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            name = f"crash-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S')}.txt"
            (log_dir / name).write_text(text + "\n", "utf-8")
        except OSError:
            pass
    return text
