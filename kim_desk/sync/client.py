"""HTTP to the district service: URL policy, TLS, enrolment and report upload.

HTTPS with certificate verification (optionally against the organisation's own CA
bundle); plain HTTP only to the loopback interface. Proxies from the environment are
honoured (trust_env). The transport can be injected for fault tests.
"""

from __future__ import annotations

import ipaddress
import re
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kim_desk.errors import KnownError
from kim_desk.i18n import _
from kim_desk.stats.ptable import PTable, by_params
from kim_desk.taxonomy import MUNICIPALITIES

TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class SyncError(KnownError):
    """Enrolment or sending failed in a way the user can act on."""


class Retryable(Exception):
    """The service could not take the report now (down, 5xx, timeout); try again later."""


@dataclass(frozen=True)
class SendResult:
    status: str  # stored / already / refused
    http_status: int
    ptable: PTable | None = None  # the district's protection parameters, as it answered


def district_ptable(params: object) -> PTable:
    """The p-table the district asks for; this version of KIM Desk must know it."""
    table = by_params(params)
    if table is None:
        raise SyncError(
            _(
                "Der Dienst des Kreises verlangt ein Schutzverfahren, das diese Version von KIM Desk nicht kennt. "
                "Bitte KIM Desk aktualisieren; nichts wurde gespeichert."
            )
        )
    return table


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.strip().rstrip("/")
    if parts.scheme == "http" and _is_loopback(host):
        return url.strip().rstrip("/")
    if parts.scheme == "http":
        raise SyncError(
            _(
                "Unverschlüsselte Verbindungen (http://) sind nur zum eigenen Rechner erlaubt. "
                "Bitte die https://-Adresse des Kreises verwenden."
            )
        )
    raise SyncError(_("Die Adresse „{url}“ ist keine gültige https://-Adresse.").format(url=url))


def make_client(url: str, ca_bundle: str | None = None, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    base = check_url(url)
    if ca_bundle:
        if not Path(ca_bundle).is_file():
            raise SyncError(_("Die Zertifikatsdatei „{path}“ wurde nicht gefunden.").format(path=ca_bundle))
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_bundle)
    else:
        verify = True
    return httpx.Client(base_url=base, verify=verify, trust_env=True, timeout=TIMEOUT, transport=transport)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _certificate_problem(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def unreachable(error: httpx.HTTPError) -> SyncError:
    if _certificate_problem(error):
        return SyncError(
            _(
                "Das Zertifikat des Kreisdienstes ist nicht vertrauenswürdig. Falls Ihre Organisation "
                "eine eigene Zertifizierungsstelle nutzt: --ca-bundle angeben."
            )
        )
    return SyncError(_("Der Dienst des Kreises ist nicht erreichbar ({kind}).").format(kind=type(error).__name__))


def enrol(client: httpx.Client, code: str, first_period: str, app_version: str) -> dict[str, Any]:
    try:
        response = client.post(
            "/api/v1/enrol",
            json={"code": code.strip(), "first_period": first_period, "app_version": app_version},
        )
    except httpx.HTTPError as error:
        raise unreachable(error) from error
    if response.status_code in (401, 403, 404):
        raise SyncError(_("Der Anmeldecode ist ungültig oder wurde schon benutzt."))
    data = _json(response)
    if response.status_code != 200 or not {"desk_id", "token", "protection", "municipality"} <= set(data):
        raise SyncError(
            _("Der Dienst des Kreises hat die Anmeldung abgelehnt (HTTP {status}).").format(status=response.status_code)
        )
    return _checked_enrolment(data)


_TEXT_ANSWER = re.compile(r"^[A-Za-z0-9_.:\-]{1,200}$")


def _checked_enrolment(data: dict[str, Any]) -> dict[str, Any]:
    """The enrolment answer is outside input: identifiers as short plain text, a known p-table."""
    district_ptable(data["protection"])
    texts_ok = all(isinstance(data[key], str) and _TEXT_ANSWER.match(data[key]) for key in ("desk_id", "token"))
    municipality_ok = isinstance(data["municipality"], str) and data["municipality"] in MUNICIPALITIES
    first = data.get("first_period")
    first_ok = first is None or (isinstance(first, str) and re.match(r"^\d{4}Q[1-4]$", first) is not None)
    key = data.get("content_key")
    key_ok = key is None or (isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9+/]{43}=", key) is not None)
    if not (texts_ok and municipality_ok and first_ok and key_ok):
        raise SyncError(
            _("Der Dienst des Kreises hat eine unverständliche Anmeldung geschickt; nichts wurde gespeichert.")
        )
    return data


def send_report(client: httpx.Client, token: str, body: bytes) -> SendResult:
    """Upload one frozen report; Retryable for anything that may work later."""
    try:
        response = client.post(
            "/api/v1/reports",
            content=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    except httpx.TransportError as error:  # connect, timeout, dropped connection, proxy
        if _certificate_problem(error):
            raise unreachable(error) from error  # retrying will not fix a certificate
        raise Retryable(type(error).__name__) from error
    status = response.status_code
    if status in (200, 201):
        answer = _json(response)
        ptable = by_params(answer.get("protection"))
        return SendResult("already" if answer.get("status") == "already" else "stored", status, ptable)
    if status == 409:
        return SendResult("refused", status)
    if status in (401, 403):
        raise SyncError(_("Der Dienst des Kreises kennt diesen Arbeitsplatz nicht mehr. Bitte neu anmelden."))
    if status == 429 or status >= 500:
        raise Retryable(f"HTTP {status}")
    return SendResult("refused", status)


def fetch_content(client: httpx.Client, token: str, installed: int, limit: int) -> tuple[int, bytes] | None:
    """The district's newest content pack when it is newer than `installed`; read at most `limit` bytes.

    The pack is signed: this only fetches, kim_desk.content decides whether it is installed.
    """
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with client.stream("GET", "/api/v1/content", params={"installed": str(installed)}, headers=headers) as answer:
            if answer.status_code == 204:
                return None
            if answer.status_code in (401, 403):
                raise SyncError(_("Der Dienst des Kreises kennt diesen Arbeitsplatz nicht mehr. Bitte neu anmelden."))
            if answer.status_code != 200:
                raise SyncError(
                    _("Der Dienst des Kreises hat kein Inhaltspaket geliefert (HTTP {status}).").format(
                        status=answer.status_code
                    )
                )
            version = answer.headers.get("X-Content-Version", "")
            blob = bytearray()
            for chunk in answer.iter_bytes():
                blob += chunk
                if len(blob) > limit:
                    raise SyncError(_("Das Inhaltspaket des Kreises ist zu groß; es wird nicht angenommen."))
    except httpx.HTTPError as error:
        raise unreachable(error) from error
    if not version.isascii() or not version.isdigit():
        raise SyncError(_("Der Dienst des Kreises hat ein Inhaltspaket ohne Version geliefert."))
    return int(version), bytes(blob)
