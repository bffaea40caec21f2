"""The district service's HTTP interface (Starlette): enrolment, intake, dashboard, exports.

Every request that is malformed, oversized or unauthenticated gets a 4xx and changes
nothing. Logs are structured and carry only desk ids, report ids and outcomes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kim_desk.district import picture
from kim_desk.district.dashboard import dashboard_html
from kim_desk.district.store import DistrictError, DistrictStore
from kim_desk.errors import KnownError
from kim_desk.stats.payload import MAX_PAYLOAD_BYTES, PayloadError, validate_payload
from kim_desk.stats.periods import is_period, last_closed_quarter, parse_quarter

log = logging.getLogger("kim_desk.district")


class TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"status": "error", "reason": reason}, status_code=status)


def create_app(store: DistrictStore, today: Callable[[], dt.date] = dt.date.today) -> Starlette:
    async def enrol(request: Request) -> Response:
        try:
            data = json.loads(await _read_body(request, 4096))
        except TooLarge:
            return _error(413, "too_large")
        except ValueError:
            return _error(400, "malformed")
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return _error(400, "malformed")
        suggested = data.get("first_period")
        if not is_period(suggested):
            suggested = str(last_closed_quarter(today()))
        try:
            desk, token = store.enrol(data["code"], str(suggested))
        except DistrictError:
            log.warning("enrol.refused")
            return _error(401, "unknown_code")
        log.info("enrol.ok", extra={"desk_id": desk.id})
        return JSONResponse(
            {
                "desk_id": desk.id,
                "token": token,
                "protection": store.protection(),
                "municipality": desk.municipality,
                "name": desk.name,
                "first_period": desk.first_period,
            }
        )

    async def intake(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        desk = store.desk_for_token(auth[7:].strip()) if auth.startswith("Bearer ") else None
        if desk is None:
            log.warning("intake.unauthenticated")
            return _error(401, "unauthenticated")
        try:
            body = json.loads(await _read_body(request, MAX_PAYLOAD_BYTES))
            payload: Any = validate_payload(body, protection=store.protection())
        except TooLarge:
            log.warning("intake.too_large", extra={"desk_id": desk.id})
            return _error(413, "too_large")
        except (ValueError, PayloadError):
            log.warning("intake.malformed", extra={"desk_id": desk.id})
            return _error(422, "malformed")
        if payload["desk_id"] != desk.id:
            log.warning("intake.other_desk", extra={"desk_id": desk.id})
            return _error(403, "other_desk")
        if payload["municipality"] != desk.municipality:
            return _error(422, "municipality")
        if parse_quarter(payload["period"]) > last_closed_quarter(today()):
            return _error(422, "period_not_closed")
        outcome = store.store_report(payload)
        log.info("intake.result", extra={"desk_id": desk.id, "report_id": payload["report_id"], "result": outcome})
        if outcome == "conflict":
            return _error(409, "different_content")
        return JSONResponse(
            {"status": outcome, "report_id": payload["report_id"], "protection": store.protection()},
            status_code=201 if outcome == "stored" else 200,
        )

    def _period(request: Request) -> str | None:
        periods = store.periods()
        wanted = request.query_params.get("period")
        if wanted and is_period(wanted):
            return wanted
        return periods[-1] if periods else None

    async def dashboard(request: Request) -> Response:
        return HTMLResponse(dashboard_html(store, _period(request), today()))

    async def report_csv(request: Request) -> Response:
        period = _period(request)
        text = picture.csv_text(store, [period] if period else [])
        return Response(text, media_type="text/csv; charset=utf-8")

    async def report_pdf(request: Request) -> Response:
        from kim_desk.district.committee_pdf import committee_pdf

        period = _period(request)
        if period is None:
            return _error(404, "no_reports")
        return Response(committee_pdf(store, period, today()), media_type="application/pdf")

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def known_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KnownError)
        return _error(400, "bad_request")

    return Starlette(
        routes=[
            Route("/", dashboard),
            Route("/report.csv", report_csv),
            Route("/report.pdf", report_pdf),
            Route("/healthz", health),
            Route("/api/v1/enrol", enrol, methods=["POST"]),
            Route("/api/v1/reports", intake, methods=["POST"]),
        ],
        exception_handlers={KnownError: known_error},
    )
