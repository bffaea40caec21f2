"""The real catalogues in translations/ and how the sources use `_`."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.support import Translations

from kim_desk.i18n import LANGUAGES, SOURCE_LANGUAGE
from kim_desk.i18n.po import (
    TEMPLATE_NAME,
    catalogue_languages,
    compile_catalogue,
    is_translated,
    messages,
    placeholder_problems,
    po_path,
    read_catalogue,
)
from kim_desk.i18n.status import COMPLETE_CONTENT, COMPLETE_UI, catalogue_status, is_content, is_ui

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGS = catalogue_languages(TRANSLATIONS)
TRANSLATING_CALLS = {"_", "N_", "ngettext", "pgettext"}


def test_every_language_except_german_has_a_catalogue() -> None:
    assert set(LANGS) == set(LANGUAGES) - {SOURCE_LANGUAGE}
    assert set(COMPLETE_UI) <= set(LANGS)
    assert set(COMPLETE_CONTENT) <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_the_source(lang: str) -> None:
    assert placeholder_problems(read_catalogue(po_path(TRANSLATIONS, lang))) == []


@pytest.mark.parametrize("lang", sorted(set(COMPLETE_UI) | set(COMPLETE_CONTENT)))
def test_complete_catalogues_translate_every_message(lang: str) -> None:
    template = read_catalogue(TRANSLATIONS / TEMPLATE_NAME)
    catalog = read_catalogue(po_path(TRANSLATIONS, lang))
    missing = []
    for message in messages(template):
        needed = (lang in COMPLETE_UI and is_ui(message)) or (lang in COMPLETE_CONTENT and is_content(message))
        found = catalog.get(message.id, context=message.context)
        if needed and (found is None or not is_translated(found)):
            missing.append(message.id)
    assert missing == []


def test_status_figures_of_complete_languages_are_full() -> None:
    rows = {row.code: row for row in catalogue_status(TRANSLATIONS)}
    assert rows["de"].ui_total > 100 and rows["de"].content_total > 100
    for lang in COMPLETE_UI:
        assert rows[lang].ui_translated == rows[lang].ui_total
    for lang in COMPLETE_CONTENT:
        assert rows[lang].content_translated == rows[lang].content_total


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian package gettext) is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_compiles_without_warnings(lang: str, tmp_path: Path) -> None:
    done = subprocess.run(
        ["msgfmt", "--check", "--output-file", str(tmp_path / "out.mo"), str(po_path(TRANSLATIONS, lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("lang", sorted(set(COMPLETE_UI) | set(COMPLETE_CONTENT)))
def test_babel_compiled_catalogue_translates(lang: str, tmp_path: Path) -> None:
    folder = tmp_path / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    compile_catalogue(po_path(TRANSLATIONS, lang), folder / "kim_desk.mo")
    loaded = Translations.load(str(tmp_path), [lang], "kim_desk")
    catalog = read_catalogue(po_path(TRANSLATIONS, lang))
    sample = next(message for message in messages(catalog) if is_translated(message) and isinstance(message.id, str))
    assert loaded.gettext(sample.id) == sample.string


def misuses(source: str) -> list[str]:
    """`_()` with an f-string or a formatted argument, and translation calls run at import time."""
    found: list[str] = []

    class Visitor(ast.NodeVisitor):
        depth = 0

        def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
            # decorators and default values run at import time; the body does not
            for outer in [*getattr(node, "decorator_list", []), *node.args.defaults, *node.args.kw_defaults]:
                if outer is not None:
                    self.visit(outer)
            self.depth += 1
            for inner in node.body if isinstance(node.body, list) else [node.body]:
                self.visit(inner)
            self.depth -= 1

        visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

        def visit_Call(self, node: ast.Call) -> None:
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name in TRANSLATING_CALLS:
                for argument in node.args:
                    formatted = isinstance(argument, (ast.JoinedStr, ast.BinOp)) or (
                        isinstance(argument, ast.Call)
                        and isinstance(argument.func, ast.Attribute)
                        and argument.func.attr == "format"
                    )
                    if formatted:
                        found.append(f"line {node.lineno}: {name}() with a formatted argument")
                if name != "N_" and self.depth == 0:
                    found.append(f"line {node.lineno}: {name}() at import time")
            self.generic_visit(node)

    Visitor().visit(ast.parse(source))
    return found


def test_misuse_finder_sees_what_it_must() -> None:
    source = (
        "TITLE = _('Titel')\n"
        "OK = N_('Gut')\n"
        "class A:\n    label = _('Klasse')\n"
        "def f(x=_('Vorgabe')):\n    return _(f'Hallo {x}') + _('Hallo {x}').format(x=x) + _('a %s' % x)\n"
        "def g():\n    return _('Fein {x}').format(x=1)\n"
    )
    assert misuses(source) == [
        "line 1: _() at import time",
        "line 4: _() at import time",
        "line 5: _() at import time",
        "line 6: _() with a formatted argument",
        "line 6: _() with a formatted argument",
    ]


def test_sources_never_translate_formatted_text_or_at_import_time() -> None:
    problems = []
    for path in sorted((ROOT / "kim_desk").rglob("*.py")):
        problems += [f"{path.relative_to(ROOT)} {problem}" for problem in misuses(path.read_text("utf-8"))]
    assert problems == []
