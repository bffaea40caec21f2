"""Schema version 10: record keys (cell key method) on referrals, unmet needs and mediator requests.

As in version 5: existing rows get a random key in [0, 2**32) now, new rows by a trigger
when they are inserted without one. The key never leaves the desk; it makes the report's
new tables (referrals, unmet needs, interpreter requests) perturbed like every other table.
"""

from kim_desk.store.schema_v5 import _keyed

_KEYED = ("referral", "unmet_need", "mediator_request")

SCHEMA_V10 = "".join(_keyed(table) for table in _KEYED)
