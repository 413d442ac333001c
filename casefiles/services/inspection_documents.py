"""The inspections' documents (SPEC §6) rendered and stored like a case's: an accepted action
queues one outbox item per document it issued (``inspection_document_issued``), and the
documents flow (or `casefiles documents`) renders it from the facts fixed in the inspection,
keeps the PDF in the shared store by its SHA-256 and records the hash in the inspection's
chain. Asking for a document before a run did renders and stores it at once; the run then
finds it stored and only claims its item, so each document is stored exactly once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from casefiles.adapters.inspection_store import InspectionStore
from casefiles.adapters.pdf import Rendered
from casefiles.domain import inspections as I
from casefiles.domain.model import Document
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles
from casefiles.services.documents import document_of, renderer, store_once
from casefiles.services.inspections import InspectionNotFoundError, get, record, rule_stamps
from casefiles.services.uow import UnitOfWork


def store_document(app: Casefiles, inspection_id: str, document_id: str,
                   item_id: int | None = None) -> bool:
    """Render one issued document from its fixed facts and keep it as a case's is kept
    (:func:`~casefiles.services.documents.store_once`): its hash and path on the inspection, a
    ``document_stored`` entry in its chain, and the outbox item ``item_id`` claimed in the same
    transaction. False when it was stored already (or the item was done by another run); the
    item is claimed either way."""
    from casefiles.domain.inspection_facts import TEMPLATES

    with app.uow() as uow:
        insp = InspectionStore(uow.conn).get(inspection_id)
    doc = document_of(insp, document_id)
    rendered = None
    if insp is not None and doc is not None and doc.sha256 is None:
        rendered = renderer(app).render_template(TEMPLATES[doc.kind], insp.facts[doc.id],
                                                 doc.issued_at.isoformat())

    def keep(uow: UnitOfWork, locked: I.Inspection, stored: Document, rendered: Rendered,
             now: datetime) -> bool:
        record(uow, locked, at=now, actor="system", role="system", action="document_stored",
               payload={"document_id": stored.id, "kind": stored.kind,
                        "number": stored.number, "pages": rendered.pages},
               result="ok", codes=[], warnings=[], state_before=locked.state,
               state_after=locked.state, files=[str(stored.sha256)],
               rule_sets=rule_stamps(app, locked, local_date(now)))
        return InspectionStore(uow.conn).save(locked, local_date(now), bump=False)

    return store_once(app, item_id, document_id, rendered,
                      lambda uow: InspectionStore(uow.conn).get(inspection_id, lock=True), keep)


def store_item(app: Casefiles, item: dict[str, Any]) -> bool:
    """The documents flow's work for one ``inspection_document_issued`` item."""
    data = item["payload"]
    return store_document(app, data["inspection_id"], data["document_id"], item["id"])


def stored_documents(app: Casefiles, inspection_id: str) -> I.Inspection:
    """The inspection with every document it issued stored (those still waiting rendered
    now), for a case file that gathers them."""
    insp = get(app, inspection_id)
    for d in insp.documents:
        if d.sha256 is None:
            store_document(app, insp.id, d.id)
    return get(app, inspection_id)


def document(app: Casefiles, ref: str, which: str) -> Path:
    """The PDF of one of the inspection's documents (by number or id), rendered and stored
    now if no run has stored it yet."""
    insp = get(app, ref)
    doc = next((d for d in insp.documents if which in (d.number, d.id)), None)
    if doc is None:
        raise InspectionNotFoundError(f"检查记录{insp.number}没有文书{which} / no document "
                                      f"{which!r}")
    if doc.sha256 is None:
        store_document(app, insp.id, doc.id)
        doc = document_of(get(app, insp.id), doc.id)
    assert doc is not None and doc.sha256 is not None and doc.path is not None
    return app.settings.store().local(doc.path, doc.sha256)
