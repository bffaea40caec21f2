"""Realistic, deterministic synthetic data for demonstrations, tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass
from typing import Any

from kim_desk.catalog import Catalog
from kim_desk.demo_names import POOLS, POSTCODES, STREETS, WEIGHTS
from kim_desk.names import index_terms
from kim_desk.store import Store
from kim_desk.store.cases import next_deadline
from kim_desk.taxonomy import BARRIERS, CASE_STATUS_ORDER, CHANNELS, MUNICIPALITIES

SEED = 20261122
# Larger towns have more clients.
MUNICIPALITY_WEIGHTS = {
    "ahlen": 18, "beckum": 11, "oelde": 9, "warendorf": 12, "ennigerloh": 7, "telgte": 6, "sendenhorst": 4,
    "drensteinfurt": 4, "sassenberg": 4, "wadersloh": 4, "everswinkel": 3, "ostbevern": 3, "beelen": 2,
}  # fmt: skip
RESIDENCE_BY_COUNTRY = {
    "ukraine": "temporary_protection", "romania": "eu_citizen", "bulgaria": "eu_citizen", "poland": "eu_citizen",
}  # fmt: skip
COUNSELLORS = ("Frau Schulte", "Herr Brinkmann", "Frau Yilmaz")


@dataclass
class DemoSummary:
    clients: int
    cases: int
    appointments: int
    contacts: int
    referrals: int = 0
    needs: int = 0
    mediator_requests: int = 0


def _choice(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _birth(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low * 365, high * 365))


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice(['151', '160', '176', '2382', '2521', '2581'])} {rng.randint(1000000, 9999999)}"


def generate(
    store: Store,
    catalog: Catalog,
    clients: int = 200,
    seed: int = SEED,
    contacts_per_client: tuple[int, int] = (1, 6),
    appointment_share: float = 0.4,
) -> DemoSummary:
    """Add `clients` synthetic clients with households, cases, appointments and contacts."""
    rng = random.Random(seed)
    today = store.today()
    now = store.now_text()
    types = sorted(catalog.types)
    counts = DemoSummary(0, 0, 0, 0)
    with store.transaction() as conn:
        for _ in range(clients):
            country = _choice(rng, WEIGHTS)
            langs, nationality, male, female, family = POOLS[country]
            gender = rng.choice("fm")
            given, given_orig = rng.choice(female if gender == "f" else male)
            fam, fam_orig = rng.choice(family)
            municipality = _choice(rng, MUNICIPALITY_WEIGHTS)
            postcode, city = POSTCODES[municipality]
            residence = RESIDENCE_BY_COUNTRY.get(
                country, rng.choice(["asylum_procedure", "protection", "residence_permit", "toleration"])
            )
            permit = today + dt.timedelta(days=rng.randint(-30, 700)) if residence != "eu_citizen" else None
            cursor = conn.execute(
                "INSERT INTO client (uid, family_name, given_names, family_name_orig, given_names_orig, birth_date, "
                "gender, nationality, street, postcode, city, municipality, phone, email, languages, "
                "residence_status, permit_expires, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
                (uuid.UUID(int=rng.getrandbits(128)).hex, fam, given, fam_orig, given_orig,
                 _birth(rng, today, 18, 70).isoformat(), gender, nationality,
                 f"{rng.choice(STREETS)} {rng.randint(1, 120)}", postcode, city, municipality, _phone(rng),
                 json.dumps(langs + (["de"] if rng.random() < 0.3 else [])), residence,
                 permit.isoformat() if permit else None, now, now),
            )  # fmt: skip
            client_id = int(cursor.lastrowid)
            names, skeletons = index_terms(fam, given, fam_orig, given_orig)
            conn.execute(
                "INSERT INTO client_search (rowid, names, skeletons) VALUES (?, ?, ?)", (client_id, names, skeletons)
            )
            children = rng.choice([0, 0, 1, 2, 3])
            if rng.random() < 0.5:
                spouse, _orig = rng.choice(male if gender == "f" else female)
                conn.execute(
                    "INSERT INTO household_member (client_id, family_name, given_names, birth_date, relation) "
                    "VALUES (?, ?, ?, ?, 'spouse')",
                    (client_id, fam, spouse, _birth(rng, today, 20, 65).isoformat()),
                )
            for _child in range(children):
                child, _orig = rng.choice(male + female)
                conn.execute(
                    "INSERT INTO household_member (client_id, family_name, given_names, birth_date, relation) "
                    "VALUES (?, ?, ?, ?, 'child')",
                    (client_id, fam, child, _birth(rng, today, 0, 17).isoformat()),
                )
            case_ids = [
                _demo_case(conn, rng, catalog, client_id, rng.choice(types), today, permit, now)
                for _case in range(rng.choice([0, 1, 1, 2, 3]))
            ]
            counts.cases += len(case_ids)
            for _contact in range(rng.randint(*contacts_per_client)):
                conn.execute(
                    "INSERT INTO contact (client_id, case_id, contact_on, channel, language, minutes) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (client_id, rng.choice(case_ids) if case_ids else None,
                     (today - dt.timedelta(days=rng.randint(0, 540))).isoformat(),
                     rng.choices(list(CHANNELS), weights=[70, 20, 3, 5, 2])[0],
                     rng.choice([*langs, "de"]), rng.choice([15, 30, 45, 60])),
                )  # fmt: skip
                counts.contacts += 1
            if rng.random() < appointment_share:
                day = today + dt.timedelta(days=rng.randint(-20, 30))
                if day.weekday() >= 5:
                    day += dt.timedelta(days=7 - day.weekday())
                start = dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.choice([0, 15, 30, 45])))
                conn.execute(
                    "INSERT INTO appointment (client_id, case_id, starts_at, duration_min, place, counsellor, "
                    "topic, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (client_id, case_ids[0] if case_ids else None, start.isoformat(timespec="minutes"),
                     rng.choice([30, 45, 60]), "Beratungsstelle, Raum 2", rng.choice(COUNSELLORS),
                     "Beratung", "done" if day < today else "planned", now, now),
                )  # fmt: skip
                counts.appointments += 1
            counts.clients += 1
        _demo_referrals(conn, random.Random(seed + 7919), today, counts)
    return counts


# How referrals end, how often a need finds no offer, and how often an interpreter comes (synthetic weights).
_OUTCOME_WEIGHTS = {"taken_up": 40, "open": 17, "waiting_list": 15, "no_place": 10, "not_offered_here": 8,
                    "not_eligible": 5, "declined": 5}  # fmt: skip
_NEED_WEIGHTS = {"childcare_place": 20, "course_with_childcare": 15, "language_course": 12, "housing": 14,
                 "psychosocial": 10, "interpreter": 8, "training_work": 7, "health_care": 5, "mobility": 4,
                 "school_place": 2, "legal_advice": 1, "debt_counselling": 1, "digital_access": 1}  # fmt: skip
_MEDIATOR_WEIGHTS = {"came": 60, "none_available": 25, "did_not_come": 15}


def _demo_referrals(conn: Any, rng: random.Random, today: dt.date, counts: DemoSummary) -> None:
    """Referrals, unmet needs and interpreter requests, from their own random stream so the rest stays as it was."""
    from kim_desk.services import load_services, services_for

    services = load_services()
    clients = conn.execute("SELECT id, municipality, languages FROM client ORDER BY id").fetchall()
    for client_id, municipality, languages in clients:
        if rng.random() < 0.3:
            offers = services_for(services, municipality)
            for service in rng.sample(offers, k=min(len(offers), rng.choice([1, 1, 2]))):
                on = today - dt.timedelta(days=rng.randint(0, 400))
                outcome = _choice(rng, _OUTCOME_WEIGHTS)
                answered = None if outcome == "open" else (on + dt.timedelta(days=rng.randint(3, 40))).isoformat()
                conn.execute(
                    "INSERT INTO referral (client_id, service_code, referred_on, outcome, outcome_on) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (client_id, service.code, on.isoformat(), outcome, answered),
                )
                counts.referrals += 1
        if rng.random() < 0.12:
            conn.execute(
                "INSERT INTO unmet_need (client_id, category, noted_on) VALUES (?, ?, ?)",
                (client_id, _choice(rng, _NEED_WEIGHTS), (today - dt.timedelta(days=rng.randint(0, 400))).isoformat()),
            )
            counts.needs += 1
        spoken = [lang for lang in json.loads(languages or "[]") if lang != "de"]
        if not spoken:
            continue
        for appointment_id, starts_at in conn.execute(
            "SELECT id, starts_at FROM appointment WHERE client_id = ?", (client_id,)
        ).fetchall():
            if rng.random() < 0.5:
                when = dt.datetime.fromisoformat(starts_at).date()
                result = _choice(rng, _MEDIATOR_WEIGHTS) if when < today else "requested"
                conn.execute(
                    "INSERT INTO mediator_request (appointment_id, language, result, requested_on) VALUES (?, ?, ?, ?)",
                    (appointment_id, spoken[0], result, (when - dt.timedelta(days=7)).isoformat()),
                )
                counts.mediator_requests += 1


def _demo_case(
    conn: object,
    rng: random.Random,
    catalog: Catalog,
    client_id: int,
    type_code: str,
    today: dt.date,
    permit: dt.date | None,
    now: str,
) -> int:
    execute = conn.execute  # type: ignore[attr-defined]
    app_type = catalog.types[type_code]
    opened = today - dt.timedelta(days=rng.randint(0, 500))
    stage = rng.choices(range(len(CASE_STATUS_ORDER)), weights=[5, 20, 8, 10, 15, 12, 30])[0]
    status = CASE_STATUS_ORDER[stage]
    days = iter(sorted(rng.randint(1, max(2, (today - opened).days)) for _ in range(3)))
    submitted = opened + dt.timedelta(days=next(days)) if stage >= 3 else None
    decided = opened + dt.timedelta(days=next(days)) if stage >= 5 else None
    closed = opened + dt.timedelta(days=next(days)) if stage >= 6 else None
    outcome = (
        rng.choices(["approved", "partly", "rejected", "withdrawn"], weights=[60, 15, 20, 5])[0] if decided else None
    )
    dates = {
        "opened_on": opened.isoformat(), "submitted_on": submitted and submitted.isoformat(),
        "decided_on": decided and decided.isoformat(),
    }  # fmt: skip
    deadline, kind = next_deadline(app_type, dates, permit.isoformat() if permit else None, today)
    cursor = execute(
        'INSERT INTO "case" (client_id, type_code, status, outcome, opened_on, submitted_on, decided_on, closed_on, '
        "deadline, deadline_kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (client_id, type_code, status, outcome, opened.isoformat(), dates["submitted_on"], dates["decided_on"],
         closed and closed.isoformat(), None if closed else deadline, "" if closed else kind, now, now),
    )  # fmt: skip
    case_id = int(cursor.lastrowid)
    for step, day in (("planned", opened), ("submitted", submitted), ("decided", decided), ("closed", closed)):
        if day:
            execute(
                "INSERT INTO case_status_change (case_id, status, changed_on) VALUES (?, ?, ?)",
                (case_id, step, day.isoformat()),
            )
    for position, doc in enumerate(app_type.documents):
        present = stage >= 2 or rng.random() < 0.5
        execute(
            "INSERT INTO checklist_item (case_id, code, required, state, position) VALUES (?, ?, ?, ?, ?)",
            (case_id, doc.code, int(doc.required), "present" if present else "missing", position),
        )
    if rng.random() < 0.35:
        code = rng.choices(list(BARRIERS), weights=[30, 8, 20, 12, 15, 8, 10, 6, 6, 4, 3, 2, 3, 2])[0]
        execute(
            "INSERT INTO barrier (case_id, code, noted_on) VALUES (?, ?, ?)",
            (case_id, code, (opened + dt.timedelta(days=rng.randint(0, 30))).isoformat()),
        )
    return case_id


assert set(MUNICIPALITY_WEIGHTS) == set(MUNICIPALITIES)
