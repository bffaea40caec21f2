"""Schema version 13: what the quarterly report reads, kept narrow and in the order it counts.

- A contact carries its client's municipality (kept by triggers: on insert, when a contact moves
  to another client, when a client moves). The report counts the quarter's contacts per day,
  municipality, language and channel straight from their index, in its order (the index of v5 with
  the municipality after the date, and the client last for the age table): without the copy it
  looked up every contact's client (a B-tree search each, 170,000 a quarter on a district-scale
  desk) and sorted all the contacts to group them.
- Like client_report (v12): a case row is wide (notes, next steps, the authority's file number);
  the report reads every case of the quarter and looks cases up for barriers and submissions, so it
  reads them from a narrow index and its pages stay in the page cache (SQLCipher decrypts every
  page it reads from the file again).
- The submissions are the history's 'submitted' changes only (a partial index).
"""

SCHEMA_V13 = """
ALTER TABLE contact ADD COLUMN municipality TEXT;
UPDATE contact SET municipality = (SELECT client.municipality FROM client WHERE client.id = contact.client_id);
CREATE TRIGGER contact_municipality AFTER INSERT ON contact
BEGIN
    UPDATE contact SET municipality = (SELECT municipality FROM client WHERE id = NEW.client_id) WHERE id = NEW.id;
END;
CREATE TRIGGER contact_client_changed AFTER UPDATE OF client_id ON contact
BEGIN
    UPDATE contact SET municipality = (SELECT municipality FROM client WHERE id = NEW.client_id) WHERE id = NEW.id;
END;
CREATE TRIGGER client_municipality_changed AFTER UPDATE OF municipality ON client
WHEN OLD.municipality IS NOT NEW.municipality
BEGIN
    UPDATE contact SET municipality = NEW.municipality WHERE client_id = NEW.id;
END;
DROP INDEX contact_report;
CREATE INDEX contact_report ON contact(contact_on, municipality, language, channel, ckey, client_id);
CREATE INDEX case_report ON "case"(id, client_id, type_code, status, outcome, opened_on, decided_on, closed_on, ckey);
CREATE INDEX case_status_change_submitted ON case_status_change(changed_on, case_id) WHERE status = 'submitted';
"""
