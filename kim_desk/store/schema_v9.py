"""Schema version 9: referrals to local offers, unmet needs, language-mediator requests (DESIGN.md §7)."""

SCHEMA_V9 = """
CREATE TABLE referral (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES "case"(id) ON DELETE SET NULL,
    service_code TEXT NOT NULL,
    referred_on TEXT NOT NULL,             -- ISO date
    outcome TEXT NOT NULL DEFAULT 'open',  -- taxonomy.REFERRAL_OUTCOMES
    outcome_on TEXT,                       -- ISO date of the answer
    notes TEXT NOT NULL DEFAULT ''         -- stays on the desk
);
CREATE INDEX referral_client ON referral(client_id);
CREATE INDEX referral_report ON referral(referred_on, service_code, outcome);
CREATE TABLE unmet_need (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,
    category TEXT NOT NULL,                -- taxonomy.UNMET_NEEDS
    noted_on TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''         -- stays on the desk
);
CREATE INDEX unmet_need_client ON unmet_need(client_id);
CREATE INDEX unmet_need_report ON unmet_need(noted_on, category);
CREATE TABLE mediator_request (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL UNIQUE REFERENCES appointment(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT 'requested',  -- taxonomy.MEDIATOR_RESULTS
    requested_on TEXT NOT NULL
);
CREATE INDEX mediator_request_report ON mediator_request(requested_on, language, result);
"""
