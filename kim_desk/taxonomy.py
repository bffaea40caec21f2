"""Fixed code lists: municipalities, case statuses, outcomes, barriers, channels.

Codes are stable identifiers (they go into the district report); titles are
German source text marked for translation and translated when shown.
"""

from __future__ import annotations

from typing import NamedTuple

from kim_desk.i18n import N_


class Code(NamedTuple):
    code: str
    title: str  # German source, translate with _() when shown


def _codes(*pairs: tuple[str, str]) -> dict[str, Code]:
    return {code: Code(code, title) for code, title in pairs}


# The 13 municipalities of Kreis Warendorf; codes are lower-case ASCII of the name.
MUNICIPALITIES = _codes(
    ("ahlen", "Ahlen"),
    ("beckum", "Beckum"),
    ("beelen", "Beelen"),
    ("drensteinfurt", "Drensteinfurt"),
    ("ennigerloh", "Ennigerloh"),
    ("everswinkel", "Everswinkel"),
    ("oelde", "Oelde"),
    ("ostbevern", "Ostbevern"),
    ("sassenberg", "Sassenberg"),
    ("sendenhorst", "Sendenhorst"),
    ("telgte", "Telgte"),
    ("wadersloh", "Wadersloh"),
    ("warendorf", "Warendorf"),
)

# The lifecycle of a case (one application); order matters.
CASE_STATUSES = _codes(
    ("planned", N_("Geplant")),
    ("collecting", N_("Unterlagen werden gesammelt")),
    ("documents_complete", N_("Unterlagen vollständig")),
    ("submitted", N_("Eingereicht")),
    ("waiting", N_("Warten auf Entscheidung")),
    ("decided", N_("Entschieden")),
    ("closed", N_("Abgeschlossen")),
)
CASE_STATUS_ORDER = tuple(CASE_STATUSES)

# Allowed transitions; going back one step is allowed for corrections.
CASE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("collecting", "submitted", "closed"),
    "collecting": ("planned", "documents_complete", "submitted", "closed"),
    "documents_complete": ("collecting", "submitted", "closed"),
    "submitted": ("documents_complete", "waiting", "decided", "closed"),
    "waiting": ("submitted", "decided", "closed"),
    "decided": ("waiting", "closed"),
    "closed": ("decided",),
}

OUTCOMES = _codes(
    ("approved", N_("Bewilligt")),
    ("partly", N_("Teilweise bewilligt")),
    ("rejected", N_("Abgelehnt")),
    ("withdrawn", N_("Zurückgezogen")),
)

BARRIERS = _codes(
    ("missing_documents", N_("Fehlende Unterlagen")),
    ("documents_from_abroad", N_("Unterlagen aus dem Herkunftsland nicht beschaffbar")),
    ("language", N_("Sprachbarriere")),
    ("digital_only", N_("Nur digitales Verfahren")),
    ("waiting_time_authority", N_("Lange Bearbeitungszeit der Behörde")),
    ("unclear_responsibility", N_("Unklare Zuständigkeit zwischen Behörden")),
    ("no_appointment", N_("Kein Termin bei der Behörde verfügbar")),
    ("no_response", N_("Keine Rückmeldung der Behörde")),
    ("form_too_complex", N_("Formular zu kompliziert")),
    ("costs", N_("Kosten (Gebühren, Übersetzungen, Fahrten)")),
    ("bank_account", N_("Kein Bankkonto")),
    ("registration_address", N_("Keine Meldeadresse")),
    ("childcare", N_("Fehlende Kinderbetreuung")),
    ("health", N_("Gesundheitliche Gründe")),
)

CHANNELS = _codes(
    ("in_person", N_("Persönlich")),
    ("phone", N_("Telefon")),
    ("video", N_("Video")),
    ("email", N_("E-Mail")),
    ("outreach", N_("Aufsuchend")),
)

APPOINTMENT_STATUSES = _codes(
    ("planned", N_("Geplant")),
    ("done", N_("Wahrgenommen")),
    ("cancelled", N_("Abgesagt")),
    ("no_show", N_("Nicht erschienen")),
)

CHECKLIST_STATES = _codes(
    ("missing", N_("Fehlt")),
    ("present", N_("Liegt vor")),
    ("not_needed", N_("Nicht nötig")),
)

HOUSEHOLD_RELATIONS = _codes(
    ("spouse", N_("Ehepartner/in")),
    ("child", N_("Kind")),
    ("parent", N_("Elternteil")),
    ("sibling", N_("Geschwister")),
    ("other", N_("Andere")),
)

RESIDENCE_STATUSES = _codes(
    ("none", N_("Kein Titel / ungeklärt")),
    ("asylum_procedure", N_("Aufenthaltsgestattung (Asylverfahren)")),
    ("toleration", N_("Duldung")),
    ("temporary_protection", N_("Aufenthaltserlaubnis § 24 AufenthG")),
    ("protection", N_("Aufenthaltserlaubnis (Schutzstatus)")),
    ("residence_permit", N_("Aufenthaltserlaubnis (sonstige)")),
    ("settlement_permit", N_("Niederlassungserlaubnis")),
    ("eu_citizen", N_("EU-Freizügigkeit")),
    ("german", N_("Deutsche Staatsangehörigkeit")),
)

# What became of a referral to a local offer (DESIGN.md §7); "open" until the counsellor hears back.
REFERRAL_OUTCOMES = _codes(
    ("open", N_("Offen")),
    ("taken_up", N_("Angenommen")),
    ("waiting_list", N_("Warteliste")),
    ("no_place", N_("Kein Platz frei")),
    ("not_offered_here", N_("In dieser Kommune nicht angeboten")),
    ("not_eligible", N_("Nicht berechtigt")),
    ("declined", N_("Von der Person abgelehnt")),
)

# Needs a counsellor saw with no offer that fits; a fixed list, so the district can count them.
UNMET_NEEDS = _codes(
    ("childcare_place", N_("Betreuungsplatz für ein Kind")),
    ("language_course", N_("Sprachkurs")),
    ("course_with_childcare", N_("Sprachkurs mit Kinderbetreuung")),
    ("interpreter", N_("Sprachmittlung")),
    ("school_place", N_("Schulplatz")),
    ("training_work", N_("Ausbildung oder Arbeit")),
    ("housing", N_("Wohnung")),
    ("psychosocial", N_("Psychosoziale Unterstützung")),
    ("health_care", N_("Ärztliche Versorgung")),
    ("legal_advice", N_("Rechtsberatung")),
    ("debt_counselling", N_("Schuldnerberatung")),
    ("digital_access", N_("Zugang zu digitalen Verfahren")),
    ("mobility", N_("Erreichbarkeit (Fahrt, Fahrtkosten)")),
    ("other", N_("Anderer Bedarf")),
)

# A language-mediator request on an appointment: whether an interpreter came.
MEDIATOR_RESULTS = _codes(
    ("requested", N_("Angefragt")),
    ("came", N_("Gekommen")),
    ("did_not_come", N_("Nicht gekommen")),
    ("none_available", N_("Niemand verfügbar")),
)
