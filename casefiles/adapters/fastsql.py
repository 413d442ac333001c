"""The statements of an action's transaction (read the case, update it, append its history
entry, queue its work), run where they cost least.

On SQLite they go straight to the DBAPI connection under the unit of work's SQLAlchemy
connection, in its transaction: SQLAlchemy's work per statement (about 50 µs) cost more than
SQLite's own. On other databases they go through SQLAlchemy Core. Either way every value
passes through its column's own bind and result processors, so what is stored and read back
is exactly what SQLAlchemy stores and reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlite3

import msgspec
from sqlalchemy import JSON, Connection, Table, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

Processor = Callable[[Any], Any] | None
Write = Callable[[], None]
_JSON_DECODE = msgspec.json.decode
_CACHE: dict[tuple[Any, ...], tuple[str, list[Processor], list[Processor]]] = {}


class Conflict(Exception):
    """A row written behind changed since it was read: another writer got there first."""


class Statements:
    """Insert, update and select-one on one connection.

    With ``behind`` (a list), inserts and updates are not run but appended to it, to be run
    later, in the write transaction of the unit of work that read what they change: each
    queued update must then match exactly one row, or it raises :class:`Conflict`."""

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        self.behind = behind

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """Insert one row (or queue it, writing behind)."""
        if self.behind is not None:
            self.behind.append(lambda: self._insert(table, row))
            return
        self._insert(table, row)

    def update(self, table: Table, values: dict[str, Any], where: dict[str, Any]) -> int:
        """Update the rows matching ``where`` (equality on each column); how many matched.
        Writing behind, the update is queued and must later match one row: 1 is returned."""
        if self.behind is not None:
            self.behind.append(lambda: self._update_one(table, values, where))
            return 1
        return self._update(table, values, where)

    def _update_one(self, table: Table, values: dict[str, Any], where: dict[str, Any]) -> None:
        if self._update(table, values, where) != 1:
            raise Conflict(f"{table.name} {where} changed since it was read")

    def _insert(self, table: Table, row: dict[str, Any]) -> None:
        try:
            self._insert_row(table, row)
        except sqlite3.IntegrityError as exc:  # as SQLAlchemy would have raised it
            raise IntegrityError(f"INSERT INTO {table.name}", row, exc) from exc

    def _insert_row(self, table: Table, row: dict[str, Any]) -> None:
        if self.raw is None:
            self.conn.execute(insert(table), row)
            return
        names = tuple(row)
        key = ("insert", table.name, names)
        if key not in _CACHE:
            sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
                   f"VALUES ({', '.join('?' * len(names))})")
            _CACHE[key] = (sql, self._binds(table, names), [])
        sql, binds, _ = _CACHE[key]
        self.raw.execute(sql, _bound(binds, row.values()))

    def _update(self, table: Table, values: dict[str, Any], where: dict[str, Any]) -> int:
        if self.raw is None:
            stmt = update(table).where(and_(*(table.c[k] == v for k, v in where.items())))
            return self.conn.execute(stmt.values(**values)).rowcount
        names, conds = tuple(values), tuple(where)
        key = ("update", table.name, names, conds)
        if key not in _CACHE:
            sql = (f"UPDATE {table.name} SET {', '.join(f'{n} = ?' for n in names)} "
                   f"WHERE {' AND '.join(f'{c} = ?' for c in conds)}")
            _CACHE[key] = (sql, self._binds(table, names + conds), [])
        sql, binds, _ = _CACHE[key]
        return self.raw.execute(sql, _bound(binds, [*values.values(), *where.values()])).rowcount

    def first(self, table: Table, columns: Sequence[str], where: dict[str, Any],
              lock: bool = False) -> tuple[Any, ...] | None:
        """The ``columns`` of the first row matching ``where``; ``lock`` holds the row until
        the transaction ends (SQLite writers already hold the database's write lock)."""
        if self.raw is None:
            stmt = (select(*(table.c[c] for c in columns))
                    .where(and_(*(table.c[k] == v for k, v in where.items()))).limit(1))
            row = self.conn.execute(stmt.with_for_update() if lock else stmt).first()
            return None if row is None else tuple(row)
        conds = tuple(where)
        key = ("first", table.name, tuple(columns), conds)
        if key not in _CACHE:
            sql = (f"SELECT {', '.join(columns)} FROM {table.name} "
                   f"WHERE {' AND '.join(f'{c} = ?' for c in conds)} LIMIT 1")
            _CACHE[key] = (sql, self._binds(table, conds), self._results(table, columns))
        sql, binds, results = _CACHE[key]
        found = self.raw.execute(sql, _bound(binds, where.values())).fetchone()
        if found is None:
            return None
        return tuple(v if p is None or v is None else p(v) for p, v in zip(results, found))

    def rows_in(self, table: Table, columns: Sequence[str], key: str,
                values: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The ``columns`` of every row whose ``key`` is one of ``values``."""
        if self.raw is None:
            stmt = select(*(table.c[c] for c in columns)).where(table.c[key].in_(list(values)))
            return [tuple(r) for r in self.conn.execute(stmt)]
        ckey = ("in", table.name, tuple(columns), key, len(values))
        if ckey not in _CACHE:
            sql = (f"SELECT {', '.join(columns)} FROM {table.name} "
                   f"WHERE {key} IN ({', '.join('?' * len(values))})")
            _CACHE[ckey] = (sql, self._binds(table, [key] * len(values)),
                            self._results(table, columns))
        sql, binds, results = _CACHE[ckey]
        return [tuple(v if p is None or v is None else p(v) for p, v in zip(results, found))
                for found in self.raw.execute(sql, _bound(binds, values)).fetchall()]

    def _results(self, table: Table, columns: Sequence[str]) -> list[Processor]:
        # JSON text read by msgspec: the same values as json.loads, in a fifth of the time
        return [_JSON_DECODE if isinstance(table.c[c].type, JSON)
                else table.c[c].type._cached_result_processor(self.dialect, None)  # noqa: SLF001
                for c in columns]

    def _binds(self, table: Table, names: Sequence[str]) -> list[Processor]:
        return [table.c[n].type._cached_bind_processor(self.dialect)  # noqa: SLF001
                for n in names]


def _bound(binds: list[Processor], values: Any) -> list[Any]:
    return [v if p is None else p(v) for p, v in zip(binds, values)]
