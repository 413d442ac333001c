"""Item 8 of issue 11: a case one may not see answers exactly as a case that does not exist,
and a stranger's refused attempts, recorded in the case's history as SPEC §2 asks, are
limited per person so that nobody can flood another officer's case."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import SHA_A, SMALL_FINE, play, until
from tests.web.conftest import Bureau, api_token

RECORD = {"kind": "document", "title": "伪造", "officers": ["liu", "zhang"], "sha256": SHA_A}


def test_a_case_one_may_not_see_answers_as_a_case_that_does_not_exist(
        bureau: Bureau, client: TestClient) -> None:
    """Status and body are the same for another officer's case and for a made-up id."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    headers = api_token(client, "liu")
    for path in ("", "/history"):
        theirs = client.get(f"/api/cases/{case_id}{path}", headers=headers)
        none = client.get(f"/api/cases/no-such-case{path}", headers=headers)
        assert (theirs.status_code, theirs.json()) == (none.status_code, none.json())
        assert theirs.status_code == 404
    acted = client.post(f"/api/cases/{case_id}/actions/record", json=RECORD, headers=headers)
    missing = client.post("/api/cases/no-such-case/actions/record", json=RECORD,
                          headers=headers)
    assert (acted.status_code, acted.json()) == (missing.status_code, missing.json())


def test_a_stranger_cannot_flood_a_case_history(bureau: Bureau, client: TestClient) -> None:
    """Of 18 refused attempts, the hour's ten are recorded; the rest answer 429 unrecorded,
    while the case's own officer still acts."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = bureau.cf.view(case_id)["history_length"]
    headers = api_token(client, "liu")
    statuses = [client.post(f"/api/cases/{case_id}/actions/record", json=RECORD,
                            headers=headers).status_code for _ in range(18)]
    assert statuses == [404] * 10 + [429] * 8
    assert bureau.cf.view(case_id)["history_length"] == before + 10
    r = client.post(f"/api/cases/{case_id}/actions/record",
                    json={**RECORD, "officers": ["zhang", "li"]},
                    headers=api_token(client, "zhang"))
    assert r.status_code == 200
