"""Schema version 12: a narrow copy of what the quarterly report reads of a client.

The report looks up each counted record's client for the municipality (and the client's
birth date and record key). A client row is wide (names, address, notes), and on the
district-scale desk those lookups miss the page cache and decrypt whole pages; this index
holds only the four columns, so the same lookups read a tenth of the pages.
"""

SCHEMA_V12 = """
CREATE INDEX client_report ON client(id, municipality, birth_date, ckey);
"""
