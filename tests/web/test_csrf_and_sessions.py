"""Sign-in, sign-out and CSRF: every form needs its session's token, and a form without one
changes nothing."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import PASSWORD, Bureau, api_token, csrf_of, sign_in


def test_a_wrong_password_does_not_sign_in(client: TestClient) -> None:
    """The form answers 401 with a message and the id kept; no page opens afterwards."""
    token = csrf_of(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang", "password": "bad",
                                     "next": "/mine"})
    assert r.status_code == 401
    assert "账号或密码错误" in r.text and 'value="zhang"' in r.text
    assert client.get("/mine", follow_redirects=False).status_code == 303


def _try(client: TestClient, password: str) -> int:
    token = csrf_of(client.get("/signin").text)
    return client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                        "password": password, "next": "/mine"},
                       follow_redirects=False).status_code


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(bureau: Bureau,
                                                                   client: TestClient) -> None:
    """After five failures even the right password is refused 429 with a Chinese message;
    a quarter of an hour later the right password signs in again."""
    assert [_try(client, "guess") for _ in range(5)] == [401] * 5
    token = csrf_of(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                     "password": PASSWORD, "next": "/mine"})
    assert r.status_code == 429 and "登录失败次数过多" in r.text
    assert client.post("/api/token", json={"id": "zhang", "password": PASSWORD}
                       ).json()["code"] == "too_many_attempts"
    bureau.clock.set(bureau.clock.now() + timedelta(minutes=15))
    assert _try(client, PASSWORD) == 303


def test_api_token_guessing_counts_against_the_same_account(bureau: Bureau,
                                                            client: TestClient) -> None:
    """Wrong passwords through /api/token lock the sign-in form too (429), not other people."""
    for _ in range(5):
        assert client.post("/api/token", json={"id": "zhang", "password": "x"}
                           ).status_code == 401
    assert client.post("/api/token", json={"id": "zhang", "password": "x"}).status_code == 429
    assert _try(client, "x") == 429
    assert api_token(client, "li")


def test_every_server_process_counts_the_same_failures_and_a_restart_forgives_none(
        bureau: Bureau) -> None:
    """Guesses spread over two server processes (two applications on one database) lock the
    account after five in all; a server started afterwards still refuses it."""
    with TestClient(create_app(bureau.cf)) as one, TestClient(create_app(bureau.cf)) as two:
        assert [_try(c, "guess") for c in (one, two, one, two, one)] == [401] * 5
        assert _try(two, PASSWORD) == 429
    with TestClient(create_app(bureau.cf)) as restarted:
        assert _try(restarted, PASSWORD) == 429
        bureau.clock.set(bureau.clock.now() + timedelta(minutes=15))
        assert _try(restarted, PASSWORD) == 303


def test_pages_send_a_signed_out_visitor_to_sign_in_and_back(client: TestClient) -> None:
    """A page asked for without a session redirects to sign-in, which returns to it."""
    r = client.get("/mine", follow_redirects=False)
    assert r.headers["location"] == "/signin?next=/mine"
    token = csrf_of(client.get("/signin?next=/mine").text)
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                     "password": PASSWORD, "next": "/mine"},
                    follow_redirects=False)
    assert r.headers["location"] == "/mine"


def test_sign_in_does_not_redirect_to_another_site(client: TestClient) -> None:
    """A ``next`` that leaves the site is replaced by the home page."""
    token = csrf_of(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                     "password": PASSWORD, "next": "//evil.example/x"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_the_sign_in_form_needs_its_csrf_token(client: TestClient) -> None:
    """A sign-in post without the token is refused 403 even with the right password."""
    client.get("/signin")
    r = client.post("/signin", data={"person_id": "zhang", "password": PASSWORD})
    assert r.status_code == 403
    assert client.get("/mine", follow_redirects=False).status_code == 303


def test_an_action_form_without_the_right_token_changes_nothing(bureau: Bureau,
                                                                client: TestClient) -> None:
    """Missing, wrong, and another session's tokens are all refused 403; the history does not
    grow."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = bureau.cf.view(case_id)["history_length"]
    other = TestClient(client.app)
    other_token = sign_in(other, "li")
    sign_in(client, "zhang")
    form = {"kind": "document", "title": "书证", "officers": ["zhang", "li"]}
    for token in (None, "wrong", other_token):
        data = form if token is None else {**form, "csrf": token}
        r = client.post(f"/cases/{case_id}/act/record", data=data)
        assert r.status_code == 403
        assert "表单已失效" in r.text
    assert bureau.cf.view(case_id)["history_length"] == before


def test_sign_out_ends_the_session(client: TestClient) -> None:
    """After signing out (a form with its token) pages ask for sign-in again."""
    token = sign_in(client, "zhang")
    assert client.post("/signout", data={}).status_code == 403
    client.post("/signout", data={"csrf": token})
    assert client.get("/mine", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_http_only_and_same_site(client: TestClient) -> None:
    """The session cookie cannot be read by scripts and is not sent by other sites' forms."""
    token = csrf_of(client.get("/signin").text)
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                     "password": PASSWORD, "next": "/"},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
