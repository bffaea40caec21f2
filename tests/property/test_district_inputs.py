"""Whatever arrives at the district service (bytes, odd JSON, mutated reports, odd query strings, cookies,
headers), the answer is a 4xx or a success, never a 500, and a refused request changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kim_desk.district.app import create_app
from kim_desk.district.http import FailureLimit
from kim_desk.district.store import DistrictStore
from kim_desk.stats.periods import Quarter
from tests.asgi import call_app
from tests.unit.test_district_app import TODAY, desk_payload

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Service:
    """One district service with one enrolled desk, shared by the examples of this module."""

    def __init__(self, folder: Path) -> None:
        self.store = DistrictStore(folder / "district.sqlite3")
        self.app = create_app(self.store, today=lambda: TODAY, failures=FailureLimit(limit=10**9))
        _desk, code = self.store.add_desk("Fuzz", "ahlen", valid_days=90)
        enrolled = self.send("POST", "/api/v1/enrol", json={"code": code}).json()
        self.token = enrolled["token"]
        self.good = desk_payload(enrolled["desk_id"], Quarter(2026, 3))

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return call_app(self.app, httpx.Request(method, "http://127.0.0.1:8765" + path, **kwargs))

    def everything(self) -> list[Any]:
        conn = self.store.conn
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()) for t in tables]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    made = Service(tmp_path_factory.mktemp("district"))
    yield made
    made.store.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)


def mutate(payload: Any, path: list[int], value: Any) -> Any:
    """Replace one value somewhere inside the report (chosen by `path`) with `value`."""
    if not path or not isinstance(payload, dict | list) or not payload:
        return value
    if isinstance(payload, dict):
        keys = sorted(payload)
        key = keys[path[0] % len(keys)]
        return {**payload, key: mutate(payload[key], path[1:], value)}
    index = path[0] % len(payload)
    return [*payload[:index], mutate(payload[index], path[1:], value), *payload[index + 1 :]]


@FAST
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_enrolment_never_fails_with_500(service: Service, body: bytes) -> None:
    before = service.everything()
    answer = service.send("POST", "/api/v1/enrol", content=body)
    assert 400 <= answer.status_code < 500, answer.text
    assert service.everything() == before


@FAST
@given(st.lists(st.integers(0, 50), max_size=7), json_values)
def test_mutated_reports_never_fail_with_500(service: Service, path: list[int], value: Any) -> None:
    body = json.dumps(mutate(service.good, path, value)).encode()
    before = service.everything()
    answer = service.send("POST", "/api/v1/reports", content=body, headers={"Authorization": f"Bearer {service.token}"})
    assert answer.status_code < 500, answer.text
    if answer.status_code >= 400:
        assert service.everything() == before


@FAST
@given(st.text(max_size=40), st.text(max_size=60), st.sampled_from(["/", "/report.csv", "/report.pdf", "/login"]))
def test_query_strings_and_cookies_never_fail_with_500(service: Service, period: str, cookie: str, path: str) -> None:
    headers = {"Cookie": "kim_session=" + cookie.encode("ascii", "ignore").decode().replace(";", "")}
    answer = service.send("GET", path, params={"period": period, "next": period}, headers=headers)
    assert answer.status_code < 500, answer.text
