"""Contacts and cases per 1,000 inhabitants per municipality, for the dashboard and the committee PDF."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from kim_desk import taxonomy
from kim_desk.district import picture
from kim_desk.district.population import Population, per_thousand
from kim_desk.stats.cellkey import TOTAL

CONTACTS = ("contacts_by_channel", 2)  # table, number of dimensions
CASES = ("cases_by_type_state", 3)


@dataclass(frozen=True)
class Rate:
    count: picture.Figure
    rate: float | None  # per 1,000 inhabitants; None where the count is suppressed
    error: float  # expected error of the rate (±), from the count's


@dataclass(frozen=True)
class RateRow:
    municipality: str  # code, or TOTAL for the whole district
    inhabitants: int
    contacts: Rate
    cases: Rate


def _rate(figures: picture.Figures, table: tuple[str, int], municipality: str, inhabitants: int) -> Rate:
    name, dims = table
    figure = figures.get((name, (municipality,) + (TOTAL,) * (dims - 1)), picture.ZERO)
    if figure.value is None:
        return Rate(figure, None, 0.0)
    return Rate(figure, per_thousand(figure.value, inhabitants), per_thousand(figure.error, inhabitants))


def rate_rows(figures: picture.Figures, population: Population) -> list[RateRow]:
    """One row per municipality (in the official order) and, last, the whole district."""
    rows = [
        RateRow(code, n, _rate(figures, CONTACTS, code, n), _rate(figures, CASES, code, n))
        for code in taxonomy.MUNICIPALITIES
        for n in (population.inhabitants[code],)
    ]
    whole = population.district
    rows.append(RateRow(TOTAL, whole, _rate(figures, CONTACTS, TOTAL, whole), _rate(figures, CASES, TOTAL, whole)))
    return rows


def pick(row: RateRow, which: str) -> Rate:
    """ "contacts" or "cases"."""
    return row.contacts if which == "contacts" else row.cases


def decimal(value: float) -> str:
    """One decimal, German: 12,3."""
    return str(format_decimal(value, format="#,##0.0", locale="de_DE"))


def shown(rate: Rate) -> str:
    """A rate with its expected error: "12,3 ± 0,1"; suppressed counts: "•"."""
    if rate.rate is None:
        return "•"
    text = decimal(rate.rate)
    return f"{text} ± {decimal(rate.error)}" if round(rate.error, 1) else text
