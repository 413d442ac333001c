"""The command line's part in the web: `people add --password` stores a slow hash that signs
in, and `casefiles serve` answers on loopback."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from casefiles.web.security import authenticate
from tests.support import CASEFILES, cli_env


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


def test_serve_answers_the_sign_in_page_on_loopback(tmp_path: Path) -> None:
    """`casefiles serve --port P` serves the Chinese sign-in page at 127.0.0.1:P."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([CASEFILES, "serve", "--port", str(port)], env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline and answer is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/signin", timeout=2)
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200
        assert "工作人员登录" in answer.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
