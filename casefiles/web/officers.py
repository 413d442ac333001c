"""The case_officers read model: which officers find a case among their own (its registrant
and its investigators), derived from the append-only history, which every writer (web, CLI,
replay, flows) appends to. Brought up to date before it is read; cheap when nothing is new."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casefiles.adapters.repository import CASES
from casefiles.adapters.stores import HISTORY
from casefiles.adapters.tables import CaseOfficerRow, ReadMarkRow
from casefiles.services.app import Casefiles
from casefiles.services.uow import UnitOfWork

CASE_OFFICERS = CaseOfficerRow.__table__
READ_MARKS = ReadMarkRow.__table__
MARK = "case_officers"
BATCH = 5000
# PostgreSQL hands out history ids before commit, so an entry can become visible after one
# with a higher id: each sync reads again this many entries behind its mark (taking a pair in
# twice changes nothing). SQLite serialises writers, so there ids become visible in order.
PG_LOOKBACK = 500


def _mark(uow: UnitOfWork, lock: bool = False) -> int | None:
    query = select(READ_MARKS.c.last_history_id).where(READ_MARKS.c.name == MARK)
    if lock and uow.conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = uow.conn.execute(query).first()
    return None if row is None else int(row[0])


def sync(cf: Casefiles) -> int:
    """Take in the history entries written since the last call; returns how many rows were
    added. Concurrent callers serialise on the write lock (SQLite) or the mark's row lock."""
    with cf.uow() as uow:
        newest = uow.conn.execute(select(func.max(HISTORY.c.id))).scalar() or 0
        if _mark(uow) == newest:
            return 0
    added = 0
    with cf.uow(write=True) as uow:
        mark = _mark(uow, lock=True)
        if mark is None:
            uow.conn.execute(insert(READ_MARKS).values(name=MARK, last_history_id=0))
            mark = 0
        done = mark
        if uow.conn.dialect.name == "postgresql":
            mark = max(mark - PG_LOOKBACK, 0)
        while True:
            rows = uow.conn.execute(
                select(HISTORY.c.id, HISTORY.c.case_id, HISTORY.c.action, HISTORY.c.actor,
                       HISTORY.c.payload)
                .where(HISTORY.c.id > mark, HISTORY.c.id <= newest)
                .order_by(HISTORY.c.id).limit(BATCH)).all()
            if not rows:
                break
            added += _take_in(uow, rows)
            mark = rows[-1][0]
        uow.conn.execute(update(READ_MARKS).where(READ_MARKS.c.name == MARK)
                         .values(last_history_id=max(done, newest)))
        uow.commit()
    return added


def _take_in(uow: UnitOfWork, rows: list[Any]) -> int:
    pairs: dict[tuple[str, str], None] = {}
    for _id, case_id, action, actor, payload in rows:
        if case_id is None:
            continue
        if action == "register":
            pairs[(case_id, actor)] = None
        elif action == "file" and isinstance(payload, dict):
            for pid in payload.get("investigators") or []:
                if isinstance(pid, str):
                    pairs[(case_id, pid)] = None
    if not pairs:
        return 0
    # only accepted entries count: the case row says who registered and who investigates
    ids = sorted({c for c, _ in pairs})
    facts = {r[0]: (r[1], set(r[2] or []), r[3]) for r in uow.conn.execute(
        select(CASES.c.id, CASES.c.registered_by, CASES.c.investigators,
               CASES.c.registered_at).where(CASES.c.id.in_(ids)))}
    values = [{"case_id": c, "person_id": p, "registered_at": facts[c][2]}
              for c, p in pairs if c in facts and (p == facts[c][0] or p in facts[c][1])]
    if not values:
        return 0
    maker = pg_insert if uow.conn.dialect.name == "postgresql" else sqlite_insert
    held = select(func.count()).select_from(CASE_OFFICERS).where(
        CASE_OFFICERS.c.case_id.in_(ids))
    before = uow.conn.execute(held).scalar_one()
    uow.conn.execute(maker(CASE_OFFICERS).on_conflict_do_nothing(), values)
    return int(uow.conn.execute(held).scalar_one() - before)
