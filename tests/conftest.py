"""Database fixtures shared by every test layer: a fresh SQLite file, a fresh PostgreSQL
database (when CASEFILES_TEST_POSTGRES_URL names a server), and ``db_url`` over both."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

# Prefect reads these when first imported (the flow tests): its own home in a temporary
# folder, no telemetry (this machine has no network), a patient start for the test server.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="casefiles-prefect-"))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
# The documents' fonts are cut once (0.2 s) and shared by every test of the run.
os.environ.setdefault("CASEFILES_FONTS_DIR", tempfile.mkdtemp(prefix="casefiles-fonts-"))

POSTGRES_ENV = "CASEFILES_TEST_POSTGRES_URL"
POSTGRES_SKIP = f"{POSTGRES_ENV} not set: PostgreSQL tests skipped"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file of its own (created on first use)."""
    return f"sqlite:///{tmp_path / 'casefiles.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A freshly created PostgreSQL database, dropped afterwards."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(POSTGRES_SKIP)
    name = f"casefiles_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlsplit(server)._replace(path=f"/{name}").geturl()
    try:
        yield url
    finally:
        from casefiles.adapters.db import engine_for

        engine_for(url).dispose()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database, once on SQLite and once on PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))
