"""Schema version 1: the records of a desk."""

SCHEMA_V1 = """
CREATE TABLE client (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,              -- random, for export and erasure records
    family_name TEXT NOT NULL,             -- as in the passport / documents (Latin)
    given_names TEXT NOT NULL DEFAULT '',
    family_name_orig TEXT NOT NULL DEFAULT '',  -- in the original script
    given_names_orig TEXT NOT NULL DEFAULT '',
    birth_date TEXT,                       -- ISO date
    gender TEXT NOT NULL DEFAULT '',       -- '', 'f', 'm', 'd'
    nationality TEXT NOT NULL DEFAULT '',  -- ISO 3166 alpha-2
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    municipality TEXT NOT NULL,            -- code from taxonomy.MUNICIPALITIES
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',  -- JSON list of language codes, first = preferred
    residence_status TEXT NOT NULL DEFAULT '',
    permit_expires TEXT,                   -- ISO date of the residence title's expiry
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX client_municipality ON client(municipality);
CREATE INDEX client_permit_expires ON client(permit_expires);

CREATE TABLE household_member (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    family_name TEXT NOT NULL DEFAULT '',
    given_names TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    relation TEXT NOT NULL DEFAULT 'other'
);
CREATE INDEX household_member_client ON household_member(client_id);

CREATE TABLE "case" (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    type_code TEXT NOT NULL,               -- application type from the catalogue
    status TEXT NOT NULL DEFAULT 'planned',
    outcome TEXT,                          -- approved / partly / rejected / withdrawn
    opened_on TEXT NOT NULL,
    submitted_on TEXT,
    decided_on TEXT,
    closed_on TEXT,
    deadline TEXT,                         -- next deadline (ISO date)
    deadline_kind TEXT NOT NULL DEFAULT '',
    authority_ref TEXT NOT NULL DEFAULT '',  -- the authority's file number
    next_steps TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_client ON "case"(client_id);
CREATE INDEX case_status ON "case"(status);
CREATE INDEX case_deadline ON "case"(deadline);

CREATE TABLE case_status_change (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    changed_on TEXT NOT NULL
);
CREATE INDEX case_status_change_case ON case_status_change(case_id);

CREATE TABLE checklist_item (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    code TEXT NOT NULL,                    -- document code from the catalogue, or 'custom:N'
    label TEXT NOT NULL DEFAULT '',        -- only for custom items
    required INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'missing',
    position INTEGER NOT NULL DEFAULT 0,
    updated_on TEXT
);
CREATE INDEX checklist_item_case ON checklist_item(case_id);

CREATE TABLE appointment (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES "case"(id) ON DELETE SET NULL,
    starts_at TEXT NOT NULL,               -- ISO local date-time, minute precision
    duration_min INTEGER NOT NULL DEFAULT 30,
    place TEXT NOT NULL DEFAULT '',
    counsellor TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX appointment_starts ON appointment(starts_at);
CREATE INDEX appointment_client ON appointment(client_id);

CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES "case"(id) ON DELETE SET NULL,
    contact_on TEXT NOT NULL,              -- ISO date
    channel TEXT NOT NULL DEFAULT 'in_person',
    language TEXT NOT NULL DEFAULT 'de',   -- language the consultation was held in
    minutes INTEGER NOT NULL DEFAULT 30,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_on ON contact(contact_on);
CREATE INDEX contact_client ON contact(client_id);

CREATE TABLE barrier (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    code TEXT NOT NULL,                    -- taxonomy.BARRIERS
    noted_on TEXT NOT NULL,
    resolved_on TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX barrier_case ON barrier(case_id);

CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                      -- UTC timestamp
    actor TEXT NOT NULL,                   -- desk user id, never a client's name
    action TEXT NOT NULL,                  -- view / create / change / print / export / erase ...
    entity TEXT NOT NULL,                  -- table name
    entity_id INTEGER,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                    -- JSON
);

CREATE VIRTUAL TABLE client_search USING fts5(
    names, skeletons, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO client_search(client_search, rank) VALUES ('secure-delete', 1);
"""
