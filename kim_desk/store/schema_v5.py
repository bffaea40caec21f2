"""Schema version 5: record keys for the cell key method (anonymised statistics).

Every record the quarterly report counts (client, case, contact, barrier) gets a random
key in [0, 2**32) that never leaves the desk: existing records here, new ones by a
trigger when they are inserted without one, so no insert has to know about it. The
report's index on contacts covers the key too (contacts are read from the index alone).
"""

_KEYED = ("client", '"case"', "contact", "barrier")
_RANDOM_KEY = "(random() & 4294967295)"


def _keyed(table: str) -> str:
    name = table.strip('"')
    return f"""
ALTER TABLE {table} ADD COLUMN ckey INTEGER;
UPDATE {table} SET ckey = {_RANDOM_KEY};
CREATE TRIGGER {name}_ckey AFTER INSERT ON {table} WHEN NEW.ckey IS NULL
BEGIN
    UPDATE {table} SET ckey = {_RANDOM_KEY} WHERE id = NEW.id;
END;
"""


SCHEMA_V5 = (
    "".join(_keyed(table) for table in _KEYED)
    + """
DROP INDEX contact_report;
CREATE INDEX contact_report ON contact(contact_on, client_id, language, channel, ckey);
"""
)
