"""The unit of work: one transaction, the stores on it, rolled back unless committed."""

from __future__ import annotations

import os
import queue
import weakref
from types import TracebackType

from sqlalchemy import Connection, Engine, event

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
        conn = _take_idle(self.engine) if self.write else None
        if conn is None:
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
        except BaseException:
            self.conn.close()
            raise
        if not (self.write and _keep_idle(self.engine, self.conn)):
            self.conn.close()


# SQLite writers keep their connections between units of work, one per unit of work running at
# once (never more than the engine's pool lends): taking one from SQLAlchemy's pool and giving
# it back cost more (~55 µs) than an action's own statements. Keyed by process, so a forked
# child never shares its parent's connection.
_IDLE: weakref.WeakKeyDictionary[Engine, dict[int, queue.SimpleQueue[Connection]]] = \
    weakref.WeakKeyDictionary()


def _take_idle(engine: Engine) -> Connection | None:
    if engine.dialect.name != "sqlite":
        return None
    idle = _IDLE.get(engine, {}).get(os.getpid())
    try:
        return idle.get_nowait() if idle is not None else None
    except queue.Empty:
        return None


def _keep_idle(engine: Engine, conn: Connection) -> bool:
    if engine.dialect.name != "sqlite" or conn.invalidated or conn.in_transaction():
        return False
    if engine not in _IDLE:
        _IDLE[engine] = {}
        event.listen(engine, "engine_disposed", _close_idle)
    _IDLE[engine].setdefault(os.getpid(), queue.SimpleQueue()).put(conn)
    return True


def _close_idle(engine: Engine) -> None:
    """The engine was disposed of: so are the connections kept for it."""
    idle = _IDLE.pop(engine, {}).get(os.getpid())
    while idle is not None and not idle.empty():
        conn = idle.get_nowait()
        conn.invalidate()  # closes the database connection itself: the old pool keeps none
        conn.close()
