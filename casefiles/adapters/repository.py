"""The case repository. A case is one JSON document on its row (``cases.doc``), beside the
columns the lists filter on and the record tables (parties, evidence, proposals, …,
deadlines, documents) and ``case_officers`` that the lists and reports query across cases.
An action reads the row and writes, in its own transaction, the row with its version check
and exactly the record rows that changed. Nothing in the record tables is ever deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, func, insert, not_, select, update
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.sql.elements import BindParameter

from casefiles.adapters import tables as T
from casefiles.adapters.aggregate import decode, encode
from casefiles.domain import model as M
from casefiles.domain.states import CaseState
from casefiles.domain.workdays import add_years

# collection attribute → (table, record class)
COLLECTIONS: dict[str, tuple[Table, type]] = {
    "evidence": (T.table_of(T.EvidenceRow), M.Evidence),
    "proposals": (T.table_of(T.ProposalRow), M.Proposal),
    "notices": (T.table_of(T.NoticeRow), M.Notice),
    "defences": (T.table_of(T.DefenceRow), M.Defence),
    "hearings": (T.table_of(T.HearingRow), M.Hearing),
    "reviews": (T.table_of(T.ReviewRow), M.Review),
    "discussions": (T.table_of(T.DiscussionRow), M.Discussion),
    "extensions": (T.table_of(T.ExtensionRow), M.Extension),
    "decisions": (T.table_of(T.DecisionRow), M.Decision),
    "payments": (T.table_of(T.PaymentRow), M.Payment),
    "instalments": (T.table_of(T.InstalmentRow), M.Instalment),
    "reminders": (T.table_of(T.ReminderRow), M.Reminder),
    "enforcements": (T.table_of(T.EnforcementRow), M.EnforcementApplication),
    "appeals": (T.table_of(T.AppealRow), M.Appeal),
    "deadlines": (T.table_of(T.DeadlineRow), M.Deadline),
    "documents": (T.table_of(T.DocumentRow), M.Document),
}
CASES: Table = T.table_of(T.CaseRow)
PARTIES: Table = T.table_of(T.PartyRow)
PENALTIES: Table = T.table_of(T.PenaltyRow)
PEOPLE: Table = T.table_of(T.PersonRow)
CASE_OFFICERS: Table = T.table_of(T.CaseOfficerRow)
# SQLite only: the parties' names in a trigram index (FTS5, migration 0013, kept by triggers),
# where ``name LIKE '%' || :part || '%'`` (no ESCAPE) of 3 characters or more is an index lookup
PARTY_NAMES = sql_table("party_names", sql_column("name"), sql_column("case_id"))

_ROOT_FIELDS = [f.name for f in dataclasses.fields(M.Case)
                if f.name not in COLLECTIONS and f.name != "party"]
_FIELDS = {cls: [f.name for f in dataclasses.fields(cls) if f.name != "penalties"]
           for _, cls in COLLECTIONS.values()}
_PENALTY_FIELDS = ["id", "type", "amount", "on"]
_PARTY_FIELDS = [f.name for f in dataclasses.fields(M.Party)]


_CID: BindParameter[str] = bindparam("cid")
# Statements are built once: building SQL expressions per action cost more than running them.
_ID_EXISTS = select(CASES.c.id).where(CASES.c.id == _CID)
_ID_BY_NUMBER = select(CASES.c.id).where(CASES.c.number == _CID)
_UPDATE_BY_ID = {t.name: update(t).where(t.c.id == bindparam("b_id"))
                 for t in [PENALTIES, *(table for table, _ in COLLECTIONS.values())]}
_UPDATE_PARTY = update(PARTIES).where(PARTIES.c.case_id == bindparam("b_case"))
_DOC_COLUMNS = ("doc", "version", "history_length", "history_head")


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


@dataclasses.dataclass
class _Loaded:
    """A case as read, to write back only what changed."""

    root: dict[str, Any]
    records: dict[tuple[str, str], dict[str, Any]]
    party: dict[str, Any]
    officers: list[str]


def _party_row(case: M.Case) -> dict[str, Any]:
    return {f: getattr(case.party, f) for f in _PARTY_FIELDS}


def _officers(case: M.Case) -> list[str]:
    """Who finds the case among their own: its registrant and investigators."""
    return list(dict.fromkeys([case.registered_by, *case.investigators]))


def _snapshot(case: M.Case) -> _Loaded:
    return _Loaded(_root_row(case), _flat(case), _party_row(case), _officers(case))


def _decoded(row: tuple[Any, ...]) -> M.Case:
    """The case from a row of :attr:`CaseRepository.BY_ID`."""
    doc, version, length, head = row
    case = decode(doc)
    case.version, case.history_length, case.history_head = version, length, head
    return case


class CaseRepository:
    """Cases on one open connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._seen: dict[str, _Loaded] = {}
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
        """The whole aggregate; ``lock`` holds the case row until the transaction ends
        (``FOR UPDATE``; SQLite writers hold the database's write lock already)."""
        query = self.BY_ID_LOCKED if lock else self.BY_ID
        row = self.conn.execute(query, {"case_id": case_id}).first()
        return None if row is None else self.loaded(case_id, tuple(row))

    # one case's row for :meth:`loaded` (parameter ``case_id``; text and numbers only, see
    # adapters/pipeline), and the same holding the row until the transaction ends
    BY_ID: Select[Any] = select(*(CASES.c[c] for c in _DOC_COLUMNS)).where(
        CASES.c.id == bindparam("case_id"))
    BY_ID_LOCKED: Select[Any] = BY_ID.with_for_update()

    def get_many(self, case_ids: list[str]) -> dict[str, M.Case]:
        """The aggregates of ``case_ids`` that exist, by id, in one statement, to read only
        (the lists): not remembered for :meth:`save`, whose snapshot of every record row
        cost twice the decoding."""
        if not case_ids:
            return {}
        rows = self.conn.execute(select(CASES.c.id, *(CASES.c[c] for c in _DOC_COLUMNS))
                                 .where(CASES.c.id.in_(case_ids)))
        return {row[0]: _decoded(tuple(row[1:])) for row in rows}

    def loaded(self, case_id: str, row: tuple[Any, ...]) -> M.Case:
        """The case from a row of :meth:`by_id`, remembered as read for :meth:`save`."""
        case = _decoded(row)
        self._seen[case_id] = _snapshot(case)
        return case

    # --- writing ------------------------------------------------------------------------------

    def add(self, case: M.Case) -> None:
        """Insert a new case at version 1 with its party, officers and record rows."""
        case.version = 1
        self.conn.execute(insert(CASES), {**_root_row(case), "doc": encode(case)})
        self.conn.execute(insert(PARTIES), {**_party_row(case), "case_id": case.id, "seq": 0})
        self._write_records(case, _Loaded({}, {}, {}, []))
        self._seen[case.id] = _snapshot(case)

    def save(self, case: M.Case, bump: bool = True) -> bool:
        """Write the case back with its version check, and the record rows that changed;
        False when the row is not at the version read (nothing is written then).

        ``bump`` raises the version; a refused action, which changes only the history head,
        leaves it, so that it does not make other writers' views stale. Only the columns that
        changed are set: an index is rewritten only when one of its columns is."""
        before = self._seen[case.id]
        loaded_version = before.root["version"]
        case.version = loaded_version + 1 if bump else loaded_version
        row = _root_row(case)
        values = {k: v for k, v in row.items() if v != before.root[k]}
        values["doc"] = encode(case)
        done = self.conn.execute(update(CASES).where(CASES.c.id == case.id,
                                                     CASES.c.version == loaded_version)
                                 .values(**values))
        if done.rowcount == 0:  # -1: sent in a pipeline, under the row lock read with it
            case.version = loaded_version
            return False
        self._write_records(case, before)
        self._seen[case.id] = _snapshot(case)
        return True

    def _write_records(self, case: M.Case, before: _Loaded) -> None:
        """The party, officers and record rows that differ from ``before``: inserted or
        updated, never deleted."""
        party = _party_row(case)
        if before.party and party != before.party:
            self.conn.execute(_UPDATE_PARTY, {**party, "b_case": case.id})
        new = [p for p in _officers(case) if p not in before.officers]
        if new:
            self.conn.execute(insert(CASE_OFFICERS), [
                {"case_id": case.id, "person_id": p, "registered_at": case.registered_at}
                for p in new])
        inserts: dict[str, list[dict[str, Any]]] = {}
        for (tname, rid), rec in _flat(case).items():
            old = before.records.get((tname, rid))
            if old is None:
                inserts.setdefault(tname, []).append(rec)
            elif old != rec:
                self.conn.execute(_UPDATE_BY_ID[tname], {**rec, "b_id": rid})
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
