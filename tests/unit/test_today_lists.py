"""Today's long lists on a desk with more rows than a list shows: the right cases, in order, with
their clients' names (the queries join the names to the rows shown only, to read fewer pages)."""

from __future__ import annotations

import datetime as dt

import pytest

from kim_desk.desk import Desk
from kim_desk.views import lists

DAY = dt.date(2026, 11, 23)


def _names(desk: Desk) -> dict[int, str]:
    return {int(r["id"]): f"{r['family_name']}, {r['given_names']}" for r in desk.store.rows("SELECT * FROM client")}


def test_stalled_cases_are_the_longest_waiting_with_their_names(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    store, names = desk.store, _names(desk)
    expected = []
    for case in store.rows('SELECT id, client_id, type_code, status FROM "case"'):
        since = store.one("SELECT max(changed_on) FROM case_status_change WHERE case_id = ?", (case["id"],))[0]
        waits = {"planned": 28, "collecting": 28, "submitted": 42, "waiting": 42}.get(case["status"])
        if waits is not None and since < (DAY - dt.timedelta(days=waits)).isoformat():
            expected.append((since, case["id"], names[case["client_id"]], case["type_code"], case["status"]))
    expected.sort()
    assert len(expected) > 6  # more than the list below shows
    monkeypatch.setattr(lists, "LIST_LIMIT", 6)
    shown = lists.stalled_cases(store, DAY)
    assert [(s.since, s.case_id, s.client_name, s.type_code, s.status) for s in shown] == expected[:6]
    assert shown[0].days == (DAY - dt.date.fromisoformat(expected[0][0])).days


def test_deadlines_are_the_earliest_with_their_names(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    store, names = desk.store, _names(desk)
    start, end = (DAY - dt.timedelta(days=lists.OVERDUE_DAYS)).isoformat(), (DAY + dt.timedelta(days=14)).isoformat()
    in_range = sorted(
        (r["deadline"], r["id"], r["client_id"])
        for r in store.rows("SELECT * FROM \"case\" WHERE status != 'closed' AND deadline IS NOT NULL")
        if start <= r["deadline"] <= end or (r["deadline_latest"] and DAY.isoformat() <= r["deadline_latest"] <= end)
    )
    assert len(in_range) > 2
    monkeypatch.setattr(lists, "LIST_LIMIT", 2)
    shown = {(d.case_id, d.client_name) for d in lists.today_overview(store, desk.catalog, DAY).deadlines if d.case_id}
    assert shown  # (expiring permits share the two places)
    assert shown <= {(case, names[client]) for _due, case, client in in_range[:2]}
