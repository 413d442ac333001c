"""Every person against every page and every action of a case waiting for legal review:
allowed and refused as SPEC.md says, and nothing of a case reachable by guessing its URL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.support import CHECKLIST_YES, MAJOR_FINE, SHA_A, play, until
from tests.web.conftest import EVERYONE, Bureau, api_token, csrf_of, sign_in

# the case of MAJOR_FINE up to its submission for review: investigators zhang and li, registered
# by zhang, hearing hosted by chen
PAGES_ALLOWED: dict[str, set[str]] = {
    "zhang": {"/mine", "/register", "/complaints", "case", "history"},
    "li": {"/mine", "/register", "/complaints", "case", "history"},
    "newbie": {"/mine", "/register", "/complaints"},
    "liu": {"/mine", "/register", "/complaints"},
    "wang": {"/queue/review", "case", "history", "review"},
    "qian": {"/queue/review", "case", "history", "review"},
    "zhao": {"/queue/head", "/cases", "/cases.csv", "/complaints", "/stats", "case", "history"},
    "sun": {"/mine", "/register", "/complaints", "/queue/head", "/cases", "/cases.csv", "/stats",
            "case", "history"},
    "chen": {"/queue/hearings", "case", "history"},
    "zhou": {"/cases", "/cases.csv", "/stats", "case", "history"},
}
PAGES = ["/mine", "/register", "/complaints", "/queue/review", "/queue/head", "/queue/hearings",
         "/cases", "/cases.csv", "/stats", "case", "history", "review"]

PAYLOADS: dict[str, dict[str, Any]] = {
    "record": {"kind": "document", "title": "补充书证", "officers": ["zhang", "li"],
               "sha256": SHA_A},
    "review": {"verdict": "pass", "checklist": CHECKLIST_YES, "opinion": "同意"},
    "discuss": {"attendees": ["赵强", "孙丽", "周明"], "conclusion": "同意罚款"},
    "extend": {"days": 30, "reason": "案情复杂"},
    "decide": {"outcome": "penalty"},
    "terminate": {"reason": "违法事实不能成立"},
    "serve": {"method": "in_person", "recipient": "刘建国"},
}
HEADS = {"zhao": (200, "ok"), "sun": (200, "ok")}
# (person → (HTTP status, code or "ok")); anyone not listed: 403 forbidden_role, or 404 for
# the officers who may not see the case (STRANGERS)
STRANGERS = {"newbie", "liu"}
ACTION_EXPECTED: dict[str, dict[str, tuple[int, str]]] = {
    "record": {"zhang": (200, "ok"), "li": (200, "ok")},
    "review": {"wang": (200, "ok"), "qian": (409, "reviewer_not_qualified")},
    "discuss": HEADS,
    "extend": HEADS,
    "decide": {"zhao": (409, "legal_review_required"), "sun": (409, "legal_review_required")},
    "terminate": HEADS,
    # outside its states: not_allowed_in_state comes first for those who may see the case
    "serve": {p.id: (409, "not_allowed_in_state") for p in EVERYONE
              if p.id not in ("newbie", "liu")},
}
CELLS = [(a, p.id) for a in ACTION_EXPECTED for p in EVERYONE]


def _case_in_review(bureau: Bureau) -> str:
    return play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))


@pytest.mark.parametrize("person_id", [p.id for p in EVERYONE])
def test_each_person_reaches_exactly_the_pages_of_their_roles(bureau: Bureau,
                                                               person_id: str) -> None:
    """Each page answers 200 to the roles SPEC.md gives it and 403 to everyone else, except
    a case's own pages, which answer 404 alike for a case one may not see and for none."""
    case_id = _case_in_review(bureau)
    with TestClient(create_app(bureau.cf), follow_redirects=False) as client:
        sign_in(client, person_id)
        for page in PAGES:
            url = {"case": f"/cases/{case_id}", "history": f"/cases/{case_id}/history",
                   "review": f"/cases/{case_id}/review"}.get(page, page)
            r = client.get(url)
            hidden = 404 if page in ("case", "history") else 403
            expected = 200 if page in PAGES_ALLOWED[person_id] else hidden
            assert r.status_code == expected, (person_id, page, r.status_code)
            if expected != 200 and page in ("case", "history", "review"):
                assert "衡山县东岭石料有限公司" not in r.text


@pytest.mark.parametrize(("action", "person_id"), CELLS)
def test_each_action_is_allowed_or_refused_for_each_person_as_spec_says(
        bureau: Bureau, client: TestClient, action: str, person_id: str) -> None:
    """The API answers every (person, action) cell on a case in legal review with the status
    and code SPEC.md implies, and records the attempt in the case history."""
    case_id = _case_in_review(bureau)
    before = bureau.cf.view(case_id)["history_length"]
    r = client.post(f"/api/cases/{case_id}/actions/{action}", json=PAYLOADS[action],
                    headers=api_token(client, person_id))
    status, code = ACTION_EXPECTED[action].get(
        person_id, (404, "not_found") if person_id in STRANGERS else (403, "forbidden_role"))
    body = r.json()
    assert (r.status_code, body["code"] or "ok") == (status, code), body["message"]
    assert bureau.cf.view(case_id)["history_length"] == before + 1


def test_an_officer_cannot_open_or_act_on_another_officers_case_by_its_url(
        bureau: Bureau, client: TestClient) -> None:
    """An officer who is not on the case gets 404 for its page, files and forms (as for a case
    that does not exist), sees none of it, and the attempted action is recorded as refused
    forbidden_role."""
    case_id = _case_in_review(bureau)
    token = sign_in(client, "liu")
    for url in (f"/cases/{case_id}", f"/cases/{case_id}/history",
                f"/cases/{case_id}/evidence/anything", f"/cases/{case_id}/documents/x"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "东岭" not in r.text
    r = client.post(f"/cases/{case_id}/act/record", data={
        "csrf": token, "kind": "document", "title": "伪造", "officers": ["liu", "zhang"],
        "sha256": SHA_A})
    assert r.status_code == 404
    assert "东岭" not in r.text
    last = bureau.cf.history(case_id)[-1]
    assert (last.actor, last.action, last.result, last.codes) == (
        "liu", "record", "refused", ["forbidden_role"])


def test_a_case_page_offers_only_the_actions_the_person_may_take_now(
        bureau: Bureau, client: TestClient) -> None:
    """In legal review the investigator is offered evidence but no decision; the head is
    offered the decision but no evidence; the supervisor is offered nothing."""
    case_id = _case_in_review(bureau)
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    assert 'id="act-record"' in page and 'id="act-decide"' not in page
    sign_in(client, "zhao")
    page = client.get(f"/cases/{case_id}").text
    assert 'id="act-decide"' in page and 'id="act-record"' not in page
    assert 'id="act-serve"' not in page
    sign_in(client, "zhou")
    page = client.get(f"/cases/{case_id}").text
    assert 'class="action"' not in page
    assert "当前没有由您办理的事项" in page


def test_the_reviewer_queue_leaves_out_cases_the_reviewer_investigated(
        bureau: Bureau, client: TestClient) -> None:
    """A person who is both reviewer and investigator does not find their own case in the
    review queue, while another reviewer does."""
    from casefiles.domain.model import Person

    bureau.cf.put_person(Person(id="zhang", name="张伟", roles=["officer", "reviewer"],
                                certificate="湘0401001", legal_qualification=True))
    case_id = _case_in_review(bureau)
    sign_in(client, "zhang")
    assert case_id not in client.get("/queue/review").text
    sign_in(client, "wang")
    assert case_id in client.get("/queue/review").text
    r = client.get(f"/cases/{case_id}/review")
    assert r.status_code == 200 and "裁量基准" in r.text
    assert csrf_of(r.text)
