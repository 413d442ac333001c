"""Engines and schema migrations. SQLite by default (WAL, full sync: a committed action survives
a power cut), PostgreSQL by URL. The schema comes only from the Alembic migrations."""

from __future__ import annotations

import fcntl
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


def _normalise(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per database URL per process."""
    url = _normalise(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30},
                               json_serializer=_json_text)
        _sqlite_transactions(engine)
        if path and path != ":memory:" and not path.startswith("file:"):
            _writers_gate(engine, Path(path))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         json_serializer=_json_text)


def _json_text(value: Any) -> str:
    """JSON columns' text: msgspec writes it in a fraction of json.dumps's time (any JSON
    reader reads it back the same)."""
    return _JSON.encode(value).decode("utf-8")


_JSON = msgspec.json.Encoder()


def _sqlite_transactions(engine: Engine) -> None:
    # pysqlite's own transaction handling is bypassed so that writers take the lock at BEGIN
    # (BEGIN IMMEDIATE): two actions never both read a case and then both try to write it.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("casefiles_write", False)
        # straight to the driver: SQLAlchemy's statement path cost more than the BEGIN itself
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


def _writers_gate(engine: Engine, db: Path) -> None:
    """casefiles' writers of one SQLite file queue at a lock file beside it (``flock``, in the
    kernel) before they ask SQLite for its write lock. SQLite lets a writer that finds the
    database locked sleep and retry (1, 2, 5, 10, … 100 ms); a writer queued at the gate is
    woken the moment the one before it commits. BEGIN IMMEDIATE remains the lock that makes
    writes correct: the gate only orders casefiles' own writers.

    The wait has no timeout of its own: whoever holds the gate is between its BEGIN IMMEDIATE
    (which gives up after SQLite's 30 s busy timeout) and its commit, and lets go in a
    ``finally``; a process that dies lets go with it."""
    gate = str(db) + "-writers"

    @event.listens_for(engine, "connect")
    def _open(_dbapi_conn: Any, record: Any) -> None:
        fd = os.open(gate, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        record.info["casefiles_gate"] = (fd, gate)

    @event.listens_for(engine, "close")
    def _close(_dbapi_conn: Any, record: Any) -> None:
        entry = record.info.pop("casefiles_gate", None)
        if entry is not None:
            os.close(entry[0])


# the gates each thread holds: a writer that waited for its own thread would wait for ever
_HELD = threading.local()


def enter_gate(info: dict[str, Any]) -> tuple[int, str] | None:
    """Wait at the writers' gate of this connection's database, if it has one; what to give
    :func:`leave_gate`."""
    entry: tuple[int, str] | None = info.get("casefiles_gate")
    if entry is None:
        return None
    held: set[str] = _HELD.__dict__.setdefault("gates", set())
    if entry[1] in held:
        raise RuntimeError("这个线程已持有写入闸门 / a unit of work that writes was opened "
                           "inside another on the same thread and database: it would wait "
                           "for itself")
    fcntl.flock(entry[0], fcntl.LOCK_EX)
    held.add(entry[1])
    return entry


def leave_gate(entry: tuple[int, str] | None) -> None:
    """Let the next writer through."""
    if entry is not None:
        _HELD.gates.discard(entry[1])
        fcntl.flock(entry[0], fcntl.LOCK_UN)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without an ini file."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _normalise(url).replace("%", "%%"))
    cfg.attributes["engine"] = engine_for(url)
    return cfg


def migrate(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    command.upgrade(alembic_config(url), "head")


def is_current(url: str) -> bool:
    """Whether the database has the schema of the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    engine = engine_for(url)
    script = ScriptDirectory.from_config(alembic_config(url))
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return MigrationContext.configure(conn).get_current_revision() == script.get_current_head()
