"""The attacks of issue 11, run as a hostile client inside the bureau would run them: against
a real `casefiles serve` started as a subprocess on a free port of 127.0.0.1, with its own data
directory, in bounded request loops."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from casefiles.domain.model import Person
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from tests.support import CASEFILES, MINE, SHA_A, cli_env, recent_violation, register
from tests.web.conftest import EVERYONE, PASSWORD, csrf_of, serve_on_loopback

STRANGERS = [Person(id=f"stranger{n}", name=f"外人{n}", roles=["officer"],
                    certificate=f"湘049900{n}") for n in range(1, 4)]
NAN = b'{"kind": "document", "title": NaN, "officers": ["zhang", "li"]}'


@dataclass
class Server:
    """A running `casefiles serve`, its data directory and its environment."""

    base: str
    data: Path
    env: dict[str, str]

    def token(self, person_id: str, password: str = PASSWORD) -> dict[str, str]:
        """The Authorization header of a fresh bearer token."""
        r = httpx.post(f"{self.base}/api/token", json={"id": person_id, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def browser(self, person_id: str) -> tuple[httpx.Client, str]:
        """A client signed in through the form, and its CSRF token."""
        client = httpx.Client(base_url=self.base, timeout=10)
        r = client.post("/signin", data={"csrf": csrf_of(client.get("/signin").text),
                                         "person_id": person_id, "password": PASSWORD,
                                         "next": "/signin"})
        assert r.status_code == 303, r.text
        return client, csrf_of(client.get("/signin").text)

    def filed_case(self) -> str:
        """A case zhang registered and the head filed, through the API."""
        today = datetime.now(SHANGHAI)
        r = httpx.post(f"{self.base}/api/cases", headers=self.token("zhang"),
                       json=register(MINE, recent_violation(today), "non_coal_mine"))
        case_id = r.json()["case"]
        r = httpx.post(f"{self.base}/api/cases/{case_id}/actions/file", headers=self.token(
            "zhao"), json={"investigators": ["zhang", "li"], "cause": "未培训"})
        assert r.status_code == 200, r.text
        return str(case_id)

    def history_length(self, case_id: str) -> int:
        """How many entries the case's history holds, as its officer reads it."""
        view = httpx.get(f"{self.base}/api/cases/{case_id}", headers=self.token("zhang"))
        return int(view.json()["history_length"])

    def audit(self, *args: str) -> int:
        """`casefiles audit verify` on the live database: its exit status."""
        return subprocess.run([CASEFILES, "audit", "verify", *args], env=self.env, timeout=120,
                              capture_output=True, check=False).returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[Server]:
    """The bureau's people (and three strangers) with passwords, then the server."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    env = cli_env(CASEFILES_DATA_DIR=str(data))
    cf = Casefiles(Settings(data_dir=data))
    cf.init()
    for person in [*EVERYONE, *STRANGERS]:
        cf.put_person(person, password_hash=password_hash)
    cf.engine.dispose()
    proc, base = serve_on_loopback(env)
    try:
        yield Server(base, data, env)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _record(server: Server, case_id: str, headers: dict[str, str], **body: Any) -> httpx.Response:
    payload = {"kind": "document", "title": "文件", "officers": ["zhang", "li"], **body}
    return httpx.post(f"{server.base}/api/cases/{case_id}/actions/record", json=payload,
                      headers=headers)


def test_no_server_file_can_be_copied_into_the_evidence_store(server: Server) -> None:
    """Item 1: the key, /etc/passwd, /proc/self/environ and the live database named as
    ``file`` are refused, by the case's officer and by a stranger; nothing is copied, the
    database keeps its later writes and verifies."""
    case_id = server.filed_case()
    zhang = server.token("zhang")
    targets = [server.data / "web_secret_key", "/etc/passwd", "/proc/self/environ",
               server.data / "casefiles.db"]
    assert [_record(server, case_id, zhang, file=str(p)).status_code
            for p in targets] == [422] * 4
    stranger = server.token("stranger1")
    assert _record(server, case_id, stranger, file="/etc/passwd").status_code == 404
    assert not (server.data / "evidence").exists()
    assert server.audit() == 0
    assert _record(server, case_id, zhang, sha256=SHA_A).status_code == 200
    assert server.audit() == 0
    assert server.history_length(case_id) == 8  # register, file, 4 + 1 refused, 1 accepted


def test_non_finite_numbers_and_lone_surrogates_never_reach_a_chain(server: Server) -> None:
    """Item 2: NaN, Infinity and "\\ud800" answer 422 to officer and stranger alike and
    write nothing; every chain still verifies."""
    case_id = server.filed_case()
    before = server.history_length(case_id)
    bodies = [NAN, b'{"title": Infinity}', b'{"title": "\\ud800"}']
    for who in ("zhang", "stranger2"):
        headers = server.token(who) | {"content-type": "application/json"}
        for body in bodies:
            r = httpx.post(f"{server.base}/api/cases/{case_id}/actions/record", content=body,
                           headers=headers)
            assert r.status_code == 422, r.text
    assert server.history_length(case_id) == before
    assert server.audit() == 0


SPELLINGS = ("身份证4304 2319 8001 0112 31，又写ID430423198001011231；电话+8613812345678、"
             "138-1234-5678、138 1234 5678")


def test_published_free_text_shows_no_id_number_or_phone(server: Server) -> None:
    """Item 4: facts holding an ID number and phones in the probe's spellings are masked on
    /public/decisions/{id}."""
    person = {"kind": "individual", "name": "王大明", "id_number": "430423198001011231",
              "address": "衡山县开云镇白果村3组", "phone": "13812345678"}
    today = datetime.now(SHANGHAI)
    r = httpx.post(f"{server.base}/api/cases", headers=server.token("zhang"),
                   json=register(person, recent_violation(today)))
    case_id = r.json()["case"]
    steps = [("zhao", "file", {"investigators": ["zhang", "li"], "cause": "未培训"}),
             ("zhang", "record", {"kind": "inspection", "title": "检查记录",
                                  "officers": ["zhang", "li"], "sha256": SHA_A}),
             ("zhang", "propose", {"violations": [{"code": "WSL-99-person", "tier": "一般",
                                                   "facts": SPELLINGS}],
                                   "penalties": [{"type": "fine", "amount": "10000"}]}),
             ("zhang", "notify", None), ("zhang", "defend", {"waive": True}),
             ("zhao", "decide", {"outcome": "penalty"}),
             ("li", "serve", {"method": "in_person", "recipient": "王大明"}),
             ("zhao", "publish", None)]
    for who, action, payload in steps:
        r = httpx.post(f"{server.base}/api/cases/{case_id}/actions/{action}", json=payload,
                       headers=server.token(who))
        assert r.status_code == 200, (action, r.text)
    listing = httpx.get(f"{server.base}/public").text
    decision_id = listing.split("/public/decisions/")[1].split('"')[0]
    page = httpx.get(f"{server.base}/public/decisions/{decision_id}").text
    digits = "".join(c for c in page if c.isdigit() or c == "*")
    for secret in ("19800101", "13812345678", "81234567"):
        assert secret not in digits
    assert "ID430423********1231" in page


def test_ordinary_wrong_input_is_refused_not_a_server_error(server: Server) -> None:
    """Item 5: odd amounts, the first and last dates and a superscript version answer 4xx."""
    case_id = server.filed_case()
    zhang = server.token("zhang")
    assert _record(server, case_id, zhang, sha256=SHA_A).status_code == 200
    for amount in ("1,0", "1000美元", "abc", "1e309"):
        r = httpx.post(f"{server.base}/api/cases/{case_id}/actions/propose", headers=zhang,
                       json={"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "x"}],
                             "penalties": [{"type": "fine", "amount": amount}]})
        assert r.status_code == 422, (amount, r.text)
    head, token = server.browser("zhao")
    dates = {"from": "0001-01-01", "until": "9999-12-31"}
    with closing(head):
        assert head.get("/cases", params=dates).status_code == 200
        assert head.get("/cases.csv", params=dates).status_code == 200
    r = httpx.get(f"{server.base}/api/cases", headers=server.token("zhao"),
                  params={"registered_from": "0001-01-01", "registered_until": "9999-12-31"})
    assert r.status_code == 200
    officer, token = server.browser("zhang")
    with closing(officer):
        r = officer.post(f"/cases/{case_id}/act/propose", data={
            "csrf": token, "version": "²", "penalties.0.type": "fine",
            "penalties.0.amount": "60,000"})
    assert r.status_code == 422


def test_forwarded_headers_do_not_give_a_guesser_new_addresses(server: Server) -> None:
    """Item 6: five wrong passwords sent with made-up X-Forwarded-For addresses still lock
    the guesser's own address, and six complaints from 'six addresses' meet the hourly
    limit of one sender."""
    for n in range(5):
        r = httpx.post(f"{server.base}/api/token", json={"id": "wang", "password": "guess"},
                       headers={"X-Forwarded-For": f"10.9.9.{n}"})
        assert r.status_code == 401
    r = httpx.post(f"{server.base}/api/token", json={"id": "wang", "password": PASSWORD},
                   headers={"X-Forwarded-For": "10.9.9.200"})
    assert r.status_code == 429
    answers = []
    with httpx.Client(base_url=server.base, timeout=10) as public:
        for n in range(6):
            token = csrf_of(public.get("/public/complaint").text)
            answers.append(public.post("/public/complaint", headers={
                "X-Forwarded-For": f"10.8.8.{n}"}, data={
                "csrf": token, "subject": "某厂", "content": f"第{n}次举报"}).status_code)
    assert answers == [200] * 5 + [429]


def test_a_copied_cookie_dies_with_sign_out(server: Server) -> None:
    """Item 7: the cookie copied before sign-out is sent back to sign-in after it."""
    owner, token = server.browser("chen")
    with closing(owner), httpx.Client(base_url=server.base, timeout=10) as thief:
        thief.cookies.update(owner.cookies)
        assert thief.get("/queue/hearings").status_code == 200
        assert owner.post("/signout", data={"csrf": token}).status_code == 303
        assert thief.get("/queue/hearings").status_code == 303


def test_a_stranger_learns_nothing_and_cannot_flood_a_case(server: Server) -> None:
    """Item 8: another officer's case answers as a missing one; twelve refused attempts
    leave ten entries, then 429."""
    case_id = server.filed_case()
    before = server.history_length(case_id)
    stranger = server.token("stranger3")
    missing = _record(server, "no-such-case", stranger)
    theirs = _record(server, case_id, stranger)
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()) == (
        404, {"code": "not_found", "message": "没有该案件 / no such case"})
    statuses = [_record(server, case_id, stranger).status_code for _ in range(10)]
    assert statuses == [404] * 8 + [429] * 2
    assert server.history_length(case_id) == before + 9


def test_a_chunked_body_is_cut_off_at_the_limit(server: Server) -> None:
    """Item 9: a chunked body to /public/complaint is answered 413 once it passes the 1 MiB
    limit, while the client has not finished sending (before, the server waited for all of
    it, 50 MB in the probe, then answered 403)."""
    host, port = server.base.removeprefix("http://").split(":")
    chunk = b"x" * 65536
    with socket.create_connection((host, int(port)), timeout=10) as s:
        part = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; "
                b"filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
        s.sendall(b"POST /public/complaint HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: multipart/form-data; boundary=b0undary\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (len(part), part))
        for _ in range(32):  # 2 MiB of a file that never ends
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = s.recv(4096)  # waits at most the socket's 10 s
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]


def test_hsts_is_sent_when_cookies_are_secure(server: Server, tmp_path: Path) -> None:
    """Item 10: a server run with CASEFILES_SECURE_COOKIES=true sends HSTS."""
    env = server.env | {"CASEFILES_SECURE_COOKIES": "true",
                        "CASEFILES_DATA_DIR": str(tmp_path / "secure")}
    proc, base = serve_on_loopback(env)
    try:
        answer = httpx.get(f"{base}/signin", timeout=5)
        assert answer.headers["strict-transport-security"].startswith("max-age=")
        assert "strict-transport-security" not in httpx.get(f"{server.base}/signin").headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)
