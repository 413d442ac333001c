"""The case repository. A case is one JSON document on its row (``cases.doc``), beside the
columns the lists filter on; an action reads the row, and writes it back with its version
check: two statements, whatever the case holds.

The record tables (parties, evidence, proposals, …, deadlines, documents) and ``case_officers``
are projections of that document for the queries across cases. An action marks its case
unprojected; :meth:`CaseRepository.project` brings the tables up to date, in batches, for the
flows and before any list is read (``Casefiles.catch_up``). Nothing in them is ever deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Select,
    Table,
    bindparam,
    func,
    insert,
    inspect,
    not_,
    select,
    update,
)

from casefiles.adapters import tables as T
from casefiles.adapters.aggregate import decode, encode
from casefiles.adapters.fastsql import Statements, Write
from casefiles.domain import model as M
from casefiles.domain.states import CaseState
from casefiles.domain.workdays import add_years

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
_UPDATE_BY_ID = {t.name: update(t).where(t.c.id == bindparam("b_id"))
                 for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]}
# One round trip reads the case row, its party, and which child tables hold rows for it (only
# those are then read).
def _case_party_counts(cases: Table) -> Select[Any]:
    return (select(cases, *[c.label(f"party__{c.name}") for c in PARTIES.c],
                   *[select(func.count()).select_from(t).where(t.c.case_id == _CID)
                     .scalar_subquery().label(f"count__{t.name}")
                     for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]])
            .select_from(cases.join(PARTIES, PARTIES.c.case_id == cases.c.id))
            .where(cases.c.id == _CID))


_CASE_PARTY_COUNTS = _case_party_counts(CASES)


def _root_row(case: M.Case) -> dict[str, Any]:
    """The case's own columns (lists copied: the domain may change them in place)."""
    row = {f: getattr(case, f) for f in _ROOT_FIELDS}
    row["state"] = case.state.value
    row["investigators"] = list(case.investigators)
    row["warnings"] = list(case.warnings)
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


_DOC_COLUMNS = ("doc", "version", "history_length", "history_head", "projected")
# written as the partial index's own condition (projected = 0 / NOT projected), so the planner
# uses it: "projected IS 0" read all 100,000 cases of the web benchmark on every list
UNPROJECTED = select(CASES.c.id).where(not_(CASES.c.projected))


class CaseRepository:
    """Cases on one open connection."""

    @classmethod
    def as_the_database_is(cls, conn: Connection) -> CaseRepository:
        """A repository over the tables as they are in the database now (a migration's view:
        columns that later revisions add are not there yet, and take their defaults)."""
        repo = cls(conn)
        meta = MetaData()
        live = {CASES.name: CASES, PARTIES.name: PARTIES, **repo._tables}
        inspector = inspect(conn)
        reflected = {}
        for name, table in live.items():  # the live columns' types, for the columns there are
            there = {c["name"] for c in inspector.get_columns(name)}
            reflected[name] = Table(name, meta, *[
                Column(c.name, c.type, primary_key=c.primary_key)
                for c in table.columns if c.name in there])
        repo._tables = {n: t for n, t in reflected.items() if n in repo._tables}
        repo._as_is = reflected
        return repo

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self._as_is: dict[str, Table] | None = None
        self.conn = conn
        self.sql = Statements(conn, behind)
        # case id → (its columns as loaded, whether it was projected then)
        self._seen: dict[str, tuple[dict[str, Any], bool]] = {}
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

    def earlier_cases(self, party_code: str, other_than: str, years: int | None,
                      today: date) -> int:
        """How many other cases (not drills, not declined or terminated) the bureau holds
        against the party with this 统一社会信用代码 or 身份证号, whose violation falls within
        ``years`` before ``today`` (all of them when ``years`` is None)."""
        query = (select(func.count()).select_from(CASES)
                 .where(CASES.c.party_code == party_code, CASES.c.id != other_than,
                        not_(CASES.c.drill),
                        CASES.c.state.not_in([CaseState.NOT_FILED.value,
                                              CaseState.TERMINATED.value])))
        if years is not None:
            query = query.where(CASES.c.violation_date >= add_years(today, -years))
        return int(self.conn.execute(query).scalar_one())

    def get(self, case_id: str, lock: bool = False) -> M.Case | None:
        """The whole aggregate; ``lock`` holds the case row until the transaction ends."""
        row = self.sql.first(CASES, _DOC_COLUMNS, {"id": case_id}, lock=lock)
        return None if row is None else self._loaded(case_id, row)

    def get_many(self, case_ids: list[str]) -> dict[str, M.Case]:
        """The aggregates of ``case_ids`` that exist, by id, in one statement."""
        if not case_ids:
            return {}
        rows = self.sql.rows_in(CASES, ("id", *_DOC_COLUMNS), "id", case_ids)
        return {row[0]: self._loaded(row[0], row[1:]) for row in rows}

    def _loaded(self, case_id: str, row: tuple[Any, ...]) -> M.Case:
        doc, version, length, head, projected = row
        case = decode(doc)
        case.version, case.history_length, case.history_head = version, length, head
        self._seen[case_id] = (_root_row(case), bool(projected))
        return case

    # --- writing ------------------------------------------------------------------------------

    def add(self, case: M.Case) -> None:
        """Insert a new case (its record tables follow with the next projection)."""
        case.version = 1
        row = _root_row(case)
        self.sql.insert(CASES, {**row, "doc": encode(case), "projected": False})
        self._seen[case.id] = (row, False)

    def save(self, case: M.Case, bump: bool = True) -> bool:
        """Write the case back; False when another writer got there first.

        ``bump`` raises the version; a refused action, which changes only the history head,
        leaves it, so that it does not make other writers' views stale. Only the columns that
        changed are set: an index is rewritten only when one of its columns is."""
        before, projected = self._seen[case.id]
        loaded_version = before["version"]
        case.version = loaded_version + 1 if bump else loaded_version
        row = _root_row(case)
        values = {k: v for k, v in row.items() if v != before[k]}
        values["doc"] = encode(case)
        if projected:
            values["projected"] = False
        if self.sql.update(CASES, values, {"id": case.id, "version": loaded_version}) != 1:
            case.version = loaded_version
            return False
        self._seen[case.id] = (row, False)
        return True

    # --- the record tables --------------------------------------------------------------------

    def unprojected(self, limit: int, lock: bool = False) -> list[str]:
        """Ids of cases whose record tables lag behind their document (through a partial
        index holding only those); ``lock`` holds them for projecting."""
        query = UNPROJECTED.limit(limit)
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # an action holds it: next batch
        return [r[0] for r in self.conn.execute(query)]

    def project(self, case_id: str, cases: Table | None = None) -> None:
        """Bring the record tables of one case up to date with its document, and mark it
        projected. Rows are inserted or updated, never deleted. (``cases``: as for
        :meth:`from_tables`, in a migration.)"""
        case = self.get(case_id)
        if case is None:
            return
        before = self.from_tables(case_id, cases)
        party = {f: getattr(case.party, f) for f in _PARTY_FIELDS}
        if before is None:
            self.conn.execute(insert(PARTIES).values(**party, case_id=case.id, seq=0))
        elif before.party != case.party:
            self.conn.execute(update(PARTIES).where(PARTIES.c.case_id == case.id)
                              .values(**party))
        known = [r[0] for r in self.conn.execute(
            select(CASE_OFFICERS.c.person_id).where(CASE_OFFICERS.c.case_id == case.id))]
        self._write_officers(case, known)
        self._write_children(case, _flat(before) if before is not None else {})
        self.sql.update(CASES, {"projected": True}, {"id": case.id})

    def from_tables(self, case_id: str, cases: Table | None = None) -> M.Case | None:
        """The aggregate as the record tables hold it (None before its first projection): the
        projection compares against it, and migration 0005 built the documents from it
        (``cases``: the cases table as that revision had it; later columns take defaults)."""
        params = {"cid": case_id}
        if cases is None and self._as_is is not None:
            cases = self._as_is[CASES.name]
        query = _CASE_PARTY_COUNTS if cases is None else _case_party_counts(cases)
        root = self.conn.execute(query, params).mappings().first()
        if root is None:
            return None
        pens: dict[str, list[M.Penalty]] = {}
        if root[f"count__{PENALTIES.name}"]:
            for r in self.conn.execute(self._rows_of(PENALTIES.name), params).mappings():
                pens.setdefault(r["owner_id"], []).append(
                    M.Penalty(**{f: r[f] for f in _PENALTY_FIELDS}))
        lists: dict[str, list[Any]] = {}
        for attr, (table, cls) in COLLECTIONS.items():
            items: list[Any] = []
            lists[attr] = items
            if not root[f"count__{table.name}"]:
                continue
            names = _FIELDS[cls]
            for r in self.conn.execute(self._rows_of(table.name), params).mappings():
                kwargs = {f: r[f] for f in names if f in r}
                if cls in (M.Proposal, M.Decision):
                    kwargs["penalties"] = pens.get(r["id"], [])
                items.append(cls(**kwargs))
        fields = {f: root[f] for f in _ROOT_FIELDS if f in root}
        fields["state"] = CaseState(root["state"])
        party = M.Party(**{f: root[f"party__{f}"] for f in _PARTY_FIELDS})
        return M.Case(**fields, party=party, **lists)

    def _write_officers(self, case: M.Case, known: list[str]) -> None:
        """Who finds the case among their own (its registrant and investigators), kept in
        ``case_officers``, so "my cases" is an index lookup."""
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
                self.conn.execute(self._update_of(tname), {**self._fit(tname, row), "b_id": rid})
        for tname, rows in inserts.items():
            self.conn.execute(insert(self._tables[tname]), [self._fit(tname, r) for r in rows])

    def _rows_of(self, tname: str) -> Select[Any]:
        if self._as_is is None:
            return _ROWS_BY_CASE[tname]
        t = self._as_is[tname]
        return select(t).where(t.c.case_id == _CID).order_by(t.c.seq)

    def _update_of(self, tname: str) -> Any:
        if self._as_is is None:
            return _UPDATE_BY_ID[tname]
        t = self._as_is[tname]
        return update(t).where(t.c.id == bindparam("b_id"))

    def _fit(self, tname: str, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` without the columns the table does not have yet (in a migration)."""
        if self._as_is is None:
            return row
        have = self._as_is[tname].c
        return {k: v for k, v in row.items() if k in have}

    # --- reading many -------------------------------------------------------------------------

    def count(self) -> int:
        """How many cases there are."""
        return int(self.conn.execute(select(func.count()).select_from(CASES)).scalar_one())

    def ids(self) -> Iterable[str]:
        """Every case id, oldest first."""
        return [r[0] for r in self.conn.execute(
            select(CASES.c.id).order_by(CASES.c.registered_at, CASES.c.id))]
