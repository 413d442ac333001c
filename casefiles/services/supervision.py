"""督办: a supervisor or the head marks a case for supervision with a note the officers read
on the case; each mark is kept with the case and recorded in the bureau's history chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from casefiles.adapters.tables import SupervisionRow, table_of
from casefiles.domain.model import Person, new_id
from casefiles.services.app import Casefiles

SUPERVISIONS = table_of(SupervisionRow)


def supervise(cf: Casefiles, person: Person, case_id: str, note: str) -> None:
    """Mark the case for supervision with ``note``, in one transaction with its history."""
    now = cf.clock.now()
    with cf.uow(write=True) as uow:
        uow.conn.execute(insert(SUPERVISIONS).values(id=new_id(), case_id=case_id,
                                                     by=person.id, note=note, at=now))
        cf.note_bureau(uow, person.id, "case.supervise", {"case_id": case_id, "note": note})
        uow.commit()


def marks(cf: Casefiles, case_id: str) -> list[dict[str, Any]]:
    """The case's supervision marks, newest first."""
    with cf.uow() as uow:
        return [dict(r) for r in uow.conn.execute(
            select(SUPERVISIONS).where(SUPERVISIONS.c.case_id == case_id)
            .order_by(SUPERVISIONS.c.at.desc())).mappings()]


def supervised_of(cf: Casefiles, person_id: str | None) -> list[dict[str, Any]]:
    """The cases marked for supervision (of those ``person_id`` registered or investigates,
    when given), each with its newest mark."""
    from casefiles.adapters.repository import CASE_OFFICERS, CASES, PARTIES

    query = (select(SUPERVISIONS.c.case_id, SUPERVISIONS.c.note, SUPERVISIONS.c.at,
                    SUPERVISIONS.c.by, CASES.c.number, PARTIES.c.name.label("party"))
             .join(CASES, CASES.c.id == SUPERVISIONS.c.case_id)
             .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
             .order_by(SUPERVISIONS.c.at.desc()).limit(200))
    if person_id is not None:
        query = query.where(SUPERVISIONS.c.case_id.in_(select(CASE_OFFICERS.c.case_id).where(
            CASE_OFFICERS.c.person_id == person_id)))
    with cf.uow() as uow:
        rows = [dict(r) for r in uow.conn.execute(query).mappings()]
    newest: dict[str, dict[str, Any]] = {}
    for r in rows:
        newest.setdefault(r["case_id"], r)
    return list(newest.values())
