"""Inspections on one open connection: the aggregate as JSON in ``inspections.doc``, with the
columns the lists filter on, and ``inspection_officers`` for "my inspections"."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import Connection, delete, func, insert, select, true, tuple_, update

from casefiles.adapters.aggregate import _in_shanghai, _times
from casefiles.adapters.tables import (
    InspectionEventRow,
    InspectionOfficerRow,
    InspectionRow,
    table_of,
)
from casefiles.domain import inspections as I
from casefiles.domain.statistics import inspection_events, unit_key

INSPECTIONS = table_of(InspectionRow)
INSPECTION_OFFICERS = table_of(InspectionOfficerRow)
INSPECTION_EVENTS = table_of(InspectionEventRow)
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(I.Inspection)
_RECORD_TIMES = {f.name: _times(typing.get_args(typing.get_type_hints(I.Inspection)[f.name])[0])
                 for f in dataclasses.fields(I.Inspection)
                 if typing.get_origin(typing.get_type_hints(I.Inspection)[f.name]) is list
                 and dataclasses.is_dataclass(
                     typing.get_args(typing.get_type_hints(I.Inspection)[f.name])[0])}


def decode(doc: str) -> I.Inspection:
    """The inspection from its JSON text, every timestamp in Asia/Shanghai."""
    insp = _DECODER.decode(doc)
    _in_shanghai(insp, _times(I.Inspection))
    for attr, names in _RECORD_TIMES.items():
        if names:
            for record in getattr(insp, attr):
                _in_shanghai(record, names)
    return insp


def next_due(insp: I.Inspection) -> date | None:
    """The earliest due date of a deadline not done yet (missed ones too, as a case's: they
    stay listed until done)."""
    due = [d.due for d in insp.deadlines if d.done_on is None and not d.not_applicable]
    return min(due) if due else None


def held_until(insp: I.Inspection) -> date | None:
    """The last day of the seals and seizes not lifted yet, if any."""
    days = [m.until for m in insp.measures if m.until is not None and m.lifted_at is None]
    return max(days) if days else None


def officers_of(insp: I.Inspection) -> list[str]:
    """Everyone the inspection names as an officer present."""
    ids = list(insp.officers) + [r for rc in insp.rechecks for r in rc.officers]
    return list(dict.fromkeys(ids))


def event_rows(insp: I.Inspection) -> list[dict[str, Any]]:
    """The rows of ``inspection_events`` that ``insp`` has now."""
    unit = unit_key(insp.unit)
    return [{"inspection_id": insp.id, "kind": e.kind, "ref": e.ref, "on": e.on,
             "sector": insp.sector, "drill": insp.drill,
             "unit_code": unit if e.kind == "inspection" else None}
            for e in inspection_events(insp)]


def write_events(conn: Connection, insp: I.Inspection) -> None:
    """Bring the rows of ``inspection_events`` of ``insp`` up to its events now, writing only
    those added, changed or gone (most actions change none; a recheck, an order or the sweep
    a few)."""
    now = {(r["kind"], r["ref"]): r for r in event_rows(insp)}
    held = {(r["kind"], r["ref"]): dict(r) for r in conn.execute(
        select(INSPECTION_EVENTS).where(INSPECTION_EVENTS.c.inspection_id == insp.id)).mappings()}
    stale = [key for key, row in held.items() if now.get(key) != row]
    if stale:
        conn.execute(delete(INSPECTION_EVENTS).where(
            INSPECTION_EVENTS.c.inspection_id == insp.id,
            tuple_(INSPECTION_EVENTS.c.kind, INSPECTION_EVENTS.c.ref).in_(stale)))
    fresh = [row for key, row in now.items() if held.get(key) != row]
    if fresh:
        conn.execute(insert(INSPECTION_EVENTS), fresh)


class InspectionStore:
    """Read, add and save inspections."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def resolve(self, ref: str) -> str | None:
        """An inspection id from its id, its number or a unique id prefix (at least 6)."""
        row = self.conn.execute(select(INSPECTIONS.c.id).where(
            (INSPECTIONS.c.id == ref) | (INSPECTIONS.c.number == ref))).first()
        if row:
            return str(row[0])
        if len(ref) >= 6:
            rows = self.conn.execute(select(INSPECTIONS.c.id)
                                     .where(INSPECTIONS.c.id.startswith(ref)).limit(2)).all()
            if len(rows) == 1:
                return str(rows[0][0])
        return None

    def get(self, inspection_id: str, lock: bool = False) -> I.Inspection | None:
        """The inspection (locked for the transaction on PostgreSQL with ``lock``)."""
        query = select(INSPECTIONS.c.doc, INSPECTIONS.c.version, INSPECTIONS.c.history_length,
                       INSPECTIONS.c.history_head).where(INSPECTIONS.c.id == inspection_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            return None
        insp = decode(row[0])
        insp.version, insp.history_length, insp.history_head = row[1], row[2], row[3]
        return insp

    def _columns(self, insp: I.Inspection, today: date) -> dict[str, Any]:
        return {"number": insp.number, "state": insp.state, "sector": insp.sector,
                "unit_name": insp.unit.name,
                "unit_code": unit_key(insp.unit),
                "inspected_at": insp.inspected_at, "inspected_by": insp.inspected_by,
                "major_hazard": insp.major_hazard, "next_due": next_due(insp),
                "held_until": held_until(insp),
                "documents_pending": any(d.sha256 is None for d in insp.documents),
                "approvals_pending": any(r.status == "pending" for r in insp.requests),
                "drill": insp.drill, "history_length": insp.history_length,
                "history_head": insp.history_head,
                "doc": _ENCODER.encode(insp).decode("utf-8")}

    def add(self, insp: I.Inspection, today: date) -> None:
        """Insert a new inspection at version 1."""
        insp.version = 1
        self.conn.execute(insert(INSPECTIONS), {"id": insp.id, "version": 1,
                                                **self._columns(insp, today)})
        self._officers(insp)
        self.conn.execute(insert(INSPECTION_EVENTS), event_rows(insp))

    def save(self, insp: I.Inspection, today: date, bump: bool = True) -> bool:
        """Write the inspection back; False when its version moved under us."""
        version = insp.version + (1 if bump else 0)
        done = self.conn.execute(update(INSPECTIONS).where(
            INSPECTIONS.c.id == insp.id, INSPECTIONS.c.version == insp.version).values(
            version=version, **self._columns(insp, today)))
        if done.rowcount != 1:
            return False
        insp.version = version
        self._officers(insp)
        write_events(self.conn, insp)
        return True

    def _officers(self, insp: I.Inspection) -> None:
        self.conn.execute(delete(INSPECTION_OFFICERS)
                          .where(INSPECTION_OFFICERS.c.inspection_id == insp.id))
        self.conn.execute(insert(INSPECTION_OFFICERS), [
            {"inspection_id": insp.id, "person_id": p, "inspected_at": insp.inspected_at}
            for p in officers_of(insp)])

    def page(self, *, officer: str | None = None, state: str | None = None,
             sector: str | None = None, major: bool | None = None, drills: bool = False,
             open_only: bool = False, limit: int = 50, offset: int = 0
             ) -> list[dict[str, Any]]:
        """A page of inspections, newest first, as list rows."""
        cols = [INSPECTIONS.c.id, INSPECTIONS.c.number, INSPECTIONS.c.state,
                INSPECTIONS.c.sector, INSPECTIONS.c.unit_name, INSPECTIONS.c.inspected_at,
                INSPECTIONS.c.major_hazard, INSPECTIONS.c.next_due, INSPECTIONS.c.drill]
        query = select(*cols)
        if officer is not None:
            query = query.join(INSPECTION_OFFICERS,
                               INSPECTION_OFFICERS.c.inspection_id == INSPECTIONS.c.id).where(
                INSPECTION_OFFICERS.c.person_id == officer)
        if state is not None:
            query = query.where(INSPECTIONS.c.state == state)
        if open_only:
            query = query.where(INSPECTIONS.c.state != "closed")
        if sector is not None:
            query = query.where(INSPECTIONS.c.sector == sector)
        if major is not None:
            query = query.where(INSPECTIONS.c.major_hazard == major)
        if not drills:
            query = query.where(INSPECTIONS.c.drill.is_(False))
        order = INSPECTIONS.c.inspected_at.desc(), INSPECTIONS.c.id.desc()
        if officer is not None:
            order = INSPECTION_OFFICERS.c.inspected_at.desc(), INSPECTIONS.c.id.desc()
        rows = self.conn.execute(query.order_by(*order).limit(limit).offset(offset)).mappings()
        return [dict(r) for r in rows]

    def count(self) -> int:
        """How many inspections there are."""
        return int(self.conn.execute(select(func.count()).select_from(INSPECTIONS)).scalar_one())

    def due_by(self, day: date, officer: str | None = None, limit: int = 5000
               ) -> list[dict[str, Any]]:
        """Inspections with a deadline not yet done nor marked missed on or before ``day``
        (one officer's only, when named), soonest first."""
        query = (select(INSPECTIONS.c.id, INSPECTIONS.c.number, INSPECTIONS.c.unit_name,
                        INSPECTIONS.c.state, INSPECTIONS.c.next_due)
                 .where(INSPECTIONS.c.next_due.is_not(None), INSPECTIONS.c.next_due <= day))
        if officer is not None:
            query = query.join(INSPECTION_OFFICERS,
                               INSPECTION_OFFICERS.c.inspection_id == INSPECTIONS.c.id).where(
                INSPECTION_OFFICERS.c.person_id == officer)
        rows = self.conn.execute(query.order_by(INSPECTIONS.c.next_due).limit(limit)).mappings()
        return [dict(r) for r in rows]

    def for_head(self, limit: int = 500) -> list[str]:
        """Ids of the inspections that wait for the head: a major hazard not closed, or a
        seal or seize not lifted; oldest last day first."""
        major = select(INSPECTIONS.c.id).where(INSPECTIONS.c.major_hazard.is_(True),
                                               INSPECTIONS.c.state != "closed",
                                               INSPECTIONS.c.drill.is_(False)).limit(limit)
        held = (select(INSPECTIONS.c.id).where(INSPECTIONS.c.held_until.is_not(None),
                                               INSPECTIONS.c.drill.is_(False))
                .order_by(INSPECTIONS.c.held_until).limit(limit))
        ids = [str(r[0]) for r in self.conn.execute(held)]
        return list(dict.fromkeys(self.awaiting_approval(limit) + ids
                                  + [str(r[0]) for r in self.conn.execute(major)]))

    def awaiting_approval(self, limit: int = 500) -> list[str]:
        """Ids of the inspections with a seal or seize asked for and not yet decided by the
        head, from their partial index (its condition, ``= true``, is written as the index's)."""
        return [str(r[0]) for r in self.conn.execute(
            select(INSPECTIONS.c.id).where(INSPECTIONS.c.approvals_pending == true(),
                                           INSPECTIONS.c.drill.is_(False)).limit(limit))]

    def documents_waiting(self, limit: int = 500) -> list[str]:
        """Ids of inspections with a document not rendered yet."""
        return [str(r[0]) for r in self.conn.execute(
            select(INSPECTIONS.c.id).where(INSPECTIONS.c.documents_pending.is_(True))
            .order_by(INSPECTIONS.c.inspected_at).limit(limit))]

    def ids(self) -> list[tuple[str, str | None, int]]:
        """(id, history head, history length) of every inspection, for the audit."""
        return [(str(r[0]), r[1], int(r[2])) for r in self.conn.execute(
            select(INSPECTIONS.c.id, INSPECTIONS.c.history_head,
                   INSPECTIONS.c.history_length))]


