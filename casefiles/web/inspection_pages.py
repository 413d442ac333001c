"""Inspections on the web (SPEC §6): the officer's 检查记录 (a phone-sized form for a new one,
their open inspections with due dates, the order, measures and recheck forms), the head's
measures and major hazards, every inspection with filters for supervisors; and the same under
/api as JSON, with the same role rules. Every action goes through services/inspections."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.responses import Response

from casefiles.adapters.inspection_store import InspectionStore, officers_of
from casefiles.domain import inspections as I
from casefiles.domain.errors import CasefilesError
from casefiles.domain.history import jsonable
from casefiles.domain.inspection_facts import LEVELS
from casefiles.domain.model import Person
from casefiles.domain.vocabulary import SECTORS
from casefiles.services import inspections as S
from casefiles.services.app import Outcome
from casefiles.services.inspection_documents import document as inspection_document_path
from casefiles.web.api import Me, RefusalOut
from casefiles.web.common import NotFoundError, render, signed_in, today, web
from casefiles.web.forms_io import Submitted, submitted
from casefiles.web.statuses import status_of
from casefiles.web.strictjson import StrictJSONRoute

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["inspections"], route_class=StrictJSONRoute)
PAGE = 50
HAZARD_ROWS = 5


def _sees_all(person: Person) -> bool:
    return person.has_role("head") or person.has_role("supervisor")


def visible(person: Person, insp: I.Inspection) -> bool:
    """The head and supervisors see every inspection; an officer those that name them."""
    return _sees_all(person) or (person.has_role("officer")
                                 and (person.id == insp.inspected_by
                                      or person.id in officers_of(insp)))


def _load(request: Request, person: Person, ref: str) -> I.Inspection:
    try:
        insp = S.get(web(request).cf, ref)
    except CasefilesError as exc:
        raise NotFoundError("没有该检查记录", "no such inspection") from exc
    if not visible(person, insp):
        raise NotFoundError("没有该检查记录", "no such inspection")
    return insp


def listing(request: Request, person: Person, state: str | None, sector: str | None,
            major: bool, page: int) -> list[dict[str, Any]]:
    """The inspections ``person`` may list: every one with filters (head, supervisors), else
    the officer's own still open, soonest due first."""
    cf = web(request).cf
    with cf.uow() as uow:
        store = InspectionStore(uow.conn)
        if _sees_all(person):
            rows = store.page(state=state if state in I.STATES else None,
                              sector=sector if sector in SECTORS else None,
                              major=True if major else None, drills=cf.settings.show_drills,
                              limit=PAGE, offset=(page - 1) * PAGE)
        else:
            rows = store.page(officer=person.id, open_only=True,
                              drills=cf.settings.show_drills, limit=PAGE,
                              offset=(page - 1) * PAGE)
            rows.sort(key=lambda r: (r["next_due"] is None, r["next_due"] or 0))
    return [{"id": r["id"], "number": r["number"], "state": r["state"],
             "state_label": I.STATE_LABELS[r["state"]], "sector": r["sector"],
             "unit": r["unit_name"], "inspected_at": r["inspected_at"].isoformat(),
             "major_hazard": bool(r["major_hazard"]),
             "next_due": r["next_due"].isoformat() if r["next_due"] else None} for r in rows]


# --- pages ------------------------------------------------------------------------------------


@router.get("/inspections")
def inspections_page(request: Request, state: str | None = None, sector: str | None = None,
                     major: bool = False, page: int = Query(1, ge=1, le=100000)) -> Response:
    """检查记录: an officer's open inspections with due dates; everyone's for the head and
    supervisors, with filters."""
    person = signed_in(request, "officer", "head", "supervisor")
    rows = listing(request, person, state, sector, major, page)
    return render(request, "inspection_list.html", {
        "title": "检查记录", "rows": rows, "all": _sees_all(person), "state": state or "",
        "sector": sector or "", "major": major, "page": page, "states": I.STATE_LABELS})


@router.get("/queue/inspections")
def inspections_head_queue(request: Request) -> Response:
    """检查督办: the seals and seizes to extend or lift, and the major hazards (挂牌督办)."""
    signed_in(request, "head")
    cf = web(request).cf
    return render(request, "inspection_queue.html", {
        "title": "检查督办", "items": S.head_items(cf),
        "deadlines": S.upcoming(cf, within_days=cf.settings.due_soon_days, limit=50)})


def _people(request: Request, role: str) -> list[Person]:
    return [p for p in web(request).cf.people() if p.has_role(role) and p.active]


@router.get("/inspections/new")
def new_inspection_page(request: Request) -> Response:
    """The phone-sized form of a new inspection."""
    person = signed_in(request, "officer")
    return render(request, "inspection_new.html", {
        "title": "现场检查", "officers": _people(request, "officer"), "values": {},
        "me": person.id, "rows": range(1, HAZARD_ROWS + 1), "levels": LEVELS})


def inspect_payload(form: Submitted) -> dict[str, Any]:
    """The ``inspect`` payload of the new-inspection form."""
    unit = {"kind": "organisation", "name": form.one("unit_name"),
            "credit_code": form.one("credit_code"), "address": form.one("address")}
    if form.one("legal_rep"):
        unit["legal_rep"] = form.one("legal_rep")
    hazards = []
    for n in range(1, HAZARD_ROWS + 1):
        text = form.one(f"h{n}_description")
        if not text:
            continue
        h = {"ref": f"h{n}", "description": text, "level": form.one(f"h{n}_level") or "general",
             "fix": form.one(f"h{n}_fix") or "deadline"}
        if form.one(f"h{n}_provision"):
            h["provision"] = form.one(f"h{n}_provision")
        hazards.append(h)
    payload: dict[str, Any] = {"unit": unit, "sector": form.one("sector"),
                               "place": form.one("place"),
                               "officers": form.values.get("officers", []), "hazards": hazards}
    if form.one("refused_to_sign"):
        payload["refused_to_sign"] = True
    else:
        payload["signed_by"] = form.one("signed_by") or None
    return payload


@router.post("/inspections/new")
async def new_inspection(request: Request) -> Response:
    """Record a new inspection; a refusal shows its codes above the form."""
    person = signed_in(request, "officer")
    form = await submitted(request)
    o = S.act(web(request).cf, person.id, "inspect", None, inspect_payload(form))
    if o.ok:
        request.session["flash"] = "现场检查：已记录"
        return RedirectResponse(f"/inspections/{o.case_id}", status_code=303)
    return render(request, "inspection_new.html", {
        "title": "现场检查", "officers": _people(request, "officer"), "me": person.id,
        "values": {k: v[-1] for k, v in form.values.items()}, "outcome": o,
        "rows": range(1, HAZARD_ROWS + 1), "levels": LEVELS}, status=status_of(o.code))


@router.get("/inspections/{ref}")
def inspection_page(request: Request, ref: str) -> Response:
    """One inspection: hazards, measures, deadlines, documents, history, and the forms its
    state offers to this person."""
    person = signed_in(request)
    insp = _load(request, person, ref)
    return _record_page(request, person, insp, None)


def _record_page(request: Request, person: Person, insp: I.Inspection,
                 outcome: Outcome | None) -> Response:
    cf = web(request).cf
    offered = [a for a in I.ACTIONS if a != "inspect" and person.has_role(I.ROLES[a])
               and insp.state in I.FROM_STATES[a]]
    return render(request, "inspection.html", {
        "title": insp.number, "v": I.inspection_view(insp, today(request)), "insp": insp,
        "offered": offered, "outcome": outcome, "officers": _people(request, "officer"),
        "heads": _people(request, "head"), "history": S.history(cf, insp.id),
        "labels": I.STATE_LABELS, "measure_types": I.MEASURE_TYPES, "levels": LEVELS,
        "approval_labels": I.APPROVAL_LABELS},
        status=status_of(outcome.code) if outcome is not None and not outcome.ok else 200)


FLASH = {"approve_measures": "查封、扣押申请：已批准", "refuse_measures": "查封、扣押申请：不予批准"}


def action_payload(action: str, form: Submitted, insp: I.Inspection) -> dict[str, Any]:
    """The payload of an inspection form."""
    officers = form.values.get("officers", [])
    if action == "order":
        return {"hazards": form.values.get("hazards", []), "deadline": form.one("deadline")}
    if action == "measures":
        asked = sum(len(r.measures) for r in insp.requests if r.status == "pending")
        m = {"ref": f"m{len(insp.measures) + asked + 1}", "type": form.one("type"),
             "object": form.one("object"), "hazards": form.values.get("hazards", [])}
        payload: dict[str, Any] = {"measures": [m], "officers": officers}
        if form.one("approved_by"):
            payload["approved_by"] = form.one("approved_by")
        else:  # no head named: the seal or seize goes to the head's queue for approval
            payload["ask_head"] = True
        return payload
    if action in ("approve_measures", "refuse_measures"):
        no = form.one("request")
        payload = {"request": int(no) if no.isascii() and no.isdigit() else no}  # "²" too
        return payload | ({"reason": form.one("reason")} if action == "refuse_measures" else {})
    if action == "apply_recheck":
        return {"applied_on": form.one("applied_on")} if form.one("applied_on") else {}
    if action == "recheck":
        order = insp.order
        refs = order.hazards if order else []
        return {"officers": officers, "results": [
            {"hazard": r, "rectified": form.one(f"result_{r}") == "rectified",
             **({"note": form.one(f"note_{r}")} if form.one(f"note_{r}") else {})}
            for r in refs]}
    if action == "extend_measures":
        days = form.one("days")
        return {"measure": form.one("measure"), "days": int(days) if days.isdigit() else days,
                "reason": form.one("reason")}
    return {"measure": form.one("measure"), "reason": form.one("reason")}


@router.post("/inspections/{ref}/case")
async def register_from_inspection(request: Request, ref: str) -> Response:
    """Register a case from the inspection in one step, then on to the case."""
    person = signed_in(request, "officer")
    insp = _load(request, person, ref)
    await submitted(request)
    o = S.register_case(web(request).cf, person.id, insp.id)
    if o.ok:
        request.session["flash"] = "案源登记：已由检查记录登记"
        return RedirectResponse(f"/cases/{o.case_id}", status_code=303)
    return _record_page(request, person, insp, o)


@router.post("/inspections/{ref}/{action}")
async def inspection_action(request: Request, ref: str, action: str) -> Response:
    """Take an inspection action from its form; the page again, with the refusal if any."""
    person = signed_in(request)
    insp = _load(request, person, ref)
    form = await submitted(request)
    if action not in I.ACTIONS or action == "inspect":
        raise NotFoundError("没有该操作", "no such action")
    cf = web(request).cf
    o = S.act(cf, person.id, action, insp.id, action_payload(action, form, insp))
    if o.ok:
        done = "已报负责人审批，批准后生效" if "approval_pending" in o.warnings else "已办理"
        request.session["flash"] = FLASH.get(action) or f"{I.DOCUMENTS.get(action, action)}：{done}"
        return RedirectResponse(f"/inspections/{insp.id}", status_code=303)
    return _record_page(request, person, S.get(cf, insp.id), o)


@router.get("/inspections/{ref}/documents/{number}")
def inspection_document(request: Request, ref: str, number: str) -> Response:
    """One of the inspection's documents as PDF."""
    person = signed_in(request)
    insp = _load(request, person, ref)
    try:
        path = inspection_document_path(web(request).cf, insp.id, number)
    except CasefilesError as exc:
        raise NotFoundError("没有该文书", "no such document") from exc
    return FileResponse(path, media_type="application/pdf")


# --- the JSON API -----------------------------------------------------------------------------


def _answer(o: Outcome) -> JSONResponse:
    body = {"result": o.result, "action": o.action, "inspection": o.case_id, "code": o.code,
            "codes": o.codes, "message": o.message,
            "refusals": [RefusalOut(code=r.code, zh=r.zh, en=r.en, field=r.field).model_dump()
                         for r in o.refusals],
            "warnings": o.warnings, "state": o.state, "view": o.view if o.ok else None}
    status = (201 if o.action == "inspect" else 200) if o.ok else status_of(o.code)
    return JSONResponse(body, status_code=status)


@api.get("/inspections")
def api_inspections(request: Request, person: Me,
                    state: Annotated[str | None, Query(max_length=40)] = None,
                    sector: Annotated[str | None, Query(max_length=40)] = None,
                    major: bool = False,
                    page: Annotated[int, Query(ge=1, le=100000)] = 1) -> JSONResponse:
    """Inspections this person may see: all with filters (head, supervisors); an officer's
    own open ones; nothing for other roles (403)."""
    if not (_sees_all(person) or person.has_role("officer")):
        return JSONResponse({"code": "forbidden_role", "message": "无此权限 / not allowed"},
                            status_code=403)
    return JSONResponse({"page": page, "items": listing(request, person, state, sector, major,
                                                        page)})


@api.get("/inspections/queue")
def api_inspection_queue(request: Request, person: Me) -> JSONResponse:
    """The head's inspection queue: seals and seizes asked for to approve (``approvals``),
    those in force to extend or lift, major hazards."""
    if not person.has_role("head"):
        return JSONResponse({"code": "forbidden_role", "message": "无此权限 / not allowed"},
                            status_code=403)
    cf = web(request).cf
    return JSONResponse({"items": S.head_items(cf),
                         "approvals": jsonable(S.pending_approvals(cf))})


@api.get("/inspections/{ref}")
def api_inspection(request: Request, ref: str, person: Me) -> JSONResponse:
    """The inspection view of SCENARIOS.md (404 alike for none and for one not yours)."""
    insp = _load(request, person, ref)
    return JSONResponse(I.inspection_view(insp, today(request)))


@api.get("/inspections/{ref}/history")
def api_inspection_history(request: Request, ref: str, person: Me) -> JSONResponse:
    """The inspection's hash-chained history, every entry with its hash."""
    insp = _load(request, person, ref)
    entries = S.history(web(request).cf, insp.id)
    return JSONResponse([jsonable(e.content()) | {"hash": e.hash} for e in entries])


@api.post("/inspections")
def api_inspect(request: Request, person: Me,
                payload: Annotated[dict[str, Any], Body()]) -> JSONResponse:
    """Record a new inspection (``inspect``; its payload as in SCENARIOS.md)."""
    return _answer(S.act(web(request).cf, person.id, "inspect", None, payload))


@api.post("/inspections/{ref}/actions/{action}")
def api_inspection_action(request: Request, ref: str, action: str, person: Me,
                          payload: Annotated[dict[str, Any] | None, Body()] = None
                          ) -> JSONResponse:
    """Take an inspection action (order, measures, extend_measures, lift, apply_recheck,
    recheck) with its payload as in SCENARIOS.md; the head approves a held seal or seize
    with ``approve_measures`` {request} or refuses it with ``refuse_measures`` {request,
    reason}."""
    insp = _load(request, person, ref)
    if action not in I.ACTIONS or action == "inspect":
        raise NotFoundError("没有该操作", "no such action")
    return _answer(S.act(web(request).cf, person.id, action, insp.id, payload or {}))
