"""Sign-in and sign-out, each role's workplace: my cases, registration, the reviewer's and the
head's queues, every case with filters and CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, StreamingResponse
from sqlalchemy import ColumnElement, and_
from starlette.responses import Response

from casefiles.domain.effects import fine_balance
from casefiles.domain.engine import may_take
from casefiles.domain.model import Case
from casefiles.domain.money import to_yuan
from casefiles.domain.queues import head_step
from casefiles.domain.states import LABELS, CaseState
from casefiles.domain.timefmt import local_date, parse_date
from casefiles.domain.vocabulary import DEADLINES, SECTORS
from casefiles.services import lists as Q
from casefiles.services.app import Casefiles
from casefiles.services.reminders import due_counts, reminder_of, whose_deadlines
from casefiles.services.supervision import supervised_of
from casefiles.services.work import failing
from casefiles.web.access import workplaces
from casefiles.web.common import ForbiddenError, day_text, moment_text, render, signed_in, web
from casefiles.web.complaints import register_complaint
from casefiles.web.forms import FORMS, errors_by_field, payload_from, prefill
from casefiles.web.forms_io import submitted
from casefiles.web.security import (
    SESSION_SECONDS,
    authenticate,
    csrf_token,
    end_session,
    open_session,
)
from casefiles.web.statuses import status_of
from casefiles.web.throttle import TooManyAttemptsError

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/signin")
def signin_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    return render(request, "signin.html", {"next": _safe_next(next), "person_id": ""})


@router.post("/signin")
async def signin(request: Request) -> Response:
    """Check the password; on success a fresh session (new CSRF token) and on to ``next``."""
    form = await submitted(request)
    pid, target = form.one("person_id"), _safe_next(form.one("next"))
    w, address = web(request), request.client.host if request.client else "-"
    try:
        w.guard.check(pid, address)
    except TooManyAttemptsError as exc:
        return render(request, "signin.html", {"next": target, "person_id": pid,
                                               "locked": exc.zh}, status=exc.status)
    acct = authenticate(w.cf, pid, form.values.get("password", [""])[-1])
    if acct is None:
        w.guard.failed(pid, address)
        return render(request, "signin.html", {"next": target, "person_id": pid,
                                               "failed": True,
                                               "left": w.guard.left(pid, address),
                                               "lock_minutes": w.guard.minutes}, status=401)
    w.guard.succeeded(pid, address)
    request.session.clear()
    request.session["sid"] = open_session(w.cf, acct, "page", SESSION_SECONDS)
    csrf_token(request.session)
    # the day's reminder, as the sweep wrote it (counted now when no sweep has run today)
    counts = reminder_of(w.cf, acct.person.id, local_date(w.cf.clock.now())) \
        or due_counts(w.cf, acct.person)
    if counts["overdue"] or counts["due_soon"]:
        request.session["flash"] = (f"期限提醒：{counts['overdue']} 项已逾期，"
                                    f"{counts['due_soon']} 项即将到期（见“期限提醒”）")
    return RedirectResponse(target, status_code=303)


@router.post("/signout")
async def signout(request: Request) -> Response:
    """End the session, on the server too: a copy of the cookie no longer signs in."""
    await submitted(request)
    sid = request.session.get("sid")
    if isinstance(sid, str):
        end_session(web(request).cf, sid)
    request.session.clear()
    return RedirectResponse("/signin", status_code=303)


@router.get("/reminders")
def reminders(request: Request) -> Response:
    """期限提醒: the person's deadlines past due and due soon."""
    person = signed_in(request)
    whose = whose_deadlines(person)
    cf = web(request).cf
    rows = [] if whose == "" else Q.due_for(cf, whose)
    return render(request, "reminders.html", {
        "title": "期限提醒", "rows": rows, "everyone": whose is None,
        "supervised": [] if whose == "" else supervised_of(cf, whose)})


@router.get("/")
def home(request: Request) -> Response:
    """Each person's first workplace."""
    person = signed_in(request)
    links = workplaces(person)
    if not links:
        raise ForbiddenError("您没有可用的工作页面", "no workplace for your roles")
    return RedirectResponse(links[0][0], status_code=303)


@router.get("/mine")
def mine(request: Request, page: int = Query(1, ge=1, le=100000),
         ended: bool = False, q: str = "") -> Response:
    """我的案件: the cases an officer registered or investigates (在办, or 已办结), with the
    next deadline."""
    person = signed_in(request, "officer")
    found = Q.my_cases(web(request).cf, person.id, page, ended=ended, text=q)
    base = urlencode([("ended", "true")] * ended + [("q", q)] * bool(q))
    return render(request, "cases.html", {
        "title": "我的案件", "found": found, "mine": True, "ended": ended, "filters": None,
        "query": "", "q": q, "search_action": "/mine", "page_base": f"/mine?{base}&"})


@router.get("/register")
def register_page(request: Request, complaint: str | None = None) -> Response:
    """The registration form (pre-filled from a complaint when one is named)."""
    signed_in(request, "officer")
    values: dict[str, str | list[str]] = {"source": "inspection"}
    if complaint:
        from casefiles.web.complaints import get_complaint

        c = get_complaint(web(request).cf, complaint)
        values = {"source": "complaint", "summary": c["content"], "party.name": c["subject"],
                  "party.address": c["location"] or ""}
        if c.get("sector"):  # the case keeps the sector the complaint named
            values["sector"] = c["sector"]
    return render(request, "register.html", {"fields": FORMS["register"], "values": values,
                                             "complaint": complaint or ""})


@router.post("/register")
async def register(request: Request) -> Response:
    """Register a case; a refusal shows its codes next to the form, with the input kept."""
    person = signed_in(request, "officer")
    form = await submitted(request)
    payload = payload_from("register", form.values)
    cf = web(request).cf
    complaint = form.one("complaint")
    if complaint:
        outcome = register_complaint(cf, person, complaint, payload)
    else:
        outcome = cf.act(person.id, "register", None, payload)
    if outcome.ok:
        request.session["flash"] = "案源登记：已办理"
        return RedirectResponse(f"/cases/{outcome.case_id}", status_code=303)
    status = status_of(outcome.code)
    return render(request, "register.html", {"fields": FORMS["register"],
                                             "values": prefill(payload), "outcome": outcome,
                                             "field_errors": errors_by_field(outcome.refusals),
                                             "complaint": complaint}, status=status)


def _date_box(text: str | None) -> tuple[date | None, str]:
    """A date box of the filters: empty is no bound; what is not a date is named, not fatal."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        return parse_date(text), ""
    except ValueError:
        return None, text


def _filters(state: str | None, sector: str | None, overdue: bool, start: str | None,
             end: str | None, q: str = "") -> tuple[Q.Filters, list[str]]:
    """The list's filters, and the date boxes that were not dates (left out of the filter)."""
    (first, bad_first), (last, bad_last) = _date_box(start), _date_box(end)
    return Q.Filters(state=state if state in {s.value for s in CaseState} else None,
                     sector=sector if sector in SECTORS else None, overdue=overdue,
                     registered_from=first, registered_until=last, text=q), \
        [b for b in (bad_first, bad_last) if b]


@router.get("/cases")
def cases(request: Request, state: str | None = None, sector: str | None = None,
          overdue: bool = False, start: Annotated[str | None, Query(alias="from")] = None,
          end: Annotated[str | None, Query(alias="until")] = None,
          page: int = Query(1, ge=1, le=100000), q: str = "") -> Response:
    """全部案件 for the head and supervisors, with filters (an empty date box: no bound) and a
    search box."""
    signed_in(request, "head", "supervisor")
    f, bad_dates = _filters(state, sector, overdue, start, end, q)
    found = Q.all_cases(web(request).cf, f, page)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
    return render(request, "cases.html", {"title": "全部案件", "found": found, "mine": False,
                                          "filters": f, "query": query,
                                          "bad_dates": bad_dates,
                                          "page_base": f"/cases?{query}&" if query else "/cases?"})


@router.get("/cases.csv")
def cases_csv(request: Request, state: str | None = None, sector: str | None = None,
              overdue: bool = False,
              start: Annotated[str | None, Query(alias="from")] = None,
              end: Annotated[str | None, Query(alias="until")] = None,
              q: str = "") -> Response:
    """The filtered list as CSV (UTF-8 with BOM, so that spreadsheet programs read Chinese)."""
    signed_in(request, "head", "supervisor")
    f, _ = _filters(state, sector, overdue, start, end, q)
    cf = web(request).cf

    names = {p.id: p.name for p in cf.people()}
    day = local_date(cf.clock.now())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        buf = io.StringIO()
        out = csv.writer(buf)
        out.writerow(["案件编号", "立案号", "状态", "行业", "当事人", "承办人员", "登记时间",
                      "决定书文号", "罚款（元）", "已缴（元）", "未缴（元）", "下一期限", "到期日",
                      "期限状态"])
        for chunk in Q.export_rows(cf, f):
            for r in chunk:
                d, case = r["next_deadline"] or {}, r["case"]
                bal = fine_balance(case, cf.profile.rule_set(case.rule_set_id), day) \
                    if case is not None else None
                decision = case.decision if case is not None else None
                out.writerow([
                    r["id"], r["number"] or "", LABELS[CaseState(r["state"])],
                    SECTORS.get(r["sector"], r["sector"]), _cell(r["party"]),
                    "、".join(names.get(i, i) for i in r["investigators"] or []),
                    moment_text(r["registered_at"]), decision.number if decision else "",
                    *([f"{to_yuan(v)}" for v in (bal.fine, bal.paid, bal.outstanding)]
                      if bal is not None and bal.fine else ["", "", ""]),
                    DEADLINES.get(str(d.get("kind")), ""), day_text(d.get("due")),
                    DUE_STATUS.get(str(d.get("status")), "")])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": "attachment; filename=cases.csv"})


DUE_STATUS = {"open": "进行中", "due_soon": "即将到期", "overdue": "已逾期", "met": "已按期",
              "missed": "已逾期", "not_applicable": "不适用"}


def _cell(text: str) -> str:
    # a cell starting with = + - @ would be a formula in a spreadsheet
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@router.get("/queue/review")
def review_queue(request: Request, page: int = Query(1, ge=1, le=100000),
                 q: str = "") -> Response:
    """待审核: cases in legal review, those the reviewer investigated left out."""
    person = signed_in(request, "reviewer")
    cf = web(request).cf
    found = Q.waiting(cf, _searched(cf, Q.in_states(["legal_review"]), q),
                      lambda case: "法制审核" if may_take(person, "review", case) else "",
                      ("review", person.id, tuple(person.roles)), page)
    return _queue(request, "待法制审核案件", found, "/queue/review", "review", q)


@router.get("/queue/reviewed")
def reviewed_list(request: Request, page: int = Query(1, ge=1, le=100000),
                  q: str = "") -> Response:
    """我审核过的案件: the cases this reviewer reviewed."""
    person = signed_in(request, "reviewer")
    found = Q.reviewed_by(web(request).cf, person.id, page, text=q)
    return _queue(request, "我审核过的案件", found, "/queue/reviewed", "", q)


@router.get("/queue/hearings")
def hearing_queue(request: Request, page: int = Query(1, ge=1, le=100000),
                  q: str = "") -> Response:
    """听证: the hearings the host is to hold."""
    person = signed_in(request, "host")

    def hearing(case: Case) -> str:
        h = case.hearing
        if h is None or not may_take(person, "hold_hearing", case):
            return ""
        return f"听证 {h.scheduled_at:%Y-%m-%d %H:%M}" if h.scheduled_at else "听证"

    cf = web(request).cf
    found = Q.waiting(cf, _searched(cf, Q.in_states(["hearing"]), q), hearing,
                      ("host", person.id, tuple(person.roles)), page)
    return _queue(request, "待举行听证", found, "/queue/hearings", "", q)


@router.get("/queue/head")
def head_queue(request: Request, page: int = Query(1, ge=1, le=100000),
               q: str = "") -> Response:
    """待审批: what waits for the head, with the step each case waits for."""
    person = signed_in(request, "head")
    cf = web(request).cf
    today = local_date(cf.clock.now())
    near = today + timedelta(days=cf.settings.due_soon_days)
    found = Q.waiting(cf, _searched(cf, Q.head_candidates(near), q),
                      lambda case: head_step(case, cf.profile.rule_set(case.rule_set_id), today,
                                             may_take(person, "decide", case), near),
                      ("head", person.id, tuple(person.roles), near), page)
    from casefiles.services.inspections import head_count, pending_approvals  # SPEC §6

    parked = [i for i in failing(cf, 50) if i["status"] == "parked"]  # issue 17
    return _queue(request, "待负责人审批", found, "/queue/head", "", q, parked=parked,
                  inspection_items=head_count(cf), approvals=pending_approvals(cf),
                  glance="/stats/glance")  # SPEC §7


def _searched(cf: Casefiles, candidates: Sequence[ColumnElement[bool]],
              q: str) -> list[ColumnElement[bool]]:
    found = Q.matching(cf, q)
    return list(candidates) if found is None else [and_(way, found.condition)
                                                   for way in candidates]


def _queue(request: Request, title: str, found: Q.Page, path: str, link: str,
           q: str, **extra: Any) -> Response:
    base = f"{path}?{urlencode({'q': q})}&" if q else f"{path}?"
    return render(request, "queue.html", {"title": title, "found": found, "page_base": base,
                                          "link": link, "q": q, "search_action": path, **extra})
