"""Schema version 2: the erasure journal and the audit trail's head.

`erasure` lists clients erased or anonymised (their random uid and when; never a name), so
a restored backup can have those erasures applied again. `audit_head` holds the number of
audit events and the hash of the last one, kept by a trigger: deleting the newest events
(which leaves a valid but shorter chain) no longer goes unnoticed.
"""

SCHEMA_V2 = """
CREATE TABLE erasure (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL,                     -- client.uid of the erased client
    action TEXT NOT NULL DEFAULT 'erase',  -- erase | anonymise
    erased_at TEXT NOT NULL
);
CREATE UNIQUE INDEX erasure_uid_action ON erasure(uid, action);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    events INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, events, hash)
    SELECT 1, count(*), coalesce((SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1), printf('%.64d', 0))
    FROM audit_event;
CREATE TRIGGER audit_event_head AFTER INSERT ON audit_event
BEGIN
    UPDATE audit_head SET events = events + 1, hash = NEW.hash WHERE id = 1;
END;
"""
