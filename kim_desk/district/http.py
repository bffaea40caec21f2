"""What every route shares: bounded bodies, JSON with limits checked before parsing, error answers,
the failure counter per client address, and the one place unhandled exceptions end (with a trace id)."""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from html import escape
from itertools import accumulate, repeat
from operator import sub
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kim_desk.district")

MAX_DEPTH = 16  # the deepest real document (a report) nests 5 levels
# Linear in the body's size whatever it holds (possessive: no retries, no backtracking).
_STRINGS_CLOSED = re.compile(rb'(?:[^"]*+"(?:[^"\\]++|\\.)*+")*+[^"]*+', re.DOTALL)
_STRINGS = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = re.compile(rb"[^\[\]{}]++")
_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


class Refused(Exception):
    """A request the service answers with a 4xx; never logged with its content."""

    def __init__(self, status: int, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.retry_after = status, reason, retry_after


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refused(413, "too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, "too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def nesting_depth(body: bytes) -> int:
    """How deep arrays and objects nest, counted without parsing (strings skipped).

    An unterminated string is refused here: searching for its end from every quote would take
    time growing with the square of the body's size.
    """
    if _STRINGS_CLOSED.fullmatch(body) is None:
        raise Refused(400, "malformed")
    steps = _NOT_BRACKETS.sub(b"", _STRINGS.sub(b"", body)).translate(_STEP)  # "[{" -> 2, "]}" -> 0
    return max(accumulate(map(sub, steps, repeat(1))), default=0)


def _no_constants(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise ValueError("duplicate key")  # two values for one key: which one would count?
    return data


def parse_json(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """JSON from a request body, or Refused(400): size was bounded by read_body, depth here, before parsing."""
    if nesting_depth(body) > max_depth:
        raise Refused(400, "too_deep")
    try:
        return json.loads(body, parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError, over-long integers too
        raise Refused(400, "malformed") from exc


def refused(status: int, reason: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"status": "error", "reason": reason}, status_code=status, headers=headers)


def html_page(title: str, body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;margin:2em;max-width:60em}}"
        "label{display:block;margin:.6em 0}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>",
        status_code=status,
        headers=headers,
    )


class FailureLimit:
    """At most `limit` failed attempts per client address in `window` seconds (enrolment, login, tokens)."""

    def __init__(
        self,
        limit: int = 10,
        window: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        addresses: int = 10_000,
    ) -> None:
        self.limit, self.window, self.clock, self.addresses = limit, window, clock, addresses
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int | None:
        """Seconds until this address may try again, or None when it may try now."""
        with self._lock:
            times = self._recent(address)
            if len(times) < self.limit:
                return None
            return max(1, int(times[0] + self.window - self.clock()) + 1)

    def failed(self, address: str) -> None:
        with self._lock:
            times = self._recent(address)
            times.append(self.clock())
            self._failures[address] = times
            if len(self._failures) > self.addresses:  # bounded memory: forget the stalest address
                stalest = min(self._failures, key=lambda a: self._failures[a][-1])
                del self._failures[stalest]

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.get(address, deque())
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        if not times:
            self._failures.pop(address, None)
        return times


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class TraceErrors:
    """Outermost middleware: an unhandled exception is logged with its type, its stack and a trace id
    (never its message) and answered as a 500 that carries the trace id and nothing else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            trace = secrets.token_hex(8)
            log.error(
                "request.failed",
                exc_info=(type(exc), exc, exc.__traceback__),
                extra={"trace_id": trace, "method": scope.get("method"), "path": scope.get("path")},
            )
            if started:
                return  # the answer had begun: the connection just ends
            answer = JSONResponse(
                {"status": "error", "reason": "internal", "trace_id": trace},
                status_code=500,
                headers={"X-Trace-Id": trace},
            )
            await answer(scope, receive, send)
