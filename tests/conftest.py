"""Database fixtures shared by every test layer: a fresh SQLite file, a fresh PostgreSQL
database (when CASEFILES_TEST_POSTGRES_URL names a server), and ``db_url`` over both."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
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


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port, its endpoint URL."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh bucket, named to casefiles by the environment as every machine would; the
    boto3 client on it."""
    import uuid

    import boto3

    for key, value in {"AWS_ACCESS_KEY_ID": "casefiles", "AWS_SECRET_ACCESS_KEY": "casefiles",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    bucket = f"casefiles-store-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket=bucket)
    monkeypatch.setenv("CASEFILES_STORE_URL", f"s3://{bucket}/hengshan")
    monkeypatch.setenv("CASEFILES_S3_ENDPOINT_URL", s3_server)
    client.bucket = bucket
    return client
