"""Inspections on the web and in the JSON API (SPEC §6), with the same role rules: the
officer's phone-sized form and open list with due dates, the order and recheck forms, the
head's major hazards and seals, supervisors' filters, and 404 alike for another's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.support import MINE, moment
from tests.web.conftest import Bureau, api_token, csrf_of, make_bureau, sign_in


@pytest.fixture
def bureau26(sqlite_url: str, tmp_path: Path, password_hash: str) -> Bureau:
    return make_bureau(sqlite_url, tmp_path / "data", password_hash,
                       start=moment("2026-03-02T09:00"), drill=None)


@pytest.fixture
def app26(bureau26: Bureau) -> Iterator[TestClient]:
    with TestClient(create_app(bureau26.cf)) as c:
        yield c


FORM = {"unit_name": MINE["name"], "credit_code": MINE["credit_code"],
        "address": MINE["address"], "legal_rep": "刘建国", "sector": "non_coal_mine",
        "place": "采场", "officers": ["zhang", "li"],
        "h1_description": "破碎机皮带防护罩缺失", "h1_level": "general",
        "h1_provision": "WSL-99-1", "h1_fix": "deadline",
        "h2_description": "边坡台阶高度超过设计", "h2_level": "major", "h2_fix": "deadline",
        "signed_by": "刘建国"}


def test_an_officer_records_orders_and_the_head_and_supervisor_see_it(
        app26: TestClient, bureau26: Bureau) -> None:
    token = sign_in(app26, "zhang")
    page = app26.get("/inspections/new")
    assert page.status_code == 200 and 'name="h1_description"' in page.text
    r = app26.post("/inspections/new", data={**FORM, "csrf": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    record = app26.get(url)
    assert "衡山应急检记〔2026〕1号" in record.text and "挂牌督办" in record.text
    r = app26.post(f"{url}/order", data={"csrf": csrf_of(record.text),
                                         "hazards": ["h1", "h2"], "deadline": "2026-03-13"},
                   follow_redirects=False)
    assert r.status_code == 303
    mine = app26.get("/inspections").text
    assert "衡山应急检记〔2026〕1号" in mine and "2026-03-13" in mine
    # a recheck before the deadline is refused, with its code on the page
    record = app26.get(url).text
    refused = app26.post(f"{url}/recheck", data={"csrf": csrf_of(record), "officers": ["zhang", "li"],
                                                "result_h1": "rectified",
                                                "result_h2": "unrectified"})
    assert refused.status_code == 409 and "rectification_period_open" in refused.text

    bureau26.clock.set(moment("2026-03-10T09:00"))  # the deadline is now within a week
    head = TestClient(create_app(bureau26.cf))
    sign_in(head, "zhao")
    queue = head.get("/queue/inspections").text
    assert "重大事故隐患：挂牌督办" in queue and "衡山应急检记〔2026〕1号" in queue
    assert "整改期限" in queue and "2026-03-13" in queue
    assert "检查督办：1项" in head.get("/queue/head").text
    sup = TestClient(create_app(bureau26.cf))
    sign_in(sup, "zhou")
    assert "衡山应急检记〔2026〕1号" in sup.get("/inspections?major=true").text
    assert "衡山应急检记〔2026〕1号" not in sup.get("/inspections?state=closed").text
    other = TestClient(create_app(bureau26.cf))
    sign_in(other, "liu")
    assert other.get(url).status_code == 404
    assert "衡山应急检记〔2026〕1号" not in other.get("/inspections").text


def test_the_api_keeps_the_same_rules_and_registers_a_case_after_a_failed_recheck(
        app26: TestClient, bureau26: Bureau) -> None:
    zhang = api_token(app26, "zhang")
    r = app26.post("/api/inspections", headers=zhang, json={
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [{"ref": "h1", "description": "防护罩缺失",
                                         "level": "general", "provision": "WSL-99-1",
                                         "fix": "deadline"}]})
    assert r.status_code == 201, r.text
    insp = r.json()["inspection"]
    assert r.json()["view"]["state"] == "open"
    r = app26.post(f"/api/inspections/{insp}/actions/order", headers=zhang,
                   json={"hazards": ["h1"], "deadline": "2026-03-06"})
    assert r.status_code == 200 and r.json()["state"] == "rectifying"
    r = app26.post(f"/api/inspections/{insp}/actions/recheck", headers=zhang,
                   json={"officers": ["zhang", "li"], "results": [{"hazard": "h1",
                                                                   "rectified": False}]})
    assert r.status_code == 409 and r.json()["code"] == "rectification_period_open"
    assert app26.get("/api/inspections", headers=api_token(app26, "wang")).status_code == 403
    assert app26.get(f"/api/inspections/{insp}",
                     headers=api_token(app26, "liu")).status_code == 404
    assert app26.post(f"/api/inspections/{insp}/actions/lift", headers=zhang,
                      json={"measure": "m1", "reason": "x"}).json()["code"] == "forbidden_role"
    bureau26.clock.set(moment("2026-03-09T09:00"))
    assert app26.post(f"/api/inspections/{insp}/actions/recheck", headers=zhang, json={
        "officers": ["zhang", "li"], "results": [{"hazard": "h1", "rectified": False}]}
    ).status_code == 200
    view = app26.get(f"/api/inspections/{insp}", headers=zhang).json()
    assert view["state"] == "uncorrected" and view["deadlines"]["rectification"]["status"] == \
        "missed"
    # one step from the failed recheck to a registered case
    token = sign_in(app26, "zhang")
    r = app26.post(f"/inspections/{insp}/case", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    case_id = re.sub(r"^/cases/", "", r.headers["location"])
    case = bureau26.cf.view(case_id)
    assert case["inspection"] == insp and case["state"] == "registered"
    assert app26.get(f"/api/inspections/{insp}", headers=zhang).json()["cases"] == [case_id]
    history = app26.get(f"/api/inspections/{insp}/history", headers=zhang).json()
    assert [(e["action"], e["result"]) for e in history] == [
        ("inspect", "ok"), ("order", "ok"), ("recheck", "refused"), ("lift", "refused"),
        ("recheck", "ok"), ("register", "ok")]
    assert history[1]["prev_hash"] == history[0]["hash"]


def test_the_head_approves_or_refuses_a_held_seal_through_the_api_and_on_the_queue_page(
        app26: TestClient, bureau26: Bureau) -> None:
    """A seal asked for without approval answers 200 with ``approval_pending`` and nothing in
    force; it is a row of /queue/head and of the API's queue until the head refuses it (the
    reason kept) or approves it (in force, the head its approver); an officer cannot."""
    zhang, zhao = api_token(app26, "zhang"), api_token(app26, "zhao")
    insp = app26.post("/api/inspections", headers=zhang, json={
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [{"ref": "h1", "description": "防护罩缺失",
                                         "level": "general", "fix": "deadline"}]}
    ).json()["inspection"]
    seal = {"measures": [{"ref": "m1", "type": "seal", "object": "2号破碎机",
                          "hazards": ["h1"]}], "officers": ["zhang", "li"]}
    refused = app26.post(f"/api/inspections/{insp}/actions/measures", headers=zhang, json=seal)
    assert refused.json()["code"] == "approval_required"  # SPEC §6 I4: neither approved nor asked
    r = app26.post(f"/api/inspections/{insp}/actions/measures", headers=zhang,
                   json={**seal, "ask_head": True})
    assert r.status_code == 200 and "approval_pending" in r.json()["warnings"]
    assert r.json()["view"]["measures"] == []
    queue = app26.get("/api/inspections/queue", headers=zhao).json()["approvals"]
    assert [(a["inspection_id"], a["request"], a["asked"]) for a in queue] == [
        (insp, 1, "查封2号破碎机")]
    sign_in(app26, "zhao")
    page = app26.get("/queue/head").text
    assert "查封、扣押待批准" in page and "查封2号破碎机" in page and "张伟" in page
    odd = app26.post(f"/inspections/{insp}/approve_measures",  # "²".isdigit() is True
                     data={"csrf": csrf_of(page), "request": "²"})
    assert odd.status_code == 422 and "申请" in odd.text
    assert app26.post(f"/api/inspections/{insp}/actions/approve_measures", headers=zhang,
                      json={"request": 1}).json()["code"] == "forbidden_role"
    r = app26.post(f"/api/inspections/{insp}/actions/refuse_measures", headers=zhao,
                   json={"request": 1, "reason": "停止使用即可消除危险"})
    assert r.status_code == 200 and r.json()["view"]["approvals"][0]["status"] == "refused"
    assert app26.get("/api/inspections/queue", headers=zhao).json()["approvals"] == []
    assert "查封、扣押待批准" not in app26.get("/queue/head").text
    app26.post(f"/api/inspections/{insp}/actions/measures", headers=zhang, json={**seal, "ask_head": True})
    r = app26.post(f"/api/inspections/{insp}/actions/approve_measures", headers=zhao,
                   json={"request": 2})
    assert r.status_code == 200, r.text
    view = r.json()["view"]
    assert view["measures"][0]["status"] == "in_force" and view["measures"][0]["until"] == \
        "2026-04-01"
    assert view["approvals"][1] | {"requested_at": None} == {
        "request": 2, "status": "approved", "measures": [
            {"ref": "m1", "type": "seal", "object": "2号破碎机"}], "requested_by": "zhang",
        "requested_at": None, "decided_by": "zhao", "reason": None}
