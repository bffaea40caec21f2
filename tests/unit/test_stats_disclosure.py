"""Suppression on small tables whose answer can be worked out by hand."""

from __future__ import annotations

from kim_desk.district.picture import protected_picture
from kim_desk.stats.disclosure import System, exposed_cells, interval_bounds, protect


def published(system: System, suppressed: set) -> dict:
    return {cell: (None if cell in suppressed else value) for cell, value in system.values.items()}


def test_a_lone_small_cell_gets_a_complement_in_its_row_and_column() -> None:
    system = System()
    counts = {("a", "x"): 3, ("a", "y"): 20, ("b", "x"): 12, ("b", "y"): 30}
    system.add_cube("t", [["a", "b"], ["x", "y"]], counts)
    suppressed = protect(system, k=5)
    # 3 is suppressed; row a, column x and the 2x2 structure force all four inner cells.
    assert {cell for cell in suppressed if "*" not in cell[1]} == {
        ("t", ("a", "x")),
        ("t", ("a", "y")),
        ("t", ("b", "x")),
        ("t", ("b", "y")),
    }
    bounds = interval_bounds(published(system, suppressed), system.relations)
    assert exposed_cells(bounds, 5) == []
    assert bounds[("t", ("a", "x"))][1] >= 5


def test_a_small_margin_is_suppressed_too() -> None:
    system = System()
    system.add_cube("t", [["a", "b"], ["x", "y"]], {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 50, ("b", "y"): 40})
    suppressed = protect(system, k=5)
    assert ("t", ("a", "*")) in suppressed
    assert exposed_cells(interval_bounds(published(system, suppressed), system.relations), 5) == []


def test_nothing_small_means_nothing_suppressed() -> None:
    system = System()
    system.add_cube("t", [["a", "b"], ["x", "y"]], {("a", "x"): 0, ("a", "y"): 9, ("b", "x"): 5, ("b", "y"): 7})
    assert protect(system, k=5) == set()


def test_merging_desks_is_protected_again() -> None:
    # Desk A suppressed (ahlen, phone); desk B published the rest of Ahlen's row: 13 - 10 = 3.
    merged = {
        ("contacts_by_channel", ("ahlen", "phone")): None,
        ("contacts_by_channel", ("ahlen", "email")): 10,
        ("contacts_by_channel", ("ahlen", "*")): 13,
        ("contacts_by_channel", ("*", "phone")): None,
        ("contacts_by_channel", ("*", "email")): 10,
        ("contacts_by_channel", ("*", "*")): 13,
        ("contacts_by_language_group", ("ahlen", "ar")): 13,
        ("contacts_by_language_group", ("ahlen", "*")): 13,
        ("contacts_by_language_group", ("*", "ar")): 13,
        ("contacts_by_language_group", ("*", "*")): 13,
    }
    figures = protected_picture(merged, k=5)
    assert figures[("contacts_by_channel", ("ahlen", "phone"))] is None
    hidden = {cell for cell, value in figures.items() if value is None}
    assert len(hidden) > 2
    from kim_desk.district.picture import TABLES  # noqa: F401 - the same tables as the desks'

    system_relations = []
    # Rebuild the relations the published district tables imply and audit them.
    from kim_desk.stats.disclosure import add_cube

    probe = System()
    for name in ("contacts_by_channel", "contacts_by_language_group"):
        dims = {1: sorted({key[1] for (t, key) in figures if t == name and key[1] != "*"})}
        add_cube(probe, name, [["ahlen"], dims[1]], {})
    probe.link(("contacts_by_language_group", ("ahlen", "*")), ("contacts_by_channel", ("ahlen", "*")))
    probe.link(("contacts_by_language_group", ("*", "*")), ("contacts_by_channel", ("*", "*")))
    system_relations = probe.relations
    shown = {cell: figures.get(cell, 0) for cell in probe.values}
    assert exposed_cells(interval_bounds(shown, system_relations), 5) == []
