"""The print hook: render a handout through kim_desk.documents when it is there.

The PDF is rendered on the pool (render_bytes touches no widget), written into the desk's
own folder under a name with only the kind and the record number (no personal data), and
opened with the system's PDF viewer. A print preview inside the app belongs to the
documents engineer; this hook keeps working, with a plain message, while documents is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kim_desk.catalog import Catalog
from kim_desk.fileutil import write_atomic
from kim_desk.i18n import _
from kim_desk.paths import DataPaths
from kim_desk.store import Store, audit


def documents_available() -> bool:
    try:
        from kim_desk.documents import adapter, render_bytes  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class PrintJob:
    kind: str  # "checklist" | "next-steps" | "appointment"
    case_id: int | None = None
    appointment_id: int | None = None


def prepare(store: Store, catalog: Catalog, job: PrintJob) -> tuple[object, str]:
    """On the DB worker: the document data and the client's language; records the print."""
    from kim_desk.documents.adapter import client_language, document_data

    data = document_data(store, catalog, case_id=job.case_id, appointment_id=job.appointment_id)
    lang = client_language(store, case_id=job.case_id, appointment_id=job.appointment_id)
    with store.transaction():
        entity, entity_id = ("case", job.case_id) if job.case_id is not None else ("appointment", job.appointment_id)
        audit.record(store, "print", entity, entity_id or 0)
    return data, lang


def render_to_file(paths: DataPaths, job: PrintJob, data: object, lang: str) -> Path:
    """On the pool: lay out the PDF and write it under the desk's print folder."""
    from kim_desk.documents import render_bytes

    pdf = render_bytes(job.kind, data, lang)  # type: ignore[arg-type]
    record = f"case-{job.case_id}" if job.case_id is not None else f"appointment-{job.appointment_id}"
    target = paths.root / "prints" / f"{job.kind}-{record}-{lang}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, pdf)
    return target


def unavailable_message() -> str:
    return _("Drucken ist in dieser Version noch nicht verfügbar.")


Opener = Callable[[Path], None]
