"""Engines and schema migrations. SQLite by default (WAL, full sync: a committed action survives
a power cut), PostgreSQL by URL. The schema comes only from the Alembic migrations."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import Engine, create_engine, event, inspect

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where a migration is asked for, not by every process that opens a
# database: a process of `audit verify` starts 0.15 s sooner without it
MIGRATIONS = Path(__file__).parent / "migrations"


def _normalise(url: str) -> str:
    if url.startswith(("postgresql://", "postgres://")):
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
                               json_serializer=_json_text, json_deserializer=_JSON_READ)
        _sqlite_transactions(engine)
        return engine
    # no pre-ping: it would cost a round trip per unit of work; a connection the server closed
    # fails its unit of work once and is replaced (pool_recycle retires old ones first)
    return create_engine(url, pool_size=5, max_overflow=10, pool_recycle=1800,
                         json_serializer=_json_text, json_deserializer=_JSON_READ)


def _json_text(value: Any) -> str:
    """JSON columns' text: msgspec writes it in a fraction of json.dumps's time (any JSON
    reader reads it back the same)."""
    return _JSON.encode(value).decode("utf-8")


_JSON = msgspec.json.Encoder()
# JSON columns read back: msgspec decodes them in a fraction of json.loads's time (`audit verify`
# reads five a history entry); stored JSON is strict, so both read it the same
_JSON_READ = msgspec.json.Decoder().decode


def _sqlite_transactions(engine: Engine) -> None:
    # pysqlite's own transaction handling is bypassed so that writers take the lock at BEGIN
    # (BEGIN IMMEDIATE): two actions never both read a case and then both try to write it;
    # a writer that finds the lock taken waits for it (busy_timeout).
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
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without an ini file."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _normalise(url).replace("%", "%%"))
    cfg.attributes["engine"] = engine_for(url)
    return cfg


def migrate(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def is_current(url: str) -> bool:
    """Whether the database has the schema of the newest migration."""
    from alembic.runtime.migration import MigrationContext

    with engine_for(url).connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return MigrationContext.configure(conn).get_current_revision() == _newest_revision()


@lru_cache(maxsize=1)
def _newest_revision() -> str | None:
    """The newest migration's revision, read once a process (each replay asks again)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()
