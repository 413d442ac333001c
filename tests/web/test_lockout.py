"""Item 6 of issue 11: failed sign-ins lock the (account, address) pair, not the account, so
an attacker's guesses do not lock a person out of every other address; the account locks only
after many more failures."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.web.conftest import PASSWORD, Bureau


def _token(client: TestClient, password: str) -> int:
    return client.post("/api/token", json={"id": "zhang", "password": password}).status_code


def test_guesses_from_one_address_do_not_lock_the_person_out_elsewhere(bureau: Bureau) -> None:
    """Five wrong passwords from one address: that address gets 429 even with the right
    password, while the right password from another address signs in."""
    app = create_app(bureau.cf)
    attacker = TestClient(app, client=("10.0.0.66", 40000))
    victim = TestClient(app, client=("10.0.0.7", 40000))
    assert [_token(attacker, "wrong-guess") for _ in range(5)] == [401] * 5
    assert _token(attacker, PASSWORD) == 429
    assert _token(victim, PASSWORD) == 200


def test_the_account_locks_after_many_more_failures_from_many_addresses(bureau: Bureau) -> None:
    """A hundred failures spread over twenty-five addresses lock the account everywhere."""
    app = create_app(bureau.cf)
    for n in range(25):
        guesser = TestClient(app, client=(f"10.0.1.{n}", 40000))
        assert [_token(guesser, "wrong-guess") for _ in range(4)] == [401] * 4
    assert _token(TestClient(app, client=("10.0.0.7", 40000)), PASSWORD) == 429


def test_a_correct_password_forgives_only_its_own_address(bureau: Bureau) -> None:
    """Signing in from one address does not clear another address's failures."""
    app = create_app(bureau.cf)
    attacker = TestClient(app, client=("10.0.0.66", 40000))
    assert [_token(attacker, "wrong-guess") for _ in range(4)] == [401] * 4
    assert _token(TestClient(app, client=("10.0.0.7", 40000)), PASSWORD) == 200
    assert _token(attacker, "wrong-guess") == 401
    assert _token(attacker, "wrong-guess") == 429


def test_the_sign_in_page_says_in_chinese_how_many_attempts_are_left(bureau: Bureau) -> None:
    """Each wrong password: the Chinese message first and the failures left before the lock;
    the English only in the detail line."""
    from tests.web.conftest import csrf_of

    client = TestClient(create_app(bureau.cf))
    token = csrf_of(client.get("/signin").text)
    shown = []
    for _ in range(5):
        r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                         "password": "wrong-guess", "next": "/"})
        assert r.status_code == 401
        assert r.text.index("账号或密码错误") < r.text.index("wrong id or password")
        shown.append(r.text)
    assert "再输错 4 次，本账号在此设备上将被锁定 15 分钟" in shown[0]
    assert "再输错 1 次" in shown[3]
    assert "已被锁定 15 分钟" in shown[4]
    r = client.post("/signin", data={"csrf": token, "person_id": "zhang",
                                     "password": PASSWORD, "next": "/"})
    assert r.status_code == 429 and "登录失败次数过多" in r.text
