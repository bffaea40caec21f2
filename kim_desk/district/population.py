"""Inhabitants per municipality (population.toml): the denominators of the rates per 1,000.

The shipped file names its source and "Stand"; a population.toml in the district's data folder
replaces it (newer IT.NRW figures need no new program). A file that lacks a municipality or
holds nonsense is refused with a clear message rather than giving wrong rates.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kim_desk import taxonomy
from kim_desk.errors import KnownError
from kim_desk.i18n import _

FILE = "population.toml"
SHIPPED = Path(__file__).with_name(FILE)


class PopulationError(KnownError):
    pass


@dataclass(frozen=True)
class Population:
    inhabitants: dict[str, int]  # municipality code -> inhabitants
    source: str
    stand: str  # YYYY-MM-DD
    checked: bool  # False: taken from a secondary source, not checked against IT.NRW's table

    @property
    def district(self) -> int:
        return sum(self.inhabitants.values())


def load(folder: Path | None = None) -> Population:
    """The data folder's population.toml if there is one, else the shipped file."""
    path = folder / FILE if folder is not None and (folder / FILE).is_file() else SHIPPED
    try:
        data = tomllib.loads(path.read_text("utf-8"))
        table = data["inhabitants"]
        inhabitants = {code: table[code] for code in taxonomy.MUNICIPALITIES}
        source, stand = str(data["source"]), str(data["stand"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise PopulationError(
            _("Die Einwohnerzahlen in {path} sind nicht lesbar oder unvollständig ({reason}).").format(
                path=path, reason=exc
            )
        ) from exc
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in inhabitants.values()):
        raise PopulationError(_("Die Einwohnerzahlen in {path} müssen ganze Zahlen über 0 sein.").format(path=path))
    try:
        stand = dt.date.fromisoformat(stand).isoformat()
    except ValueError:
        raise PopulationError(
            _("Der Stand der Einwohnerzahlen in {path} ist kein Datum (JJJJ-MM-TT): {stand}").format(
                path=path, stand=stand
            )
        ) from None
    return Population(inhabitants, source, stand, data.get("checked", False) is True)  # "no" is not checked


def per_thousand(count: float, inhabitants: int) -> float:
    return 1000 * count / inhabitants
