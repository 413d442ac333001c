"""The case page (party, proposal, flags, deadlines, timeline, documents, evidence), the form of
every action the case allows now, the review page, the verified history, and file downloads."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.responses import Response

from casefiles.domain.context import Periods
from casefiles.domain.deadlines import enforcement_window_end
from casefiles.domain.effects import fine_balance
from casefiles.domain.engine import rules_for
from casefiles.domain.errors import Refusal, StoredFileChangedError
from casefiles.domain.history import verify_chain
from casefiles.domain.model import Case, Person
from casefiles.domain.money import to_yuan
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles, Outcome
from casefiles.services.attachments import ATTACHING, Attachment
from casefiles.services.documents import (
    DossierError,
    NotArchivedError,
    document_path,
    dossier_path,
    preview,
    rendered_now,
)
from casefiles.services.supervision import marks, supervise
from casefiles.web.access import CASE_ACTIONS, offered
from casefiles.web.common import (
    Attempt,
    ForbiddenError,
    NotFoundError,
    render,
    signed_in,
    view_of,
    visible_case,
    web,
)
from casefiles.web.forms import CHECKLIST_LABELS, FORMS, errors_by_field, payload_from, prefill
from casefiles.web.forms_io import submitted
from casefiles.web.statuses import status_of
from casefiles.web.story import story
from casefiles.web.uploads import UploadRefusedError, media_of, spooled

router = APIRouter(include_in_schema=False)


def _version(text: str) -> int | None:
    """The version a form was built on: ASCII digits only (``²`` is a digit to str.isdigit)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _history(cf: Casefiles, case: Case) -> tuple[list[Any], Any]:
    with cf.uow() as uow:
        entries = uow.history.chain(case.id)
    return entries, verify_chain(entries, case.history_head, case.history_length)


def _enforcement_window(cf: Casefiles, case: Case) -> dict[str, Any] | None:
    """For a served decision whose fine is not fully paid and no court application made: the
    last day to apply to the court (行政强制法 art. 53, from the rule set that would judge the
    application today) and whether it has passed."""
    d = case.decision
    if d is None or d.served_at is None or d.revoked_at is not None or case.enforcements:
        return None
    today = local_date(cf.clock.now())
    sets, uncovered = rules_for(cf.profile, case, None, today, cf.drill)
    if uncovered or fine_balance(case, sets.law, today).outstanding <= 0:
        return None
    last = enforcement_window_end(local_date(d.served_at), sets.procedure, Periods(cf.calendar))
    return {"last": last, "closed": today > last}


def _defaults(case: Case) -> dict[str, dict[str, Any]]:
    """What a form starts with: evidence and preservation name the case's investigators, and
    a new proposal starts from the last one."""
    out: dict[str, dict[str, Any]] = {
        "record": {"officers": list(case.investigators)},
        "preserve": {"officers": list(case.investigators)}}
    p = case.proposal
    if p is not None:
        last: dict[str, Any] = {"violations": [
            {k: v.get(k) for k in ("code", "tier", "facts") if v.get(k)} for v in p.violations]}
        if p.penalties:
            last["penalties"] = [{"type": x.type, "amount": None if x.amount is None
                                  else str(to_yuan(x.amount)), "on": x.on,
                                  "violation": x.violation} for x in p.penalties]
        if p.outcome != "penalty":
            last["outcome"] = p.outcome
        out["propose"] = prefill(last)
    return {k: v if k == "propose" else prefill(v) for k, v in out.items()}


def _page(request: Request, cf: Casefiles, person: Person, case: Case,
          failed: tuple[str, Outcome | None, dict[str, Any], str] | None = None,
          status: int = 200) -> Response:
    entries, broken = _history(cf, case)
    people = cf.people()
    names = {p.id: p.name for p in people}
    provisions = cf.profile.rule_set(case.rule_set_id).provisions
    return render(request, "case.html", {
        "story": story(entries, names, case,
                       {p.code: f"{p.title}（{p.source}）" for p in provisions}),
        "case": case, "view": view_of(cf, case), "actions": offered(person, case),
        "forms": FORMS, "entries": entries, "chain_break": broken, "names": names,
        "officers": [p for p in people if p.has_role("officer") and p.certified],
        "hosts": [p for p in people if p.has_role("host")],
        "heads": [p for p in people if p.has_role("head")],
        "provisions": provisions,
        "failed": failed, "document_ready": _documents_ready(cf, case),
        "defaults": _defaults(case),
        "enforcement": _enforcement_window(cf, case),
        "supervision": marks(cf, case.id),
        "may_supervise": person.has_role("supervisor") or person.has_role("head"),
        "field_errors": errors_by_field(failed[1].refusals) if failed and failed[1] else {}},
        status=status)


@router.get("/cases/{ref}")
def case_page(request: Request, ref: str) -> Response:
    """One case, with the forms of the actions offered to this person now."""
    person = signed_in(request)
    cf = web(request).cf
    return _page(request, cf, person, visible_case(cf, person, ref))


@router.post("/cases/{ref}/act/{action}")
async def act(request: Request, ref: str, action: str) -> Response:
    """Take ``action`` through the services; a refusal is shown next to its form."""
    person = signed_in(request)
    if action not in CASE_ACTIONS:
        raise NotFoundError("没有该办案事项", f"no action {action}")
    w = web(request)
    cf = w.cf
    form = await submitted(request)  # the CSRF check first: another site's form counts nothing
    attempt = Attempt(w, person)
    payload = payload_from(action, form.values)
    version = form.one("version")
    temp: Path | None = None
    if action == "record" and "file" not in form.files and "sha256" not in payload:
        # evidence is a file or its hash: refused beside the file box, nothing taken
        case = visible_case(cf, person, ref)
        missing = Refusal("invalid_input", "请上传证据文件，或填写文件的 SHA-256",
                          "evidence needs a file or its SHA-256", "file")
        refused = Outcome(action=action, result="refused", case_id=case.id,
                          codes=["invalid_input"], message=missing.message, refusals=[missing])
        return _refused_page(request, cf, person, case, action, refused, payload,
                             missing.message)
    try:
        field = ATTACHING.get(action, "")
        upload = form.files.get(field)
        files: dict[str, Attachment] = {}
        if upload is not None:  # the service keeps it only if the action is accepted
            temp, sha = await spooled(upload, cf.settings)
            files[field] = Attachment(temp, sha)
        outcome = attempt.act(action, ref, payload, _version(version), files)
    except UploadRefusedError as exc:  # refused before any action: the case is read for the page
        return _refused_page(request, cf, person, visible_case(cf, person, ref), action, None,
                             payload, str(exc))
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    if outcome.ok:
        msg = f"{_label(action)}：已办理"
        if outcome.warnings:
            from casefiles.domain.vocabulary import WARNINGS

            msg += "（提示：" + "；".join(WARNINGS.get(w, w) for w in outcome.warnings) + "）"
        request.session["flash"] = msg
        # the documents it issued open at once (rendered on demand until the flow stores them)
        request.session["flash_documents"] = [
            [f"/cases/{outcome.case_id}/documents/{doc_id}", kind, number]
            for doc_id, kind, number in attempt.issued(outcome)]
        return RedirectResponse(f"/cases/{outcome.case_id}", status_code=303)
    if not attempt.visible_after(outcome):
        raise NotFoundError("没有该案件", "no such case")
    assert outcome.case is not None
    if action == "review" and person.has_role("reviewer") \
            and person.id not in outcome.case.investigators:  # back to the review page
        return _review(request, cf, person, outcome.case, outcome, prefill(payload),
                       status_of(outcome.code))
    return _refused_page(request, cf, person, outcome.case, action, outcome, payload,
                         outcome.message)


@router.post("/cases/{ref}/supervise")
async def supervise_case(request: Request, ref: str) -> Response:
    """督办: a supervisor or the head marks the case with a note its officers read."""
    person = signed_in(request, "supervisor", "head")
    form = await submitted(request)
    cf = web(request).cf
    case = visible_case(cf, person, ref)
    note = (form.values.get("note") or [""])[-1].strip()
    if not note or len(note) > 2000 or any(ord(c) < 32 and c not in "\n\t" for c in note):
        missing = Refusal("invalid_input", "请填写督办意见（2000字以内）",
                          "a supervision note is required", "note")
        refused = Outcome(action="supervise", result="refused", case_id=case.id,
                          codes=["invalid_input"], message=missing.message, refusals=[missing])
        return _refused_page(request, cf, person, case, "supervise", refused, {"note": note},
                             missing.message)
    supervise(cf, person, case.id, note)
    request.session["flash"] = "督办：已办理"
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


PREVIEWED = ("notify", "schedule_hearing", "hold_hearing", "decide", "serve", "revoke", "close")
# the payload field that holds the hash of a file a previewed action attaches
_HASHED = {"hold_hearing": "record_sha256"}


@router.post("/cases/{ref}/preview/{action}")
async def preview_document(request: Request, ref: str, action: str) -> Response:
    """The document ``action`` would issue, as a PDF to read before confirming: the action is
    tried and rolled back, nothing kept (预览, not issued)."""
    person = signed_in(request)
    if action not in PREVIEWED:
        raise NotFoundError("该事项没有文书预览", f"no preview for {action}")
    cf = web(request).cf
    form = await submitted(request)
    case = visible_case(cf, person, ref)
    payload = payload_from(action, form.values)
    upload = form.files.get(ATTACHING.get(action, ""))
    if upload is not None and action in _HASHED:  # 听证's recording: previewed by its hash only
        try:
            temp, sha = await spooled(upload, cf.settings)
        except UploadRefusedError as exc:
            return _refused_page(request, cf, person, case, action, None, payload, str(exc))
        temp.unlink(missing_ok=True)
        payload[_HASHED[action]] = sha  # the file's hash wins over a typed one, as in the action
    shown = preview(cf, person.id, action, case.id, payload, _version(form.one("version")))
    if not shown.outcome.ok:
        return _refused_page(request, cf, person, case, action, shown.outcome,
                             payload, shown.outcome.message)
    if shown.pdf is None:
        raise NotFoundError("该事项不制作文书", f"{action} issues no document here")
    name = "预览（未生效）_" + download_name(shown.kind, shown.number)
    return Response(shown.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": disposition(name),
                             "Cache-Control": "no-store"})


def _label(action: str) -> str:
    from casefiles.domain.vocabulary import ACTIONS

    return ACTIONS.get(action, action)


def _refused_page(request: Request, cf: Casefiles, person: Person, case: Case, action: str,
                  outcome: Outcome | None, payload: dict[str, Any], message: str) -> Response:
    """The case page with the refused form (``case``: as the refused action left it, its
    history head moved; the caller made sure the person may see it)."""
    code = outcome.code if outcome else "invalid_input"
    shown = {k: v for k, v in payload.items() if k != "file"}
    return _page(request, cf, person, case, (action, outcome, prefill(shown), message),
                 status=status_of(code))


@router.get("/cases/{ref}/review")
def review_page(request: Request, ref: str) -> Response:
    """The review page: the proposal beside the discretion benchmark, the nine items, the
    case's evidence and documents."""
    person = signed_in(request, "reviewer")
    cf = web(request).cf
    return _review(request, cf, person, visible_case(cf, person, ref))


def _review(request: Request, cf: Casefiles, person: Person, case: Case,
            outcome: Outcome | None = None, values: dict[str, Any] | None = None,
            status: int = 200) -> Response:
    """The review page, with a refused review's form as it was sent when there is one."""
    if person.id in case.investigators:
        raise ForbiddenError("调查人员不得审核本案", "an investigator may not review the case")
    rules = cf.profile.rule_set(case.rule_set_id)
    rows = []
    for v in (case.proposal.violations if case.proposal else []):
        prov = rules.provision(v.get("code", ""))
        rows.append({"violation": v, "provision": prov,
                     "tier": (prov.tiers or {}).get(v.get("tier", "")) if prov else None})
    return render(request, "review.html", {
        "case": case, "view": view_of(cf, case), "rows": rows, "checklist": CHECKLIST_LABELS,
        "can_review": "review" in offered(person, case), "fields": FORMS["review"],
        "outcome": outcome, "values": values or {},
        "field_errors": errors_by_field(outcome.refusals) if outcome else {},
        "names": {p.id: p.name for p in cf.people()},
        "document_ready": _documents_ready(cf, case)}, status=status)


@router.get("/cases/{ref}/history")
def history_page(request: Request, ref: str) -> Response:
    """The complete history, each entry's hash, and the result of verifying the chain."""
    person = signed_in(request)
    cf = web(request).cf
    case = visible_case(cf, person, ref)
    entries, broken = _history(cf, case)
    return render(request, "history.html", {"case": case, "entries": entries,
                                            "chain_break": broken})


@router.get("/cases/{ref}/evidence/{evidence_id}")
def evidence_file(request: Request, ref: str, evidence_id: str) -> Response:
    """An evidence file, named by its SHA-256 (never by the name it was uploaded with)."""
    person = signed_in(request)
    cf = web(request).cf
    case = visible_case(cf, person, ref)
    ev = next((e for e in case.evidence if e.id == evidence_id), None)
    if ev is None or not ev.stored_path or not ev.sha256:
        raise NotFoundError("没有该证据文件", "no such evidence file")
    relative = PurePosixPath(ev.stored_path)
    if relative.is_absolute() or relative.parts[:1] != ("evidence",) or ".." in relative.parts:
        raise NotFoundError("证据文件不在存储中", "the evidence file is not in the store")
    try:  # through the store every machine shares (a folder or a bucket)
        path = cf.settings.store().local(ev.stored_path, ev.sha256)
    except StoredFileChangedError as exc:
        raise NotFoundError("证据文件已被改动，与登记的SHA-256不符",
                            "the evidence file was changed since it was recorded") from exc
    except OSError:
        path = None
    if path is None or not path.is_file():
        raise NotFoundError("证据文件不在存储中", "the evidence file is not in the store")
    ext, media = media_of(path)
    return FileResponse(path, media_type=media, filename=f"{ev.sha256[:16]}.{ext}")


def _documents_ready(cf: Casefiles, case: Case) -> dict[str, bool]:
    return {d.id: bool(d.sha256) for d in case.documents}


@router.get("/cases/{ref}/dossier")
def dossier_file(request: Request, ref: str) -> Response:
    """The case file (案卷) of an archived case, as one PDF."""
    person = signed_in(request)
    cf = web(request).cf
    case = visible_case(cf, person, ref)
    try:
        path = dossier_path(cf, case.id)
    except NotArchivedError as exc:
        raise NotFoundError("案件尚未归档，没有案卷", "the case is not archived") from exc
    except DossierError as exc:
        raise NotFoundError(*str(exc).split(" / ", 1)) from exc
    return FileResponse(path, media_type="application/pdf",
                        filename=download_name("案卷", case.number or case.id))


@router.get("/cases/{ref}/documents/{document_id}")
def document_file(request: Request, ref: str, document_id: str) -> Response:
    """An issued document's PDF, opened in the browser and named by its kind and number
    (行政处罚决定书_衡山应急罚〔2026〕1号.pdf): the stored one, or, while the flows have not
    stored it yet, one rendered now from its facts (served, never stored)."""
    person = signed_in(request)
    cf = web(request).cf
    case = visible_case(cf, person, ref)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        raise NotFoundError("没有该文书", "no such document")
    name = download_name(doc.kind, doc.number)
    path = document_path(cf, case.id, document_id)
    if path is not None and path.is_file():
        return FileResponse(path, media_type="application/pdf", filename=name,
                            content_disposition_type="inline")
    pdf = rendered_now(cf, case.id, document_id)
    if pdf is None:
        raise NotFoundError("文书尚未生成，请稍后再试", "the document is not rendered yet")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": disposition(name),
                             "Cache-Control": "no-store"})


def download_name(kind: str, number: str | None) -> str:
    """A document's file name: its kind and number (no path separators)."""
    stem = f"{kind}_{number}" if number else kind
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in stem) + ".pdf"


def disposition(name: str, kind: str = "inline") -> str:
    """Content-Disposition with the UTF-8 name (RFC 5987) and an ASCII fallback."""
    ascii_name = name.encode("ascii", "ignore").decode() or "document.pdf"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=utf-8''{quote(name)}"
