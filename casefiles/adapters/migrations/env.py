"""Alembic environment: runs the migrations on the engine casefiles configured."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import casefiles.adapters.tables  # noqa: F401  (registers every table on the metadata)
from casefiles.adapters.tables import declared

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("alembic: sqlalchemy.url is not set")
        engine = create_engine(url)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        # a batch migration on SQLite copies a table and drops the old one, which the record
        # tables' foreign keys would refuse; the pragma applies only outside a transaction
        raw = conn.connection.dbapi_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=conn, target_metadata=target_metadata,
                              render_as_batch=sqlite, include_name=declared)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


run()
