"""Read-only lists for the CLI, the web and supervisors."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from casefiles.adapters.repository import CASES, COLLECTIONS, PARTIES
from casefiles.domain.timefmt import SHANGHAI, local_date
from casefiles.services.app import Casefiles

DEADLINES = COLLECTIONS["deadlines"][0]


def list_cases(cf: Casefiles, *, state: str | None = None, sector: str | None = None,
               registered_from: date | None = None, registered_until: date | None = None,
               limit: int = 500, offset: int = 0, drills: bool = False) -> list[dict[str, Any]]:
    """Cases with their party, newest first, filtered by state, sector and registration date;
    drills (演练) only when asked for (or the installation shows them)."""
    q = (select(CASES.c.id, CASES.c.number, CASES.c.state, CASES.c.sector,
                CASES.c.registered_at, CASES.c.version, PARTIES.c.name)
         .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
         .order_by(CASES.c.registered_at.desc(), CASES.c.id).limit(limit).offset(offset))
    if not (drills or cf.settings.show_drills):
        q = q.where(CASES.c.drill.is_(False))
    if state:
        q = q.where(CASES.c.state == state)
    if sector:
        q = q.where(CASES.c.sector == sector)
    if registered_from:
        q = q.where(CASES.c.registered_at >= _start(registered_from))
    if registered_until:
        q = q.where(CASES.c.registered_at < _start(registered_until + timedelta(days=1)))
    with cf.uow() as uow:
        rows = uow.conn.execute(q).mappings().all()
    return [{"id": r["id"], "number": r["number"], "state": r["state"], "sector": r["sector"],
             "party": r["name"], "registered_at": r["registered_at"].isoformat(),
             "version": r["version"]} for r in rows]


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI)


def upcoming_deadlines(cf: Casefiles, *, within_days: int = 14) -> list[dict[str, Any]]:
    """Undone deadlines due within ``within_days`` or already missed, soonest first."""
    today = local_date(cf.clock.now())
    horizon = today + timedelta(days=within_days)
    q = (select(DEADLINES.c.case_id, DEADLINES.c.kind, DEADLINES.c.due, DEADLINES.c.missed,
                CASES.c.number, CASES.c.state)
         .join(CASES, CASES.c.id == DEADLINES.c.case_id)
         .where(DEADLINES.c.done_on.is_(None), DEADLINES.c.not_applicable.is_(False),
                DEADLINES.c.due <= horizon)
         .order_by(DEADLINES.c.due))
    if not cf.settings.show_drills:
        q = q.where(CASES.c.drill.is_(False))
    with cf.uow() as uow:
        rows = uow.conn.execute(q).mappings().all()
    return [{"case_id": r["case_id"], "number": r["number"], "state": r["state"],
             "kind": r["kind"], "due": r["due"].isoformat(),
             "status": "missed" if r["missed"] or r["due"] < today else "open"} for r in rows]
