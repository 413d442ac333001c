"""Rendering the documents actions issue, in batches (the flows call this): each document is
rendered from the facts its action fixed, stored under the data directory by its SHA-256, and
its hash recorded on the case and in the case's history. The case file (案卷) is assembled the
same way once the case is archived, from the stored PDFs of every other document.

Rendering happens outside any transaction (a page takes ~50 ms); the outbox item is claimed in
the short transaction that records the result, so a rerun never stores a document twice and an
issued document never changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape
from pathlib import Path
from typing import Any, Protocol, TypeVar

from casefiles.adapters.dossier import Part, assemble
from casefiles.adapters.files import Store
from casefiles.adapters.fonts import prepare
from casefiles.adapters.pdf import Rendered, Renderer
from casefiles.domain.docfacts import cn_date
from casefiles.domain.documents import ARCHIVE_RANK, DOSSIER
from casefiles.domain.errors import DossierError, NotArchivedError
from casefiles.domain.model import Case, Document
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import aware, local_date
from casefiles.domain.vocabulary import EVIDENCE_KINDS
from casefiles.services.app import SYSTEM_PERSON, Casefiles, Outcome
from casefiles.services.uow import UnitOfWork
from casefiles.services.work import lease, record_failure, run_owner

ISSUED = "document_issued"
INSPECTION_ISSUED = "inspection_document_issued"  # an inspection's (services/inspection_documents)
RENDERED = (ISSUED, INSPECTION_ISSUED)  # what the documents flow renders


@dataclass
class RenderReport:
    """What one rendering batch did."""

    rendered: int = 0
    skipped: int = 0
    failed: int = 0


@cache
def _renderer(templates_dir: Path, fonts_dir: Path) -> Renderer:
    return Renderer(templates_dir, prepare(fonts_dir))


def renderer(cf: Casefiles) -> Renderer:
    """The process's renderer for these settings (fonts and styles load once)."""
    s = cf.settings
    return _renderer(s.templates_dir.resolve(), s.font_cache.resolve())


def render_pending(cf: Casefiles, batch: int = 100, case_id: str | None = None,
                   dossiers: bool = True) -> RenderReport:
    """Render and store up to ``batch`` issued documents not stored yet, the inspections'
    too (of one case only, when given; without case files when ``dossiers`` is false), leased to this run so that no
    other run renders them meanwhile. A document that fails is counted, its error kept on
    the outbox item, and retried after a backoff (parked after the settings' attempts)."""
    return render_items(cf, lease_pending(cf, batch, case_id, dossiers))


def lease_pending(cf: Casefiles, batch: int = 100, case_id: str | None = None,
                  dossiers: bool = True) -> list[dict[str, Any]]:
    """Lease up to ``batch`` issued documents to render (see :func:`render_pending`); the
    flow renders them in chunks of its own with :func:`render_items`."""
    owner = run_owner()
    items = lease(cf, owner, [ISSUED] if case_id else RENDERED, batch, case_id=case_id)
    later = [i["id"] for i in items if not dossiers and i["payload"].get("kind") == DOSSIER]
    if later:  # the case file waits for the run that builds it
        with cf.uow(write=True) as uow:
            uow.outbox.release(later, owner)
            uow.commit()
    return [i for i in items if i["id"] not in later]


def render_items(cf: Casefiles, items: list[dict[str, Any]]) -> RenderReport:
    """Render and store leased documents, each claimed in the transaction that records it (so
    an item done by another run, or by an earlier try of this one, is only skipped)."""
    report = RenderReport()
    for item in items:
        try:
            stored = _render_item(cf, item)
        # any failure is kept on the item for the supervisor, and the batch goes on
        except Exception as exc:  # noqa: BLE001
            record_failure(cf, item["id"], f"{type(exc).__name__}: {exc}")
            report.failed += 1
            continue
        if stored:
            report.rendered += 1
        else:
            report.skipped += 1
    return report


def _render_item(cf: Casefiles, item: dict[str, Any]) -> bool:
    if item["kind"] == INSPECTION_ISSUED:
        from casefiles.services.inspection_documents import store_item

        return store_item(cf, item)
    document_id = item["payload"]["document_id"]
    with cf.uow() as uow:
        case = uow.cases.get(item["case_id"])
        facts = item["payload"].get("facts") or uow.contents.get(document_id)
    doc = document_of(case, document_id)
    rendered = None
    if case is not None and doc is not None and doc.sha256 is None and facts is not None:
        created = aware(doc.issued_at).isoformat()
        if doc.kind == DOSSIER:
            rendered = assemble(renderer(cf), facts, _parts(cf, case, doc), created)
        else:
            rendered = renderer(cf).render(doc.kind, facts, created)

    def keep(uow: UnitOfWork, case: Case, doc: Document, rendered: Rendered,
             now: datetime) -> bool:
        # the facts are kept for re-rendering and the case file
        if facts is not None and uow.contents.get(doc.id) is None:
            uow.contents.add(doc.id, case.id, doc.kind, facts)
        cf.record(uow, case, at=now, actor=SYSTEM_PERSON.id, role="system",
                  action="store_document",
                  payload={"document_id": doc.id, "kind": doc.kind, "number": doc.number,
                           "pages": rendered.pages, "missing_characters": rendered.missing},
                  result="ok", codes=[], warnings=[], state_before=case.state.value,
                  state_after=case.state.value, files=[str(doc.sha256)])
        return uow.cases.save(case, bump=False)

    return store_once(cf, item["id"], document_id, rendered,
                      lambda uow: uow.cases.get(item["case_id"], lock=True), keep)


class WithDocuments(Protocol):
    """A case or an inspection: what issues documents."""

    documents: list[Document]


Holder = TypeVar("Holder", bound=WithDocuments)


def document_of(holder: WithDocuments | None, document_id: str) -> Document | None:
    """The document ``document_id`` of a case or an inspection (None without either)."""
    if holder is None:
        return None
    return next((d for d in holder.documents if d.id == document_id), None)


def store_once(cf: Casefiles, item_id: int | None, document_id: str,
               rendered: Rendered | None, lock: Callable[[UnitOfWork], Holder | None],
               keep: Callable[[UnitOfWork, Holder, Document, Rendered, datetime], bool]
               ) -> bool:
    """Keep a rendered document once: its PDF in the store by SHA-256, then in one transaction
    the outbox item ``item_id`` claimed, its case or inspection locked (``lock``), the hash and
    path set on the document, and ``keep`` recording it in the chain and saving (False when
    the holder's version moved: an error, and the item is retried). False when nothing was
    rendered, the document was stored already or the item was done by another run; the item
    is claimed either way."""
    if rendered is None:
        if item_id is not None:
            with cf.uow(write=True) as uow:
                uow.outbox.claim(item_id, cf.clock.now())
                uow.commit()
        return False
    sha, path = cf.settings.store().put_bytes(rendered.pdf, "documents", ".pdf")
    now = cf.clock.now()
    with cf.uow(write=True) as uow:
        if item_id is not None and not uow.outbox.claim(item_id, now):
            return False  # another run stored it meanwhile
        holder = lock(uow)
        doc = document_of(holder, document_id)
        if holder is None or doc is None or doc.sha256 is not None:
            uow.commit()
            return False
        doc.sha256, doc.path = sha, path
        if not keep(uow, holder, doc, rendered, now):  # saved under its version: not
            raise RuntimeError("保存文书时案件或检查记录已被修改，稍后重试 / the case or "
                               "inspection changed while its document was stored; retried later")
        uow.commit()
    return True


def _parts(cf: Casefiles, case: Case, dossier: Document) -> list[Part]:
    """Every other document of the case, stored (rendering those still pending first), in
    archive order, read back and checked against the hash the history recorded."""
    if any(d.sha256 is None for d in case.documents if d is not dossier):
        render_pending(cf, batch=1000, case_id=case.id, dossiers=False)
        with cf.uow() as uow:
            case = uow.cases.get(case.id) or case
    docs = _inspection_documents(cf, case) + [d for d in case.documents if d.kind != DOSSIER]
    unstored = [d.number for d in docs if d.sha256 is None or d.path is None]
    if unstored:
        raise DossierError(f"文书尚未生成：{'、'.join(unstored)} / documents not rendered yet: "
                           f"{', '.join(unstored)}")
    order = sorted(range(len(docs)), key=lambda i: (ARCHIVE_RANK.get(docs[i].kind, 99), i))
    place = {docs[i].id: n for n, i in enumerate(order, start=1)}  # 序号 in the contents
    store = cf.settings.store()
    parts = []
    for i in order:
        d = docs[i]
        remarks = [f"被序号{place[x.id]}替代" for x in docs if x.supersedes == d.id]
        if d.supersedes in place:
            remarks.append(f"替代序号{place[str(d.supersedes)]}")
        remark = "；".join(remarks)
        parts.append(Part(kind=d.kind, number=d.number,
                          issued_on=cn_date(local_date(d.issued_at)), remark=remark,
                          pdf=store.read_verified(str(d.path), str(d.sha256))))
    return parts + _evidence_parts(cf, case, store)


def _inspection_documents(cf: Casefiles, case: Case) -> list[Document]:
    """The documents of the inspection the case was registered from (its record, order,
    measures, recheck…), stored now if no run has yet; in each archive group they come
    before the case's own, as the case rests on them."""
    if not case.inspection:
        return []
    from casefiles.services.inspection_documents import stored_documents

    return list(stored_documents(cf, case.inspection).documents)


def _evidence_parts(cf: Casefiles, case: Case, store: Store) -> list[Part]:
    """The uploaded evidence after the documents: a PDF as it is, an image on a page of its
    own; what cannot be embedded (no file kept, another format, a file that does not open) is
    listed on one page with its SHA-256, so the file can be matched to the record."""
    parts: list[Part] = []
    listed: list[tuple[str, str, str]] = []
    for e in case.evidence:
        kind = EVIDENCE_KINDS.get(e.kind, e.kind)
        sha = e.sha256 or ""
        pdf = _as_pdf(store.read_verified(e.stored_path, sha)) if e.stored_path and sha else None
        if pdf is None:
            listed.append((e.title, kind, sha or "（未登记）"))
            continue
        parts.append(Part(kind=f"证据：{e.title}", number="",
                          issued_on=cn_date(local_date(e.recorded_at)),
                          remark=f"{kind}；SHA-256 {sha[:16]}…", pdf=pdf))
    if listed:
        rows = "".join(f"<tr><td>{escape(t)}</td><td>{escape(k)}</td><td class=h>{escape(h)}</td>"
                       "</tr>" for t, k, h in listed)
        page = ("<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><style>"
                "table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;"
                "padding:4pt;font-size:10.5pt}.h{font-family:monospace;word-break:break-all}"
                "</style></head><body><h2>未编入本卷的证据</h2><table><tr><th>证据名称</th>"
                f"<th>种类</th><th>SHA-256</th></tr>{rows}</table></body></html>")
        pdf, _ = renderer(cf).render_html(page)
        parts.append(Part(kind="证据清单（未编入的证据）", number="", issued_on="",
                          remark=f"{len(listed)}项", pdf=pdf))
    return parts


def _as_pdf(data: bytes) -> bytes | None:
    """The evidence file as PDF pages: a PDF that opens, or an image (PNG, JPEG) on an A4
    page; None for anything else."""
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    try:
        if data[:5] == b"%PDF-":
            PdfReader(BytesIO(data)).pages[0]
            return data
        if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
            out = BytesIO()
            Image.open(BytesIO(data)).convert("RGB").save(out, format="PDF", resolution=150)
            return out.getvalue()
    except Exception:  # noqa: BLE001  (a file that does not open is listed, not embedded)
        return None
    return None


# --- reading ----------------------------------------------------------------------------------


def document_path(cf: Casefiles, case_ref: str, document_id: str) -> Path | None:
    """The stored PDF of one document of the case (None until the flows have rendered it)."""
    case = cf.case(case_ref)
    doc = document_of(case, document_id)
    if doc is None or doc.path is None or doc.sha256 is None:
        return None
    return cf.settings.store().local(doc.path, doc.sha256)


def rendered_now(cf: Casefiles, case_id: str, document_id: str) -> bytes | None:
    """The PDF of an issued document the flows have not stored yet, rendered now from the facts
    its action fixed, and not stored: the flow stores each document once, and this copy is
    only served (None for no such document, the case file, or facts not kept)."""
    with cf.uow() as uow:
        case = uow.cases.get(case_id)
        facts = uow.contents.get(document_id)
        if facts is None:
            facts = next((i["payload"].get("facts")
                          for i in uow.outbox.pending(1000, kinds=[ISSUED], case_id=case_id)
                          if i["payload"].get("document_id") == document_id), None)
    doc = document_of(case, document_id)
    if doc is None or doc.kind == DOSSIER or facts is None:
        return None
    return renderer(cf).render(doc.kind, facts, aware(doc.issued_at).isoformat()).pdf


@dataclass
class Preview:
    """What an action would issue, rendered, and the outcome it would have."""

    outcome: Outcome
    kind: str = ""
    number: str = ""
    pdf: bytes | None = None


def preview(cf: Casefiles, by: str, action: str, case_ref: str, payload: Any,
            version: int | None = None) -> Preview:
    """The first document ``action`` would issue, rendered from the facts it would fix: the
    action is judged and taken inside a transaction that is rolled back, so nothing of it
    (history, numbers, documents) is kept. A refused action previews nothing."""
    now = cf.clock.now()
    cf.ensure_counters(local_date(now).year)
    with cf.uow(write=True) as uow:
        before = uow.cases.get(uow.cases.resolve(case_ref) or case_ref)
        known = {d.id for d in before.documents} if before is not None else set()
        outcome = cf.act_in(uow, by, action, case_ref, payload, version)
        if not outcome.ok or outcome.case is None:
            return Preview(outcome)
        doc = next((d for d in outcome.case.documents if d.id not in known), None)
        items = uow.outbox.pending(1000, kinds=[ISSUED], case_id=outcome.case.id)
        facts = next((i["payload"].get("facts") for i in items
                      if doc is not None and i["payload"].get("document_id") == doc.id), None)
        # leaving without commit rolls the action back
    if doc is None or facts is None or doc.kind == DOSSIER:
        return Preview(outcome)
    rendered = renderer(cf).render(doc.kind, facts, aware(doc.issued_at).isoformat())
    return Preview(outcome, doc.kind, doc.number, _marked_preview(cf, rendered.pdf))


_PREVIEW_MARK = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 0; @bottom-center { content: none; } }
p { position: absolute; top: 120mm; left: 0; width: 210mm; text-align: center; margin: 0;
    font-size: 54pt; color: rgba(200, 0, 0, 0.28); transform: rotate(-30deg); }
</style></head><body><p>预览 · 未生效</p></body></html>"""


def _marked_preview(cf: Casefiles, pdf: bytes) -> bytes:
    """Every page of a preview stamped 预览 · 未生效, so that it cannot pass for the issued
    document it shows."""
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    mark = PdfReader(BytesIO(renderer(cf).render_html(_PREVIEW_MARK)[0])).pages[0]
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for page in writer.pages:
        page.merge_page(mark)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def dossier_path(cf: Casefiles, case_ref: str) -> Path:
    """The case file of an archived case, built now if the flows have not built it yet."""
    case = cf.case(case_ref)
    dossier = next((d for d in reversed(case.documents) if d.kind == DOSSIER), None)
    if dossier is None or case.state != CaseState.ARCHIVED:
        raise NotArchivedError(f"案件{case.number or case.id}尚未归档，没有案卷 / "
                               f"case {case.number or case.id} is not archived: no case file")
    if dossier.path is None:
        render_pending(cf, batch=1000, case_id=case.id)
        path = document_path(cf, case.id, dossier.id)
        if path is None:
            with cf.uow() as uow:
                errors = [i["last_error"] for i in uow.outbox.pending(1000, [ISSUED], case.id)
                          if i["last_error"]]
            raise DossierError(f"案卷未能生成 / the case file could not be built: "
                               f"{'; '.join(errors) or '正在生成，请稍后再试 / being built by a flow run, try again shortly'}")
        return path
    assert dossier.sha256 is not None  # recorded with its path
    return cf.settings.store().local(dossier.path, dossier.sha256)
