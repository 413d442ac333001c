"""What every page and API route shares: who is signed in, the templates, the errors that
become 401/403/404 answers, and the loading of a case the person may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from casefiles.domain import vocabulary as V
from casefiles.domain.docfacts import cn_date
from casefiles.domain.errors import CaseNotFoundError
from casefiles.domain.model import Case, Person
from casefiles.domain.money import capitals
from casefiles.domain.notices import start_up_notices
from casefiles.domain.states import LABELS, CaseState
from casefiles.domain.timefmt import SHANGHAI, local_date, parse_date, parse_datetime
from casefiles.domain.view import case_view
from casefiles.services.app import Casefiles, Outcome
from casefiles.services.attachments import Attachment
from casefiles.services.reminders import due_counts
from casefiles.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from casefiles.web.throttle import SignInGuard, StrangerGuard
from casefiles.web.access import can_see, workplaces
from casefiles.web.forms import EVIDENCE_KINDS, FORMS, labels, required
from casefiles.web.security import Tokens, csrf_token, session_account
from casefiles.web.statuses import STATUS_BY_CODE

TEMPLATES_DIR: Path = PROJECT_ROOT / "templates" / "web"


class WebError(Exception):
    """An answer other than the page asked for: a ``code`` (its HTTP status from
    web/statuses.py, unless ``http_status`` says otherwise) and a Chinese/English message."""

    code = "error"
    http_status: int | None = None

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en

    @property
    def status(self) -> int:
        """The HTTP status that answers this error."""
        if self.http_status is not None:
            return self.http_status
        return STATUS_BY_CODE.get(self.code, 400)


class NotSignedInError(WebError):
    """No valid session or token."""

    code = "not_signed_in"


class ForbiddenError(WebError):
    """Signed in, but the role or the case is not theirs."""

    code = "forbidden_role"


class NotFoundError(WebError):
    """No such case, document or page."""

    code = "not_found"


class CsrfError(WebError):
    """A form without this session's CSRF token."""

    code = "csrf_failed"


@dataclass(frozen=True)
class Web:
    """The application's parts, kept on ``app.state.web``."""

    cf: Casefiles
    templates: Jinja2Templates
    tokens: Tokens
    key: str
    guard: SignInGuard
    strangers: StrangerGuard


def web(request: Request) -> Web:
    """The parts of the application serving ``request``."""
    return request.app.state.web


def session_person(request: Request) -> Person | None:
    """The person of the session the signed cookie names, while that session lasts on the
    server (sign-out, a new password, new roles and deactivation end it)."""
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        return None
    acct = session_account(web(request).cf, sid)
    if acct is None:
        request.session.pop("sid", None)
        return None
    return acct.person


def signed_in(request: Request, *roles: str) -> Person:
    """The signed-in person holding one of ``roles`` (any role when none is given)."""
    person = getattr(request.state, "person", None) or session_person(request)
    if person is None:
        raise NotSignedInError("请先登录", "please sign in")
    request.state.person = person
    if roles and not any(person.has_role(r) for r in roles):
        raise ForbiddenError("无此权限", "your roles do not allow this page")
    return person


def _check_ref(ref: str) -> None:
    """A case reference from a URL: :class:`NotFoundError` for what no case is called."""
    if not ref or len(ref) > 200 or any(ord(c) < 32 for c in ref):
        raise NotFoundError("没有该案件", "no such case")


def load_case(cf: Casefiles, ref: str) -> Case:
    """The case with this id or number, or :class:`NotFoundError`."""
    _check_ref(ref)
    try:
        return cf.case(ref)
    except CaseNotFoundError as exc:
        raise NotFoundError("没有该案件", "no such case") from exc


def visible_case(cf: Casefiles, person: Person, ref: str) -> Case:
    """The case when ``person`` may see it; 404 alike when there is none and when it is not
    theirs (the answer does not tell whether a case exists)."""
    case = load_case(cf, ref)
    if not can_see(person, case):
        raise NotFoundError("没有该案件", "no such case")
    return case


class Attempt:
    """One person's action request on a case, which reads the case once: inside the action's
    own transaction, where :meth:`__call__` learns whether the person may see it before it is
    judged. Attempts on cases one may not see are limited (429 once the hour's are used, and
    nothing is written then); a missing case is counted too and answered 404, as is a refusal
    on a case that is not theirs (the caller's answer tells nothing of it)."""

    def __init__(self, w: Web, person: Person) -> None:
        self.w, self.person, self.seen = w, person, True
        self.documents_before: set[str] = set()

    def __call__(self, case: Case) -> None:
        self.seen = can_see(self.person, case)
        self.documents_before = {d.id for d in case.documents}
        if not self.seen:
            self.w.strangers.check(self.person.id)

    def act(self, action: str, ref: str, payload: Any, version: int | None = None,
            files: dict[str, Attachment] | None = None) -> Outcome:
        """Take the action through the services; :class:`NotFoundError` for no such case."""
        _check_ref(ref)
        try:
            outcome = self.w.cf.act(self.person.id, action, ref, payload, version, files,
                                    admit=self)
        except CaseNotFoundError as exc:
            self.w.strangers.check(self.person.id)
            self.w.strangers.count(self.person.id)
            raise NotFoundError("没有该案件", "no such case") from exc
        if not self.seen and not outcome.ok:
            self.w.strangers.count(self.person.id)
        return outcome

    def issued(self, outcome: Outcome) -> list[tuple[str, str, str]]:
        """The documents the accepted action issued: (id, kind, number) each."""
        if outcome.case is None:
            return []
        return [(d.id, d.kind, d.number) for d in outcome.case.documents
                if d.id not in self.documents_before]

    def visible_after(self, outcome: Outcome) -> bool:
        """Whether the person may see the case as the action left it."""
        return outcome.case is not None and can_see(self.person, outcome.case)


def invalid_body(zh: str, en: str, where: str | None) -> dict[str, Any]:
    """The JSON of a request refused before it is judged (422): the shape of a refusal."""
    return {"result": "refused", "code": "invalid_input", "codes": ["invalid_input"],
            "message": f"{zh} / invalid input [{where or ''}]: {en}",
            "refusals": [{"code": "invalid_input", "zh": zh, "en": en, "field": where or None}]}


def view_of(cf: Casefiles, case: Case) -> dict[str, Any]:
    """The case view of SCENARIOS.md as of the application's clock."""
    return case_view(case, cf.profile.rule_set(case.rule_set_id), local_date(cf.clock.now()))


def moment_text(value: Any) -> str:
    """A moment as the bureau writes it: 2026年12月4日 09:30 (Asia/Shanghai)."""
    if isinstance(value, str) and value:
        try:
            value = parse_datetime(value) if "T" in value else parse_date(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        moment = value.astimezone(SHANGHAI)
        return f"{cn_date(moment.date())} {moment:%H:%M}"
    return day_text(value)


def day_text(value: Any) -> str:
    """A day as the bureau writes it: 2026年12月4日."""
    if isinstance(value, str) and value:
        try:
            value = parse_date(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return cn_date(value)
    return "" if value is None else str(value)


def _yuan(value: Any) -> str:
    if value is None:
        return ""
    amount = Decimal(str(value))
    return f"{amount:,.2f}"


def _fen(value: int | None) -> str:
    return "" if value is None else _yuan(Decimal(value) / 100)


def _capitals(value: Any) -> str:
    """An amount in yuan in Chinese capitals (陆万元整), as decisions write it."""
    if value is None or value == "":
        return ""
    return capitals(int(Decimal(str(value)) * 100))


def _case_name(case: Case) -> str:
    """What a case is called: its filing number, or before filing, its 案源编号 (or, for a case
    registered before sources were numbered, its party and the day it was registered), never
    an internal id."""
    if case.number or case.source_number:
        return case.number or case.source_number or ""
    return f"案源：{case.party.name}（{day_text(case.registered_at)}登记）"


def _payload(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def templates() -> Jinja2Templates:
    """The page templates with the bureau's vocabulary (autoescaped: user text is never HTML)."""
    t = Jinja2Templates(directory=str(TEMPLATES_DIR))
    t.env.globals.update(
        STATES={s.value: label for s, label in LABELS.items()}, SECTORS=V.SECTORS,
        SOURCES=V.SOURCES, ACTIONS=V.ACTIONS, REFUSALS=V.REFUSALS, WARNINGS=V.WARNINGS,
        DEADLINES=V.DEADLINES, CaseState=CaseState)
    t.env.globals["EVIDENCE"] = dict(EVIDENCE_KINDS)
    t.env.globals["CHECKLIST"] = V.CHECKLIST_ITEMS
    # the actions that issue a document to the party or undo one: confirmed, after a preview
    t.env.globals["CONFIRMED"] = {
        "notify": "处罚告知将编号制作行政处罚告知书并开始计算陈述申辩期限。",
        "schedule_hearing": "安排听证将编号制作听证会通知书，通知当事人听证的时间和地点。",
        "hold_hearing": "举行听证将编号制作听证笔录，记录听证情况。",
        "serve": "送达将记录送达并开始计算履行期限。",
        "revoke": "撤销将制作撤销行政处罚决定书，原决定不再执行。",
        "close": "结案后案件不能再办理调查、决定等事项。"}
    # each form's required fields (marked *) and labels (to name a refused field)
    t.env.globals["REQUIRED"] = {a: required(a) for a in FORMS}
    t.env.globals["LABELS"] = {a: labels(a) for a in FORMS}
    t.env.filters.update(when=moment_text, day=day_text, capitals=_capitals,
                         fen_capitals=lambda fen: "" if fen is None else capitals(fen),
                         case_name=_case_name, yuan=_yuan, fen=_fen, payload=_payload)
    return t


def render(request: Request, name: str, context: dict[str, Any],
           status: int = 200) -> Response:
    """A page with the layout's context: the person, their links, the CSRF token, a flash."""
    w = web(request)
    person = getattr(request.state, "person", None)
    day = local_date(w.cf.clock.now())
    base = {"person": person, "links": workplaces(person) if person else [],
            "csrf": csrf_token(request.session), "flash": request.session.pop("flash", None),
            "flash_documents": request.session.pop("flash_documents", []),
            "due": due_counts(w.cf, person) if person is not None else None,  # the badge
            "today": day, "agency": w.cf.profile.agency.name,
            # the head's pages name the figures awaiting confirmation and a missing next year
            # of holidays (SPEC §5)
            "rule_notices": start_up_notices(w.cf.profile, w.cf.calendar, day)
            if person is not None and person.has_role("head") else []}
    return w.templates.TemplateResponse(request, name, base | context, status_code=status)


def today(request: Request) -> date:
    """The application's date (the injected clock)."""
    return local_date(web(request).cf.clock.now())
