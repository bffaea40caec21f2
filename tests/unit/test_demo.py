"""Demo data is realistic and deterministic."""

from __future__ import annotations

from kim_desk import demo
from kim_desk.desk import Desk
from kim_desk.taxonomy import MUNICIPALITIES


def _snapshot(desk: Desk) -> list[tuple[object, ...]]:
    return [
        tuple(r)
        for r in desk.store.rows(
            "SELECT family_name, given_names, family_name_orig, birth_date, municipality FROM client ORDER BY id"
        )
    ]


def test_same_seed_same_people(empty_desk: Desk, desk: Desk) -> None:
    demo.generate(empty_desk.store, empty_desk.catalog, clients=60)
    assert _snapshot(empty_desk) == _snapshot(desk)


def test_demo_covers_the_district(desk: Desk) -> None:
    municipalities = {r[0] for r in desk.store.rows("SELECT DISTINCT municipality FROM client")}
    assert municipalities <= set(MUNICIPALITIES) and len(municipalities) >= 8
    types = {r[0] for r in desk.store.rows('SELECT DISTINCT type_code FROM "case"')}
    assert types <= set(desk.catalog.types) and len(types) >= 6
    assert desk.store.one("SELECT count(*) FROM checklist_item")[0] > 0
    assert desk.store.one("SELECT count(*) FROM contact")[0] >= 60
