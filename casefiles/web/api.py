"""The JSON API under /api (OpenAPI at /api/openapi.json): the actions of SCENARIOS.md with
their payloads, the case view, lists and history. A refusal answers with its codes and messages:
409 when a rule refuses, 422 for invalid input, 403 for a role, 404 alike for what does not
exist and for a case that is not yours (429 after too many attempts on such cases).
Authentication: ``Authorization: Bearer <token>`` from POST /api/token, or the page session
(then unsafe methods need the X-CSRF-Token header)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from casefiles.domain.kinds import Role
from casefiles.domain.model import Person
from casefiles.services import lists as Q
from casefiles.services.app import Outcome
from casefiles.web.access import CASE_ACTIONS, can_see, offered
from casefiles.web.common import (
    Attempt,
    CsrfError,
    NotFoundError,
    NotSignedInError,
    session_person,
    view_of,
    visible_case,
    web,
)
from casefiles.web.security import TOKEN_SECONDS, authenticate, csrf_ok
from casefiles.web.statuses import status_of
from casefiles.web.strictjson import StrictJSONRoute

router = APIRouter(prefix="/api", tags=["casefiles"], route_class=StrictJSONRoute)
_bearer = HTTPBearer(auto_error=False, description="POST /api/token 取得 / from POST /api/token")
ActionName = Enum("ActionName", {a: a for a in CASE_ACTIONS}, type=str)  # type: ignore[misc]


class ErrorOut(BaseModel):
    """An answer that is not the resource: 401, 403, 404."""

    code: str
    message: str


class TokenIn(BaseModel):
    """A person's id and password."""

    id: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    """A bearer token for the API."""

    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class RefusalOut(BaseModel):
    """One reason of a refusal."""

    code: str
    zh: str
    en: str
    field: str | None = None


class OutcomeOut(BaseModel):
    """What an action came to (the fields of a replay step line), with the case view."""

    result: Literal["ok", "refused"]
    action: str
    case: str | None
    code: str | None
    codes: list[str]
    message: str
    refusals: list[RefusalOut]
    warnings: list[str]
    state: str | None
    view: dict[str, Any] | None = None


class MeOut(BaseModel):
    """The signed-in person."""

    id: str
    name: str
    roles: list[Role]


class CaseRowOut(BaseModel):
    """A case in a list, with its next undone deadline."""

    id: str
    number: str | None
    state: str
    sector: str
    party: str
    registered_at: str
    version: int
    next_deadline: dict[str, str] | None


class CaseListOut(BaseModel):
    """One page of cases."""

    cases: list[CaseRowOut]
    page: int
    has_next: bool


class HistoryOut(BaseModel):
    """Every history entry of a case and the result of verifying its hash chain."""

    case: str
    verified: bool
    first_break: dict[str, Any] | None
    entries: list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}}


def api_person(request: Request,
               creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Person:
    """The person of the bearer token, else of the session (CSRF header on unsafe methods)."""
    w = web(request)
    if creds is not None:
        acct = w.tokens.read(w.cf, creds.credentials)
        if acct is None:
            raise NotSignedInError("令牌无效或已过期", "the token is invalid or expired")
        return acct.person
    person = session_person(request)
    if person is None:
        raise NotSignedInError("请先登录或提供令牌", "sign in or send a bearer token")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not csrf_ok(
            request.session, request.headers.get("x-csrf-token")):
        raise CsrfError("缺少 X-CSRF-Token", "the X-CSRF-Token header is missing or wrong")
    return person


Me = Annotated[Person, Depends(api_person)]


def outcome_response(o: Outcome, visible: bool) -> JSONResponse:
    """The answer to an action: its outcome and status (404 when refused on a case that is
    not the caller's)."""
    if not visible and not o.ok:  # the history keeps the real codes; the caller learns nothing
        raise NotFoundError("没有该案件", "no such case")
    body = OutcomeOut(result="ok" if o.ok else "refused", action=o.action, case=o.case_id,
                      code=o.code, codes=o.codes, message=o.message,
                      refusals=[RefusalOut(code=r.code, zh=r.zh, en=r.en, field=r.field)
                                for r in o.refusals],
                      warnings=o.warnings, state=o.state if visible else None,
                      view=o.view if visible and o.ok else None)
    if o.ok:
        status = 201 if o.action == "register" else 200
    else:
        status = 403 if not visible else status_of(o.code)
    return JSONResponse(body.model_dump(), status_code=status)


@router.post("/token", response_model=TokenOut,
             responses={401: {"model": ErrorOut}, 429: {"model": ErrorOut}})
def token(request: Request, body: TokenIn) -> TokenOut:
    """A bearer token for a person's id and password."""
    w, address = web(request), request.client.host if request.client else "-"
    w.guard.check(body.id, address)
    acct = authenticate(w.cf, body.id, body.password)
    if acct is None:
        w.guard.failed(body.id, address)
        raise NotSignedInError("账号或密码错误", "wrong id or password")
    w.guard.succeeded(body.id, address)
    return TokenOut(token=w.tokens.issue(acct), expires_in=TOKEN_SECONDS)


@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(person: Me) -> MeOut:
    """Who is signed in."""
    return MeOut(id=person.id, name=person.name, roles=person.roles)


@router.get("/cases", response_model=CaseListOut, responses=ERRORS)
def cases(request: Request, person: Me,
          state: Annotated[str | None, Query(max_length=40)] = None,
          sector: Annotated[str | None, Query(max_length=40)] = None, overdue: bool = False,
          registered_from: date | None = None, registered_until: date | None = None,
          ended: bool = False, page: Annotated[int, Query(ge=1, le=100000)] = 1
          ) -> CaseListOut:
    """Cases this person may see: every case (head, supervisors, with the filters); else an
    officer's own cases, in hand or (``ended``) ended; else the reviewer's and host's cases."""
    cf = web(request).cf
    if person.has_role("head") or person.has_role("supervisor"):
        found = Q.all_cases(cf, Q.Filters(state, sector, overdue, registered_from,
                                          registered_until), page)
    elif person.has_role("officer"):
        found = Q.my_cases(cf, person.id, page, ended=ended)
    else:
        found = Q.waiting(cf, Q.in_states(["legal_review", "hearing"]),
                          lambda case: "待办" if can_see(person, case) else "",
                          ("api", person.id, tuple(person.roles)), page)
    rows = [CaseRowOut(id=r["id"], number=r["number"], state=r["state"], sector=r["sector"],
                       party=r["party"], registered_at=r["registered_at"].isoformat(),
                       version=r["version"], next_deadline=r["next_deadline"])
            for r in found.rows]
    return CaseListOut(cases=rows, page=found.page, has_next=found.has_next)


@router.post("/cases", response_model=OutcomeOut, status_code=201,
             responses={**ERRORS, 409: {"model": OutcomeOut}, 422: {"model": OutcomeOut}})
def register(request: Request, payload: Annotated[dict[str, Any], Body()],
             person: Me) -> JSONResponse:
    """Register a case (the ``register`` payload of SCENARIOS.md)."""
    return outcome_response(web(request).cf.act(person.id, "register", None, payload), True)


@router.get("/cases/{case}", responses=ERRORS)
def case_view(request: Request, case: str, person: Me
              ) -> dict[str, Any]:
    """The case view of SCENARIOS.md, with the actions offered to this person now."""
    cf = web(request).cf
    found = visible_case(cf, person, case)
    return view_of(cf, found) | {"offered": offered(person, found)}


@router.get("/cases/{case}/history", response_model=HistoryOut, responses=ERRORS)
def history(request: Request, case: str, person: Me) -> HistoryOut:
    """Every history entry of the case, and whether its hash chain verifies."""
    from casefiles.domain.history import verify_chain

    cf = web(request).cf
    found = visible_case(cf, person, case)
    with cf.uow() as uow:
        entries = uow.history.chain(found.id)
    broken = verify_chain(entries, found.history_head, found.history_length)
    return HistoryOut(case=found.id, verified=broken is None,
                      first_break=None if broken is None else {"seq": broken.seq,
                                                                "reason": broken.reason},
                      entries=[e.content() | {"hash": e.hash} for e in entries])


@router.post("/cases/{case}/actions/{action}", response_model=OutcomeOut,
             responses={**ERRORS, 409: {"model": OutcomeOut}, 422: {"model": OutcomeOut}})
def act(request: Request, case: str, action: ActionName,
        person: Me, payload: Annotated[dict[str, Any] | None, Body()] = None,
        expected_version: Annotated[int | None, Query(ge=0, le=2**31)] = None
        ) -> JSONResponse:
    """Take an action of SCENARIOS.md on the case; the body is its payload (``with``)."""
    attempt = Attempt(web(request), person)
    o = attempt.act(action.value, case, payload, expected_version)
    return outcome_response(o, attempt.visible_after(o))
