"""Schema version 4: the sync tables (enrolment state, the outbox of frozen reports, the journal).

Before this version the sync code created them on demand, so a desk that has sent before
already holds them: IF NOT EXISTS keeps those rows, and the columns are the same. The
status-history index of version 3 is made again where an early version-3 build left it out.
"""

SCHEMA_V4 = """
CREATE TABLE IF NOT EXISTS sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                    -- JSON
);
CREATE TABLE IF NOT EXISTS sync_outbox (
    report_id TEXT PRIMARY KEY,
    period TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,                 -- canonical JSON, frozen: never rebuilt
    content_hash TEXT NOT NULL,
    watermarks TEXT NOT NULL,              -- JSON {table: last id counted}
    state TEXT NOT NULL DEFAULT 'queued',  -- queued / sent / refused
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    queued_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS sync_journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    report_id TEXT NOT NULL,
    event TEXT NOT NULL,                   -- queued / sent / already / refused / error
    content_hash TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS case_status_change_timeline ON case_status_change(case_id, changed_on, id, status);
"""
