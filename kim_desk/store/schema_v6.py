"""Schema version 6: what a contact was about and how it was held.

`topics` lists application types from the catalogue (JSON list of codes), `interpreter`
says whether an interpreter was used (yes | no | needed_none: needed but none available),
`appointment_id` links a contact recorded for a kept appointment (one contact per appointment).
"""

SCHEMA_V6 = """
ALTER TABLE contact ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contact ADD COLUMN interpreter TEXT NOT NULL DEFAULT 'no';
ALTER TABLE contact ADD COLUMN appointment_id INTEGER REFERENCES appointment(id) ON DELETE SET NULL;
CREATE INDEX contact_appointment ON contact(appointment_id);
"""
