"""What changed between two content snapshots, in words a counsellor reads ("Kindergeld: Fristen geändert")."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kim_desk.catalog import Catalog, load_catalog
from kim_desk.errors import KnownError
from kim_desk.i18n import LANGUAGES, N_, _
from kim_desk.resources import resource_dir

# Fields of an application type a counsellor cares about, by name; any other field counts as "Texte".
_FIELD_WORDS = {
    "deadlines": N_("Fristen"),
    "documents": N_("Unterlagen"),
    "steps": N_("Schritte"),
    "authority": N_("zuständige Stelle"),
    "fields": N_("Formularfelder"),
    "legal_basis": N_("Rechtsgrundlage"),
    "stand": N_("Stand"),
}
_IGNORED = {"source_file", "code"}


def _catalog(root: Path | None) -> Catalog | None:
    folder = (root / "forms" if root else resource_dir("forms")) / "applications"
    try:
        return load_catalog(folder)
    except KnownError:
        return None


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def describe_changes(old_root: Path | None, new_root: Path) -> tuple[str, ...]:
    """Lines in German; `old_root` None means the content shipped with the app."""
    lines: list[str] = []
    old, new = _catalog(old_root), _catalog(new_root)
    if old is not None and new is not None:
        for code in sorted(set(old.types) | set(new.types)):
            before, after = old.types.get(code), new.types.get(code)
            if before is None and after is not None:
                lines.append(_("Neue Antragsart: {title}").format(title=after.title))
            elif after is None and before is not None:
                lines.append(_("Antragsart entfernt: {title}").format(title=before.title))
            elif before is not None and after is not None and before != after:
                changed = []
                for name in after._fields:
                    if name in _IGNORED or getattr(before, name, None) == getattr(after, name):
                        continue
                    word = _(_FIELD_WORDS.get(name, N_("Texte")))
                    if word not in changed:
                        changed.append(word)
                if changed:
                    lines.append(_("{title}: {what} geändert").format(title=after.title, what=", ".join(changed)))
    old_forms = old_root / "forms" if old_root else resource_dir("forms")
    for template in sorted((new_root / "forms" / "documents").glob("*.toml")):
        if _digest(template) != _digest(old_forms / "documents" / template.name):
            lines.append(_("Vorlage „{name}“ geändert").format(name=template.stem))
    old_translations = old_root / "translations" if old_root else resource_dir("translations")
    for po in sorted((new_root / "translations").glob("*/LC_MESSAGES/kim_desk.po")):
        lang = po.parent.parent.name
        if _digest(po) != _digest(old_translations / lang / "LC_MESSAGES" / "kim_desk.po"):
            name = LANGUAGES[lang].german_name if lang in LANGUAGES else lang
            lines.append(_("Übersetzung {language} aktualisiert").format(language=name))
    return tuple(lines)
