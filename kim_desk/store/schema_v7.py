"""Schema version 7: the events deadlines count from, and the legal limit beside the next date.

A case records when the client moved in (registration, § 17 BMG), when the notice arrived
(objection periods) and when the approval period ends (renewals); the permit's expiry stays on
the client. `deadline` is the next date to act on (a recommendation where there is one),
`deadline_latest` the legal limit of the same action, so Today lists a case until that passes.
"""

SCHEMA_V7 = """
ALTER TABLE "case" ADD COLUMN moved_in_on TEXT;         -- ISO date the client moved in
ALTER TABLE "case" ADD COLUMN notice_received_on TEXT;  -- ISO date the notice (Bescheid) arrived
ALTER TABLE "case" ADD COLUMN period_ends_on TEXT;      -- ISO date the approval period ends
ALTER TABLE "case" ADD COLUMN deadline_latest TEXT;     -- legal limit of the next deadline (ISO date)
CREATE INDEX case_deadline_latest ON "case"(deadline_latest);
"""
