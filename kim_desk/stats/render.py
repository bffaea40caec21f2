"""The payload in words: what the counsellor reads before (and after) it is sent."""

from __future__ import annotations

from functools import cache
from typing import Any

from kim_desk import taxonomy
from kim_desk.i18n import N_, _, format_number
from kim_desk.stats.cellkey import TOTAL
from kim_desk.stats.payload import TABLES

_OWN_TITLES = {
    "language_group": {
        "de": N_("Deutsch"),
        "ar": N_("Arabisch"),
        "fa_ps": N_("Persisch/Dari/Paschtu"),
        "ku": N_("Kurdisch"),
        "uk_ru": N_("Ukrainisch/Russisch"),
        "tr": N_("Türkisch"),
        "ti": N_("Tigrinya"),
        "eu_other": N_("Andere europäische Sprachen"),
        "other": N_("Andere"),
    },
    "age_band": {
        "under_18": N_("unter 18"),
        "18_26": N_("18 bis 26"),
        "27_44": N_("27 bis 44"),
        "45_64": N_("45 bis 64"),
        "65_plus": N_("65 und älter"),
        "unknown": N_("unbekannt"),
    },
    "time_to_submission": {
        "up_to_2_weeks": N_("bis 2 Wochen"),
        "2_to_4_weeks": N_("2 bis 4 Wochen"),
        "1_to_3_months": N_("1 bis 3 Monate"),
        "3_to_6_months": N_("3 bis 6 Monate"),
        "over_6_months": N_("über 6 Monate"),
    },
}


@cache
def _type_titles() -> dict[str, str]:
    """Application type code -> German title from the catalogue (codes stay codes if it cannot load)."""
    from kim_desk.catalog import load_catalog
    from kim_desk.errors import KnownError

    try:
        return {code: app_type.title for code, app_type in load_catalog().types.items()}
    except KnownError:
        return {}


@cache
def _service_titles() -> dict[str, str]:
    """Service code -> German title from the services catalogue (an offer it does not know stays its code)."""
    from kim_desk.errors import KnownError
    from kim_desk.services import load_services

    try:
        return {code: service.title for code, service in load_services().items()}
    except KnownError:
        return {}


def code_title(dim: str, code: str) -> str:
    if code == TOTAL:
        return _("insgesamt")
    if dim == "application_type" and code in _type_titles():
        return _(_type_titles()[code])
    if dim == "service" and code in _service_titles():
        return _(_service_titles()[code])
    lists: dict[str, dict[str, taxonomy.Code]] = {
        "municipality": taxonomy.MUNICIPALITIES,
        "barrier": taxonomy.BARRIERS,
        "channel": taxonomy.CHANNELS,
        "state": {**taxonomy.CASE_STATUSES, **taxonomy.OUTCOMES},
        "referral_outcome": taxonomy.REFERRAL_OUTCOMES,
        "need": taxonomy.UNMET_NEEDS,
        "mediator_result": taxonomy.MEDIATOR_RESULTS,
    }
    if dim in lists and code in lists[dim]:
        return _(lists[dim][code].title)
    own = _OWN_TITLES.get(dim, {}).get(code)
    return _(own) if own else code


def figure(value: int | None, lang: str = "de") -> str:
    """A published figure; None only in reports of the suppression era."""
    return _("gesperrt") if value is None else format_number(value, lang)


def method_line(payload: dict[str, Any]) -> str:
    """How the figures of this report are protected, in one sentence."""
    if "protection" not in payload:  # suppression era
        return _("Werte von 1 bis {below} und daraus errechenbare Werte werden gesperrt.").format(
            below=payload["k"] - 1
        )
    protection = payload["protection"]
    return _(
        "Jeder Wert ist leicht verändert (Zufallsüberlagerung, höchstens ±{deviation}, im Mittel 0); "
        "derselbe Wert wird immer gleich verändert, echte Nullen bleiben 0."
    ).format(deviation=protection["D"])


def describe(payload: dict[str, Any], lang: str = "de") -> str:
    """Every non-zero figure of the report, table by table, in plain words."""
    lines = [
        _("Bericht {period} von Arbeitsplatz {desk} (Gemeinde {municipality})").format(
            period=payload["period"],
            desk=payload["desk_id"],
            municipality=code_title("municipality", payload["municipality"]),
        ),
        method_line(payload),
        "",
    ]
    for name, spec in TABLES.items():
        if name not in payload["tables"]:
            continue  # a report of an older schema, frozen before the table existed
        table = payload["tables"][name]
        lines.append(f"{_(spec.title)}: {figure(table['total'], lang)}")
        shown = 0
        for cell in table["cells"]:
            if cell["value"] == 0:
                continue
            words = " · ".join(code_title(d, c) for d, c in zip(spec.dims, cell["key"], strict=True))
            lines.append(f"  {words}: {figure(cell['value'], lang)}")
            shown += 1
        hidden = len(table["cells"]) - shown
        if hidden:
            lines.append("  " + _("({count} weitere Felder mit 0)").format(count=hidden))
        lines.append("")
    return "\n".join(lines)
