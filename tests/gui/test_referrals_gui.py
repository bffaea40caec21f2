"""Referrals, unmet needs and interpreter requests, driven through the window (DESIGN.md §7, issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from kim_desk.gui.dialogs.appointment import AppointmentDialog
from kim_desk.services import load_services, services_for
from kim_desk.stats.periods import parse_quarter
from kim_desk.store.appointments import Appointment, create_appointment, get_appointment, list_appointments
from kim_desk.store.clients import Client, create_client
from kim_desk.store.referrals import (
    MediatorRequest,
    Referral,
    list_referrals,
    list_unmet_needs,
    mediator_request_for,
    refer,
    request_mediator,
)
from kim_desk.sync.service import preview
from tests.conftest import TODAY

ISOLATES = "\u2068", "\u2069"  # around a date in a table cell


def _plain(text: object) -> str:
    return str(text).replace(ISOLATES[0], "").replace(ISOLATES[1], "")


def _rows(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[_plain(model.index(r, c).data()) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _new_client(desk, **fields) -> int:  # type: ignore[no-untyped-def]
    values = {"family_name": "Haddad", "given_names": "Lina", "municipality": "ahlen", "languages": ["ar", "de"]}
    values.update(fields)
    return create_client(desk.store, Client(**values)).id


def _open(window, qtbot, client_id: int):  # type: ignore[no-untyped-def]
    window.open_client(client_id)
    panel = window.clients_page.panel
    qtbot.waitUntil(lambda: panel.client is not None and panel.client.id == client_id)
    return panel


def test_refer_from_the_client_page_and_record_the_outcome(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk)
    panel = _open(window, qtbot, client_id)
    section = panel.referral_section
    qtbot.mouseClick(section.buttons["referButton"], Qt.MouseButton.LeftButton)
    dialog = section.referral_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    assert dialog.client_name.text() == "Haddad, Lina"
    offered = [dialog.services.item(row).data(Qt.ItemDataRole.UserRole) for row in range(dialog.services.count())]
    assert offered == [s.code for s in services_for(load_services(), "ahlen", "ar")]
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()  # nothing chosen yet

    assert dialog.choose("auslaenderbehoerde")
    assert dialog.facts["provider"].text() == "Kreis Warendorf"
    assert dialog.facts["phone"].text() == "nicht bekannt"  # no number in the catalogue: none invented
    assert dialog.facts["address"].text() == "nicht bekannt"
    assert dialog.choose("fit")
    assert dialog.facts["summary"].text() != "nicht bekannt"
    dialog.notes.setPlainText("Mutter von zwei Kindern unter 3")
    save.click()
    assert not dialog.dialog.isVisible()

    stored = list_referrals(desk.store, client_id)
    assert [(r.service_code, r.referred_on, r.outcome, r.notes) for r in stored] == [
        ("fit", TODAY.date(), "open", "Mutter von zwei Kindern unter 3")
    ]
    rows = _rows(section.referrals)
    assert rows[0][:3] == ["FIT – frühkindliche Integration", "23.11.2026", "Offen"]

    # the outcome, from the list on the client page
    section.outcome.setCurrentIndex(section.outcome.findData("waiting_list"))
    qtbot.mouseClick(section.buttons["saveOutcomeButton"], Qt.MouseButton.LeftButton)
    stored = list_referrals(desk.store, client_id)
    assert [(r.outcome, r.outcome_on) for r in stored] == [("waiting_list", TODAY.date())]
    assert _rows(section.referrals)[0][2:4] == ["Warteliste", "23.11.2026"]
    assert section.outcome.currentData() == "waiting_list"  # the same referral stays chosen


def test_refer_from_the_case_view_links_the_case(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.store import cases

    client_id = _new_client(desk)
    case_id = cases.open_case(desk.store, desk.catalog, client_id, "kindergeld").id
    window.open_case(case_id)
    view = window.applications_page.case_view
    qtbot.waitUntil(lambda: view.case_id == case_id)
    qtbot.mouseClick(view.buttons["referButton"], Qt.MouseButton.LeftButton)
    dialog = view.referral_dialog
    assert dialog is not None and dialog.case.currentData() == case_id
    dialog.choose("mbe")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert [(r.service_code, r.case_id) for r in list_referrals(desk.store, client_id)] == [("mbe", case_id)]


def test_an_unmet_need_in_two_clicks(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk)
    panel = _open(window, qtbot, client_id)
    section = panel.referral_section
    qtbot.mouseClick(section.buttons["needButton"], Qt.MouseButton.LeftButton)  # click 1
    dialog = section.need_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    assert dialog.dialog.focusWidget() is dialog.notes  # Enter or Space never records a need by accident
    qtbot.mouseClick(dialog.category_buttons["course_with_childcare"], Qt.MouseButton.LeftButton)  # click 2
    assert not dialog.dialog.isVisible()
    assert [(n.category, n.noted_on, n.notes) for n in list_unmet_needs(desk.store, client_id)] == [
        ("course_with_childcare", TODAY.date(), "")
    ]
    # with a note, typed first
    qtbot.mouseClick(section.buttons["addNeedButton"], Qt.MouseButton.LeftButton)
    dialog = section.need_dialog
    dialog.notes.setPlainText("Kein Platz in Ahlen bis Sommer")
    qtbot.mouseClick(dialog.category_buttons["childcare_place"], Qt.MouseButton.LeftButton)
    assert [n.notes for n in list_unmet_needs(desk.store, client_id)] == ["", "Kein Platz in Ahlen bis Sommer"]
    rows = _rows(section.needs)
    assert [row[:2] for row in rows] == [
        ["Betreuungsplatz für ein Kind", "23.11.2026"],
        ["Sprachkurs mit Kinderbetreuung", "23.11.2026"],
    ]


def test_an_interpreter_request_on_an_appointment(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk, languages=["de", "fa"])
    appointment_id = create_appointment(
        desk.store, Appointment(client_id, dt.datetime(2026, 11, 23, 14, 0), 45, "Büro 2", "Frau Neumann", "Jobcenter")
    ).id
    appointment = get_appointment(desk.store, appointment_id)
    dialog = AppointmentDialog(window.ctx, window, appointment=appointment, client_name="Haddad, Lina")
    dialog.open()
    assert not dialog.mediator_needed.isChecked() and not dialog.mediator_language.isEnabled()
    assert dialog.mediator_language.currentData() == "fa"  # the first language that is not German
    dialog.mediator_needed.setChecked(True)
    assert dialog.mediator_language.isEnabled() and dialog.mediator_result.currentData() == "requested"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    request = mediator_request_for(desk.store, appointment_id)
    assert request is not None and (request.language, request.result) == ("fa", "requested")

    # after the appointment: nobody came
    dialog = AppointmentDialog(window.ctx, window, appointment=get_appointment(desk.store, appointment_id))
    assert dialog.mediator_needed.isChecked() and dialog.mediator_language.currentData() == "fa"
    dialog.mediator_result.setCurrentIndex(dialog.mediator_result.findData("did_not_come"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    request = mediator_request_for(desk.store, appointment_id)
    assert request is not None and request.result == "did_not_come"

    # ticked by mistake: unticking takes the request back
    dialog = AppointmentDialog(window.ctx, window, appointment=get_appointment(desk.store, appointment_id))
    dialog.mediator_needed.setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert mediator_request_for(desk.store, appointment_id) is None


def test_a_failed_interpreter_request_leaves_the_appointment_as_it_was(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk)
    appointment_id = create_appointment(
        desk.store, Appointment(client_id, dt.datetime(2026, 11, 24, 9, 0), 30, "Büro 2", "Frau Neumann", "Wohngeld")
    ).id
    dialog = AppointmentDialog(window.ctx, window, appointment=get_appointment(desk.store, appointment_id))
    dialog.topic.setText("Wohngeld und Kita")
    dialog.mediator_needed.setChecked(True)
    dialog.mediator_language.addItem("Klingonisch", "tlh")  # a language the store refuses
    dialog.mediator_language.setCurrentIndex(dialog.mediator_language.count() - 1)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.warning.text()  # the reason is shown
    assert get_appointment(desk.store, appointment_id).topic == "Wohngeld"  # the appointment is unchanged too
    assert mediator_request_for(desk.store, appointment_id) is None


def test_today_asks_about_old_open_referrals(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk, family_name="Okafor", given_names="Grace")
    known = set(load_services())
    old = refer(desk.store, Referral(client_id, "komm_an", TODAY.date() - dt.timedelta(weeks=5)), known).id
    recent = refer(desk.store, Referral(client_id, "mbe", TODAY.date() - dt.timedelta(weeks=2)), known).id
    window.show_page("today")
    page = window.today_page
    rows = _rows(page.follow_ups)
    ids = [f.referral_id for f in page.follow_ups.records()]
    assert old in ids and recent not in ids
    assert rows[ids.index(old)] == ["Okafor, Grace", "KOMM-AN NRW", "19.10.2026"]

    # activating the row opens the person's referral, its outcome ready to record
    table = page.tables["followUpsTable"]
    table.activated.emit(page.follow_ups.index(ids.index(old), 0))
    assert window.current_page() == "clients"
    panel = window.clients_page.panel
    section = panel.referral_section
    assert panel.client.id == client_id
    assert panel.tabs.currentWidget() is section.tab
    assert section.selected().id == old
    section.outcome.setCurrentIndex(section.outcome.findData("taken_up"))
    qtbot.mouseClick(section.buttons["saveOutcomeButton"], Qt.MouseButton.LeftButton)
    window.show_page("today")
    assert old not in [f.referral_id for f in page.follow_ups.records()]


def _true_counts(store):  # type: ignore[no-untyped-def]
    """The quarter's counts before the cell key method perturbs them."""
    from kim_desk.stats import tables

    return tables.counts_only(tables.count_tables(store, tables.Window(parse_quarter("2026Q4"))))


def test_the_quarter_preview_counts_what_was_recorded(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The records the GUI made are what the quarter's report counts."""
    before = _true_counts(desk.store)
    client_id = _new_client(desk)
    panel = _open(window, qtbot, client_id)
    section = panel.referral_section
    section.refer()
    section.referral_dialog.choose("sprachhelfer")
    section.referral_dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    section.note_need()
    qtbot.mouseClick(section.need_dialog.category_buttons["housing"], Qt.MouseButton.LeftButton)
    appointment_id = create_appointment(desk.store, Appointment(client_id, dt.datetime(2026, 11, 23, 15, 0))).id
    dialog = AppointmentDialog(window.ctx, window, appointment=get_appointment(desk.store, appointment_id))
    dialog.mediator_needed.setChecked(True)
    dialog.mediator_result.setCurrentIndex(dialog.mediator_result.findData("none_available"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    after = _true_counts(desk.store)
    assert after["referrals_by_service_outcome"][("ahlen", "sprachhelfer", "open")] == 1 + before[
        "referrals_by_service_outcome"
    ].get(("ahlen", "sprachhelfer", "open"), 0)
    assert after["unmet_needs_by_category"][("ahlen", "housing")] == 1 + before["unmet_needs_by_category"].get(
        ("ahlen", "housing"), 0
    )
    cell = ("ahlen", "ar", "none_available")
    assert after["mediator_requests_by_language_result"][cell] == 1 + before[
        "mediator_requests_by_language_result"
    ].get(cell, 0)
    payload = preview(desk.store, parse_quarter("2026Q4"), None)  # what the Statistics page shows and sends
    assert payload["period"] == "2026Q4"
    for name, key in (
        ("referrals_by_service_outcome", ("ahlen", "sprachhelfer", "open")),
        ("unmet_needs_by_category", ("ahlen", "housing")),
        ("mediator_requests_by_language_result", cell),
    ):
        published = {tuple(c["key"]): c["value"] for c in payload["tables"][name]["cells"]}
        assert abs(published[key] - after[name][key]) <= 5  # perturbed by at most D=5, never left out


def test_the_referral_dialog_in_arabic(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _new_client(desk)
    panel = _open(window, qtbot, client_id)
    window.apply_language("ar")
    dialog = panel.referral_section.refer()
    assert dialog is not None
    assert dialog.dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert dialog.dialog.windowTitle() not in ("", "Vermitteln")
    dialog.choose("auslaenderbehoerde")
    assert dialog.facts["phone"].text() not in ("", "nicht bekannt")  # "not known", in Arabic


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_new_screens_read_well(window, desk, qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The accessible tree of the filled-in screens (the walk of test_accessible_tree sees only empty forms)."""
    from tests.gui.test_accessible_tree import problems

    client_id = _new_client(desk)
    refer(desk.store, Referral(client_id, "fit", TODAY.date() - dt.timedelta(weeks=6)), set(load_services()))
    panel = _open(window, qtbot, client_id)
    section = panel.referral_section
    if lang == "ar":
        window.apply_language("ar")
    panel.tabs.setCurrentWidget(section.tab)
    found = [f"panel: {p}" for p in problems(panel)]
    referral = section.refer()
    referral.choose("fit")
    found += [f"referral: {p}" for p in problems(referral.dialog)]
    referral.dialog.reject()
    need = section.note_need()
    found += [f"need: {p}" for p in problems(need.dialog)]
    need.dialog.reject()
    window.show_page("today")
    found += [f"today: {p}" for p in problems(window.today_page)]
    assert "\n".join(found) == ""


def test_a_too_long_note_is_refused_and_nothing_stored(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.store.contacts import NOTES_LIMIT

    client_id = _new_client(desk)
    panel = _open(window, qtbot, client_id)
    dialog = panel.referral_section.refer()
    dialog.choose("mbe")
    dialog.notes.setPlainText("x" * (NOTES_LIMIT + 1))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.dialog.isVisible() and str(NOTES_LIMIT) in dialog.message.text()
    assert dialog.notes.property("invalid") is True
    assert list_referrals(desk.store, client_id) == []


def test_a_broken_list_of_offers_is_said_not_hidden(window, desk, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kim_desk.errors import CatalogError
    from kim_desk.views import referrals

    def broken(folder=None):  # type: ignore[no-untyped-def]
        raise CatalogError(["fit.toml: stand: fehlt"])

    monkeypatch.setattr(referrals, "load_services", broken)
    panel = _open(window, qtbot, _new_client(desk))
    dialog = panel.referral_section.refer()
    assert "fit.toml" in dialog.message.text()
    assert dialog.services.count() == 0
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def test_the_referral_slip_prints_from_the_client_page_in_both_languages(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The Vermittlungen tab's print action opens the print dialog on the real slip: German beside Arabic."""
    import subprocess

    client_id = _new_client(desk)
    referral_id = refer(desk.store, Referral(client_id, "fit", TODAY.date()), set(load_services())).id
    section = _open(window, qtbot, client_id).referral_section
    section.tabs.setCurrentWidget(section.tab)
    section.referrals_view.setCurrentIndex(section.referrals.index(0, 0))
    button = section.buttons["printReferralButton"]
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = section.print_dialog
    assert dialog is not None and dialog.targets[0].referral_id == referral_id
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == ["Vermittlungszettel"]
    qtbot.waitUntil(lambda: dialog.preview.pdf is not None and len(dialog.page_labels) >= 1, timeout=20000)
    text = subprocess.run(["pdftotext", "-", "-"], input=dialog.preview.pdf, capture_output=True, check=True).stdout
    assert "Vermittlung" in text.decode() and "الإحالة" in text.decode()
    assert dialog.suggested_name() == f"referral-vermittlung-{referral_id}-ar.pdf"


def test_an_appointment_with_an_interpreter_offers_the_pools_sheet(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The calendar's print dialog offers the interpreter request (German only) beside the appointment slip."""
    week = list_appointments(desk.store, dt.date(2026, 11, 23), dt.date(2026, 11, 28))
    appointment = next(a for a in week if a.status == "planned")
    request_mediator(desk.store, MediatorRequest(appointment.id, "ar", TODAY.date()))
    window.show_page("calendar")
    page = window.calendar_page
    page.set_view("week", appointment.starts_at.date())
    qtbot.waitUntil(lambda: page.model.index_of(appointment.id).isValid(), timeout=10000)
    page.grid.setCurrentIndex(page.model.index_of(appointment.id))
    page.print_selected()
    dialog = page.print_dialog
    kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert kinds == ["appointment", "mediator-request"]


def test_the_referral_actions_do_not_widen_the_client_page(window, desk, qtbot) -> None:  # type: ignore[no-untyped-def]
    """In the row of buttons above the tabs they took the list of people ~260 px of its width (seen on the
    screenshot); beside Speichern they cost none."""
    panel = _open(window, qtbot, _new_client(desk))
    section = panel.referral_section
    qtbot.wait(1)
    with_actions = panel.minimumSizeHint().width()
    for name in ("referButton", "needButton"):
        section.buttons[name].hide()
    qtbot.wait(1)  # the layouts settle
    assert panel.minimumSizeHint().width() == with_actions
