"""Documents from stored records, and the `kim-desk print` command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kim_desk.desk import Desk
from kim_desk.documents import render
from kim_desk.documents.adapter import document_data
from kim_desk.errors import UsageError
from kim_desk.paths import DataPaths
from kim_desk.store.cases import list_cases
from tests.conftest import PASSPHRASE
from tests.unit.documents_support import pdf_text, qpdf_check, run_print


def _case_with_checklist(desk: Desk) -> int:
    return next(case.id for case in list_cases(desk.store, open_only=True) if len(case.checklist) >= 3)


def test_checklist_from_the_store_names_client_and_every_item(desk: Desk, tmp_path: Path) -> None:
    case_id = _case_with_checklist(desk)
    data = document_data(desk.store, desk.catalog, case_id=case_id)
    pdf = render("checklist", data, "de", tmp_path / "c.pdf")
    qpdf_check(pdf)
    text = pdf_text(pdf)
    assert data.case is not None
    assert data.client.family_name in text
    for line in data.case.checklist:
        if line.state in ("missing", "present"):
            assert " ".join(line.label.split()) in text


def test_print_command_writes_the_pdf(
    desk_paths: DataPaths, passphrase_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kim_desk.desk import open_desk
    from tests.conftest import always

    opened = open_desk(desk_paths, always(PASSPHRASE), keyring=None)
    case_id = _case_with_checklist(opened)
    opened.close()
    out = tmp_path / "handout.pdf"
    assert run_print(["print", "next-steps", "--case", str(case_id), "--lang", "uk", "-o", str(out)], desk_paths) == 0
    assert capsys.readouterr().out.strip() == str(out)
    qpdf_check(out)
    assert "Ihr Antrag: Stand und nächste Schritte" in pdf_text(out)


def test_print_command_refuses_an_unknown_language(
    desk_paths: DataPaths, passphrase_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "handout.pdf"
    with pytest.raises(UsageError, match="Unbekannte Sprache „xx“"):
        run_print(["print", "checklist", "--case", "1", "--lang", "xx", "-o", str(out)], desk_paths)
    assert not out.exists()


def test_the_slip_from_the_store_carries_the_desk_phone_hours_and_calendar_uid(desk: Desk, tmp_path: Path) -> None:
    from kim_desk import settings
    from kim_desk.store.appointments import list_appointments

    settings.put(desk.store, "desk_phone", "02382 8934-12")
    settings.put(desk.store, "desk_hours", "Di und Do 9–12 Uhr")
    appointment = next(a for a in list_appointments(desk.store, dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
    data = document_data(desk.store, desk.catalog, appointment_id=appointment.id)
    assert data.desk.phone == "02382 8934-12" and data.desk.hours == "Di und Do 9–12 Uhr"
    assert data.appointment is not None and data.appointment.uid == f"appointment-{appointment.id}@kim-desk"
    assert data.created is not None
    text = pdf_text(render("appointment", data, "de", tmp_path / "slip.pdf"))
    assert "Rufen Sie uns an: 02382 8934-12" in text
    assert "Sprechzeiten: Di und Do 9–12 Uhr" in text


def test_household_and_children_as_the_aid_prints_them() -> None:
    from kim_desk.documents.adapter import client_view
    from kim_desk.store.clients import Client, HouseholdMember

    alone = client_view(Client("Karimi", "ahlen"))
    assert alone.household_size is None and alone.children == ()  # nothing recorded: "Bitte ausfüllen"
    family = client_view(
        Client("Karimi", "ahlen", household=[
            HouseholdMember("Karimi", "Lina", "2019-04-03", "child"),
            HouseholdMember("Karimi", "Sara", None, "spouse"),
            HouseholdMember("Karimi", "Omid", None, "child"),
        ])
    )  # fmt: skip
    assert family.household_size == 4
    assert family.children == ("Lina Karimi (03.04.2019)", "Omid Karimi")
