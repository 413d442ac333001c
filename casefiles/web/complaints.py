"""The pages of complaints and reports from the public (投诉举报): the form's checks, and the
officers' pages over services/complaints, whose refusals are answered here."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from casefiles.domain.errors import ComplaintNotFoundError, TooManyComplaintsError
from casefiles.domain.model import Person
from casefiles.domain.states import LABELS as STATE_LABELS
from casefiles.domain.states import CaseState
from casefiles.domain.vocabulary import SECTORS
from casefiles.services import complaints as service
from casefiles.services.app import Casefiles, Outcome
from casefiles.web.common import NotFoundError, WebError, render, signed_in, web
from casefiles.web.forms_io import submitted

LIMITS = {"reporter": 50, "contact": 50, "subject": 200, "location": 200, "content": 4000}
LABELS = {"reporter": "您的姓名", "contact": "联系方式", "subject": "被投诉单位或场所",
          "location": "地点", "content": "投诉内容"}
router = APIRouter(include_in_schema=False)


class ComplaintInputError(WebError):
    """A complaint form with a field missing, too long, or holding control characters."""

    code = "invalid_input"


class TooManyComplaintsWebError(WebError):
    """More complaints from one sender in an hour than the settings allow."""

    code = "rate_limited"


def sender_hash(key: str, address: str) -> str:
    """A keyed digest of the sender's address: enough to count, not to identify."""
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def clean(fields: dict[str, str]) -> dict[str, str | None]:
    """The complaint's fields as plain text, or :class:`ComplaintInputError` naming the field."""
    out: dict[str, str | None] = {}
    for name, limit in LIMITS.items():
        value = (fields.get(name) or "").replace("\r\n", "\n").strip()
        if any(ord(c) < 32 and c not in "\n\t" for c in value) or "\x7f" in value:
            raise ComplaintInputError(f"{LABELS[name]}含有控制字符",
                                      f"{name} has a control character")
        if len(value) > limit:
            raise ComplaintInputError(f"{LABELS[name]}超过{limit}字",
                                      f"{name} is over {limit} characters")
        out[name] = value or None
    sector = (fields.get("sector") or "").strip()
    out["sector"] = sector if sector in SECTORS else None
    for required in ("subject", "content"):
        if not out[required]:
            what = "被投诉单位或场所" if required == "subject" else "投诉内容"
            raise ComplaintInputError(f"请填写{what}", f"{required} is required")
    return out


def submit(cf: Casefiles, fields: dict[str, str | None], sender: str) -> str:
    """Store a complaint; :class:`TooManyComplaintsWebError` past the hourly limit."""
    try:
        return service.submit(cf, fields, sender)
    except TooManyComplaintsError as exc:
        raise TooManyComplaintsWebError("提交过于频繁，请一小时后再试",
                                        "too many complaints from you this hour") from exc


def get_complaint(cf: Casefiles, complaint_id: str) -> dict[str, Any]:
    """One complaint, or :class:`NotFoundError`."""
    found = service.get_complaint(cf, complaint_id)
    if found is None:
        raise NotFoundError("没有该投诉举报", "no such complaint")
    return found


def register_complaint(cf: Casefiles, person: Person, complaint_id: str,
                       payload: dict[str, Any]) -> Outcome:
    """Register a case from a waiting complaint (:class:`NotFoundError` if none waits)."""
    try:
        return service.register_complaint(cf, person, complaint_id, payload)
    except ComplaintNotFoundError as exc:
        raise NotFoundError("该投诉举报已处理或不存在",
                            "the complaint is handled already or does not exist") from exc


@router.get("/complaints")
def complaints_page(request: Request, status: str = "waiting") -> Response:
    """投诉举报 waiting for an officer (or those registered or dismissed)."""
    signed_in(request, "officer", "head")
    status = status if status in ("waiting", "registered", "dismissed") else "waiting"
    return render(request, "complaints.html", {"rows": service.complaints(web(request).cf,
                                                                          status),
                                               "status": status})


@router.get("/complaints/{complaint_id}")
def complaint_page(request: Request, complaint_id: str) -> Response:
    """One complaint, with registration and dismissal."""
    signed_in(request, "officer", "head")
    return render(request, "complaint.html",
                  {"c": get_complaint(web(request).cf, complaint_id), "reason": ""})


@router.post("/complaints/{complaint_id}/dismiss")
async def dismiss_complaint(request: Request, complaint_id: str) -> Response:
    """Dismiss with a written reason (the form stays filled when the reason is missing)."""
    person = signed_in(request, "officer", "head")
    form = await submitted(request)
    cf = web(request).cf
    c = get_complaint(cf, complaint_id)
    reason = form.one("reason")
    if not reason or len(reason) > 2000:
        return render(request, "complaint.html", {"c": c, "reason": reason, "error":
                      "请填写不予立案登记的理由（2000字以内） / a reason is required"}, status=422)
    if not service.dismiss(cf, person, complaint_id, reason):
        return render(request, "complaint.html", {"c": c, "reason": reason, "error":
                      "该投诉举报已处理 / the complaint is handled already"}, status=409)
    request.session["flash"] = "投诉举报已不予登记"
    return RedirectResponse("/complaints", status_code=303)




def receipt(complaint_id: str) -> str:
    """The 受理编号 a complainant is given: the first eight characters of the id."""
    return complaint_id[:8].upper()


def progress(cf: Casefiles, code: str, phone: str) -> str | None:
    """How a complaint stands, in words for the complainant, found by its 受理编号 and the
    phone number left with it (None when no complaint has both)."""
    code, digits = code.strip().lower(), "".join(c for c in phone if c.isdigit())
    if len(code) != 8 or not all(c in "0123456789abcdef" for c in code) or len(digits) < 5:
        return None
    found = service.by_receipt(cf, code)
    if found is None or "".join(c for c in found["contact"] or "" if c.isdigit()) != digits:
        return None
    if found["status"] == "waiting":
        return "已收到，执法人员正在核查。"
    if found["status"] == "dismissed":
        return f"经核查，不予立案。理由：{found['dismiss_reason'] or ''}"
    state = service.case_state(cf, found["case_id"])
    stage = STATE_LABELS.get(CaseState(state), "") if state else ""
    return f"已登记为案件办理，当前阶段：{stage}。" if stage else "已登记为案件办理。"
