"""The district service's HTTP interface (Starlette), composed from one route module per resource.

Every request that is malformed, oversized, too deep or unauthenticated gets a 4xx and
changes nothing; an unhandled exception is logged with its type and a trace id and
answered as a bare 500 carrying that id. Logs carry only desk ids, report ids and outcomes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from kim_desk.district.accounts import Accounts
from kim_desk.district.deps import Services
from kim_desk.district.http import FailureLimit, Refused, TraceErrors, html_page, refused
from kim_desk.district.routes import content, dashboard, enrolment, health, reports, session
from kim_desk.district.store import DistrictStore
from kim_desk.errors import KnownError
from kim_desk.i18n import _


def _refusal_text(reason: str) -> str:
    texts = {
        "period": _("Das Quartal ist ungültig. Erwartet wird z. B. 2026Q3."),
        "period_unknown": _("Für dieses Quartal liegen keine Berichte vor."),
        "no_reports": _("Noch keine Berichte eingegangen."),
        "municipality": _("Diese Gemeinde gibt es im Kreis Warendorf nicht."),
    }
    return texts.get(reason, _("Die Anfrage ist ungültig."))


async def _on_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        back = _("Zur Übersicht")
        body = f"<p>{escape(_refusal_text(exc.reason))}</p><p><a href='/'>{escape(back)}</a></p>"
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
        return html_page(_("KIM-Lagebild Kreis Warendorf"), body, exc.status, headers)
    return refused(exc.status, exc.reason, exc.retry_after)


async def _on_known_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KnownError)
    return refused(400, "bad_request")


def create_app(
    store: DistrictStore,
    today: Callable[[], dt.date] = dt.date.today,
    failures: FailureLimit | None = None,
) -> Starlette:
    services = Services(store, Accounts(store), today, failures or FailureLimit())
    routes = [
        route
        for module in (dashboard, session, health, enrolment, reports, content)
        for route in module.routes(services)
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(TraceErrors)],
        exception_handlers={Refused: _on_refused, KnownError: _on_known_error},
    )
