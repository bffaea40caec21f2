"""GET /api/v1/content?installed=N: the newest signed content pack, for an enrolled desk (bearer token).

204 when the desk already has it; the pack is signed, so the desk checks it itself (kim_desk.content).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kim_desk.district import content
from kim_desk.district.deps import Services, bearer_desk
from kim_desk.district.http import Refused

log = logging.getLogger("kim_desk.district")


def routes(services: Services) -> list[Route]:
    store = services.store
    folder = store.path.parent

    async def newest(request: Request) -> Response:
        desk = await bearer_desk(request, services, "content.unauthenticated")
        installed = request.query_params.get("installed", "0")
        if not installed.isascii() or not installed.isdigit() or len(installed) > 9:
            raise Refused(400, "malformed")
        await run_in_threadpool(store.note_content, desk.id, int(installed))
        found = await run_in_threadpool(content.latest, folder)
        log.info("content.asked", extra={"desk_id": desk.id, "installed": int(installed)})
        if found is None or found[0] <= int(installed):
            return Response(status_code=204)
        version, blob = found
        return Response(blob, media_type="application/zip", headers={"X-Content-Version": str(version)})

    return [Route("/api/v1/content", newest, methods=["GET"])]
