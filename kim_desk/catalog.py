"""The catalogue of application types, loaded and validated from forms/applications/*.toml.

German source text; translatable strings are extracted by kim_desk.i18n.extract.
Every problem is reported with its file and field, all at once.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kim_desk.errors import CatalogError
from kim_desk.i18n import _
from kim_desk.resources import resource_dir

FIELD_SOURCES = (
    "client.family_name", "client.given_names", "client.family_name_orig",
    "client.given_names_orig", "client.birth_date", "client.nationality", "client.street",
    "client.postcode", "client.city", "client.postcode_city", "client.address", "client.phone", "client.email",
    "client.residence_status", "client.permit_expires", "client.household_size",
    "client.children", "client.spouse", "case.authority_ref", "case.opened_on",
    "case.submitted_on", "desk.counsellor", "desk.organisation", "today", "",
)  # fmt: skip
FIELD_KINDS = ("text", "date", "number", "choice", "signature", "yes_no")
DEADLINE_ANCHORS = ("opened", "submitted", "decided", "permit_expires")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


@dataclass(frozen=True)
class Authority:
    name: str
    address: str = ""
    phone: str = ""
    url: str = ""


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    label: str
    hint: str = ""
    required: bool = True


@dataclass(frozen=True)
class DeadlineSpec:
    code: str
    label: str
    after: str  # one of DEADLINE_ANCHORS; negative days count back (permit expiry)
    days: int


@dataclass(frozen=True)
class FieldSpec:
    code: str
    label: str
    source: str = ""
    explain: str = ""
    kind: str = "text"
    section: str = ""


@dataclass(frozen=True)
class ApplicationType:
    code: str
    title: str
    stand: dt.date
    summary: str
    authority: Authority
    documents: tuple[DocumentSpec, ...]
    steps: tuple[str, ...]
    deadlines: tuple[DeadlineSpec, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    legal_basis: str = ""
    acroform: str = ""  # file name of an official fillable PDF in forms/official/
    source_file: str = ""

    def document(self, code: str) -> DocumentSpec | None:
        return next((doc for doc in self.documents if doc.code == code), None)


@dataclass
class Catalog:
    types: dict[str, ApplicationType] = field(default_factory=dict)

    def get(self, code: str) -> ApplicationType:
        try:
            return self.types[code]
        except KeyError:
            from kim_desk.errors import NotFound

            raise NotFound(_("Unbekannte Antragsart „{code}“.").format(code=code)) from None

    def sorted(self) -> list[ApplicationType]:
        return sorted(self.types.values(), key=lambda t: t.title)


class _Checker:
    """Collects problems with file and field instead of stopping at the first."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file_name}: {where}: {message}")

    def table(self, data: Any, where: str, required: dict[str, type], optional: dict[str, type]) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.problem(where, _("erwartet eine Tabelle"))
            return {}
        for key in data:
            if key not in required and key not in optional:
                self.problem(f"{where}.{key}" if where else key, _("unbekanntes Feld"))
        result: dict[str, Any] = {}
        for key, kind in {**required, **optional}.items():
            name = f"{where}.{key}" if where else key
            if key not in data:
                if key in required:
                    self.problem(name, _("Pflichtfeld fehlt"))
                continue
            value = data[key]
            if kind is str and isinstance(value, str) and not value.strip():
                self.problem(name, _("darf nicht leer sein"))
            elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                self.problem(name, _("falscher Typ, erwartet {kind}").format(kind=kind.__name__))
            else:
                result[key] = value
        return result

    def code(self, value: Any, where: str) -> None:
        if isinstance(value, str) and not _CODE.match(value):
            self.problem(where, _("„{value}“ ist kein gültiger Code (a-z, 0-9, _)").format(value=value))


def _items(checker: _Checker, data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        checker.problem(key, _("erwartet eine Liste"))
        return []
    return value


def parse_application_type(data: Any, file_name: str) -> tuple[ApplicationType | None, list[str]]:
    checker = _Checker(file_name)
    top = checker.table(
        data, "",
        {"code": str, "title": str, "stand": dt.date, "summary": str, "authority": dict,
         "documents": list, "steps": list},
        {"deadlines": list, "fields": list, "legal_basis": str, "acroform": str},
    )  # fmt: skip
    checker.code(top.get("code"), "code")
    authority = checker.table(
        top.get("authority", {}),
        "authority",
        {"name": str},
        {"address": str, "phone": str, "url": str},
    )
    documents = []
    for i, item in enumerate(_items(checker, top, "documents")):
        doc = checker.table(item, f"documents[{i}]", {"code": str, "label": str}, {"hint": str, "required": bool})
        checker.code(doc.get("code"), f"documents[{i}].code")
        if "code" in doc and "label" in doc:
            documents.append(DocumentSpec(**doc))
    steps = []
    for i, item in enumerate(_items(checker, top, "steps")):
        step = checker.table(item, f"steps[{i}]", {"text": str}, {})
        if "text" in step:
            steps.append(step["text"])
    deadlines = []
    for i, item in enumerate(_items(checker, top, "deadlines")):
        spec = checker.table(item, f"deadlines[{i}]", {"code": str, "label": str, "after": str, "days": int}, {})
        if spec.get("after") not in DEADLINE_ANCHORS and "after" in spec:
            checker.problem(
                f"deadlines[{i}].after",
                _("muss einer von {values} sein").format(values=", ".join(DEADLINE_ANCHORS)),
            )
        elif len(spec) == 4:
            deadlines.append(DeadlineSpec(**spec))
    fields = []
    for i, item in enumerate(_items(checker, top, "fields")):
        spec = checker.table(
            item, f"fields[{i}]", {"code": str, "label": str},
            {"source": str, "explain": str, "kind": str, "section": str},
        )  # fmt: skip
        if spec.get("source", "") not in FIELD_SOURCES:
            checker.problem(
                f"fields[{i}].source",
                _("unbekannte Datenquelle „{value}“").format(value=spec.get("source")),
            )
        elif spec.get("kind", "text") not in FIELD_KINDS:
            checker.problem(
                f"fields[{i}].kind",
                _("unbekannte Feldart „{value}“").format(value=spec.get("kind")),
            )
        elif "code" in spec and "label" in spec:
            fields.append(FieldSpec(**spec))
    for what, codes in (
        ("documents", [d.code for d in documents]),
        ("fields", [f.code for f in fields]),
    ):
        duplicates = {code for code in codes if codes.count(code) > 1}
        for code in sorted(duplicates):
            checker.problem(what, _("Code „{code}“ kommt mehrfach vor").format(code=code))
    if not documents and "documents" in top:
        checker.problem("documents", _("mindestens ein Dokument nötig"))
    if checker.problems:
        return None, checker.problems
    return (
        ApplicationType(
            code=top["code"],
            title=top["title"],
            stand=top["stand"],
            summary=top["summary"],
            authority=Authority(**authority),
            documents=tuple(documents),
            steps=tuple(steps),
            deadlines=tuple(deadlines),
            fields=tuple(fields),
            legal_basis=top.get("legal_basis", ""),
            acroform=top.get("acroform", ""),
            source_file=file_name,
        ),
        [],
    )


def load_catalog(folder: Path | None = None) -> Catalog:
    """Load every application type; raise CatalogError listing all problems found."""
    folder = folder or resource_dir("forms") / "applications"
    catalog = Catalog()
    problems: list[str] = []
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CatalogError([_("{folder}: keine Antragsarten gefunden").format(folder=folder)])
    for path in files:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        app_type, errors = parse_application_type(data, path.name)
        problems.extend(errors)
        if app_type is None:
            continue
        if app_type.code in catalog.types:
            problems.append(
                f"{path.name}: code: "
                + _("„{code}“ ist schon in {other} vergeben").format(
                    code=app_type.code, other=catalog.types[app_type.code].source_file
                )
            )
            continue
        catalog.types[app_type.code] = app_type
    if problems:
        raise CatalogError(problems)
    return catalog
