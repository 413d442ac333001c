"""The public disclosure of decisions (公示): which are published and not withdrawn, newest
first, and the case of one of them. Drills are left out unless the installation shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from casefiles.adapters.repository import CASES, COLLECTIONS, PARTIES
from casefiles.domain.model import Case
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles

DECISIONS = COLLECTIONS["decisions"][0]


def published(cf: Casefiles, page: int = 1, size: int = 30, party: str = "",
              year: int | None = None) -> tuple[list[dict[str, Any]], bool]:
    """Published, not withdrawn decisions, newest first (of a party whose name contains
    ``party``, decided in ``year``, when given): one page and whether more follow."""
    query = (select(DECISIONS.c.id, DECISIONS.c.number, DECISIONS.c.decided_at,
                    DECISIONS.c.published_at, CASES.c.sector, PARTIES.c.kind,
                    PARTIES.c.name)
             .join(CASES, CASES.c.id == DECISIONS.c.case_id)
             .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
             .where(DECISIONS.c.published_at.is_not(None), DECISIONS.c.withdrawn_at.is_(None))
             .where(CASES.c.drill.is_(False) | cf.settings.show_drills)
             .order_by(DECISIONS.c.published_at.desc(), DECISIONS.c.id)
             .limit(size + 1).offset((page - 1) * size))
    if party.strip():
        query = query.where(PARTIES.c.name.contains(party.strip()[:100], autoescape=True))
    if year is not None and 1900 < year < 9999:
        start = datetime(year, 1, 1, tzinfo=SHANGHAI)
        query = query.where(DECISIONS.c.decided_at >= start,
                            DECISIONS.c.decided_at < start.replace(year=year + 1))
    with cf.uow() as uow:
        rows = [dict(r) for r in uow.conn.execute(query).mappings()]
    return rows[:size], len(rows) > size


def published_case(cf: Casefiles, decision_id: str) -> Case | None:
    """The case whose decision this is, while that decision stands published (None when it
    is unknown, superseded, unpublished, withdrawn, or a drill the installation hides)."""
    with cf.uow() as uow:
        row = uow.conn.execute(select(DECISIONS.c.case_id).where(
            DECISIONS.c.id == decision_id)).first()
        case = uow.cases.get(row[0]) if row is not None else None
    if case is None:
        return None
    d = case.decision
    if d is None or d.id != decision_id or d.published_at is None or d.withdrawn_at is not None \
            or (case.drill and not cf.settings.show_drills):
        return None
    return case
