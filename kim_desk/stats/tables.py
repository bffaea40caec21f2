"""Counting the report's tables in the desk database (plain SQL, codes only).

Every cell is counted with the sum of its records' keys (cell key method, see cellkey.py):
contacts, clients, cases and barriers have their own keys; the submission table counts
cases, with the case's key. Referrals, unmet needs and interpreter (language-mediator)
requests have their own keys too (schema v10).

Which records belong to a quarter: a record counts in the quarter of its date. A record
whose date lies in a quarter that was already sent (frozen) when it was entered counts
in the next report instead; "entered after freezing" is told by a row id above the
watermark stored with the frozen report. Cases are a stock: every case open at some
time in the quarter, in its state at the quarter's end.

Referrals count in the quarter they were made, unmet needs in the quarter they were noted,
interpreter requests in the quarter they were made; referral outcomes and interpreter results
are counted as recorded when the report is built (the report is frozen some days after the
quarter, so answers of those days are in it; a referral without an answer yet is "open").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kim_desk import taxonomy
from kim_desk.stats.cellkey import Key, Tally
from kim_desk.stats.periods import Quarter
from kim_desk.store import Store

OTHER = "other"
TABLE_NAMES = (
    "cases_by_type_state",
    "barriers_by_type",
    "submission_time_by_type",
    "contacts_by_language_group",
    "contacts_by_channel",
    "clients_by_age_band",
    "referrals_by_service_outcome",
    "unmet_needs_by_category",
    "mediator_requests_by_language_result",
)

LANGUAGE_GROUPS: dict[str, str] = {
    "de": "de",
    "ar": "ar",
    "fa": "fa_ps",
    "ps": "fa_ps",
    "kmr": "ku",
    "ckb": "ku",
    "ku": "ku",
    "uk": "uk_ru",
    "ru": "uk_ru",
    "tr": "tr",
    "ti": "ti",
    "en": "eu_other",
    "fr": "eu_other",
    "ro": "eu_other",
    "bg": "eu_other",
    "pl": "eu_other",
}
LANGUAGE_GROUP_CODES = ("de", "ar", "fa_ps", "ku", "uk_ru", "tr", "ti", "eu_other", OTHER)
AGE_BANDS = ("under_18", "18_26", "27_44", "45_64", "65_plus", "unknown")
SUBMISSION_BANDS = ("up_to_2_weeks", "2_to_4_weeks", "1_to_3_months", "3_to_6_months", "over_6_months")
STATES = (*taxonomy.CASE_STATUS_ORDER, *taxonomy.OUTCOMES)
BARRIER_CODES = (*taxonomy.BARRIERS, OTHER)
CHANNEL_CODES = (*taxonomy.CHANNELS, OTHER)
REFERRAL_OUTCOME_CODES = (*taxonomy.REFERRAL_OUTCOMES, OTHER)
NEED_CODES = tuple(taxonomy.UNMET_NEEDS)  # has its own "other"
MEDIATOR_RESULT_CODES = (*taxonomy.MEDIATOR_RESULTS, OTHER)
_TYPE_CODE = re.compile(r"^[a-z0-9_.-]{1,48}$")
# A service's code as the services catalogue allows it (catalog._CODE): the district checks the same rule.
SERVICE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
# A table added after a report was frozen has no watermark there: its late records were never
# counted anywhere, and are not counted now either (they would swell the first report that has it).
NO_LATE_RECORDS = 1 << 62


@dataclass(frozen=True)
class Window:
    """The records of one report: its quarter plus late records of frozen quarters."""

    quarter: Quarter
    late_from: str = "9999-12-31"  # late window [late_from, late_before) of dates
    late_before: str = "0000-01-01"
    watermarks: dict[str, int] = field(default_factory=dict)  # table -> last id counted

    def params(self) -> dict[str, Any]:
        return {
            "start": self.quarter.start.isoformat(),
            "next": self.quarter.next().start.isoformat(),
            "late_from": self.late_from,
            "late_before": self.late_before,
            "wm_contact": self.watermarks.get("contact", 0),
            "wm_barrier": self.watermarks.get("barrier", 0),
            "wm_status": self.watermarks.get("case_status_change", 0),
            "wm_referral": self.watermarks.get("referral", NO_LATE_RECORDS),
            "wm_need": self.watermarks.get("unmet_need", NO_LATE_RECORDS),
            "wm_mediator": self.watermarks.get("mediator_request", NO_LATE_RECORDS),
        }


WATERMARK_TABLES = ("contact", "barrier", "case_status_change", "referral", "unmet_need", "mediator_request")


def _in_window(column: str, watermark: str, id_column: str) -> str:
    return (
        f"(({column} >= :start AND {column} < :next) OR "
        f"({column} >= :late_from AND {column} < :late_before AND {id_column} > :{watermark}))"
    )


# Records are looked up in no particular order: their client and case are read from narrow
# indexes (schema v12, v13), so the report's pages stay in the page cache and are not decrypted
# again for every table.
_CLIENT = "client cl INDEXED BY client_report"
_CASE = '"case" k INDEXED BY case_report'

# The quarter's contacts, grouped per day in the order of their index (no client looked up, no
# sort of every contact: schema v13), then the days summed. The late records are a second range
# (without the quarter's own days, so no contact is counted twice).
_CONTACT_DAYS = """
SELECT contact_on, municipality, language, channel, COUNT(*) AS n, SUM(ckey) AS keys
FROM contact INDEXED BY contact_report
WHERE contact_on >= {start} AND contact_on < {end}{late}
GROUP BY contact_on, municipality, language, channel
"""
_LATE_CONTACTS = " AND id > :wm_contact AND (contact_on < :start OR contact_on >= :next)"
_CONTACTS = f"""
SELECT municipality, language, channel, SUM(n), SUM(keys)
FROM ({_CONTACT_DAYS.format(start=":start", end=":next", late="")}
      UNION ALL
      {_CONTACT_DAYS.format(start=":late_from", end=":late_before", late=_LATE_CONTACTS)})
GROUP BY 1, 2, 3
"""

_CLIENTS = f"""
SELECT cl.municipality,
       CASE WHEN cl.birth_date IS NULL OR length(cl.birth_date) < 10 THEN NULL
            ELSE CAST(substr(:next, 1, 4) AS INTEGER) - 1 - CAST(substr(cl.birth_date, 1, 4) AS INTEGER)
                 + (substr(cl.birth_date, 6, 5) < substr(:next, 6, 5)) END AS age,
       COUNT(*), SUM(cl.ckey)
FROM {_CLIENT}
WHERE cl.id IN (SELECT client_id FROM contact
                WHERE {_in_window("contact_on", "wm_contact", "id")})
GROUP BY 1, 2
"""

# The state at the quarter's end is told in count_tables: named twice in SQL, the status subquery
# (flattened into the outer query) ran twice per case.
_CASES = f"""
SELECT cl.municipality, k.type_code,
       COALESCE(
         (SELECT s.status FROM case_status_change s
          WHERE s.case_id = k.id AND s.changed_on < :next
          ORDER BY s.changed_on DESC, s.id DESC LIMIT 1),
         CASE WHEN EXISTS (SELECT 1 FROM case_status_change s WHERE s.case_id = k.id)
              THEN 'planned' ELSE k.status END),
       CASE WHEN k.decided_on IS NOT NULL AND k.decided_on < :next THEN k.outcome END,
       COUNT(*), SUM(k.ckey)
FROM {_CASE} JOIN {_CLIENT} ON cl.id = k.client_id
WHERE k.id {{part}} AND k.opened_on < :next AND (k.closed_on IS NULL OR k.closed_on >= :start)
GROUP BY 1, 2, 3, 4
"""

_BARRIERS = f"""
SELECT cl.municipality, k.type_code, b.code, COUNT(*), SUM(b.ckey)
FROM barrier b JOIN {_CASE} ON k.id = b.case_id JOIN {_CLIENT} ON cl.id = k.client_id
WHERE {_in_window("b.noted_on", "wm_barrier", "b.id")}
GROUP BY 1, 2, 3
"""

# The first submission of each case, from the status history ('submitted' changes: schema v13).
_SUBMISSIONS = f"""
SELECT cl.municipality, k.type_code,
       CAST(julianday(substr(s.changed_on, 1, 10)) - julianday(substr(k.opened_on, 1, 10))
            AS INTEGER),
       COUNT(*), SUM(k.ckey)
FROM case_status_change s INDEXED BY case_status_change_submitted
     JOIN {_CASE} ON k.id = s.case_id JOIN {_CLIENT} ON cl.id = k.client_id
WHERE s.status = 'submitted'
  AND {_in_window("s.changed_on", "wm_status", "s.id")}
  AND NOT EXISTS (SELECT 1 FROM case_status_change e
                  WHERE e.case_id = s.case_id AND e.status = 'submitted'
                    AND (e.changed_on < s.changed_on OR (e.changed_on = s.changed_on AND e.id < s.id)))
GROUP BY 1, 2, 3
"""


_REFERRALS = f"""
SELECT cl.municipality, r.service_code, r.outcome, COUNT(*), SUM(r.ckey)
FROM referral r JOIN {_CLIENT} ON cl.id = r.client_id
WHERE {_in_window("r.referred_on", "wm_referral", "r.id")}
GROUP BY 1, 2, 3
"""

_NEEDS = f"""
SELECT cl.municipality, n.category, COUNT(*), SUM(n.ckey)
FROM unmet_need n JOIN {_CLIENT} ON cl.id = n.client_id
WHERE {_in_window("n.noted_on", "wm_need", "n.id")}
GROUP BY 1, 2
"""

# The appointment's client gives the municipality; the language is the one asked for.
_MEDIATOR_REQUESTS = f"""
SELECT cl.municipality, m.language, m.result, COUNT(*), SUM(m.ckey)
FROM mediator_request m JOIN appointment a ON a.id = m.appointment_id JOIN {_CLIENT} ON cl.id = a.client_id
WHERE {_in_window("m.requested_on", "wm_mediator", "m.id")}
GROUP BY 1, 2, 3
"""


def _code(value: object, known: tuple[str, ...] | dict[str, Any]) -> str:
    return value if isinstance(value, str) and value in known else OTHER


def _type(value: object) -> str:
    return value if isinstance(value, str) and _TYPE_CODE.match(value) else OTHER


def _service(value: object) -> str:
    return value if isinstance(value, str) and SERVICE_CODE.match(value) else OTHER


def _municipality(value: object) -> str:
    return _code(value, taxonomy.MUNICIPALITIES)


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    for limit, band in ((18, "under_18"), (27, "18_26"), (45, "27_44"), (65, "45_64")):
        if age < limit:
            return band
    return "65_plus"


def submission_band(days: int | None) -> str:
    days = max(days or 0, 0)
    for limit, band in ((14, "up_to_2_weeks"), (28, "2_to_4_weeks"), (91, "1_to_3_months"), (182, "3_to_6_months")):
        if days <= limit:
            return band
    return "over_6_months"


# The tables on the desk's connection, and those on a second one at the same time (store/snapshot.py),
# split by the pages they read: the second connection's page cache starts empty and SQLCipher decrypts
# every page it reads again, so it gets the quarter's contacts (clients and contacts read the same
# pages) and the newest third of the cases (its own part of the case indexes; the clients it looks up
# are cached by then). The third is where the two take about as long at district scale. The split
# is read in each connection's snapshot, the same one: every case is counted once.
_SPLIT = '((SELECT MIN(id) FROM "case") + 2 * (SELECT MAX(id) FROM "case")) / 3'
_OWN = (_CASES.format(part="<= " + _SPLIT), _SUBMISSIONS, _BARRIERS, _REFERRALS, _NEEDS, _MEDIATOR_REQUESTS)
_SECOND = (_CLIENTS, _CONTACTS, _CASES.format(part="> " + _SPLIT))


class _Memo(dict[Any, str]):
    """A code for each value, worked out on its first use."""

    def __init__(self, code: Callable[[Any], str]) -> None:
        super().__init__()
        self.code = code

    def __missing__(self, value: Any) -> str:
        code = self[value] = self.code(value)
        return code


def count_tables(store: Store, window: Window) -> dict[str, dict[Key, Tally]]:
    """Records per cell of every table (count and key sum, before perturbation); keys are codes only.

    Every table is counted from one snapshot of the database, so they agree with each other."""
    cases, submissions, barriers, referrals, needs, mediator, clients, contacts, later_cases = store.read_all(
        _OWN, window.params(), second=_SECOND
    )
    result: dict[str, defaultdict[Key, Tally]] = {name: defaultdict(Tally) for name in TABLE_NAMES}
    # ~60,000 rows at district scale, through a few dozen values each: each value mapped once
    municipality, type_of, band = _Memo(_municipality), _Memo(_type), _Memo(submission_band)
    for muni, lang, channel, n, keys in contacts:
        m = municipality[muni]
        result["contacts_by_language_group"][(m, LANGUAGE_GROUPS.get(lang, OTHER))].add(n, keys or 0)
        result["contacts_by_channel"][(m, _code(channel, taxonomy.CHANNELS))].add(n, keys or 0)
    for muni, age, n, keys in clients:
        result["clients_by_age_band"][(municipality[muni], age_band(age))].add(n, keys or 0)
    for muni, type_code, status, outcome, n, keys in [*cases, *later_cases]:
        # decided or closed with an outcome decided by the quarter's end: counted under the outcome
        state = outcome if status in ("decided", "closed") and outcome is not None else status
        key = (municipality[muni], type_of[type_code], _code(state, STATES))
        result["cases_by_type_state"][key].add(n, keys or 0)
    for muni, type_code, code, n, keys in barriers:
        key = (municipality[muni], type_of[type_code], _code(code, taxonomy.BARRIERS))
        result["barriers_by_type"][key].add(n, keys or 0)
    for muni, type_code, days, n, keys in submissions:
        key = (municipality[muni], type_of[type_code], band[days])
        result["submission_time_by_type"][key].add(n, keys or 0)
    for muni, service, outcome, n, keys in referrals:
        key = (municipality[muni], _service(service), _code(outcome, taxonomy.REFERRAL_OUTCOMES))
        result["referrals_by_service_outcome"][key].add(n, keys or 0)
    for muni, category, n, keys in needs:
        result["unmet_needs_by_category"][(municipality[muni], _code(category, NEED_CODES))].add(n, keys or 0)
    for muni, lang, outcome, n, keys in mediator:
        key = (municipality[muni], LANGUAGE_GROUPS.get(lang, OTHER), _code(outcome, taxonomy.MEDIATOR_RESULTS))
        result["mediator_requests_by_language_result"][key].add(n, keys or 0)
    return {name: dict(cells) for name, cells in result.items()}


def counts_only(tallies: dict[str, dict[Key, Tally]]) -> dict[str, dict[Key, int]]:
    """The true counts of `count_tables` without the keys (for reading and tests)."""
    return {name: {key: tally.count for key, tally in cells.items()} for name, cells in tallies.items()}


def current_watermarks(store: Store) -> dict[str, int]:
    marks: dict[str, int] = {}
    for table in WATERMARK_TABLES:
        marks[table] = int(store.rows(f"SELECT COALESCE(MAX(id), 0) FROM {table}")[0][0])
    return marks
