"""Schema version 3: indexes for the quarterly report (contacts and status history read from indexes alone)."""

SCHEMA_V3 = """
CREATE INDEX contact_report ON contact(contact_on, client_id, language, channel);
CREATE INDEX case_status_change_timeline ON case_status_change(case_id, changed_on, id, status);
"""
