"""Local offers a counsellor can refer a client to (DESIGN.md §7), loaded and validated from forms/services/.

Public facts only: a contact detail nobody has checked stays empty in the file and is shown as
"bitte bei der Beratungsstelle erfragen" — never invented.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from kim_desk import tomlcache
from kim_desk.catalog import _Checker as Checker
from kim_desk.errors import CatalogError
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.resources import content_dir
from kim_desk.taxonomy import MUNICIPALITIES

ALL_MUNICIPALITIES = "*"
SERVICE_KINDS = {
    "counselling": N_("Beratung"),
    "language": N_("Sprache"),
    "interpreting": N_("Sprachmittlung"),
    "school": N_("Schule"),
    "work": N_("Ausbildung und Arbeit"),
    "early_childhood": N_("Frühe Kindheit und Familie"),
    "authority": N_("Behörde"),
}


class Contact(NamedTuple):
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    url: str = ""


class Service(NamedTuple):
    code: str
    title: str
    kind: str
    stand: dt.date
    provider: str
    target_group: str
    summary: str
    how_to_refer: str
    municipalities: tuple[str, ...]  # codes; ("*",) everywhere in the district
    languages: tuple[str, ...]  # languages the offer works in; empty: not known
    bring: tuple[str, ...] = ()
    contact: Contact = Contact()
    source: str = ""  # where the facts come from
    source_file: str = ""

    def offered_in(self, municipality: str) -> bool:
        return ALL_MUNICIPALITIES in self.municipalities or municipality in self.municipalities


def parse_service(data: Any, file_name: str) -> tuple[Service | None, list[str]]:
    checker = Checker(file_name)
    top = checker.table(
        data, "",
        {"code": str, "title": str, "kind": str, "stand": dt.date, "provider": str, "target_group": str,
         "summary": str, "how_to_refer": str, "municipalities": list, "source": str},
        {"languages": list, "bring": list, "contact": dict},
    )  # fmt: skip
    checker.code(top.get("code"), "code")
    if "kind" in top and top["kind"] not in SERVICE_KINDS:
        checker.problem("kind", _("muss einer von {values} sein").format(values=", ".join(SERVICE_KINDS)))
    places = top.get("municipalities", [])
    for place in places:
        if place != ALL_MUNICIPALITIES and place not in MUNICIPALITIES:
            checker.problem("municipalities", _("unbekannte Kommune „{value}“").format(value=place))
    if "municipalities" in top and not places:
        checker.problem("municipalities", _("mindestens eine Kommune oder „*“"))
    for lang in top.get("languages", []):
        if lang not in LANGUAGES:
            checker.problem("languages", _("unbekannte Sprache „{value}“").format(value=lang))
    bring = top.get("bring", [])
    if not all(isinstance(item, str) and item.strip() for item in bring):
        checker.problem("bring", _("erwartet eine Liste von Texten"))
    contact = checker.table(
        top.get("contact", {}), "contact", {}, {"name": str, "phone": str, "email": str, "address": str, "url": str}
    )
    if checker.problems:
        return None, checker.problems
    return (
        Service(
            code=top["code"],
            title=top["title"],
            kind=top["kind"],
            stand=top["stand"],
            provider=top["provider"],
            target_group=top["target_group"],
            summary=top["summary"],
            how_to_refer=top["how_to_refer"],
            municipalities=tuple(places),
            languages=tuple(top.get("languages", [])),
            bring=tuple(bring),
            contact=Contact(**contact),
            source=top["source"],
            source_file=file_name,
        ),
        [],
    )


def load_services(folder: Path | None = None) -> dict[str, Service]:
    """Every local offer by code; raise CatalogError listing every problem found."""
    folder = folder or content_dir("forms", "services")
    services: dict[str, Service] = {}
    problems: list[str] = []
    for path, data in tomlcache.parsed(sorted(folder.glob("*.toml"))):
        if isinstance(data, str):
            problems.append(f"{path.name}: {data}")
            continue
        service, errors = parse_service(data, path.name)
        problems.extend(errors)
        if service is None:
            continue
        if service.code in services:
            problems.append(
                f"{path.name}: code: "
                + _("„{code}“ ist schon in {other} vergeben").format(
                    code=service.code, other=services[service.code].source_file
                )
            )
            continue
        services[service.code] = service
    if problems:
        raise CatalogError(problems)
    return services


def services_for(services: dict[str, Service], municipality: str, language: str = "") -> list[Service]:
    """The offers open to a client of `municipality`; those working in `language` first."""
    found = [s for s in services.values() if s.offered_in(municipality)]
    return sorted(found, key=lambda s: (bool(language) and language not in s.languages, s.title))
