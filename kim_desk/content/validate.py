"""Every file of a pack checked with the validators the desk itself uses for its shipped content."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from kim_desk.catalog import load_catalog
from kim_desk.errors import KnownError
from kim_desk.i18n import LANGUAGES, _
from kim_desk.i18n.po import placeholder_problems
from kim_desk.resources import resource_dir
from kim_desk.services import load_services


def content_problems(root: Path) -> list[str]:
    """What is wrong with the content under `root` (forms/, translations/); empty when it is sound."""
    # imported here: the documents package pulls in reportlab, which no start needs before the window shows
    from kim_desk.documents.templates import KINDS, load_template

    problems: list[str] = []
    try:
        catalog = load_catalog(root / "forms" / "applications")
    except KnownError as exc:
        problems.extend(str(exc).splitlines())
    else:
        # cases of every shipped type exist on desks: a pack may add application types, never drop one
        shipped = load_catalog(resource_dir("forms") / "applications")
        problems.extend(
            _("forms/applications: die Antragsart „{code}“ fehlt").format(code=code)
            for code in sorted(set(shipped.types) - set(catalog.types))
        )
    if (root / "forms" / "services").is_dir():
        try:
            services = load_services(root / "forms" / "services")
        except KnownError as exc:
            problems.extend(str(exc).splitlines())
        else:  # referrals name a service by its code: a pack may add offers, never drop a shipped one
            shipped_services = load_services(resource_dir("forms") / "services")
            problems.extend(
                _("forms/services: das Angebot „{code}“ fehlt").format(code=code)
                for code in sorted(set(shipped_services) - set(services))
            )
    for kind in KINDS:
        try:
            load_template(kind, root / "forms" / "documents")
        except KnownError as exc:
            problems.append(str(exc))
    for po in sorted((root / "translations").glob("*/LC_MESSAGES/kim_desk.po")):
        lang = po.parent.parent.name
        if lang not in LANGUAGES or lang == "de":
            problems.append(_("{file}: unbekannte Sprache").format(file=po.relative_to(root)))
            continue
        try:
            with po.open("rb") as handle:
                catalogue = read_po(handle, abort_invalid=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as exc:
            problems.append(f"{po.relative_to(root)}: {exc}")
            continue
        problems.extend(f"{po.relative_to(root)}: {p}" for p in placeholder_problems(catalogue))
    return problems
