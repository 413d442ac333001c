"""The public side, without sign-in: the disclosure of published decisions (公示) with personal
data masked and withdrawn ones gone, a page per decision, and the complaint form (投诉举报)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from casefiles.domain.masking import disclosure
from casefiles.services.publication import published, published_case
from casefiles.web.common import NotFoundError, WebError, render, today, web
from casefiles.web.complaints import clean, progress, receipt, sender_hash, submit
from casefiles.web.forms_io import submitted

PAGE = 30
router = APIRouter(include_in_schema=False)


@router.get("/public")
def public_list(request: Request, page: int = Query(1, ge=1, le=10000), party: str = "",
                year: str = "") -> Response:
    """行政处罚决定公示, searchable by party and year."""
    cf = web(request).cf
    chosen = int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None
    rows, more = published(cf, page, PAGE, party, chosen)
    this_year = today(request).year
    # the article the disclosure rests on, from the rule set in force today (never written
    # into the template); the newest when today is past every rule set
    rules = cf.profile.rule_set_for(today(request)) or cf.profile.rule_sets[-1]
    query = urlencode({k: v for k, v in (("party", party), ("year", year)) if v})
    return render(request, "public_list.html", {
        "rows": rows, "page": page, "more": more, "public": True, "party": party,
        "basis": rules.publication_working_days.source,
        "year": chosen, "years": range(this_year, this_year - 10, -1),
        "page_base": f"/public?{query}&" if query else "/public?"})


@router.get("/public/decisions/{decision_id}")
def public_decision(request: Request, decision_id: str) -> Response:
    """One published decision."""
    case = published_case(web(request).cf, decision_id)
    if case is None:
        raise NotFoundError("没有该公示信息", "no such published decision")
    rules = web(request).cf.profile.rule_set(case.rule_set_id)
    return render(request, "public_decision.html", {
        "d": disclosure(case), "public": True,
        "provisions": {p.code: p for p in rules.provisions}})


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
              for k in ("reporter", "contact", "subject", "location", "content", "sector")}
    try:
        fields = clean(values)
        host = request.client.host if request.client else "unknown"
        complaint_id = submit(w.cf, fields, sender_hash(w.key, host))
    except WebError as exc:
        return render(request, "public_complaint.html", {"values": values, "error": exc,
                                                         "public": True}, status=exc.status)
    return render(request, "public_complaint.html", {"values": {}, "public": True,
                                                     "received": receipt(complaint_id)})


@router.get("/public/complaint/progress")
def complaint_progress_form(request: Request) -> Response:
    """查询投诉举报办理进度: the form."""
    return render(request, "public_progress.html", {"public": True, "code": ""})


@router.post("/public/complaint/progress")
async def complaint_progress(request: Request) -> Response:
    """The progress of a complaint, by its 受理编号 and the phone number left with it; the same
    answer whether the number is unknown or the phone does not match."""
    form = await submitted(request)
    code, phone = form.one("code"), form.one("phone")
    found = progress(web(request).cf, code, phone)
    return render(request, "public_progress.html", {"public": True, "code": code,
                                                    "answer": found, "asked": True},
                  status=200 if found else 404)
