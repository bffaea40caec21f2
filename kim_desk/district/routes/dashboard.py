"""GET /, /report.csv, /report.pdf: the district picture for signed-in staff.

Sync endpoints: Starlette runs them in its thread pool, so SQLite and reportlab never
block the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kim_desk import taxonomy
from kim_desk.district import picture
from kim_desk.district.dashboard import dashboard_html
from kim_desk.district.deps import Services, login_required
from kim_desk.district.http import Refused
from kim_desk.stats.cellkey import TOTAL
from kim_desk.stats.periods import is_period


def chosen_period(request: Request, services: Services) -> str | None:
    """The quarter asked for (400 if malformed, 404 if no report has it), else the latest."""
    periods = services.store.periods()
    wanted = request.query_params.get("period")
    if wanted is None or wanted == "":
        return periods[-1] if periods else None
    if not is_period(wanted):
        raise Refused(400, "period")
    if wanted not in periods:
        raise Refused(404, "period_unknown")
    return wanted


def chosen_municipality(request: Request) -> str:
    """The municipality asked for ("*" for all; 400 if unknown)."""
    wanted = request.query_params.get("municipality") or TOTAL
    if wanted != TOTAL and wanted not in taxonomy.MUNICIPALITIES:
        raise Refused(400, "municipality")
    return wanted


def routes(services: Services) -> list[Route]:
    store = services.store

    def dashboard(request: Request) -> Response:
        return login_required(request, services) or HTMLResponse(
            dashboard_html(store, chosen_period(request, services), services.today(), chosen_municipality(request))
        )

    def report_csv(request: Request) -> Response:
        if (refusal := login_required(request, services)) is not None:
            return refusal
        period = chosen_period(request, services)
        text = picture.csv_text(store, [period] if period else [])
        return Response(text, media_type="text/csv; charset=utf-8")

    def report_pdf(request: Request) -> Response:
        from kim_desk.district.committee_pdf import committee_pdf

        if (refusal := login_required(request, services)) is not None:
            return refusal
        period = chosen_period(request, services)
        if period is None:
            raise Refused(404, "no_reports")
        return Response(committee_pdf(store, period, services.today()), media_type="application/pdf")

    def export(kind: str) -> Callable[[Request], Response]:
        def answer(request: Request) -> Response:
            from kim_desk.district import exports

            if (refusal := login_required(request, services)) is not None:
                return refusal
            period = chosen_period(request, services)
            if period is None:
                raise Refused(404, "no_reports")
            data, media = {
                "de.csv": (exports.csv_german, "text/csv; charset=utf-8"),
                "ods": (exports.ods, "application/vnd.oasis.opendocument.spreadsheet"),
                "xlsx": (exports.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            }[kind]
            name = f"kim-lagebild-{period}.{kind}"
            return Response(
                data(store, [period]),
                media_type=media,
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )

        return answer

    return [
        Route("/", dashboard, methods=["GET"]),
        Route("/report-de.csv", export("de.csv"), methods=["GET"]),
        Route("/report.ods", export("ods"), methods=["GET"]),
        Route("/report.xlsx", export("xlsx"), methods=["GET"]),
        Route("/report.csv", report_csv, methods=["GET"]),
        Route("/report.pdf", report_pdf, methods=["GET"]),
    ]
