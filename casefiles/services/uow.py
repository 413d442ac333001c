"""The unit of work: one transaction, the stores on it, rolled back unless committed.

A writing unit of work takes the database's write lock when it begins, and holds it while its
caller reads and decides. One that *writes behind* reads in a transaction of its own, without
the lock, keeps its inserts and updates, and takes the lock only to write them and commit: the
lock is then held for a few statements and the commit, not for the judging of an action, so
other writers (the web's workers, the flows) wait less. Every write kept behind is
conditional on what was read (the case's version, a counter's last number, the next place in
a history chain): if another writer changed it, the commit raises
:class:`~casefiles.adapters.fastsql.Conflict` or an integrity error, nothing is written, and
the caller starts again from a fresh read."""

from __future__ import annotations

import os
import queue
import weakref
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, event

from casefiles.adapters.db import enter_gate, leave_gate
from casefiles.adapters.fastsql import Write
from casefiles.adapters.repository import CaseRepository
from casefiles.adapters.stores import (
    Counters,
    DocumentContents,
    HistoryStore,
    Outbox,
    PeopleStore,
    SessionStore,
)


class WroteWhileReadingError(RuntimeError):
    """Code wrote outside the stores while a unit of work writing behind was reading."""


class UnitOfWork:
    """``with UnitOfWork(engine, write=True) as uow: ...; uow.commit()``; with
    ``behind=True`` as well, the writes wait for :meth:`commit` (see the module's text)."""

    conn: Connection
    cases: CaseRepository
    people: PeopleStore
    sessions: SessionStore
    counters: Counters
    history: HistoryStore
    outbox: Outbox
    contents: DocumentContents

    def __init__(self, engine: Engine, write: bool = False, behind: bool = False) -> None:
        self.engine = engine
        self.write = write
        self.behind: list[Write] | None = [] if write and behind else None
        self.committed = False
        self._gate: tuple[int, str] | None = None

    def __enter__(self) -> UnitOfWork:
        conn = _take_idle(self.engine) if self.write else None
        if conn is None:
            conn = self.engine.connect()
        self.conn = conn
        try:
            self._tx = self._begin(locked=self.write and self.behind is None)
        except BaseException:
            conn.close()
            raise
        self._read_changes = self._changes()
        behind = self.behind
        self.cases = CaseRepository(conn, behind)
        self.people = PeopleStore(conn)
        self.sessions = SessionStore(conn)
        self.counters = Counters(conn, behind)
        self.history = HistoryStore(conn, behind)
        self.outbox = Outbox(conn, behind)
        self.contents = DocumentContents(conn, behind)
        return self

    def _begin(self, locked: bool) -> Any:
        # a SQLite writer begins with BEGIN IMMEDIATE (adapters/db.py), after the writers' gate.
        # The reading transaction of a unit of work writing behind must not write: on
        # PostgreSQL it is READ ONLY; on SQLite (whose PRAGMA query_only would make every
        # statement be prepared again) :meth:`commit` finds any change and refuses it
        reading_behind = self.behind is not None and not locked
        if self.conn.dialect.name == "postgresql":
            self.conn.execution_options(postgresql_readonly=reading_behind)
        else:
            self.conn.execution_options(casefiles_write=locked)
        if locked:
            self._gate = enter_gate(self.conn.info)
        try:
            return self.conn.begin()
        except BaseException:
            self._leave()
            raise

    def commit(self) -> None:
        """Make the work durable (writing behind: take the lock, write, commit)."""
        if self.behind is not None:
            changes = self._changes()
            self._tx.rollback()  # the reading transaction: whatever it did is undone
            if changes != self._read_changes:
                raise WroteWhileReadingError(
                    "a statement wrote in the reading transaction of a unit of work that writes "
                    "behind; its writes must go through the stores, which keep them for commit")
            self._tx = self._begin(locked=True)
            writes, self.behind[:] = list(self.behind), []
            for write in writes:
                write()
        self._tx.commit()
        self.committed = True
        self._leave()

    def _changes(self) -> int:
        """Rows this SQLite connection has changed since it opened (0 elsewhere)."""
        raw = self.conn.connection.dbapi_connection
        return int(getattr(raw, "total_changes", 0))

    def _leave(self) -> None:
        if self._gate is not None:
            gate, self._gate = self._gate, None
            leave_gate(gate)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self.committed and self._tx.is_active:
                self._tx.rollback()
        except BaseException:
            self.conn.close()
            raise
        finally:
            self._leave()
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
