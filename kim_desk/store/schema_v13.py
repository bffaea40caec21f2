"""Schema version 13: narrow copies of what the quarterly report reads of cases and submissions.

Like client_report (v12): a case row is wide (notes, next steps, the authority's file number),
and the report reads every case of the quarter and looks cases up for barriers and submissions.
With the wide rows in its working set the report no longer fits the page cache, and SQLCipher
decrypts the same pages again in every table's query. The submissions are the history's
'submitted' changes only (a partial index): the report no longer scans the whole history.
"""

SCHEMA_V13 = """
CREATE INDEX case_report ON "case"(id, client_id, type_code, status, outcome, opened_on, decided_on, closed_on, ckey);
CREATE INDEX case_status_change_submitted ON case_status_change(changed_on, case_id) WHERE status = 'submitted';
"""
