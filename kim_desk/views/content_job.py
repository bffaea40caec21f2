"""Fetching the district's content pack when the desk syncs, shared by `kim-desk sync run` and the app.

Three steps as for reports: what is installed and which key is pinned (DB worker), fetch and install
(pool: network and files, no database), then use the new content (the caller, on its own thread).
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from dataclasses import dataclass

import httpx

from kim_desk import settings
from kim_desk.catalog import Catalog
from kim_desk.content.install import install_pack
from kim_desk.content.pack import MAX_PACK_BYTES, PackRefused
from kim_desk.content.state import read_state
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.store import Store
from kim_desk.sync.client import fetch_content

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContentAsk:
    token: str
    key: bytes | None
    installed: int


@dataclass(frozen=True)
class ContentResult:
    installed: int = 0  # the version installed now, 0 when nothing new was installed
    changes: tuple[str, ...] = ()
    refused: str = ""  # why a pack was not installed

    def text(self) -> str:
        if self.refused:
            return _("Inhaltspaket nicht übernommen: {reason}").format(reason=self.refused)
        if self.installed:
            return _("Neues Inhaltspaket Version {version} übernommen.").format(version=self.installed)
        return ""


def content_ask(store: Store, paths: DataPaths, token: str) -> ContentAsk:
    """Step 1 (DB worker): the pinned district key and the installed pack."""
    value = settings.get(store, "content_key")
    return ContentAsk(token, base64.b64decode(value) if value else None, read_state(paths).current)


def fetch_and_install(client: httpx.Client, paths: DataPaths, ask: ContentAsk, now: dt.datetime) -> ContentResult:
    """Step 2 (pool): fetch a newer pack and install it if it verifies; a refusal keeps the old content."""
    if ask.key is None:
        return ContentResult()  # enrolled before the district had a signing key: nothing can be trusted
    found = fetch_content(client, ask.token, ask.installed, MAX_PACK_BYTES)
    if found is None:
        return ContentResult()
    _version, blob = found
    try:
        installed = install_pack(paths, blob, ask.key, now)
    except PackRefused as refusal:
        log.warning("content_pack_refused_at_sync")
        return ContentResult(refused=str(refusal))
    return ContentResult(installed.version, installed.changes)


def content_text(paths: DataPaths, catalog: Catalog, now: dt.datetime) -> str:
    """Where the desk's content comes from, how current it is and what changed, for the Settings page."""
    from kim_desk.content.active import content_status

    status = content_status(paths, now)
    stands = sorted(t.stand for t in catalog.types.values())
    lines = [
        _(
            "Inhalte (Antragsarten, Vorlagen, Angebote, Übersetzungen): Paket des Kreises, Version {version} vom "
            "{published}, gültig bis {expires}."
        ).format(version=status.version, published=status.published, expires=status.expires)
        if status.source == "pack"
        else _("Inhalte (Antragsarten, Vorlagen, Angebote, Übersetzungen): mit dem Programm ausgeliefert."),
        _("Stand der Antragsarten: {oldest} bis {newest}.").format(
            oldest=stands[0].isoformat(), newest=stands[-1].isoformat()
        )
        if stands
        else "",
    ]
    if status.expired:
        lines.append(_("Das Paket ist abgelaufen: bitte mit dem Kreis synchronisieren."))
    lines += [_("Geändert: {change}").format(change=change) for change in status.changes]
    if status.last_refusal:
        lines.append(_("Zuletzt abgelehnt: {reason}").format(reason=status.last_refusal))
    return "\n".join(line for line in lines if line)
