"""What the district service answers is outside input: any status and any body give a result
or one clear KnownError, never a crash, and a bad enrolment answer stores nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kim_desk.errors import KnownError
from kim_desk.stats.ptable import STANDARD
from kim_desk.store import Store
from kim_desk.store.schema_v4 import SCHEMA_V4
from kim_desk.sync import service
from kim_desk.sync.client import Retryable, SendResult, enrol, send_report

FAST = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
enrol_answers = st.fixed_dictionaries(
    {
        "desk_id": json_values,
        "token": json_values,
        "protection": json_values | st.just(STANDARD.params()),
        "municipality": json_values,
    },
    optional={"first_period": json_values},
)
bodies = st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()))
statuses = st.sampled_from([200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503])


def _client(status: int, body: bytes) -> httpx.Client:
    return httpx.Client(
        base_url="http://127.0.0.1:9", transport=httpx.MockTransport(lambda _r: httpx.Response(status, content=body))
    )


@FAST
@given(statuses, bodies)
def test_any_answer_to_a_report_is_a_result_or_a_clear_error(status: int, body: bytes) -> None:
    with _client(status, body) as client:
        try:
            result = send_report(client, "token", b"{}")
        except (KnownError, Retryable):
            return
    assert isinstance(result, SendResult) and result.status in {"stored", "already", "refused"}


@FAST
@given(statuses, bodies)
def test_any_answer_to_an_enrolment_is_data_or_a_clear_error(status: int, body: bytes) -> None:
    with _client(status, body) as client:
        try:
            data = enrol(client, "CODE", "2026Q3", "0.1.0")
        except KnownError:
            return
    assert {"desk_id", "token", "protection", "municipality"} <= set(data)


@FAST
@given(enrol_answers)
@example({"desk_id": "desk-7", "token": "tok_abc-123", "protection": STANDARD.params(), "municipality": "ahlen"})
def test_a_strange_enrolment_answer_is_refused_and_stores_nothing(answer: dict[str, Any]) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript("CREATE TABLE contact (contact_on TEXT); CREATE TABLE case_status_change "
                       "(id, case_id, changed_on, status);" + SCHEMA_V4)  # fmt: skip
    store = Store(conn, Path(":memory:"))
    body = json.dumps(answer).encode()
    with _client(200, body) as client:
        try:
            done = service.enrol_desk(store, client, "http://127.0.0.1:9", "CODE", dt.date(2026, 11, 23))
        except KnownError:
            assert service.enrolment(store) is None
            return
    assert done.ptable == STANDARD.id and done.perturbation() is STANDARD
    assert done.desk_id and done.token and done.municipality
