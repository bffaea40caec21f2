"""The catalogue of application types, loaded and validated from forms/applications/*.toml.

German source text; translatable strings are extracted by kim_desk.i18n.extract.
Every problem is reported with its file and field, all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

from kim_desk import tomlcache
from kim_desk.deadlines import ALIGNMENTS, Length
from kim_desk.errors import CatalogError
from kim_desk.i18n import _
from kim_desk.resources import content_dir

FIELD_SOURCES = (
    "client.family_name", "client.given_names", "client.family_name_orig",
    "client.given_names_orig", "client.birth_date", "client.nationality", "client.street",
    "client.postcode", "client.city", "client.postcode_city", "client.address", "client.phone", "client.email",
    "client.residence_status", "client.permit_expires", "client.household_size",
    "client.children", "client.spouse", "case.authority_ref", "case.opened_on",
    "case.submitted_on", "desk.counsellor", "desk.organisation", "today", "",
)  # fmt: skip
FIELD_KINDS = ("text", "date", "number", "choice", "signature", "yes_no")
# The event a deadline counts from. "opened" (the case was opened in KIM Desk) is no legal event:
# only an expected date may count from it.
DEADLINE_ANCHORS = (
    "moved_in", "permit_expires", "notice_received", "application_month", "period_ends",
    "submitted", "decided", "opened",
)  # fmt: skip
# legal: a limit set by law (needs its basis); recommended: advice, before the legal limit;
# expected: when a decision usually comes; retroactive: how far back a benefit is paid (law, needs a basis).
DEADLINE_KINDS = ("legal", "recommended", "expected", "retroactive")
NEEDS_BASIS = ("legal", "retroactive")
# Words by which a step states a rule (a period, a limit, a duty): such a step names its legal basis.
_RULE_WORDS = re.compile(
    r"\b(spätestens|rückwirkend|innerhalb|Frist|muss|müssen|Monate?n?|Wochen?|Jahre?n?)\b", re.IGNORECASE
)
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class Authority(NamedTuple):
    name: str
    address: str = ""
    phone: str = ""
    url: str = ""


class DocumentSpec(NamedTuple):
    code: str
    label: str
    hint: str = ""
    required: bool = True


class DeadlineSpec(NamedTuple):
    """One deadline of an application type. Entries sharing a code are one action (recommended + legal)."""

    code: str
    label: str  # what to do or what happens, German source text
    anchor: str  # one of DEADLINE_ANCHORS
    kind: str  # one of DEADLINE_KINDS
    length: Length  # negative counts back from the anchor
    basis: str = ""  # legal basis (§), required for legal and retroactive deadlines
    align: str = ""  # "", "month_start", "month_end"
    working_day: bool = False  # ends on a weekend/holiday -> next working day (only where the law says so)


class Step(NamedTuple):
    text: str
    basis: str = ""  # legal basis (§) of the rule the step states


class FieldSpec(NamedTuple):
    code: str
    label: str
    source: str = ""
    explain: str = ""
    kind: str = "text"
    section: str = ""


class ApplicationType(NamedTuple):
    code: str
    title: str
    stand: dt.date
    summary: str
    authority: Authority
    documents: tuple[DocumentSpec, ...]
    steps: tuple[Step, ...]
    deadlines: tuple[DeadlineSpec, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    legal_basis: str = ""
    acroform: str = ""  # file name of an official fillable PDF in forms/official/
    source_file: str = ""

    def document(self, code: str) -> DocumentSpec | None:
        return next((doc for doc in self.documents if doc.code == code), None)

    def deadline(self, code: str, kind: str | None = None) -> DeadlineSpec | None:
        return next((d for d in self.deadlines if d.code == code and kind in (None, d.kind)), None)


class Catalog:
    """The application types by code. A plain class: a dataclass costs ~1 ms of every start (Python 3.11 compiles
    its methods)."""

    def __init__(self, types: dict[str, ApplicationType] | None = None) -> None:
        self.types: dict[str, ApplicationType] = {} if types is None else types

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalog) and self.types == other.types

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        return f"Catalog({sorted(self.types)})"

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
        step = checker.table(item, f"steps[{i}]", {"text": str}, {"basis": str})
        if "text" in step:
            if _RULE_WORDS.search(step["text"]) and not step.get("basis"):
                checker.problem(
                    f"steps[{i}].basis", _("ein Schritt, der eine Regel nennt, braucht ihre Rechtsgrundlage")
                )
            steps.append(Step(**step))
    parsed = (_deadline(checker, item, i) for i, item in enumerate(_items(checker, top, "deadlines")))
    deadlines = [deadline for deadline in parsed if deadline is not None]
    _check_deadline_pairs(checker, deadlines)
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


def _deadline(checker: _Checker, item: Any, i: int) -> DeadlineSpec | None:
    where = f"deadlines[{i}]"
    spec = checker.table(
        item, where, {"code": str, "label": str, "anchor": str, "kind": str},
        {"days": int, "weeks": int, "months": int, "basis": str, "align": str, "working_day": bool},
    )  # fmt: skip
    checker.code(spec.get("code"), f"{where}.code")
    count = len(checker.problems)
    for key, values in (("anchor", DEADLINE_ANCHORS), ("kind", DEADLINE_KINDS), ("align", ALIGNMENTS)):
        if key in spec and spec[key] not in values:
            checker.problem(
                f"{where}.{key}", _("muss einer von {values} sein").format(values=", ".join(v for v in values if v))
            )
    units = [unit for unit in ("days", "weeks", "months") if unit in spec]
    if len(units) != 1:
        checker.problem(where, _("braucht genau eine Länge: days, weeks oder months"))
    kind = spec.get("kind")
    if kind in NEEDS_BASIS and not spec.get("basis"):
        checker.problem(f"{where}.basis", _("eine gesetzliche Frist braucht ihre Rechtsgrundlage (§)"))
    if spec.get("working_day") and kind != "legal":
        checker.problem(
            f"{where}.working_day", _("nur eine gesetzliche Frist verschiebt sich auf den nächsten Werktag")
        )
    if spec.get("anchor") == "opened" and kind != "expected":
        checker.problem(f"{where}.anchor", _("die Eröffnung in KIM Desk ist kein rechtliches Ereignis"))
    if len(checker.problems) > count or not {"code", "label", "anchor", "kind"} <= spec.keys():
        return None
    return DeadlineSpec(
        code=spec["code"],
        label=spec["label"],
        anchor=spec["anchor"],
        kind=spec["kind"],
        length=Length(**{units[0]: spec[units[0]]}),
        basis=spec.get("basis", ""),
        align=spec.get("align", ""),
        working_day=spec.get("working_day", False),
    )


def _check_deadline_pairs(checker: _Checker, deadlines: list[DeadlineSpec]) -> None:
    """One code: one deadline, or a recommended and a legal date of the same action from the same event."""
    by_code: dict[str, list[DeadlineSpec]] = {}
    for spec in deadlines:
        by_code.setdefault(spec.code, []).append(spec)
    for code, specs in by_code.items():
        kinds = sorted(spec.kind for spec in specs)
        if len(specs) > 1 and (kinds != ["legal", "recommended"] or len({(s.label, s.anchor) for s in specs}) > 1):
            checker.problem(
                "deadlines",
                _("Code „{code}“: mehrfach nur als empfohlene und gesetzliche Frist desselben Ereignisses").format(
                    code=code
                ),
            )


def load_catalog(folder: Path | None = None) -> Catalog:
    """Load every application type; raise CatalogError listing all problems found."""
    folder = folder or content_dir("forms", "applications")
    catalog = Catalog()
    problems: list[str] = []
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise CatalogError([_("{folder}: keine Antragsarten gefunden").format(folder=folder)])
    for path, data in tomlcache.parsed(files):
        if isinstance(data, str):
            problems.append(f"{path.name}: {data}")
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
