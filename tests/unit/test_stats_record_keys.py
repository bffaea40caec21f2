"""Record keys (schema v5): every counted record has one, old records got one, none leaves the desk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kim_desk.store import migrations
from kim_desk.store.connection import connect
from kim_desk.store.contacts import Contact, record_contact

KEYED = ("client", '"case"', "contact", "barrier")


def keys(conn, table: str) -> list[int | None]:  # type: ignore[no-untyped-def]
    return [row[0] for row in conn.execute(f"SELECT ckey FROM {table} ORDER BY id")]


def test_migration_gives_existing_records_a_key_and_new_ones_get_theirs(tmp_path: Path) -> None:
    conn = connect(tmp_path / "v3.db", b"\x05" * 32, create=True)
    assert migrations.migrate(conn, target=3) == [1, 2, 3]
    conn.execute(
        "INSERT INTO client (id, uid, family_name, municipality, created_at, updated_at)"
        " VALUES (1, 'u1', 'X', 'ahlen', 'x', 'x')"
    )
    conn.execute(
        'INSERT INTO "case" (id, client_id, type_code, opened_on, created_at, updated_at)'
        " VALUES (1, 1, 'wohngeld', '2026-07-01', 'x', 'x')"
    )
    for _ in range(3):
        conn.execute("INSERT INTO contact (client_id, contact_on) VALUES (1, '2026-07-02')")
    conn.execute("INSERT INTO barrier (case_id, code, noted_on) VALUES (1, 'costs', '2026-07-03')")
    assert 5 in [version for version, _step in migrations.MIGRATIONS]
    assert migrations.migrate(conn) == [v for v, _s in migrations.MIGRATIONS if v > 3]
    for table in KEYED:
        assert all(key is not None and 0 <= key < 2**32 for key in keys(conn, table)), table
    before = keys(conn, "contact")
    conn.execute("INSERT INTO contact (client_id, contact_on) VALUES (1, '2026-07-04')")
    conn.execute("INSERT INTO contact (client_id, contact_on, ckey) VALUES (1, '2026-07-05', 7)")
    after = keys(conn, "contact")
    assert after[:3] == before  # a key, once given, never changes
    assert after[3] is not None and 0 <= after[3] < 2**32 and after[4] == 7
    assert len(set(after)) == 5
    conn.close()


def test_records_made_by_the_desk_have_keys(desk) -> None:  # type: ignore[no-untyped-def]
    conn = desk.store.conn
    client_id = conn.execute("SELECT MIN(id) FROM client").fetchone()[0]
    with desk.store.transaction():
        record_contact(desk.store, Contact(id=None, client_id=client_id, contact_on=dt.date(2026, 11, 20)))
    for table in KEYED:
        found = keys(conn, table)
        assert found and all(key is not None and 0 <= key < 2**32 for key in found), table
        assert len(set(found)) >= len(found) - 1  # random 32-bit keys: a clash is very rare


def test_keys_are_not_in_the_report(desk) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.stats.payload import canonical_json
    from kim_desk.stats.periods import Quarter
    from kim_desk.sync.service import preview

    body = canonical_json(preview(desk.store, Quarter(2026, 3), None)).decode()
    for table in KEYED:
        for key in keys(desk.store.conn, table)[:50]:
            assert f":{key}" not in body and f"[{key}" not in body and f",{key}" not in body


def test_a_client_export_leaves_the_record_keys_out(desk) -> None:  # type: ignore[no-untyped-def]
    import json

    from kim_desk.privacy.export import collect
    from kim_desk.store.cases import get_case

    conn = desk.store.conn
    case_id, client_id = conn.execute('SELECT id, client_id FROM "case" ORDER BY id LIMIT 1').fetchone()
    assert get_case(desk.store, case_id).id == case_id  # reading a case ignores its key
    exported = json.dumps(collect(desk.store, client_id), default=str)
    assert '"ckey"' not in exported
    for table in KEYED:
        for (key,) in conn.execute(f"SELECT ckey FROM {table} WHERE ckey >= 1000000"):
            assert str(key) not in exported


REFERRAL_KEYED = ("referral", "unmet_need", "mediator_request")


def test_migration_v10_keys_existing_referrals_needs_and_requests_and_new_ones_get_theirs(tmp_path: Path) -> None:
    conn = connect(tmp_path / "v9.db", b"\x06" * 32, create=True)
    assert migrations.migrate(conn, target=9)[-1] == 9
    conn.execute(
        "INSERT INTO client (id, uid, family_name, municipality, created_at, updated_at)"
        " VALUES (1, 'u1', 'X', 'ahlen', 'x', 'x')"
    )
    conn.execute(
        "INSERT INTO appointment (id, client_id, starts_at, created_at, updated_at) VALUES (1, 1, 'x', 'x', 'x')"
    )
    conn.execute(
        "INSERT INTO appointment (id, client_id, starts_at, created_at, updated_at) VALUES (2, 1, 'x', 'x', 'x')"
    )
    for _ in range(2):
        conn.execute("INSERT INTO referral (client_id, service_code, referred_on) VALUES (1, 'fit', '2026-07-01')")
        conn.execute("INSERT INTO unmet_need (client_id, category, noted_on) VALUES (1, 'housing', '2026-07-01')")
    conn.execute("INSERT INTO mediator_request (appointment_id, language, requested_on) VALUES (1, 'ar', '2026-07-01')")
    assert next(v for v, _s in migrations.MIGRATIONS if v > 9) == 10
    assert migrations.migrate(conn, target=10) == [10]
    for table in REFERRAL_KEYED:
        found = keys(conn, table)
        assert found and all(key is not None and 0 <= key < 2**32 for key in found), table
    before = {table: keys(conn, table) for table in REFERRAL_KEYED}
    conn.execute("INSERT INTO referral (client_id, service_code, referred_on) VALUES (1, 'mbe', '2026-07-02')")
    conn.execute("INSERT INTO unmet_need (client_id, category, noted_on, ckey) VALUES (1, 'housing', '2026-07-02', 9)")
    conn.execute("INSERT INTO mediator_request (appointment_id, language, requested_on) VALUES (2, 'fa', '2026-07-02')")
    for table in REFERRAL_KEYED:
        after = keys(conn, table)
        assert after[: len(before[table])] == before[table]  # a key, once given, never changes
        assert after[-1] is not None and 0 <= after[-1] < 2**32
    assert keys(conn, "unmet_need")[-1] == 9
    conn.close()
