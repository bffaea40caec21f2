"""Screenshots of every page and dialog in German and Arabic, into screenshots/ (ignored by git).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshots.py [--scale 1.5]

Builds a throw-away demo desk (60 synthetic clients, fixed date 23 Nov 2026), walks through a
counselling day (a new client, an appointment, a Kindergeld application with ticked documents,
a barrier, submitted) and grabs each page. With --scale the same run happens with
QT_SCALE_FACTOR set (--scale 2: 200 %), into screenshots/scale-<factor>/; the main window's shots
are then of the whole screen, to show that the window fits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_day(window, desk) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Record the counselling day through the core so every page has something to show."""
    from kim_desk import settings
    from kim_desk.store import cases
    from kim_desk.store.appointments import Appointment, create_appointment
    from kim_desk.store.clients import Client, create_client

    store = desk.store
    settings.put(store, "counsellor", "Frau Neumann")
    settings.put(store, "organisation", "Caritas Ahlen")
    client_id = create_client(
        store,
        Client(family_name="Khalil", given_names="Rana", family_name_orig="خليل", given_names_orig="رنا",
               municipality="ahlen", birth_date="1990-03-14", languages=["ar", "de"], nationality="syrisch",
               phone="02382 123456", residence_status="protection", permit_expires="2026-12-02"),
    ).id  # fmt: skip
    create_appointment(
        store, Appointment(client_id, dt.datetime(2026, 11, 23, 11, 0), 45, "Büro 2", "Frau Neumann", "Kindergeld")
    )
    case_id = cases.open_case(store, desk.catalog, client_id, "kindergeld").id
    case = cases.get_case(store, case_id)
    for item in case.checklist[:2]:
        cases.set_checklist_state(store, item.id, "present")
    cases.add_barrier(store, case_id, "documents_from_abroad")
    cases.update_case_text(store, case_id, next_steps="Steuer-ID des Kindes nachreichen.")
    cases.change_status(store, desk.catalog, case_id, "submitted", on=dt.date(2026, 10, 20))
    from kim_desk.services import load_services
    from kim_desk.store.referrals import Referral, UnmetNeed, note_unmet_need, refer

    known = set(load_services())  # an open referral from October: Today asks about it
    refer(store, Referral(client_id, "komm_an", dt.date(2026, 10, 12), notes="Termin selbst vereinbart"), known)
    note_unmet_need(store, UnmetNeed(client_id, "course_with_childcare", dt.date(2026, 11, 2)))
    return {"client": client_id, "case": case_id}


def _grab(widget, path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QMainWindow

    for _ in range(3):
        QApplication.processEvents()
    if os.environ.get("QT_SCALE_FACTOR") and isinstance(widget, QMainWindow):
        widget.screen().grabWindow(0).save(str(path))  # the whole screen: does the window fit?
    else:
        widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def shoot(out: Path) -> int:

    from PySide6.QtWidgets import QTabWidget

    from kim_desk import i18n
    from kim_desk.clock import FixedClock
    from kim_desk.demo import generate
    from kim_desk.desk import create_desk
    from kim_desk.gui.app import apply_direction, setup_application
    from kim_desk.gui.context import GuiOptions
    from kim_desk.gui.first_run import FirstRunWizard
    from kim_desk.gui.main_window import PAGES, MainWindow
    from kim_desk.gui.unlock import UnlockDialog
    from kim_desk.paths import DataPaths
    from kim_desk.vault import KdfParams

    app = setup_application(sys.argv[:1])
    apply_direction(app, "de")  # as the app does at start: Qt's own buttons in German too
    out.mkdir(parents=True, exist_ok=True)
    clock = FixedClock(dt.datetime(2026, 11, 23, 9, 30))
    kdf = KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
    options = GuiOptions(synchronous=True, clock=clock, keyring=None, kdf=kdf)
    with tempfile.TemporaryDirectory(prefix="kim-shots-") as folder:
        paths = DataPaths(Path(folder) / "desk")
        desk, _code = create_desk(paths, "screenshot passphrase", None, kdf, clock)
        generate(desk.store, desk.catalog, clients=60)
        ids = _prepare_day(None, desk)
        window = MainWindow(desk, options)
        if not os.environ.get("QT_SCALE_FACTOR"):
            window.resize(1400, 860)  # scaled, the window takes the size it gives itself on that screen
        window.show()
        for lang in ("de", "ar"):
            page = window.settings_page  # switch as a counsellor would: Settings, language, save
            window.show_page("settings")
            page.language.setCurrentIndex(page.language.findData(lang))
            page.save()
            for name in PAGES:
                window.show_page(name)
                if name == "clients":
                    window.clients_page.open_client(ids["client"])
                if name == "applications":
                    window.applications_page.open_case(ids["case"])
                _grab(window, out / f"{lang}-{name}.png")
            window.clients_page.panel.tabs.setCurrentIndex(1)
            window.show_page("clients")
            window.clients_page.open_client(ids["client"])
            window.clients_page.panel.tabs.setCurrentIndex(2)
            _grab(window, out / f"{lang}-client-applications.png")
            window.clients_page.panel.tabs.setCurrentIndex(0)
            window.new_appointment_for(ids["client"])
            dialog = window.calendar_page.dialog
            assert dialog is not None
            _grab(dialog.dialog, out / f"{lang}-appointment-dialog.png")
            dialog.dialog.reject()
            window.new_case_for(ids["client"])
            _grab(window.dialogs[-1].dialog, out / f"{lang}-new-application-dialog.png")
            window.dialogs[-1].dialog.reject()
            stats = window.statistics_page
            window.show_page("statistics")
            stats.table_choice.setCurrentIndex(stats.table_choice.findData("contacts_by_channel"))
            _grab(window, out / f"{lang}-statistics-crosstab.png")
            stats.table_choice.setCurrentIndex(stats.table_choice.findData("cases_by_type_state"))
            _grab(window, out / f"{lang}-statistics-crosstab-cases.png")
            window.show_page("settings")
            tabs = window.settings_page.ui.findChild(QTabWidget, "tabs")
            tabs.setCurrentIndex(1)
            window.settings_page.district.url.setText("https://kim.kreis-warendorf.de")
            _grab(window, out / f"{lang}-settings-enrolment.png")
            window.settings_page.discard_changes()
            tabs.setCurrentIndex(3)
            _grab(window, out / f"{lang}-settings-retention.png")
            tabs.setCurrentIndex(0)
            window.show_page("clients")
            window.clients_page.open_client(ids["client"])
            contact = window.clients_page.panel.record_contact()
            assert contact is not None
            _grab(contact.dialog, out / f"{lang}-contact-dialog.png")
            contact.save()  # recorded: it shows on the Kontakte tab
            window.clients_page.panel.tabs.setCurrentIndex(4)
            _grab(window, out / f"{lang}-client-contacts.png")
            section = window.clients_page.panel.referral_section
            referral = section.refer()
            assert referral is not None
            referral.choose("fit")
            _grab(referral.dialog, out / f"{lang}-referral-dialog.png")
            referral.save()  # shows on the Vermittlungen tab
            need = section.note_need()
            assert need is not None
            _grab(need.dialog, out / f"{lang}-need-dialog.png")
            need.dialog.reject()
            window.clients_page.panel.tabs.setCurrentWidget(section.tab)
            _grab(window, out / f"{lang}-client-referrals.png")
            window.clients_page.panel.tabs.setCurrentIndex(0)
            window.show_page("today")
            offered = window.today_page.record_contact()
            if offered is not None:
                _grab(offered.dialog, out / f"{lang}-contact-from-appointment.png")
                offered.dialog.reject()
            unlock = UnlockDialog()
            unlock.prepare(i18n._("Der Schlüsselbund ist gesperrt."), i18n._("Die Passphrase ist falsch."))
            unlock.dialog.show()
            _grab(unlock.dialog, out / f"{lang}-unlock.png")
            unlock.dialog.close()
            wizard = FirstRunWizard(DataPaths(Path(folder) / f"new-{lang}"), options)
            wizard.show()
            wizard.passphrase_page.demo.setChecked(True)
            _grab(wizard, out / f"{lang}-first-run-1.png")
            wizard.passphrase_page.demo.setChecked(False)
            wizard.passphrase_page.first.setText("screenshot passphrase")
            wizard.passphrase_page.second.setText("screenshot passphrase")
            wizard.next()
            _grab(wizard, out / f"{lang}-first-run-2.png")
            wizard.close()
            if wizard.desk is not None:
                wizard.desk.close()
        window.lock()
        _grab(window, out / "de-ar-locked.png")
        window.close()
        i18n.set_ui_language("de")
    app.processEvents()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=None, help="also shoot at this QT_SCALE_FACTOR (e.g. 1.5)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("no DISPLAY: run under xvfb-run (see the docstring), or set QT_QPA_PLATFORM=offscreen", file=sys.stderr)
        return 2
    if args.scale is not None and os.environ.get("QT_SCALE_FACTOR") is None:
        import subprocess

        env = dict(os.environ, QT_SCALE_FACTOR=str(args.scale))
        target = args.out / f"scale-{args.scale:g}"
        return subprocess.call([sys.executable, __file__, "--out", str(target)], env=env)  # noqa: S603 - this script
    return shoot(args.out)


if __name__ == "__main__":
    raise SystemExit(main())
