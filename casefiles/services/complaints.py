"""Complaints and reports from the public (投诉举报): kept as plain text, limited per sender and
hour, and waiting for an officer to register a case from them (source ``complaint``, in the
same transaction that marks the complaint) or to dismiss them with a reason, recorded in the
bureau's history chain."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from casefiles.adapters.tables import ComplaintRow, table_of
from casefiles.domain.errors import ComplaintNotFoundError, TooManyComplaintsError
from casefiles.domain.model import Person, new_id
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles, Outcome

COMPLAINTS = table_of(ComplaintRow)


def submit(cf: Casefiles, fields: dict[str, str | None], sender: str) -> str:
    """Store a complaint; :class:`TooManyComplaintsError` past the hourly limit."""
    now = cf.clock.now()
    with cf.uow(write=True) as uow:
        recent = uow.conn.execute(select(func.count()).select_from(COMPLAINTS).where(
            COMPLAINTS.c.sender_hash == sender,
            COMPLAINTS.c.received_at > now - timedelta(hours=1))).scalar_one()
        if recent >= cf.settings.complaints_per_hour:
            raise TooManyComplaintsError("提交过于频繁，请一小时后再试 / too many complaints "
                                         "from you this hour")
        complaint_id = new_id()
        uow.conn.execute(insert(COMPLAINTS).values(id=complaint_id, received_at=now,
                                                   sender_hash=sender, status="waiting",
                                                   **fields))
        uow.commit()
    return complaint_id


def get_complaint(cf: Casefiles, complaint_id: str) -> dict[str, Any] | None:
    """One complaint, or None."""
    with cf.uow() as uow:
        row = uow.conn.execute(select(COMPLAINTS).where(COMPLAINTS.c.id == complaint_id)
                               ).mappings().first()
    return None if row is None else dict(row)


def by_receipt(cf: Casefiles, prefix: str) -> dict[str, Any] | None:
    """The complaint whose id starts with ``prefix`` (its 受理编号, in lower case), if one."""
    with cf.uow() as uow:
        rows = uow.conn.execute(select(COMPLAINTS).where(
            COMPLAINTS.c.id.startswith(prefix, autoescape=True)).limit(2)).mappings().all()
    return dict(rows[0]) if len(rows) == 1 else None


def case_state(cf: Casefiles, case_id: str | None) -> str | None:
    """The state of the case registered from a complaint."""
    if case_id is None:
        return None
    from casefiles.adapters.repository import CASES

    with cf.uow() as uow:
        return uow.conn.execute(select(CASES.c.state).where(CASES.c.id == case_id)).scalar()


def register_complaint(cf: Casefiles, person: Person, complaint_id: str,
                       payload: dict[str, Any]) -> Outcome:
    """Register a case from a waiting complaint; the case and the complaint's new standing
    are committed together, or neither. :class:`ComplaintNotFoundError` when it is not
    waiting (the complaint row is locked meanwhile)."""
    cf.ensure_counters(local_date(cf.clock.now()).year)
    with cf.uow(write=True) as uow:
        row = uow.conn.execute(select(COMPLAINTS.c.status).where(
            COMPLAINTS.c.id == complaint_id).with_for_update()).first()
        if row is None or row[0] != "waiting":
            raise ComplaintNotFoundError("该投诉举报已处理或不存在 / the complaint is handled "
                                         "already or does not exist")
        outcome = cf.act_in(uow, person.id, "register", None, payload)
        if outcome.ok:
            uow.conn.execute(update(COMPLAINTS).where(COMPLAINTS.c.id == complaint_id)
                             .values(status="registered", handled_by=person.id,
                                     handled_at=cf.clock.now(), case_id=outcome.case_id))
            cf.note_bureau(uow, person.id, "complaint.register",
                           {"complaint_id": complaint_id, "case_id": outcome.case_id})
        uow.commit()
    return outcome


def dismiss(cf: Casefiles, person: Person, complaint_id: str, reason: str) -> bool:
    """Dismiss a waiting complaint with a reason, recorded in the bureau's history chain in
    the same transaction; False when it was handled already."""
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


def complaints(cf: Casefiles, status: str = "waiting", limit: int = 200) -> list[dict[str, Any]]:
    """Complaints of one standing, oldest first."""
    with cf.uow() as uow:
        rows = uow.conn.execute(select(COMPLAINTS).where(COMPLAINTS.c.status == status)
                                .order_by(COMPLAINTS.c.received_at).limit(limit)).mappings()
        return [dict(r) for r in rows]
