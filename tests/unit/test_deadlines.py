"""Deadlines as the law counts them: each kind against dates checked by hand on a calendar.

Every expected date below was counted on a printed 2026–2028 calendar: § 187 Abs. 1 BGB (the
event's day is not counted), § 188 Abs. 2/3 BGB (months end on the same number, else on the
month's last day), § 193 BGB and its twins (weekend or NRW holiday -> next working day).
"""

from __future__ import annotations

import datetime as dt

import pytest

from kim_desk.catalog import Catalog, load_catalog
from kim_desk.deadlines import Length, due_date, easter_sunday, is_working_day, nrw_holidays
from kim_desk.store.cases import case_deadlines, next_due

D = dt.date
TODAY = D(2026, 1, 5)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _dates(catalog: Catalog, type_code: str, case: dict[str, str], permit: str | None = None,
           today: dt.date = TODAY) -> dict[tuple[str, str], dt.date]:  # fmt: skip
    return {
        (due.spec.code, due.spec.kind): due.date for due in case_deadlines(catalog.get(type_code), case, permit, today)
    }


def test_easter_and_the_nrw_holidays() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027, 2028)] == [
        D(2024, 3, 31), D(2025, 4, 20), D(2026, 4, 5), D(2027, 3, 28), D(2028, 4, 16),
    ]  # fmt: skip
    days = nrw_holidays(2026)
    assert days[D(2026, 4, 3)] == "Karfreitag"
    assert days[D(2026, 5, 14)] == "Christi Himmelfahrt"
    assert days[D(2026, 5, 25)] == "Pfingstmontag"
    assert days[D(2026, 6, 4)] == "Fronleichnam"
    assert days[D(2026, 11, 1)] == "Allerheiligen"
    assert len(days) == 11
    # Reformationstag and Buß- und Bettag are holidays elsewhere, not in NRW
    assert is_working_day(D(2027, 10, 29)) and not is_working_day(D(2027, 11, 1))
    assert is_working_day(D(2026, 11, 18))


def test_month_periods_follow_section_188_bgb() -> None:
    month = Length(months=1)
    assert due_date(D(2026, 1, 15), month) == D(2026, 2, 15)
    assert due_date(D(2026, 1, 31), month) == D(2026, 2, 28)  # no 31 February: the month's last day
    assert due_date(D(2028, 1, 31), month) == D(2028, 2, 29)  # leap year
    assert due_date(D(2028, 2, 29), Length(months=12)) == D(2029, 2, 28)
    assert due_date(D(2026, 12, 10), month) == D(2027, 1, 10)  # across the year
    assert due_date(D(2026, 3, 31), Length(months=-1)) == D(2026, 2, 28)
    with pytest.raises(ValueError):
        Length(days=1, months=1)


def test_working_day_rule_moves_only_where_asked() -> None:
    month = Length(months=1)
    # 31.01.2026 + 1 month = Saturday 28.02.2026 -> Monday 02.03.2026
    assert due_date(D(2026, 1, 31), month, working_day=True) == D(2026, 3, 2)
    assert due_date(D(2026, 1, 31), month) == D(2026, 2, 28)
    # 03.03.2026 + 1 month = Good Friday 03.04.; Saturday, Easter Sunday, Easter Monday follow -> Tuesday 07.04.
    assert due_date(D(2026, 3, 3), month, working_day=True) == D(2026, 4, 7)
    # 25.11.2026 + 1 month = Christmas Day (Friday) -> Monday 28.12.2026
    assert due_date(D(2026, 11, 25), month, working_day=True) == D(2026, 12, 28)
    # Corpus Christi 04.06.2026 (Thursday) -> Friday 05.06.
    assert due_date(D(2026, 5, 4), month, working_day=True) == D(2026, 6, 5)


def test_registration_counts_two_weeks_from_moving_in(catalog: Catalog) -> None:
    """§ 17 Abs. 1 BMG: from the move, not from the day the case was opened."""
    case = {"opened_on": "2026-01-26", "moved_in_on": "2026-01-16"}
    assert _dates(catalog, "wohnsitz_anmeldung", case) == {("registration_due", "legal"): D(2026, 1, 30)}
    # moved in on 14.02.2026 (Saturday): the two weeks end on Saturday 28.02.; not moved (conservative)
    case = {"opened_on": "2026-02-20", "moved_in_on": "2026-02-14"}
    assert _dates(catalog, "wohnsitz_anmeldung", case) == {("registration_due", "legal"): D(2026, 2, 28)}
    # without the move-in date there is no date: none is made up from the opening
    assert _dates(catalog, "wohnsitz_anmeldung", {"opened_on": "2026-01-26"}) == {}


def test_permit_renewal_has_a_recommended_and_a_latest_date(catalog: Catalog) -> None:
    dates = _dates(catalog, "aufenthaltstitel_verlaengerung", {"opened_on": "2026-01-05"}, permit="2028-04-25")
    # eight weeks back across 29.02.2028; the legal limit is the expiry day (§ 81 Abs. 4 AufenthG)
    assert dates == {("apply", "recommended"): D(2028, 2, 29), ("apply", "legal"): D(2028, 4, 25)}


def test_objection_one_month_from_the_notice_with_weekends(catalog: Catalog) -> None:
    notice = {"opened_on": "2025-12-01", "decided_on": "2026-01-27", "notice_received_on": "2026-01-31"}
    for code in ("buergergeld_erstantrag", "wohngeld", "kindergeld", "kinderzuschlag"):
        assert _dates(catalog, code, notice)[("objection", "legal")] == D(2026, 3, 2), code
    # leap year: 31.01.2028 -> Tuesday 29.02.2028
    notice = {"opened_on": "2027-12-01", "decided_on": "2028-01-28", "notice_received_on": "2028-01-31"}
    assert _dates(catalog, "wohngeld", notice, today=D(2028, 2, 1))[("objection", "legal")] == D(2028, 2, 29)
    # no arrival entered: counted from the decision, which can only be earlier
    decided = {"opened_on": "2026-01-02", "decided_on": "2026-03-03"}
    due = case_deadlines(catalog.get("kindergeld"), decided, None, D(2026, 3, 4))
    objection = next(d for d in due if d.spec.code == "objection")
    assert (objection.date, objection.stand_in) == (D(2026, 4, 7), True)


def test_retroactive_months_count_back_from_the_month_of_application(catalog: Catalog) -> None:
    """§ 66 Abs. 3 EStG: six months before the month the application arrives."""
    submitted = {"opened_on": "2026-01-02", "submitted_on": "2026-03-31"}
    assert _dates(catalog, "kindergeld", submitted)[("retroactive_limit", "retroactive")] == D(2025, 9, 1)
    # not yet submitted: if it is submitted this month
    planned = {"opened_on": "2024-01-02"}
    dates = _dates(catalog, "kindergeld", planned, today=D(2024, 8, 31))
    assert dates[("retroactive_limit", "retroactive")] == D(2024, 2, 1)


def test_renewals_count_from_the_end_of_the_approval_period(catalog: Catalog) -> None:
    case = {"opened_on": "2026-01-05", "period_ends_on": "2028-03-31"}
    # Wohngeld: two months before; § 25 Abs. 2 WoGG: a later application counts from its own month
    assert _dates(catalog, "wohngeld", case) == {
        ("renewal", "recommended"): D(2028, 1, 31),
        ("renewal", "legal"): D(2028, 4, 30),
    }
    # Bürgergeld: one month before (29.02. in the leap year); § 37 Abs. 2 SGB II
    assert _dates(catalog, "buergergeld_weiterbewilligung", case) == {
        ("renewal", "recommended"): D(2028, 2, 29),
        ("renewal", "legal"): D(2028, 4, 30),
    }
    case = {"opened_on": "2026-01-05", "period_ends_on": "2027-12-31"}
    assert _dates(catalog, "wohngeld", case)[("renewal", "recommended")] == D(2027, 10, 31)
    assert _dates(catalog, "wohngeld", case)[("renewal", "legal")] == D(2028, 1, 31)


def test_expected_decision_counts_from_submission(catalog: Catalog) -> None:
    case = {"opened_on": "2026-01-02", "submitted_on": "2026-11-23"}
    assert _dates(catalog, "kindergeld", case)[("decision_expected", "expected")] == D(2027, 1, 4)
    assert _dates(catalog, "einbuergerung", {"opened_on": "2026-08-01", "submitted_on": "2026-08-31"})[
        ("decision_expected", "expected")
    ] == D(2027, 2, 28)


def test_next_date_is_the_recommendation_until_it_passes(catalog: Catalog) -> None:
    app_type = catalog.get("aufenthaltstitel_verlaengerung")
    case = {"opened_on": "2026-01-05"}
    first, legal = next_due(app_type, case, "2026-03-31", D(2026, 1, 5)) or (None, None)
    assert first is not None and legal is not None
    assert (first.spec.kind, first.date, legal.date) == ("recommended", D(2026, 2, 3), D(2026, 3, 31))
    first, legal = next_due(app_type, case, "2026-03-31", D(2026, 2, 4)) or (None, None)
    assert first is not None and (first.spec.kind, first.date) == ("legal", D(2026, 3, 31))
    # submitted in time: nothing left to do
    assert next_due(app_type, {**case, "submitted_on": "2026-03-30"}, "2026-03-31", D(2026, 3, 30)) is None
