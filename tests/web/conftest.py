"""Web fixtures: a bureau whose people all have passwords, on a simulated clock, and the
application over it (TestClient), with helpers to sign in and read CSRF tokens."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from casefiles.web import create_app
from casefiles.web.security import hash_password
from tests.support import CASEFILES, DRILL, PEOPLE, START

PASSWORD = "correct-horse-7"
MORE_PEOPLE = [
    Person(id="zhou", name="周敏", roles=["supervisor"]),
    Person(id="liu", name="刘洋", roles=["officer"], certificate="湘0401003"),
]
EVERYONE = [*PEOPLE, *MORE_PEOPLE]
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Bureau:
    """The application's service object and the clock the test moves."""

    cf: Casefiles
    clock: SimulatedClock


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash of :data:`PASSWORD` (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


def make_bureau(url: str, data_dir: Path, password_hash: str,
                start: datetime = START, drill: str | None = DRILL) -> Bureau:
    """An initialised bureau on ``url`` whose people all sign in with :data:`PASSWORD`: a drill
    world of 2020 dates unless ``drill`` is None (cases of today, judged by their dates)."""
    clock = SimulatedClock(start)
    cf = Casefiles(Settings(data_dir=data_dir, secret_key="test-secret-key",
                            show_drills=drill is not None),
                   clock, url, drill=drill)
    cf.init()
    for person in EVERYONE:
        cf.put_person(person, password_hash=password_hash)
    return Bureau(cf, clock)


@pytest.fixture
def bureau(sqlite_url: str, tmp_path: Path, password_hash: str) -> Bureau:
    """A bureau on a fresh SQLite database."""
    return make_bureau(sqlite_url, tmp_path / "data", password_hash)


@pytest.fixture
def client(bureau: Bureau) -> Iterator[TestClient]:
    """A browser-like client of the application (cookies kept, redirects followed)."""
    with TestClient(create_app(bureau.cf)) as c:
        yield c


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client: TestClient, person_id: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the CSRF token of the new session."""
    token = csrf_of(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "person_id": person_id,
                                     "password": password, "next": "/signin"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/signin").text)


def api_token(client: TestClient, person_id: str) -> dict[str, str]:
    """The Authorization header of a bearer token for ``person_id``."""
    r = client.post("/api/token", json={"id": person_id, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def serve_on_loopback(env: dict[str, str], *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """`casefiles serve` as a subprocess on a free port of 127.0.0.1, once it answers: the
    process and its base URL (the caller terminates it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([CASEFILES, "serve", "--port", str(port), *options], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/signin", timeout=2)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise AssertionError(f"casefiles serve {' '.join(options)} did not answer")
