"""Complaints and reports from the public (投诉举报): kept as plain text, limited per sender and
hour, and waiting for an officer to register a case from them (source ``complaint``, in the same
transaction that marks the complaint) or to dismiss them with a reason."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from casefiles.adapters.tables import ComplaintRow
from casefiles.domain.model import Person, new_id
from casefiles.services.app import Casefiles, Outcome
from casefiles.web.common import NotFoundError, WebError, render, signed_in, web
from casefiles.web.forms_io import submitted

COMPLAINTS = ComplaintRow.__table__
LIMITS = {"reporter": 50, "contact": 50, "subject": 200, "location": 200, "content": 4000}
router = APIRouter(include_in_schema=False)


class ComplaintInputError(WebError):
    """A complaint form with a field missing, too long, or holding control characters."""

    status, code = 422, "invalid_input"


class TooManyComplaintsError(WebError):
    """More complaints from one sender in an hour than the settings allow."""

    status, code = 429, "rate_limited"


def sender_hash(key: str, address: str) -> str:
    """A keyed digest of the sender's address: enough to count, not to identify."""
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def clean(fields: dict[str, str]) -> dict[str, str | None]:
    """The complaint's fields as plain text, or :class:`ComplaintInputError` naming the field."""
    out: dict[str, str | None] = {}
    for name, limit in LIMITS.items():
        value = (fields.get(name) or "").replace("\r\n", "\n").strip()
        if any(ord(c) < 32 and c not in "\n\t" for c in value) or "\x7f" in value:
            raise ComplaintInputError(f"{name} 含有控制字符", f"{name} has a control character")
        if len(value) > limit:
            raise ComplaintInputError(f"{name} 超过{limit}字", f"{name} is over {limit} characters")
        out[name] = value or None
    for required in ("subject", "content"):
        if not out[required]:
            what = "被投诉单位或场所" if required == "subject" else "投诉内容"
            raise ComplaintInputError(f"请填写{what}", f"{required} is required")
    return out


def submit(cf: Casefiles, fields: dict[str, str | None], sender: str) -> str:
    """Store a complaint; :class:`TooManyComplaintsError` past the hourly limit."""
    now = cf.clock.now()
    with cf.uow(write=True) as uow:
        recent = uow.conn.execute(select(func.count()).select_from(COMPLAINTS).where(
            COMPLAINTS.c.sender_hash == sender,
            COMPLAINTS.c.received_at > now - timedelta(hours=1))).scalar_one()
        if recent >= cf.settings.complaints_per_hour:
            raise TooManyComplaintsError("提交过于频繁，请一小时后再试",
                                         "too many complaints from you this hour")
        complaint_id = new_id()
        uow.conn.execute(insert(COMPLAINTS).values(id=complaint_id, received_at=now,
                                                   sender_hash=sender, status="waiting",
                                                   **fields))
        uow.commit()
    return complaint_id


def get_complaint(cf: Casefiles, complaint_id: str) -> dict[str, Any]:
    """One complaint, or :class:`NotFoundError`."""
    with cf.uow() as uow:
        row = uow.conn.execute(select(COMPLAINTS).where(COMPLAINTS.c.id == complaint_id)
                               ).mappings().first()
    if row is None:
        raise NotFoundError("没有该投诉举报", "no such complaint")
    return dict(row)


def register_complaint(cf: Casefiles, person: Person, complaint_id: str,
                       payload: dict[str, Any]) -> Outcome:
    """Register a case from a waiting complaint; the case and the complaint's new standing
    are committed together, or neither."""
    for _attempt in range(5):
        try:
            with cf.uow(write=True) as uow:
                row = uow.conn.execute(select(COMPLAINTS.c.status).where(
                    COMPLAINTS.c.id == complaint_id)).first()
                if row is None or row[0] != "waiting":
                    raise NotFoundError("该投诉举报已处理或不存在",
                                        "the complaint is handled already or does not exist")
                outcome = cf.act_in(uow, person.id, "register", None, payload)
                if outcome.ok:
                    uow.conn.execute(update(COMPLAINTS).where(COMPLAINTS.c.id == complaint_id)
                                     .values(status="registered", handled_by=person.id,
                                             handled_at=cf.clock.now(), case_id=outcome.case_id))
                    cf.note_bureau(uow, person.id, "complaint.register",
                                   {"complaint_id": complaint_id, "case_id": outcome.case_id})
                uow.commit()
            return outcome
        except IntegrityError:
            continue
    raise RuntimeError("could not register the complaint after 5 attempts")


def dismiss(cf: Casefiles, person: Person, complaint_id: str, reason: str) -> bool:
    """Dismiss a waiting complaint with a reason, recorded in the bureau's history chain in
    the same transaction; False when it was handled already."""
    for _attempt in range(5):
        try:
            with cf.uow(write=True) as uow:
                result = uow.conn.execute(
                    update(COMPLAINTS).where(COMPLAINTS.c.id == complaint_id,
                                             COMPLAINTS.c.status == "waiting")
                    .values(status="dismissed", handled_by=person.id,
                            handled_at=cf.clock.now(), dismiss_reason=reason))
                if result.rowcount == 1:
                    cf.note_bureau(uow, person.id, "complaint.dismiss",
                                   {"complaint_id": complaint_id, "reason": reason})
                uow.commit()
            return result.rowcount == 1
        except IntegrityError:
            continue  # a concurrent append to the bureau chain: try again
    raise RuntimeError("could not dismiss the complaint after 5 attempts")


def waiting(cf: Casefiles, status: str = "waiting", limit: int = 200) -> list[dict[str, Any]]:
    """Complaints of one standing, oldest first."""
    with cf.uow() as uow:
        rows = uow.conn.execute(select(COMPLAINTS).where(COMPLAINTS.c.status == status)
                                .order_by(COMPLAINTS.c.received_at).limit(limit)).mappings()
        return [dict(r) for r in rows]


@router.get("/complaints")
def complaints_page(request: Request, status: str = "waiting") -> Response:
    """投诉举报 waiting for an officer (or those registered or dismissed)."""
    signed_in(request, "officer", "head")
    status = status if status in ("waiting", "registered", "dismissed") else "waiting"
    return render(request, "complaints.html", {"rows": waiting(web(request).cf, status),
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
    if not dismiss(cf, person, complaint_id, reason):
        return render(request, "complaint.html", {"c": c, "reason": reason, "error":
                      "该投诉举报已处理 / the complaint is handled already"}, status=409)
    request.session["flash"] = "投诉举报已不予登记"
    return RedirectResponse("/complaints", status_code=303)


