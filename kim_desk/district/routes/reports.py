"""POST /api/v1/reports: a desk's quarterly report (bearer token), stored once, idempotently."""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kim_desk.district.deps import Services, bearer_desk
from kim_desk.district.http import Refused, parse_json, read_body
from kim_desk.stats.payload import MAX_PAYLOAD_BYTES, PayloadError, validate_payload
from kim_desk.stats.periods import last_closed_quarter, parse_quarter

log = logging.getLogger("kim_desk.district")


def routes(services: Services) -> list[Route]:
    store = services.store

    async def intake(request: Request) -> Response:
        desk = await bearer_desk(request, services, "intake.unauthenticated")
        try:
            body = await read_body(request, MAX_PAYLOAD_BYTES)
            protection = await run_in_threadpool(store.protection)
            payload: Any = await run_in_threadpool(lambda: validate_payload(parse_json(body), protection=protection))
        except Refused as refusal:
            log.warning("intake.refused", extra={"desk_id": desk.id, "reason": refusal.reason})
            if refusal.status == 413:
                raise
            raise Refused(422, "malformed") from refusal
        except PayloadError as exc:
            log.warning("intake.malformed", extra={"desk_id": desk.id})
            raise Refused(422, "malformed") from exc
        if payload["desk_id"] != desk.id:
            log.warning("intake.other_desk", extra={"desk_id": desk.id})
            raise Refused(403, "other_desk")
        if payload["municipality"] != desk.municipality:
            raise Refused(422, "municipality")
        if parse_quarter(payload["period"]) > last_closed_quarter(services.today()):
            raise Refused(422, "period_not_closed")
        outcome = await run_in_threadpool(store.store_report, payload)
        log.info("intake.result", extra={"desk_id": desk.id, "report_id": payload["report_id"], "result": outcome})
        if outcome == "conflict":
            raise Refused(409, "different_content")
        return JSONResponse(
            # the parameters as they are now: a district that changed them tells the desk with this answer
            {
                "status": outcome,
                "report_id": payload["report_id"],
                "protection": await run_in_threadpool(store.protection),
            },
            status_code=201 if outcome == "stored" else 200,
        )

    return [Route("/api/v1/reports", intake, methods=["POST"])]
