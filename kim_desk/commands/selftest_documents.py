"""Self-test: every document kind renders in German and every complete language."""

from __future__ import annotations

from pathlib import Path

from kim_desk.commands.base import Check


def check_documents(tmp: Path) -> None:
    from kim_desk import demo, vault
    from kim_desk.desk import create_desk
    from kim_desk.documents import KINDS, render_bytes
    from kim_desk.documents.adapter import document_data
    from kim_desk.i18n.status import COMPLETE_CONTENT
    from kim_desk.paths import DataPaths

    fast = vault.KdfParams(iterations=1, lanes=1, memory_kib=8 * 1024)
    desk, _code = create_desk(DataPaths(tmp / "desk"), "self-test passphrase", None, fast)
    try:
        demo.generate(desk.store, desk.catalog, clients=30)
        row = desk.store.one(
            "SELECT a.id, a.case_id FROM appointment a JOIN mediator_request m ON m.appointment_id = a.id "
            "WHERE a.case_id IS NOT NULL ORDER BY a.id LIMIT 1"
        )
        referral = desk.store.one("SELECT id FROM referral ORDER BY id LIMIT 1")
        if row is None or referral is None:
            raise AssertionError("demo data has no appointment with an application and an interpreter, or no referral")
        by_case = document_data(desk.store, desk.catalog, case_id=int(row["case_id"]))
        by_appointment = document_data(desk.store, desk.catalog, appointment_id=int(row["id"]))
        by_referral = document_data(desk.store, desk.catalog, referral_id=int(referral["id"]))
        failures = []
        for lang in ("de", *COMPLETE_CONTENT):
            for kind in KINDS:
                data = {"appointment": by_appointment, "mediator-request": by_appointment, "referral": by_referral}.get(
                    kind, by_case
                )
                pdf = render_bytes(kind, data, lang)
                if not pdf.startswith(b"%PDF") or b"/Type /Page" not in pdf:
                    failures.append(f"{kind}/{lang}")
        if failures:
            raise AssertionError("not rendered: " + ", ".join(failures))
    finally:
        desk.close()


CHECKS: list[tuple[str, Check]] = [("documents in every complete language", check_documents)]
