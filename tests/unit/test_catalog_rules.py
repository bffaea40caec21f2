"""The catalogue validator holds the rules of issue 21: a legal deadline names its basis, counts from a real
event, and a step that states a rule names its legal basis; the shipped catalogue says what the law says."""

from __future__ import annotations

from pathlib import Path

import pytest

from kim_desk.catalog import load_catalog
from kim_desk.errors import CatalogError

GOOD = """
code = "test_antrag"
title = "Testantrag"
stand = 2026-12-01
summary = "Zum Testen."
[authority]
name = "Testbehörde"
[[documents]]
code = "pass"
label = "Reisepass"
[[steps]]
text = "Abgeben."
"""
LEGAL = (
    '[[deadlines]]\ncode = "objection"\nlabel = "Widerspruch einlegen"\nanchor = "notice_received"\nkind = "legal"\n'
)


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "t.toml").write_text(text, "utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path)
    return caught.value.problems


def test_legal_deadline_without_basis_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD + LEGAL + "months = 1\n")
    assert problems == ["t.toml: deadlines[0].basis: eine gesetzliche Frist braucht ihre Rechtsgrundlage (§)"]
    (tmp_path / "t.toml").write_text(GOOD + LEGAL + 'months = 1\nbasis = "§ 84 SGG"\nworking_day = true\n', "utf-8")
    spec = load_catalog(tmp_path).get("test_antrag").deadlines[0]
    assert (spec.kind, spec.length.months, spec.basis, spec.working_day) == ("legal", 1, "§ 84 SGG", True)


def test_opening_a_case_is_no_legal_event_and_one_length_only(tmp_path: Path) -> None:
    text = GOOD + LEGAL.replace("notice_received", "opened") + 'days = 14\nweeks = 2\nbasis = "§ 17 BMG"\n'
    problems = _problems(tmp_path, text)
    assert "t.toml: deadlines[0]: braucht genau eine Länge: days, weeks oder months" in problems
    assert "t.toml: deadlines[0].anchor: die Eröffnung in KIM Desk ist kein rechtliches Ereignis" in problems


def test_recommendations_do_not_move_to_working_days(tmp_path: Path) -> None:
    text = GOOD + LEGAL.replace('"legal"', '"recommended"') + "weeks = -8\nworking_day = true\n"
    assert _problems(tmp_path, text) == [
        "t.toml: deadlines[0].working_day: nur eine gesetzliche Frist verschiebt sich auf den nächsten Werktag"
    ]


def test_a_code_pairs_only_a_recommended_and_a_legal_date(tmp_path: Path) -> None:
    text = GOOD + (LEGAL + 'months = 1\nbasis = "§ 84 SGG"\n') * 2
    assert any("Code „objection“" in p for p in _problems(tmp_path, text))


def test_step_stating_a_rule_needs_its_basis(tmp_path: Path) -> None:
    text = GOOD.replace("Abgeben.", "Innerhalb eines Monats Widerspruch einlegen.")
    assert _problems(tmp_path, text) == [
        "t.toml: steps[0].basis: ein Schritt, der eine Regel nennt, braucht ihre Rechtsgrundlage"
    ]


def test_shipped_catalogue_states_the_law() -> None:
    catalog = load_catalog()
    for app_type in catalog.types.values():
        assert app_type.stand.isoformat() >= "2026-12-01", app_type.code
        for spec in app_type.deadlines:
            assert spec.anchor != "opened", (app_type.code, spec.code)
            if spec.code == "objection":
                assert (spec.kind, spec.length.months, spec.working_day) == ("legal", 1, True), app_type.code
    registration = catalog.get("wohnsitz_anmeldung").deadline("registration_due")
    assert registration is not None and (registration.anchor, registration.length.weeks) == ("moved_in", 2)
    kindergeld = catalog.get("kindergeld")
    assert {s.label for s in kindergeld.deadlines if s.code == "objection"} == {"Einspruch einlegen"}
    assert "§ 355" in (kindergeld.deadline("objection") or pytest.fail()).basis
    # Kinderzuschlag is social law (BKGG): Widerspruch, not Einspruch
    assert (catalog.get("kinderzuschlag").deadline("objection") or pytest.fail()).label == "Widerspruch einlegen"
    texts = {
        code: " ".join([t.summary, *(s.text for s in t.steps), *(f.explain for f in t.fields)])
        for code, t in catalog.types.items()
    }
    assert "auf Antrag" in texts["rundfunkbeitrag_befreiung"]
    assert "rechtmäßigen Aufenthalts" in texts["einbuergerung"]
    assert "Bankkarte" not in texts["buergergeld_erstantrag"].replace("auf vielen Bankkarten", "")
    assert "Haushaltsgemeinschaft" in texts["buergergeld_erstantrag"]
    assert "§ 7 Abs. 3 SGB II" in texts["buergergeld_erstantrag"]
    assert "danach neu beantragen" not in texts["wohngeld"]
    assert "Kreis Warendorf" in texts["kinderzuschlag"]
