"""The unit of work: one transaction, the stores on it, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from casefiles.adapters.repository import CaseRepository
from casefiles.adapters.stores import (
    Counters,
    DocumentContents,
    HistoryStore,
    Outbox,
    PeopleStore,
)


class UnitOfWork:
    """``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``."""

    conn: Connection
    cases: CaseRepository
    people: PeopleStore
    counters: Counters
    history: HistoryStore
    outbox: Outbox
    contents: DocumentContents

    def __init__(self, engine: Engine, write: bool = False) -> None:
        self.engine = engine
        self.write = write
        self.committed = False

    def __enter__(self) -> UnitOfWork:
        conn = self.engine.connect()
        if self.write:
            conn = conn.execution_options(casefiles_write=True)
        self.conn = conn
        self._tx = conn.begin()
        self.cases = CaseRepository(conn)
        self.people = PeopleStore(conn)
        self.counters = Counters(conn)
        self.history = HistoryStore(conn)
        self.outbox = Outbox(conn)
        self.contents = DocumentContents(conn)
        return self

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
