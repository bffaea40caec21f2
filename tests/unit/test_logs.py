"""Log lines are formatted; exceptions in logs and crash reports keep type and stack, never the message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kim_desk.logs import JsonFormatter, crash_report

CANARY = "Zzyzxcanary"


def record(logger: str, msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord(logger, logging.INFO, "x.py", 1, msg, args, info)


def test_log_lines_have_their_arguments_filled_in() -> None:
    line = json.loads(JsonFormatter().format(record("uvicorn.error", "Uvicorn running on %s://%s:%d", "http", "h", 8)))
    assert line["event"] == "Uvicorn running on http://h:8"
    assert "%s" not in json.dumps(line)
    broken = json.loads(JsonFormatter().format(record("x", "one %s two %s", "a")))
    assert broken["event"].startswith("one %s two %s")


def raise_with_canary() -> None:
    raise ValueError(f"Frau {CANARY} geboren 1913-07-29")


def test_logged_exception_keeps_type_and_frames_but_not_the_message() -> None:
    try:
        raise_with_canary()
    except ValueError as exc:
        text = JsonFormatter().format(record("kim_desk.x", "job_failed", exc=exc))
    line = json.loads(text)
    assert line["exception"] == "builtins.ValueError"
    assert any("raise_with_canary" in frame for frame in line["frames"])
    assert CANARY not in text and "1913" not in text


def test_two_crashes_in_one_second_keep_both_reports(tmp_path: Path) -> None:
    for _ in range(3):
        try:
            raise_with_canary()
        except ValueError as exc:
            crash_report(ValueError, exc, exc.__traceback__, tmp_path)
    reports = sorted(tmp_path.glob("crash-*.txt"))
    assert len(reports) == 3
    for path in reports:
        text = path.read_text("utf-8")
        assert "builtins.ValueError" in text and "raise_with_canary" in text and CANARY not in text


def test_uvicorn_coloured_template_copy_is_left_out() -> None:
    entry = record("uvicorn.error", "Started server process [%d]", 42)
    entry.color_message = "Started server process [\x1b[36m%d\x1b[0m]"
    line = JsonFormatter().format(entry)
    assert "Started server process [42]" in line and "%d" not in line
