"""Calling the district app in-process (no server, no sockets): for tests only."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.types import ASGIApp


def call_app(app: ASGIApp, request: httpx.Request, client: str = "127.0.0.1") -> httpx.Response:
    """One request through the ASGI app in a fresh event loop, from the client address `client`."""
    body = request.read()
    answer: dict[str, Any] = {"body": b"", "status": 500, "headers": []}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = [(k.decode(), v.decode()) for k, v in message["headers"]]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": request.url.scheme,
        "path": request.url.path,
        "raw_path": request.url.raw_path,
        "query_string": request.url.query,
        "root_path": "",
        "server": ("127.0.0.1", 8765),
        "client": (client, 50000),
        "headers": [(k.lower(), v) for k, v in request.headers.raw],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return httpx.Response(answer["status"], headers=answer["headers"], content=answer["body"])


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return call_app(self.app, request)
