"""Forms on the pages: a refusal is shown beside its form with its code and Chinese message,
and what was typed stays; nothing is half-applied."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.web.forms import payload_from
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in


def test_a_refused_registration_keeps_every_field_typed(bureau: Bureau,
                                                       client: TestClient) -> None:
    """A wrong credit code answers 422 with invalid_input and the field named, and every value
    typed is still in the form; no case is created."""
    token = sign_in(client, "zhang")
    r = client.post("/register", data={
        "csrf": token, "source": "inspection", "sector": "fireworks",
        "party.kind": "organisation", "party.name": "衡山县红星烟花店",
        "party.credit_code": "91430423MA4L0M1N87", "party.address": "衡山县城关镇",
        "summary": "超量储存烟花爆竹", "violation_date": "2020-05-20", "harm": "yes"})
    assert r.status_code == 422
    assert "invalid_input" in r.text and "credit_code" in r.text
    for kept in ("衡山县红星烟花店", "91430423MA4L0M1N87", "超量储存烟花爆竹", "2020-05-20"):
        assert kept in r.text
    assert 'value="fireworks" selected' in r.text and 'value="yes" checked' in r.text
    assert client.get("/mine").text.count("<tr") == 0


def test_a_refused_action_shows_its_code_beside_its_form_with_the_input_kept(
        bureau: Bureau, client: TestClient) -> None:
    """Filing with one investigator is refused too_few_officers (409); the form is open with
    the refusal, the chosen investigator still ticked and the cause still written."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "register"))
    token = sign_in(client, "zhao")
    r = client.post(f"/cases/{case_id}/act/file", data={
        "csrf": token, "investigators": ["zhang"], "cause": "未培训上岗"})
    assert r.status_code == 409
    form = r.text.split('id="act-file"')[1].split("</details>")[0]
    assert form.startswith(" open") and "too_few_officers" in form and "执法人员不足两名" in form
    assert 'value="zhang" checked' in form and "未培训上岗" in form
    assert bureau.cf.view(case_id)["state"] == "registered"


def test_form_rows_left_blank_are_left_out_of_the_payload() -> None:
    """Only filled rows of a repeating group reach the payload, numbers of days become
    integers, and the nine checklist boxes are all answered."""
    payload = payload_from("propose", {
        "violations.0.code": ["WSL-99-1"], "violations.0.tier": ["一般"],
        "violations.0.facts": ["未设警示标志"], "violations.1.code": [""],
        "violations.1.tier": [""], "penalties.0.type": ["fine"],
        "penalties.0.amount": ["15000"], "penalties.1.type": [""]})
    assert payload == {"violations": [{"code": "WSL-99-1", "tier": "一般",
                                       "facts": "未设警示标志"}],
                       "penalties": [{"type": "fine", "amount": "15000"}]}
    assert payload_from("extend", {"days": ["30"], "reason": ["复杂"]})["days"] == 30
    review = payload_from("review", {"verdict": ["return"], "checklist.body_lawful": ["yes"],
                                     "opinion": ["补充证据"]})
    assert len(review["checklist"]) == 9 and sum(review["checklist"].values()) == 1
