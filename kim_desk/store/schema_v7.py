"""Schema version 7: the events deadlines count from, and the legal limit beside the next date.

A case records when the client moved in (registration, § 17 BMG), when the notice arrived
(objection periods) and when the approval period ends (renewals); the permit's expiry stays on
the client. `deadline` is the next date to act on (a recommendation where there is one),
`deadline_latest` the legal limit of the same action, so Today lists a case until that passes.

Stored deadlines of open cases are brought to the new rules: the permit renewal gets the expiry
as its legal limit, objections run one month (§§ 187 ff. BGB, moved off weekends and holidays)
instead of 30 days, and dates that counted from the opening of the case in KIM Desk (registration,
retroactive months) are removed rather than kept wrong: they come back once the event is entered.
"""

from __future__ import annotations

import datetime as dt

from kim_desk.deadlines import Length, due_date
from kim_desk.store.connection import Connection, split_sql

SCHEMA_V7 = """
ALTER TABLE "case" ADD COLUMN moved_in_on TEXT;         -- ISO date the client moved in
ALTER TABLE "case" ADD COLUMN notice_received_on TEXT;  -- ISO date the notice (Bescheid) arrived
ALTER TABLE "case" ADD COLUMN period_ends_on TEXT;      -- ISO date the approval period ends
ALTER TABLE "case" ADD COLUMN deadline_latest TEXT;     -- legal limit of the next deadline (ISO date)
CREATE INDEX case_deadline_latest ON "case"(deadline_latest);
UPDATE "case" SET deadline_kind = 'apply',
    deadline_latest = (SELECT permit_expires FROM client k WHERE k.id = "case".client_id)
    WHERE type_code = 'aufenthaltstitel_verlaengerung' AND deadline_kind IN ('apply_before_expiry', 'permit_expiry');
UPDATE "case" SET deadline = NULL, deadline_kind = ''
    WHERE deadline_kind = 'retroactive_limit'
    OR (type_code = 'wohnsitz_anmeldung' AND deadline_kind = 'registration_due');
"""


def migrate_v7(conn: Connection) -> None:
    for statement in split_sql(SCHEMA_V7):
        conn.execute(statement)
    rows = conn.execute(
        """SELECT id, decided_on FROM "case" WHERE deadline_kind = 'objection' AND decided_on IS NOT NULL"""
    ).fetchall()
    for case_id, decided_on in rows:
        due = due_date(dt.date.fromisoformat(decided_on[:10]), Length(months=1), working_day=True).isoformat()
        conn.execute('UPDATE "case" SET deadline = ?, deadline_latest = ? WHERE id = ?', (due, due, case_id))
