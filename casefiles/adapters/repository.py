"""The case repository: loads a case aggregate from its tables and writes back what changed.

SQLAlchemy Core on one connection; the unit of work owns the transaction. A snapshot taken at
load tells which records are new (insert) or changed (update); nothing is ever deleted.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, func, insert, select, update

from casefiles.adapters import tables as T
from casefiles.domain import model as M
from casefiles.domain.states import CaseState

# collection attribute → (table, record class)
COLLECTIONS: dict[str, tuple[Table, type]] = {
    "evidence": (T.EvidenceRow.__table__, M.Evidence),
    "proposals": (T.ProposalRow.__table__, M.Proposal),
    "notices": (T.NoticeRow.__table__, M.Notice),
    "defences": (T.DefenceRow.__table__, M.Defence),
    "hearings": (T.HearingRow.__table__, M.Hearing),
    "reviews": (T.ReviewRow.__table__, M.Review),
    "discussions": (T.DiscussionRow.__table__, M.Discussion),
    "extensions": (T.ExtensionRow.__table__, M.Extension),
    "decisions": (T.DecisionRow.__table__, M.Decision),
    "payments": (T.PaymentRow.__table__, M.Payment),
    "instalments": (T.InstalmentRow.__table__, M.Instalment),
    "reminders": (T.ReminderRow.__table__, M.Reminder),
    "enforcements": (T.EnforcementRow.__table__, M.EnforcementApplication),
    "deadlines": (T.DeadlineRow.__table__, M.Deadline),
    "documents": (T.DocumentRow.__table__, M.Document),
}
CASES: Table = T.CaseRow.__table__
PARTIES: Table = T.PartyRow.__table__
PENALTIES: Table = T.PenaltyRow.__table__
PEOPLE: Table = T.PersonRow.__table__
CASE_OFFICERS: Table = T.CaseOfficerRow.__table__

_ROOT_FIELDS = [f.name for f in dataclasses.fields(M.Case)
                if f.name not in COLLECTIONS and f.name != "party"]
_FIELDS = {cls: [f.name for f in dataclasses.fields(cls) if f.name != "penalties"]
           for _, cls in COLLECTIONS.values()}
_PENALTY_FIELDS = ["id", "type", "amount", "on"]
_PARTY_FIELDS = [f.name for f in dataclasses.fields(M.Party)]


_CID = bindparam("cid")
# Statements are built once: building SQL expressions per action cost more than running them.
_ROWS_BY_CASE: dict[str, Select[Any]] = {
    t.name: select(t).where(t.c.case_id == _CID).order_by(t.c.seq)
    for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]
}
_ID_EXISTS = select(CASES.c.id).where(CASES.c.id == _CID)
_ID_BY_NUMBER = select(CASES.c.id).where(CASES.c.number == _CID)
_UPDATE_ROOT = (update(CASES)
                .where(CASES.c.id == bindparam("b_id"), CASES.c.version == bindparam("b_version")))
_UPDATE_BY_ID = {t.name: update(t).where(t.c.id == bindparam("b_id"))
                 for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]}
_LOCK = select(CASES.c.id).where(CASES.c.id == _CID).with_for_update()
# One round trip reads the case row, its party, and which child tables hold rows for it (only
# those are then read).
_CASE_PARTY_COUNTS = (
    select(CASES, *[c.label(f"party__{c.name}") for c in PARTIES.c],
           *[select(func.count()).select_from(t).where(t.c.case_id == _CID)
             .scalar_subquery().label(f"count__{t.name}")
             for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]])
    .select_from(CASES.join(PARTIES, PARTIES.c.case_id == CASES.c.id))
    .where(CASES.c.id == _CID))


def _snapshot(rows: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """A copy that later changes to the records cannot reach (containers copied, rest shared)."""
    return {k: {f: copy.deepcopy(v) if isinstance(v, list | dict) else v for f, v in row.items()}
            for k, row in rows.items()}


def _root_row(case: M.Case) -> dict[str, Any]:
    row = {f: getattr(case, f) for f in _ROOT_FIELDS}
    row["state"] = case.state.value
    return row


def _flat(case: M.Case) -> dict[tuple[str, str], dict[str, Any]]:
    """Every child record as (table name, id) → row, penalties included."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for attr, (table, cls) in COLLECTIONS.items():
        for seq, rec in enumerate(getattr(case, attr)):
            row = {f: getattr(rec, f) for f in _FIELDS[cls]}
            row.update(case_id=case.id, seq=seq)
            out[(table.name, rec.id)] = row
            for pseq, pen in enumerate(getattr(rec, "penalties", ()) or ()):
                prow = {f: getattr(pen, f) for f in _PENALTY_FIELDS}
                prow.update(case_id=case.id, owner_id=rec.id, seq=pseq)
                out[(PENALTIES.name, pen.id)] = prow
    return out


class CaseRepository:
    """Cases and their records on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._seen: dict[str, tuple[dict[str, Any], dict[tuple[str, str], dict[str, Any]]]] = {}
        self._tables = {t.name: t for t, _ in COLLECTIONS.values()} | {PENALTIES.name: PENALTIES}

    # --- finding ------------------------------------------------------------------------------

    def resolve(self, ref: str) -> str | None:
        """A case id from its id, its number, or a unique prefix of its id (at least 6)."""
        if self.conn.execute(_ID_EXISTS, {"cid": ref}).first():
            return ref
        row = self.conn.execute(_ID_BY_NUMBER, {"cid": ref}).first()
        if row:
            return str(row[0])
        if len(ref) >= 6:
            rows = self.conn.execute(select(CASES.c.id).where(CASES.c.id.startswith(ref))
                                     .limit(2)).all()
            if len(rows) == 1:
                return str(rows[0][0])
        return None

    def get(self, case_id: str, lock: bool = False) -> M.Case | None:
        """The whole aggregate; ``lock`` holds the case row until the transaction ends."""
        params = {"cid": case_id}
        if lock and self.conn.dialect.name == "postgresql":
            self.conn.execute(_LOCK, params)  # SQLite writers already hold the database lock
        root = self.conn.execute(_CASE_PARTY_COUNTS, params).mappings().first()
        if root is None:
            return None
        pens: dict[str, list[M.Penalty]] = {}
        if root[f"count__{PENALTIES.name}"]:
            for r in self.conn.execute(_ROWS_BY_CASE[PENALTIES.name], params).mappings():
                pens.setdefault(r["owner_id"], []).append(
                    M.Penalty(**{f: r[f] for f in _PENALTY_FIELDS}))
        lists: dict[str, list[Any]] = {}
        for attr, (table, cls) in COLLECTIONS.items():
            items: list[Any] = []
            lists[attr] = items
            if not root[f"count__{table.name}"]:
                continue
            names = _FIELDS[cls]
            for r in self.conn.execute(_ROWS_BY_CASE[table.name], params).mappings():
                kwargs = {f: r[f] for f in names}
                if cls in (M.Proposal, M.Decision):
                    kwargs["penalties"] = pens.get(r["id"], [])
                items.append(cls(**kwargs))
        fields = {f: root[f] for f in _ROOT_FIELDS}
        fields["state"] = CaseState(root["state"])
        party = M.Party(**{f: root[f"party__{f}"] for f in _PARTY_FIELDS})
        case = M.Case(**fields, party=party, **lists)
        self._seen[case_id] = (_root_row(case), _snapshot(_flat(case)))
        return case

    # --- writing ------------------------------------------------------------------------------

    def add(self, case: M.Case) -> None:
        """Insert a new case with everything it holds."""
        case.version = 1
        self.conn.execute(insert(CASES).values(**_root_row(case)))
        party = {f: getattr(case.party, f) for f in _PARTY_FIELDS}
        self.conn.execute(insert(PARTIES).values(**party, case_id=case.id, seq=0))
        self._write_officers(case, [])
        self._write_children(case, {})
        self._seen[case.id] = (_root_row(case), _snapshot(_flat(case)))

    def save(self, case: M.Case, bump: bool = True) -> bool:
        """Write what changed since :meth:`get`; False when another writer got there first.

        ``bump`` raises the version; a refused action, which changes only the history head,
        leaves it, so that it does not make other writers' views stale."""
        root_before, children_before = self._seen[case.id]
        loaded_version = root_before["version"]
        case.version = loaded_version + 1 if bump else loaded_version
        row = _root_row(case)
        row.update(b_id=case.id, b_version=loaded_version)
        result = self.conn.execute(_UPDATE_ROOT, row)
        if result.rowcount != 1:
            case.version = loaded_version
            return False
        self._write_officers(case, [root_before["registered_by"], *root_before["investigators"]])
        self._write_children(case, children_before)
        self._seen[case.id] = (_root_row(case), _snapshot(_flat(case)))
        return True

    def _write_officers(self, case: M.Case, known: list[str]) -> None:
        """Who finds the case among their own (its registrant and investigators), kept in
        ``case_officers`` with the action that names them, so "my cases" is an index lookup."""
        new = [p for p in dict.fromkeys([case.registered_by, *case.investigators])
               if p not in known]
        if new:
            self.conn.execute(insert(CASE_OFFICERS), [
                {"case_id": case.id, "person_id": p, "registered_at": case.registered_at}
                for p in new])

    def _write_children(self, case: M.Case,
                        before: dict[tuple[str, str], dict[str, Any]]) -> None:
        inserts: dict[str, list[dict[str, Any]]] = {}
        for (tname, rid), row in _flat(case).items():
            old = before.get((tname, rid))
            if old is None:
                inserts.setdefault(tname, []).append(row)
            elif old != row:
                self.conn.execute(_UPDATE_BY_ID[tname], {**row, "b_id": rid})
        for tname, rows in inserts.items():
            self.conn.execute(insert(self._tables[tname]), rows)

    # --- reading many -------------------------------------------------------------------------

    def count(self) -> int:
        """How many cases there are."""
        return int(self.conn.execute(select(func.count()).select_from(CASES)).scalar_one())

    def ids(self) -> Iterable[str]:
        """Every case id, oldest first."""
        return [r[0] for r in self.conn.execute(
            select(CASES.c.id).order_by(CASES.c.registered_at, CASES.c.id))]
