"""Spelling- and script-tolerant client search on an FTS5 index of name keys."""

from __future__ import annotations

from typing import NamedTuple

from kim_desk.names import index_terms, query_terms
from kim_desk.store import Store

CANDIDATES = 200


def reindex_client(store: Store, client_id: int) -> None:
    row = store.one(
        "SELECT family_name, given_names, family_name_orig, given_names_orig FROM client WHERE id = ?",
        (client_id,),
    )
    store.conn.execute("DELETE FROM client_search WHERE rowid = ?", (client_id,))
    if row is None:
        return
    names, skeletons = index_terms(*row)
    store.conn.execute(
        "INSERT INTO client_search (rowid, names, skeletons) VALUES (?, ?, ?)",
        (client_id, names, skeletons),
    )


def unindex_client(store: Store, client_id: int) -> None:
    store.conn.execute("DELETE FROM client_search WHERE rowid = ?", (client_id,))


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for typed text, or None when nothing can be searched."""
    return _match(query_terms(text))


def _match(terms: list[tuple[str, set[str]]]) -> str | None:
    groups = []
    for token, skeletons in terms:
        options = [f"names : {_quote(token)}*"]
        # a one-letter skeleton would match half the district
        options += [f"skeletons : {_quote(skel)}*" for skel in sorted(skeletons) if len(skel) > 1]
        groups.append("(" + " OR ".join(options) + ")")
    return " AND ".join(groups) if groups else None


class Hit(NamedTuple):
    client_id: int
    score: float


def _closeness(token: str, word: str) -> float:
    """Share of the longer word that the typed token and the word have in common at the start."""
    common = 0
    for a, b in zip(token, word, strict=False):
        if a != b:
            break
        common += 1
    return common / max(len(token), len(word))


def _score(terms: list[tuple[str, set[str]]], names: str, skeletons: str) -> float:
    words = names.split()
    skels = set(skeletons.split())
    total = 0.0
    for token, token_skels in terms:
        best = 0.0
        if token in words:
            best = 4.0
        elif any(word.startswith(token) for word in words):
            best = 3.0
        elif token_skels & skels:
            best = 2.0
        elif any(s.startswith(q) for s in skels for q in token_skels if len(q) > 1):
            best = 1.0
        # among equal matches, the spelling closest to what was typed comes first
        total += best + max((_closeness(token, word) for word in words), default=0.0)
    return total


def search_clients(store: Store, text: str, limit: int = 50) -> list[Hit]:
    """Clients whose names match `text` in any spelling or script, best first."""
    terms = query_terms(text)  # transliterated once per keystroke
    query = _match(terms)
    if query is None:
        return []
    # One typed letter matches a large share of the district; ranking all of them with bm25 costs
    # tens of milliseconds per keystroke and says little, so such a query browses in index order.
    browse = all(len(token) < 2 for token, _skeletons in terms)
    order = "rowid" if browse else "bm25(client_search, 10.0, 1.0)"
    rows = store.rows(
        f"SELECT rowid, names, skeletons FROM client_search WHERE client_search MATCH ? ORDER BY {order} LIMIT ?",
        (query, CANDIDATES),
    )
    hits = [Hit(int(row[0]), _score(terms, row[1], row[2])) for row in rows]
    hits.sort(key=lambda hit: -hit.score)  # stable: bm25 order breaks ties
    return hits[:limit]
