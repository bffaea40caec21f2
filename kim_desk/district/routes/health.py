"""GET /healthz: the service answers (no login, no data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kim_desk.district.deps import Services


def routes(services: Services) -> list[Route]:
    def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return [Route("/healthz", health, methods=["GET"])]
