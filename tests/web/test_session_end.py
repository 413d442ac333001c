"""Item 7 of issue 11: sessions and API tokens live on the server, so that signing out, a
new password, new roles and deactivation end them, even for a copied cookie or token."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from casefiles.web import create_app
from tests.web.conftest import Bureau, api_token, sign_in


def _copy(client: TestClient, bureau: Bureau) -> TestClient:
    thief = TestClient(create_app(bureau.cf), follow_redirects=False)
    thief.cookies.update(client.cookies)
    return thief


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(
        bureau: Bureau, client: TestClient) -> None:
    """After sign-out, the cookie copied before it redirects to sign-in."""
    token = sign_in(client, "zhang")
    thief = _copy(client, bureau)
    assert thief.get("/mine").status_code == 200
    client.post("/signout", data={"csrf": token})
    assert thief.get("/mine").status_code == 303


def test_a_role_change_and_deactivation_end_sessions_and_tokens(
        bureau: Bureau, client: TestClient) -> None:
    """New roles end zhang's page session; deactivating li ends li's API token."""
    sign_in(client, "zhang")
    zhang = next(p for p in bureau.cf.people() if p.id == "zhang")
    bureau.cf.put_person(replace(zhang, roles=["officer", "host"]))
    assert client.get("/mine", follow_redirects=False).status_code == 303
    headers = api_token(client, "li")
    assert client.get("/api/me", headers=headers).status_code == 200
    bureau.cf.deactivate("li")
    assert client.get("/api/me", headers=headers).status_code == 401


def test_the_cli_deactivates_a_person(bureau: Bureau, client: TestClient,
                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`casefiles people deactivate ID` ends the person's token and records the change."""
    from casefiles import cli

    headers = api_token(client, "li")
    monkeypatch.setattr(cli, "_ready", lambda db=None: bureau.cf)
    result = CliRunner().invoke(cli.app, ["people", "deactivate", "li"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/me", headers=headers).status_code == 401
    assert not next(p for p in bureau.cf.people() if p.id == "li").active
    assert CliRunner().invoke(cli.app, ["people", "deactivate", "ghost"]).exit_code == 2


def test_the_signing_key_alone_forges_no_session_or_token(bureau: Bureau,
                                                          client: TestClient) -> None:
    """Item 1's second step: with the web key and the head's stored hash, a token or cookie
    naming the head (as the stateless ones did) or a made-up session is refused; only a
    session the server holds counts, and the database keeps only the SHA-256 of its
    secret."""
    import base64
    import hashlib
    import json

    import itsdangerous

    key = "test-secret-key"
    with bureau.cf.uow() as uow:  # what a reader of the database knows of the head
        stored = uow.conn.exec_driver_sql(
            "SELECT password_hash FROM people WHERE id = 'zhao'").scalar_one()
    fp = hashlib.sha256(stored.encode()).hexdigest()[:16]
    for claims in ({"p": "zhao", "f": fp}, {"s": "made-up-secret"}):
        forged = itsdangerous.URLSafeTimedSerializer(key, salt="casefiles-api-token").dumps(
            claims)
        r = client.get("/api/me", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401
    cookie = base64.b64encode(json.dumps({"pid": "zhao", "fp": fp, "sid": "made-up"}).encode())
    signed = itsdangerous.TimestampSigner(key).sign(cookie).decode()
    thief = TestClient(create_app(bureau.cf), follow_redirects=False)
    thief.cookies.set("casefiles_session", signed)
    assert thief.get("/queue/head").status_code == 303
    headers = api_token(client, "zhao")
    secret = headers["Authorization"].removeprefix("Bearer ")
    with bureau.cf.uow() as uow:
        kept = [r[0] for r in uow.conn.exec_driver_sql("SELECT id FROM sessions")]
    assert kept and not any(k in secret for k in kept)
