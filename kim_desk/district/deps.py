"""The service's collaborators, built once in `create_app` and handed to every route module."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kim_desk.district.accounts import SESSION_HOURS, Accounts
from kim_desk.district.http import FailureLimit, Refused, client_address, refused
from kim_desk.district.store import Desk, DistrictStore

SESSION_COOKIE = "kim_session"


@dataclass
class Services:
    store: DistrictStore
    accounts: Accounts
    today: Callable[[], dt.date]
    failures: FailureLimit


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def signed_in(request: Request, services: Services) -> str | None:
    return services.accounts.session(request.cookies.get(SESSION_COOKIE))


def login_required(request: Request, services: Services) -> Response | None:
    """None when a staff member is signed in; else the login page for browsers, 401 for everything else."""
    if signed_in(request, services) is not None:
        return None
    if "text/html" in request.headers.get("accept", ""):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return refused(401, "login_required")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    # Secure over HTTPS and on the own computer (browsers treat loopback as secure); only a service
    # started with --insecure-http beyond loopback must do without, or no browser could sign in.
    secure = request.url.scheme == "https" or is_loopback(request.url.hostname or "")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


async def bearer_desk(request: Request, services: Services, event: str) -> Desk:
    """The enrolled desk behind the request's bearer token; 429 past the failure limit, 401 for a bad token
    (counted per client address like wrong enrolment codes and logins)."""
    address = client_address(request)
    wait = services.failures.retry_after(address)
    if wait is not None:
        raise Refused(429, "too_many_attempts", retry_after=wait)
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.startswith("Bearer ") else ""
    desk = await run_in_threadpool(services.store.desk_for_token, token) if token else None
    if desk is None:
        services.failures.failed(address)
        logging.getLogger("kim_desk.district").warning(event)
        raise Refused(401, "unauthenticated")
    return desk
