"""Statements sent together: on PostgreSQL in psycopg's pipeline mode, so that an action's
BEGIN and reads cost one round trip, its writes another and its COMMIT a third; elsewhere
(SQLite, in process) one after the other, as SQLAlchemy runs them.

psycopg begins a transaction by sending BEGIN and waiting for it, even in a pipeline. So a
unit of work on PostgreSQL runs its connection in autocommit mode and begins its transaction
itself (:func:`defer_begin`): with the first statement SQLAlchemy sends, or as the first of
the statements :func:`fetch_together` sends. psycopg's own commit and rollback still end it:
they look at the server's transaction status, not at the mode."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Select, event
from sqlalchemy.engine import Compiled

Query = tuple[Select[Any], Mapping[str, Any]]


class Begin:
    """Whether a deferred BEGIN is still to be sent on a connection."""

    def __init__(self, pending: bool) -> None:
        self.pending = pending

    def before(self, conn: Connection, *_args: Any) -> None:
        """SQLAlchemy is about to send a statement: begin first, if not begun."""
        if self.pending:
            self.pending = False
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("BEGIN")


def defer_begin(conn: Connection) -> Begin:
    """Put a connection that has not begun in autocommit mode and send its BEGIN with its
    first statement (nothing changes on SQLite, which begins in adapters/db.py)."""
    if conn.dialect.name != "postgresql":
        return Begin(pending=False)
    conn.execution_options(isolation_level="AUTOCOMMIT")
    begin = Begin(pending=True)
    event.listen(conn, "before_cursor_execute", begin.before)
    return begin
_COMPILED: dict[tuple[Select[Any], str], Compiled] = {}


def fetch_together(conn: Connection, queries: Sequence[Query],
                   begin: Begin | None = None) -> list[list[tuple[Any, ...]]]:
    """The rows of each query (a select built once, and its parameters), read in one round
    trip on PostgreSQL.

    There the statements run on the driver's connection, outside SQLAlchemy's result and
    parameter processing: use plain bound parameters (no ``IN`` lists) and select only
    columns that psycopg itself returns as Python values (text, numbers, booleans, JSON),
    never the zone-aware timestamps."""
    if conn.dialect.name != "postgresql":
        return [[tuple(row) for row in conn.execute(stmt, params)] for stmt, params in queries]
    raw = conn.connection.driver_connection
    assert raw is not None
    cursors = []
    with raw.pipeline():  # its end sends the statements and reads every result
        if begin is not None and begin.pending:
            begin.pending = False
            raw.cursor().execute("BEGIN")
        for stmt, params in queries:
            key = (stmt, conn.dialect.name)
            compiled = _COMPILED.get(key)
            if compiled is None:
                compiled = _COMPILED[key] = stmt.compile(dialect=conn.dialect)
            cur = raw.cursor()
            cur.execute(compiled.string, compiled.construct_params(dict(params)))
            cursors.append(cur)
    return [[tuple(row) for row in cur.fetchall()] for cur in cursors]


@contextmanager
def sent_together(conn: Connection) -> Iterator[None]:
    """Writes made through SQLAlchemy inside this block go to PostgreSQL in one round trip,
    sent when it ends (their results, row counts included, are not read)."""
    if conn.dialect.name != "postgresql":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.pipeline():
        yield
