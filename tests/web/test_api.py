"""The JSON API: tokens, the actions of SCENARIOS.md with their payloads, the case view, lists,
history, and the HTTP status of each kind of refusal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.domain.model import Person
from casefiles.domain.registry import ACTIONS
from casefiles.web.security import hash_password
from tests.support import MAJOR_FINE, MINE, SMALL_FINE, play, register, until
from tests.web.conftest import PASSWORD, Bureau, api_token, csrf_of, sign_in


def test_a_token_is_given_for_the_right_password_only(client: TestClient) -> None:
    """Wrong password or unknown id: 401; the right one: a bearer token that names the person."""
    assert client.post("/api/token", json={"id": "zhang", "password": "nope"}).status_code == 401
    assert client.post("/api/token", json={"id": "ghost", "password": PASSWORD}
                       ).status_code == 401
    r = client.get("/api/me", headers=api_token(client, "zhang"))
    assert r.json() == {"id": "zhang", "name": "张伟", "roles": ["officer"]}


def test_requests_without_a_valid_token_or_session_are_unauthorised(client: TestClient) -> None:
    """No credentials, or a forged token: 401 with a code."""
    assert client.get("/api/cases").status_code == 401
    r = client.get("/api/cases", headers={"Authorization": "Bearer forged.token.value"})
    assert (r.status_code, r.json()["code"]) == (401, "not_signed_in")


def test_a_changed_password_voids_the_tokens_issued_before(bureau: Bureau,
                                                          client: TestClient) -> None:
    """A token stops working once its person's password changes."""
    headers = api_token(client, "zhang")
    bureau.cf.put_person(Person(id="zhang", name="张伟", roles=["officer"],
                                certificate="湘0401001"), password_hash=hash_password("other-pw-9"))
    assert client.get("/api/me", headers=headers).status_code == 401


def test_registering_through_the_api_returns_the_new_case_view(client: TestClient) -> None:
    """A register payload of SCENARIOS.md answers 201 with the case view in state registered."""
    r = client.post("/api/cases", json=register(MINE, "2020-05-20", "non_coal_mine"),
                    headers=api_token(client, "zhang"))
    assert r.status_code == 201
    body = r.json()
    assert (body["result"], body["state"], body["view"]["sector"]) == (
        "ok", "registered", "non_coal_mine")


def test_invalid_input_answers_422_naming_the_field(client: TestClient) -> None:
    """A wrong credit code is refused invalid_input with 422 and the field named."""
    bad = register({**MINE, "credit_code": "91430423MA4L0M1N87"})
    r = client.post("/api/cases", json=bad, headers=api_token(client, "zhang"))
    body = r.json()
    assert (r.status_code, body["code"]) == (422, "invalid_input")
    assert "credit_code" in body["message"]


def test_a_rule_refusal_answers_409_with_every_code(bureau: Bureau, client: TestClient) -> None:
    """A decision before review answers 409 with legal_review_required first and all codes."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))
    r = client.post(f"/api/cases/{case_id}/actions/decide", json={"outcome": "penalty"},
                    headers=api_token(client, "zhao"))
    body = r.json()
    assert r.status_code == 409
    assert body["code"] == "legal_review_required"
    assert "collective_discussion_required" in body["codes"]
    assert body["refusals"][0]["zh"] and body["refusals"][0]["en"]


def test_a_stale_version_is_refused_and_nothing_is_lost(bureau: Bureau,
                                                        client: TestClient) -> None:
    """An action prepared on an older version answers 409 stale_version."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    version = bureau.cf.view(case_id)["version"]
    record = {"kind": "document", "title": "书证", "officers": ["zhang", "li"]}
    headers = api_token(client, "zhang")
    ok = client.post(f"/api/cases/{case_id}/actions/record?expected_version={version}",
                     json=record, headers=headers)
    assert ok.status_code == 200
    stale = client.post(f"/api/cases/{case_id}/actions/record?expected_version={version}",
                        json=record, headers=headers)
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")


def test_unknown_actions_and_cases_answer_422_and_404(client: TestClient) -> None:
    """An action name outside the contract is invalid input; a case that does not exist, 404."""
    headers = api_token(client, "zhao")
    r = client.post("/api/cases/whatever/actions/explode", json={}, headers=headers)
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input")
    r = client.post("/api/cases/no-such-case/actions/file", json={}, headers=headers)
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert client.get("/api/cases/no-such-case", headers=headers).status_code == 404


def test_the_case_view_history_and_lists_follow_the_contract(bureau: Bureau,
                                                             client: TestClient) -> None:
    """The view has the SCENARIOS.md fields; history verifies; lists show only what one may
    see (an officer's own cases, everything for the head)."""
    case_id = play(bureau.cf, bureau.clock, SMALL_FINE)
    headers = api_token(client, "zhang")
    view = client.get(f"/api/cases/{case_id}", headers=headers).json()
    assert view["state"] == "archived" and view["amounts"]["outstanding"] == 0
    assert {"flags", "review", "hearing", "deadlines", "documents", "warnings",
            "history_length"} <= set(view)
    history = client.get(f"/api/cases/{case_id}/history", headers=headers).json()
    assert history["verified"] is True and len(history["entries"]) == view["history_length"]
    assert client.get("/api/cases", headers=headers).json()["cases"] == []  # none in hand
    ended = client.get("/api/cases?ended=true", headers=headers).json()["cases"]
    assert [c["id"] for c in ended] == [case_id]
    assert client.get("/api/cases", headers=api_token(client, "liu")).json()["cases"] == []
    head = client.get("/api/cases?state=archived", headers=api_token(client, "zhao")).json()
    assert [c["id"] for c in head["cases"]] == [case_id]


def test_session_authentication_needs_the_csrf_header_on_posts(bureau: Bureau,
                                                              client: TestClient) -> None:
    """Signed in by cookie, a POST without X-CSRF-Token is refused 403; with it, accepted."""
    token = sign_in(client, "zhang")
    payload = register(MINE, "2020-05-20", "non_coal_mine")
    assert client.post("/api/cases", json=payload).status_code == 403
    r = client.post("/api/cases", json=payload, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    assert csrf_of(client.get("/mine").text) == token


def test_the_openapi_description_lists_the_actions(client: TestClient) -> None:
    """The OpenAPI document names the action endpoint and every action of the contract."""
    spec = client.get("/api/openapi.json").json()
    path = spec["paths"]["/api/cases/{case}/actions/{action}"]["post"]
    param = next(p for p in path["parameters"] if p["name"] == "action")
    ref = param["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][ref]["enum"]) == set(ACTIONS) - {"register"}
    assert {"401", "403", "404", "409", "422"} <= set(path["responses"])
