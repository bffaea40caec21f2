"""GET/POST /login and POST /logout: staff sign in to see the dashboard and the exports."""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from kim_desk.district.deps import SESSION_COOKIE, Services, set_session_cookie
from kim_desk.district.http import Refused, client_address, html_page, read_body
from kim_desk.i18n import _

log = logging.getLogger("kim_desk.district")


def _safe_next(target: str) -> str:
    """Only paths of this service: never an address elsewhere (//evil.example, https://…)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_form(target: str, problem: str = "") -> str:
    note = f"<p role='alert'><strong>{escape(problem)}</strong></p>" if problem else ""
    user, password, submit = _("Benutzername"), _("Passwort"), _("Anmelden")  # outside f-strings: extracted
    return (
        f"{note}<form method='post' action='/login'>"
        f"<input type='hidden' name='next' value='{escape(target)}'>"
        f"<label>{escape(user)}<br><input name='user' autocomplete='username' required></label>"
        f"<label>{escape(password)}<br><input name='password' type='password' "
        "autocomplete='current-password' required></label>"
        f"<button type='submit'>{escape(submit)}</button></form>"
    )


def routes(services: Services) -> list[Route]:
    accounts, failures = services.accounts, services.failures
    title = _("KIM-Lagebild: Anmeldung")

    def show(request: Request) -> Response:
        target = _safe_next(request.query_params.get("next", "/"))
        return html_page(title, login_form(target))

    async def login(request: Request) -> Response:
        address = client_address(request)
        wait = failures.retry_after(address)
        if wait is not None:
            log.warning("login.rate_limited", extra={"retry_after": wait})
            problem = _("Zu viele Fehlversuche. Bitte warten Sie {n} Sekunden.").format(n=wait)
            return html_page(title, login_form("/", problem), 429, {"Retry-After": str(wait)})
        try:
            form = parse_qs((await read_body(request, 4096)).decode("utf-8"), max_num_fields=5, strict_parsing=False)
        except (UnicodeDecodeError, ValueError) as exc:
            failures.failed(address)
            raise Refused(400, "malformed") from exc
        user = form.get("user", [""])[0]
        password = form.get("password", [""])[0]
        target = _safe_next(form.get("next", ["/"])[0])
        token = await run_in_threadpool(accounts.login, user, password)
        if token is None:
            failures.failed(address)
            log.warning("login.refused")
            return html_page(title, login_form(target, _("Benutzername oder Passwort stimmt nicht.")), 401)
        log.info("login.ok")
        response = RedirectResponse(target, status_code=303)
        set_session_cookie(request, response, token)
        return response

    def logout(request: Request) -> Response:
        accounts.logout(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    return [
        Route("/login", show, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
