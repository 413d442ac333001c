"""The command line's part in the web: `people add --password` stores a slow hash that signs
in, and `casefiles serve` answers on loopback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from casefiles.web.security import authenticate
from tests.support import CASEFILES, cli_env
from tests.web.conftest import serve_on_loopback


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return cli_env(CASEFILES_DATA_DIR=str(tmp_path / "data"), **extra)


def test_people_add_with_a_password_from_the_environment_lets_the_person_sign_in(
        tmp_path: Path) -> None:
    """The password given through CASEFILES_PASSWORD is stored hashed and verifies; a wrong
    one does not."""
    done = subprocess.run([CASEFILES, "people", "add", "zhang", "--name", "张伟", "--role",
                           "officer", "--certificate", "湘0401001", "--password"],
                          env=_env(tmp_path, CASEFILES_PASSWORD="long-enough-1"),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    cf = Casefiles(Settings(data_dir=tmp_path / "data"))
    assert authenticate(cf, "zhang", "long-enough-1") is not None
    assert authenticate(cf, "zhang", "long-enough-2") is None


def test_people_add_refuses_a_short_password(tmp_path: Path) -> None:
    """A password under eight characters is refused with exit status 2."""
    done = subprocess.run([CASEFILES, "people", "add", "li", "--name", "李娜", "--role",
                           "officer", "--password"], env=_env(tmp_path, CASEFILES_PASSWORD="short"),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "至少8位" in done.stderr


def _served(tmp_path: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """`casefiles serve` on a free loopback port, once it answers."""
    return serve_on_loopback(_env(tmp_path), *options)


def test_serve_answers_the_sign_in_page_on_loopback(tmp_path: Path) -> None:
    """`casefiles serve --port P` serves the Chinese sign-in page at 127.0.0.1:P."""
    proc, base = _served(tmp_path)
    try:
        answer = httpx.get(f"{base}/signin", timeout=5)
        assert answer.status_code == 200 and "工作人员登录" in answer.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_with_two_workers_keeps_a_session_whichever_worker_answers(
        tmp_path: Path) -> None:
    """With --workers 2 every process signs with the same key: a session made by one is
    honoured by the other, request after request."""
    done = subprocess.run([CASEFILES, "people", "add", "zhang", "--name", "张伟", "--role",
                           "officer", "--certificate", "湘0401001", "--password"],
                          env=_env(tmp_path, CASEFILES_PASSWORD="long-enough-1"),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    proc, base = _served(tmp_path, "--workers", "2")
    try:
        pages = []
        for _ in range(6):  # fresh connections, spread by the kernel over the two workers
            with httpx.Client(base_url=base, timeout=10) as client:
                form = client.get("/signin").text
                token = form.split('name="csrf" value="')[1].split('"')[0]
                signed = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                                      "password": "long-enough-1",
                                                      "next": "/mine"})
                pages += [signed.status_code, client.get("/mine").status_code]
        assert pages == [303, 200] * 6  # signed in (to /mine), then /mine itself
    finally:
        proc.terminate()
        proc.wait(timeout=20)
