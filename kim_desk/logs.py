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

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"color_message"}  # uvicorn's coloured copy of the template


def _message(record: logging.LogRecord) -> str:
    """The log line with its arguments filled in (libraries log `"Running on %s", url`)."""
    try:
        return record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the template: keep both, never fail
        return f"{record.msg!s} {record.args!r}"


def exception_frames(tb: TracebackType | None) -> list[str]:
    """File name, line and function of every frame: no message, no locals, no folder names."""
    return [f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)]


def exception_name(exc_type: type[BaseException]) -> str:
    return f"{exc_type.__module__}.{exc_type.__qualname__}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": _message(record),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info and record.exc_info[0] is not None:
            # The type and the stack, never str(exception): messages may hold names.
            data["exception"] = exception_name(record.exc_info[0])
            data["frames"] = exception_frames(record.exc_info[2])
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
    """Write a crash report without client data; return its text.

    The same report for every front end (CLI, GUI slot, worker thread): the exception type
    and the stack (file, line, function), never the message or locals, which may hold names.
    """
    frames = [
        f'  File "{Path(frame.filename).name}", line {frame.lineno}, in {frame.name}'
        for frame in traceback.extract_tb(tb)
    ]
    now = dt.datetime.now(dt.UTC)
    text = "\n".join(
        [f"KIM Desk {__version__} crash at {now.isoformat(timespec='seconds')}",
         "Traceback (most recent call last):", *frames, exception_name(exc_type)]
    )  # fmt: skip
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            stamp = now.strftime("%Y%m%dT%H%M%S")
            for n in range(100):  # two crashes in one second keep both reports
                path = log_dir / (f"crash-{stamp}.txt" if n == 0 else f"crash-{stamp}-{n}.txt")
                try:
                    with path.open("x", encoding="utf-8") as file:
                        file.write(text + "\n")
                    break
                except FileExistsError:
                    continue
        except OSError:
            pass
    return text
