"""Finding people however their name was spelled or in which script it was typed."""

from __future__ import annotations

import pytest

from kim_desk.desk import Desk
from kim_desk.store.clients import Client, create_client, delete_client, get_client, update_client
from kim_desk.store.search import search_clients

PEOPLE = [
    ("Al-Hassan", "Mohammed", "الحسن", "محمد"),
    ("Kovalenko", "Oleksandr", "Коваленко", "Олександр"),
    ("Yılmaz", "Ümit", "", ""),
    ("Tesfamariam", "Yonas", "ተስፋማርያም", "ዮናስ"),
    ("Rahimi", "Zahra", "رحیمی", "زهرا"),
    ("Schneider", "Anna", "", ""),
]


@pytest.fixture
def people(empty_desk: Desk) -> dict[str, int]:
    ids = {}
    for family, given, family_orig, given_orig in PEOPLE:
        change = create_client(
            empty_desk.store,
            Client(
                family_name=family,
                given_names=given,
                municipality="ahlen",
                family_name_orig=family_orig,
                given_names_orig=given_orig,
            ),
        )
        ids[given] = change.id
    return ids


def _found(desk: Desk, text: str) -> list[str]:
    return [get_client(desk.store, hit.client_id).given_names for hit in search_clients(desk.store, text)]


@pytest.mark.parametrize("typed", ["Mohammed", "Muhammad", "Mohamad", "mohamed", "محمد", "Moha", "al-hassan mohamad"])
def test_mohammed_in_any_spelling(empty_desk: Desk, people: dict[str, int], typed: str) -> None:
    assert _found(empty_desk, typed)[0] == "Mohammed"


@pytest.mark.parametrize(
    "typed", ["Oleksandr", "Olexandr", "Aleksandr", "Alexander", "Олександр", "Александр", "Коваленко"]
)
def test_oleksandr_in_latin_and_cyrillic(empty_desk: Desk, people: dict[str, int], typed: str) -> None:
    assert _found(empty_desk, typed)[0] == "Oleksandr"


@pytest.mark.parametrize("typed", ["Ümit", "Uemit", "Umit", "yilmaz", "Yılmaz"])
def test_turkish_and_german_umlaut_spellings(empty_desk: Desk, people: dict[str, int], typed: str) -> None:
    assert _found(empty_desk, typed)[0] == "Ümit"


def test_original_script_prefixes(empty_desk: Desk, people: dict[str, int]) -> None:
    assert _found(empty_desk, "رحی")[0] == "Zahra"
    assert _found(empty_desk, "ዮናስ")[0] == "Yonas"
    assert _found(empty_desk, "Коваль")[0] == "Oleksandr"


def test_unrelated_names_are_not_found(empty_desk: Desk, people: dict[str, int]) -> None:
    assert _found(empty_desk, "Schneider") == ["Anna"]
    assert _found(empty_desk, "Wolfgang") == []
    assert _found(empty_desk, "  ") == []
    assert _found(empty_desk, '"*) OR (') == []  # FTS syntax typed by accident is just text


def test_exact_spelling_ranks_before_variants(empty_desk: Desk) -> None:
    for given in ("Muhammad", "Mehmet", "Mohammed"):
        create_client(empty_desk.store, Client(family_name="Test", given_names=given, municipality="beckum"))
    assert _found(empty_desk, "Mohammed")[0] == "Mohammed"
    assert _found(empty_desk, "Muhammad")[0] == "Muhammad"
    assert set(_found(empty_desk, "Mohammed")) == {"Muhammad", "Mehmet", "Mohammed"}


def test_index_follows_changes_and_deletion(empty_desk: Desk, people: dict[str, int]) -> None:
    client = get_client(empty_desk.store, people["Anna"])
    client.family_name = "Schmidt"
    update_client(empty_desk.store, client)
    assert _found(empty_desk, "Schneider") == []
    assert _found(empty_desk, "Schmidt") == ["Anna"]
    delete_client(empty_desk.store, people["Anna"])
    assert _found(empty_desk, "Schmidt") == []
    rows = empty_desk.store.rows("SELECT rowid FROM client_search WHERE rowid = ?", (people["Anna"],))
    assert rows == []
