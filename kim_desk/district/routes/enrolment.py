"""POST /api/v1/enrol: a desk exchanges its one-time code for a token.

Failed attempts are counted per client address; past the limit the answer is 429 with
Retry-After, before the code is even looked at.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kim_desk.district import content
from kim_desk.district.deps import Services
from kim_desk.district.http import Refused, client_address, parse_json, read_body
from kim_desk.district.store import Desk, DistrictError
from kim_desk.stats.periods import is_period, last_closed_quarter

log = logging.getLogger("kim_desk.district")

MAX_ENROL_BYTES = 4096


def routes(services: Services) -> list[Route]:
    store, failures = services.store, services.failures

    async def enrol(request: Request) -> Response:
        address = client_address(request)
        wait = failures.retry_after(address)
        if wait is not None:
            log.warning("enrol.rate_limited", extra={"retry_after": wait})
            raise Refused(429, "too_many_attempts", retry_after=wait)
        try:
            data = parse_json(await read_body(request, MAX_ENROL_BYTES))
            if not isinstance(data, dict) or not isinstance(data.get("code"), str) or len(data["code"]) > 64:
                raise Refused(400, "malformed")
        except Refused:
            failures.failed(address)
            raise
        suggested = data.get("first_period")
        if not is_period(suggested):
            suggested = str(last_closed_quarter(services.today()))

        def spend_code() -> tuple[Desk, str, dict[str, Any], str | None]:
            desk, token = store.enrol(data["code"], str(suggested))
            return desk, token, store.protection(), content.public_key(store.path.parent)

        try:
            desk, token, protection, content_key = await run_in_threadpool(spend_code)
        except DistrictError as exc:
            failures.failed(address)
            log.warning("enrol.refused")
            raise Refused(401, "unknown_code") from exc
        log.info("enrol.ok", extra={"desk_id": desk.id})
        return JSONResponse(
            {
                "desk_id": desk.id,
                "token": token,
                "protection": protection,  # the district's perturbation parameters (cell key method)
                "content_key": content_key,  # pinned by the desk: it signs the content packs (None: none yet)
                "municipality": desk.municipality,
                "name": desk.name,
                "first_period": desk.first_period,
            }
        )

    return [Route("/api/v1/enrol", enrol, methods=["POST"])]
