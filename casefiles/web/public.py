"""The public side, without sign-in: the disclosure of published decisions (公示) with personal
data masked and withdrawn ones gone, a page per decision, and the complaint form (投诉举报)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from casefiles.adapters.repository import CASES, COLLECTIONS, PARTIES
from casefiles.domain.masking import disclosure
from casefiles.domain.model import Case
from casefiles.services.app import Casefiles
from casefiles.web.common import NotFoundError, WebError, load_case, render, web
from casefiles.web.complaints import clean, sender_hash, submit
from casefiles.web.forms_io import submitted

DECISIONS = COLLECTIONS["decisions"][0]
PAGE = 30
router = APIRouter(include_in_schema=False)


def published(cf: Casefiles, page: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """Published, not withdrawn decisions, newest first: one page and whether more follow."""
    query = (select(DECISIONS.c.id, DECISIONS.c.number, DECISIONS.c.decided_at,
                    DECISIONS.c.published_at, CASES.c.sector, PARTIES.c.kind,
                    PARTIES.c.name)
             .join(CASES, CASES.c.id == DECISIONS.c.case_id)
             .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
             .where(DECISIONS.c.published_at.is_not(None), DECISIONS.c.withdrawn_at.is_(None))
             .where(CASES.c.drill.is_(False) | cf.settings.show_drills)
             .order_by(DECISIONS.c.published_at.desc(), DECISIONS.c.id)
             .limit(PAGE + 1).offset((page - 1) * PAGE))
    with cf.uow() as uow:
        rows = [dict(r) for r in uow.conn.execute(query).mappings()]
    return rows[:PAGE], len(rows) > PAGE


def _decision_case(cf: Casefiles, decision_id: str) -> Case:
    with cf.uow() as uow:
        row = uow.conn.execute(select(DECISIONS.c.case_id).where(
            DECISIONS.c.id == decision_id)).first()
    if row is None:
        raise NotFoundError("没有该公示信息", "no such published decision")
    case = load_case(cf, row[0])
    d = case.decision
    if d is None or d.id != decision_id or d.published_at is None or d.withdrawn_at is not None \
            or (case.drill and not cf.settings.show_drills):
        raise NotFoundError("没有该公示信息", "no such published decision")
    return case


@router.get("/public")
def public_list(request: Request, page: int = Query(1, ge=1, le=10000)) -> Response:
    """行政处罚决定公示."""
    rows, more = published(web(request).cf, page)
    return render(request, "public_list.html", {"rows": rows, "page": page, "more": more,
                                                "public": True})


@router.get("/public/decisions/{decision_id}")
def public_decision(request: Request, decision_id: str) -> Response:
    """One published decision."""
    case = _decision_case(web(request).cf, decision_id)
    return render(request, "public_decision.html", {"d": disclosure(case), "public": True})


@router.get("/public/complaint")
def complaint_form(request: Request) -> Response:
    """投诉举报: the form."""
    return render(request, "public_complaint.html", {"values": {}, "public": True})


@router.post("/public/complaint")
async def complaint_submit(request: Request) -> Response:
    """Store the complaint as plain text; at most a few per sender and hour."""
    form = await submitted(request)
    w = web(request)
    values = {k: form.one(k) if k != "content" else (form.values.get(k) or [""])[-1]
              for k in ("reporter", "contact", "subject", "location", "content")}
    try:
        fields = clean(values)
        host = request.client.host if request.client else "unknown"
        complaint_id = submit(w.cf, fields, sender_hash(w.key, host))
    except WebError as exc:
        return render(request, "public_complaint.html", {"values": values, "error": exc,
                                                         "public": True}, status=exc.status)
    return render(request, "public_complaint.html", {"values": {}, "public": True,
                                                     "received": complaint_id[:8].upper()})
