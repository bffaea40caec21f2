"""Schema version 3: indexes that let the quarterly report read contacts without the table itself."""

SCHEMA_V3 = """
CREATE INDEX contact_report ON contact(contact_on, client_id, language, channel);
"""
