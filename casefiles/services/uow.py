"""The unit of work: one transaction, the stores on it, rolled back unless committed.

A writing unit of work locks pessimistically: on SQLite it begins with ``BEGIN IMMEDIATE``
(the database's write lock, held until commit); on PostgreSQL the case it reads is locked
with ``SELECT … FOR UPDATE`` (``uow.cases.get(..., lock=True)``) and document counters by
their own row. So the case an action is judged on is the case it writes: nothing is judged
twice, and a second writer of the same case waits for the first."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from casefiles.adapters.pipeline import Query, defer_begin, fetch_together, sent_together
from casefiles.adapters.repository import CaseRepository
from casefiles.adapters.stores import (
    Counters,
    DocumentContents,
    HistoryStore,
    Outbox,
    PeopleStore,
    SessionStore,
)
from casefiles.domain.model import Case, Person


class UnitOfWork:
    """``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``."""

    conn: Connection
    cases: CaseRepository
    people: PeopleStore
    sessions: SessionStore
    counters: Counters
    history: HistoryStore
    outbox: Outbox
    contents: DocumentContents

    def __init__(self, engine: Engine, write: bool = False) -> None:
        self.engine = engine
        self.write = write
        self.committed = False

    def __enter__(self) -> Self:
        conn = self.engine.connect()
        self.conn = conn
        try:
            if conn.dialect.name == "sqlite":  # BEGIN IMMEDIATE for writers (adapters/db.py)
                conn.execution_options(casefiles_write=self.write)
            self._begin = defer_begin(conn)  # PostgreSQL: BEGIN goes with the first statement
            self._tx = conn.begin()
        except BaseException:
            conn.close()
            raise
        self.cases = CaseRepository(conn)
        self.people = PeopleStore(conn)
        self.sessions = SessionStore(conn)
        self.counters = Counters(conn)
        self.history = HistoryStore(conn)
        self.outbox = Outbox(conn)
        self.contents = DocumentContents(conn)
        return self

    def read_for_action(self, case_id: str | None, year: int
                        ) -> tuple[Case | None, dict[str, Person], dict[str, int]]:
        """What an action is judged on, in one round trip: its case (locked), the people,
        and the year's last document numbers by word (locked)."""
        queries: list[Query] = [(PeopleStore.EVERYONE, {}), (Counters.OF_YEAR, {"year": year})]
        if case_id is not None:
            queries.append((CaseRepository.BY_ID_LOCKED, {"case_id": case_id}))
        rows = fetch_together(self.conn, queries, self._begin)
        case = None
        if case_id is not None and rows[2]:
            case = self.cases.loaded(case_id, rows[2][0])
        return case, PeopleStore.from_rows(rows[0]), {str(k): int(n) for k, n in rows[1]}

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The writes made in this block reach PostgreSQL in one round trip (their row
        counts are not read: lock what they depend on first)."""
        with sent_together(self.conn):
            yield

    def commit(self) -> None:
        """Make the work durable."""
        self._tx.commit()
        self.committed = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self.committed and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()
