"""Inspections and rectification (SPEC §6): each rule I1–I7 at its boundary, through the same
service the CLI, the web and replay use, on cases of today (no drill) unless told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from casefiles.services import inspections as S
from casefiles.services.app import Outcome
from tests.support import CHECKLIST_YES, MINE, Desk, moment


class Office:
    """A desk that also takes inspection actions."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.app = desk.app

    def act(self, by: str, action: str, ref: str | None, payload: Any = None,
            at: str | None = None) -> Outcome:
        if at is not None:
            self.desk.clock.set(moment(at))
        return S.act(self.app, by, action, ref, payload)

    def ok(self, by: str, action: str, ref: str | None, payload: Any = None,
           at: str | None = None) -> Outcome:
        o = self.act(by, action, ref, payload, at)
        assert o.ok, f"{action} refused: {o.codes} {o.message}"
        return o

    def view(self, ref: str) -> dict[str, Any]:
        return S.view(self.app, ref)

    def inspected(self, at: str, hazards: list[dict[str, Any]] | None = None,
                  **extra: Any) -> str:
        payload = {"unit": MINE, "sector": "non_coal_mine", "place": "采场及破碎车间",
                   "officers": ["zhang", "li"], "signed_by": "刘建国",
                   "hazards": hazards if hazards is not None else [HAZARD], **extra}
        return self.ok("zhang", "inspect", None, payload, at).case_id or ""


HAZARD = {"ref": "h1", "description": "破碎机皮带防护罩缺失", "level": "general",
          "provision": "WSL-99-1", "fix": "deadline"}
MAJOR = {"ref": "h2", "description": "边坡台阶高度超过设计，存在坍塌危险", "level": "major",
         "fix": "deadline"}


@pytest.fixture
def office(make_desk: Callable[..., Desk]) -> Office:
    return Office(make_desk("2026-03-02", drill=None))


def test_i1_an_inspection_needs_two_certified_officers(office: Office) -> None:
    """One officer, or an officer without a certificate, is refused; two certified pass."""
    base = {"unit": MINE, "sector": "non_coal_mine", "place": "采场", "signed_by": "刘建国",
            "hazards": [HAZARD]}
    alone = office.act("zhang", "inspect", None, {**base, "officers": ["zhang"]})
    assert alone.code == "too_few_officers"
    uncertified = office.act("zhang", "inspect", None, {**base, "officers": ["zhang", "newbie"]})
    assert uncertified.code == "officer_not_certified"
    assert office.act("zhang", "inspect", None, {**base, "officers": ["zhang", "li"]}).ok


def test_i2_the_record_says_who_signed_or_that_the_unit_refused(office: Office) -> None:
    """Neither a signature nor a refusal is invalid; a refusal is recorded; a major hazard
    flags the inspection for the head; immediate fixes leave nothing open."""
    bad = office.act("zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "hazards": []})
    assert bad.code == "invalid_input"
    refused = office.inspected("2026-03-02T10:00", hazards=[MAJOR], signed_by=None,
                               refused_to_sign=True)
    insp = S.get(office.app, refused)
    assert insp.refused_to_sign and insp.signed_by is None
    assert office.view(refused)["major_hazard"] is True
    fixed = office.inspected("2026-03-02T11:00", hazards=[{**HAZARD, "fix": "immediate"}])
    assert office.view(fixed)["state"] == "closed"
    assert office.view(fixed)["hazards"][0]["status"] == "rectified"


def test_i3_an_order_names_open_deadline_hazards_and_a_later_day(office: Office) -> None:
    """A hazard outside the inspection, or a deadline on the order's own day, is invalid; the
    next day is accepted, with the document numbered per kind and year."""
    insp = office.inspected("2026-03-02T09:30")
    assert office.act("zhang", "order", insp, {"hazards": ["h9"], "deadline": "2026-03-20"}
                      ).code == "invalid_input"
    assert office.act("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-02"}
                      ).code == "invalid_input"
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-03"})
    v = office.view(insp)
    assert v["state"] == "rectifying"
    assert [d["number"] for d in v["documents"]] == ["衡山应急检记〔2026〕1号",
                                                     "衡山应急责改〔2026〕1号"]


def test_i4_seal_needs_approval_lasts_30_days_and_extends_once(office: Office) -> None:
    """A seal "approved" by someone not the head is refused; approved on 2 March it runs to 1 April
    (the 30th day), in force that day; one extension of at most 30 days, not two; lifted
    after its last day, the measures deadline is missed."""
    insp = office.inspected("2026-03-02T09:30")
    seal = {"measures": [{"ref": "m1", "type": "seal", "object": "2号破碎机",
                          "hazards": ["h1"]}], "officers": ["zhang", "li"]}
    assert office.act("zhang", "measures", insp, seal).code == "approval_required"
    assert office.act("zhang", "measures", insp, {**seal, "approved_by": "li"}
                      ).code == "approval_required"
    office.ok("zhang", "measures", insp, {**seal, "approved_by": "zhao"})
    v = office.view(insp)
    assert v["measures"][0]["until"] == "2026-04-01"
    assert v["deadlines"]["measures"] == {"due": "2026-04-01", "status": "open",
                                          "done_on": None}
    office.desk.clock.set(moment("2026-04-01T17:00"))
    assert office.view(insp)["measures"][0]["status"] == "in_force"
    assert office.act("zhao", "extend_measures", insp,
                      {"measure": "m1", "days": 31, "reason": "案情复杂"}).code == "invalid_input"
    office.ok("zhao", "extend_measures", insp, {"measure": "m1", "days": 30, "reason": "案情复杂"})
    # 30 days from 1 April end on 1 May, Labour Day (1–5 May): the next working day
    assert office.view(insp)["measures"][0]["until"] == "2026-05-06"
    again = office.act("zhao", "extend_measures", insp,
                       {"measure": "m1", "days": 5, "reason": "再延"})
    assert again.code == "extension_used"
    office.desk.clock.set(moment("2026-05-06T17:00"))
    assert office.view(insp)["measures"][0]["status"] == "in_force"
    office.desk.clock.set(moment("2026-05-07T09:00"))
    assert office.view(insp)["measures"][0]["status"] == "expired"
    office.ok("zhao", "lift", insp, {"measure": "m1", "reason": "期限届满"})
    assert office.view(insp)["deadlines"]["measures"]["status"] == "missed"


def test_i4_a_seal_asked_without_approval_waits_for_the_head_who_decides(
        office: Office) -> None:
    """Without ``approved_by`` the seal is held for the head: nothing in force, no decision
    issued. The head's refusal keeps its reason; an approval the next day puts the seal in
    force from then (30 days) with the head recorded as approver and the decision issued."""
    insp = office.inspected("2026-03-02T09:30")
    seal = {"measures": [{"ref": "m1", "type": "seal", "object": "2号破碎机",
                          "hazards": ["h1"]}], "officers": ["zhang", "li"]}
    held = office.ok("zhang", "measures", insp, {**seal, "ask_head": True})
    assert "approval_pending" in held.warnings
    assert office.act("zhang", "measures", insp, {**seal, "approved_by": "zhao"}
                      ).code == "invalid_input"  # m1 is held by the request
    v = office.view(insp)
    assert v["measures"] == [] and "measures" not in v["deadlines"]
    assert [d["kind"] for d in v["documents"]] == ["现场检查记录"]
    assert v["approvals"] == [{"request": 1, "status": "pending", "measures": [
        {"ref": "m1", "type": "seal", "object": "2号破碎机"}], "requested_by": "zhang",
        "requested_at": "2026-03-02T09:30:00+08:00", "decided_by": None, "reason": None}]
    assert office.act("zhang", "approve_measures", insp, {"request": 1}).code == "forbidden_role"
    office.ok("zhao", "refuse_measures", insp, {"request": 1, "reason": "责令停止使用即可"})
    assert office.act("zhao", "approve_measures", insp, {"request": 1}).code == "invalid_input"
    office.ok("zhang", "measures", insp, {**seal, "ask_head": True})
    office.ok("zhao", "approve_measures", insp, {"request": 2}, at="2026-03-03T10:00")
    v = office.view(insp)
    assert [(a["status"], a["decided_by"], a["reason"]) for a in v["approvals"]] == [
        ("refused", "zhao", "责令停止使用即可"), ("approved", "zhao", None)]
    assert v["measures"] == [{"ref": "m1", "type": "seal", "status": "in_force",
                              "until": "2026-04-02", "object": "2号破碎机"}]
    assert v["deadlines"]["measures"]["due"] == "2026-04-02"
    assert v["documents"][-1]["kind"] == "现场处理措施决定书"
    assert S.get(office.app, insp).measures[0].approved_by == "zhao"
    assert [e.action for e in S.history(office.app, insp)][-1] == "approve_measures"
    assert office.act("zhao", "approve_measures", insp, {"request": 2}).code == "invalid_input"


def test_i5_a_stop_use_is_lifted_only_once_its_hazard_is_rectified(office: Office) -> None:
    """Lifting a stop-use before the recheck is refused; a seal may be lifted at any time."""
    insp = office.inspected("2026-03-02T09:30")
    office.ok("zhang", "measures", insp, {
        "measures": [{"ref": "m1", "type": "stop_use", "object": "破碎机", "hazards": ["h1"]},
                     {"ref": "m2", "type": "seize", "object": "无证雷管", "hazards": []}],
        "officers": ["zhang", "li"], "approved_by": "zhao"})
    assert office.act("zhao", "lift", insp, {"measure": "m1", "reason": "申请"}
                      ).code == "hazard_not_eliminated"
    office.ok("zhao", "lift", insp, {"measure": "m2", "reason": "经查系合法来源"})
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-06"})
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                      "results": [{"hazard": "h1", "rectified": True}]},
              at="2026-03-09T09:00")
    office.ok("zhao", "lift", insp, {"measure": "m1", "reason": "隐患已排除"})
    assert {m["ref"]: m["status"] for m in office.view(insp)["measures"]} == {
        "m1": "lifted", "m2": "lifted"}


def test_i6_recheck_from_the_day_after_the_deadline_due_across_a_holiday(
        office: Office) -> None:
    """Deadline Thursday 30 April 2026: a recheck that day is refused; the recheck is due on
    the 10th working day after it, counted across Labour Day (1–5 May) with the make-up
    Saturday 9 May among them: 18 May, met on that day. A recheck the day after its due date
    warns recheck_late and leaves the deadline missed."""
    insp = office.inspected("2026-04-20T09:30")
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-04-30"})
    assert office.view(insp)["deadlines"]["recheck"]["due"] == "2026-05-18"
    early = office.act("li", "recheck", insp, {"officers": ["li", "zhang"],
                                               "results": [{"hazard": "h1", "rectified": True}]},
                       at="2026-04-30T16:00")
    assert early.code == "rectification_period_open"
    late = office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                             "results": [{"hazard": "h1", "rectified": True}]},
                     at="2026-05-18T17:00")
    assert "recheck_late" not in late.warnings
    assert office.view(insp)["deadlines"]["recheck"]["status"] == "met"
    insp = office.inspected("2026-05-18T17:30")
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-05-19"})
    due = office.view(insp)["deadlines"]["recheck"]["due"]
    assert due == "2026-06-02"
    late = office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                             "results": [{"hazard": "h1", "rectified": True}]},
                     at="2026-06-03T09:00")
    assert "recheck_late" in late.warnings
    v = office.view(insp)
    assert v["state"] == "closed" and v["deadlines"]["recheck"]["status"] == "missed"


def test_i6_an_application_brings_the_recheck_forward(office: Office) -> None:
    """Once the unit applies (22 April), the recheck is due 10 working days after the
    application: 9 May, the make-up Saturday; a recheck before the deadline is allowed."""
    insp = office.inspected("2026-04-20T09:30")
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-04-30"})
    office.ok("li", "apply_recheck", insp, {}, at="2026-04-22T09:00")
    assert office.view(insp)["deadlines"]["recheck"]["due"] == "2026-05-09"
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                      "results": [{"hazard": "h1", "rectified": False}]},
              at="2026-04-23T09:00")
    assert office.view(insp)["state"] == "uncorrected"


LATE = {"violations": [{"code": "WSL-99-1-late", "tier": "一般", "facts": "逾期未设置警示标志"}],
        "penalties": [{"type": "fine", "amount": 60000}]}


def _case_from(office: Office, insp: str | None) -> str:
    payload = {"source": "inspection", "sector": "non_coal_mine", "party": MINE,
               "summary": "逾期未整改", "violation_date": "2026-05-01"}
    if insp is not None:
        payload["inspection"] = insp
    case = office.desk.ok("zhang", "register", None, payload).case_id or ""
    office.desk.ok("zhao", "file", case, {"investigators": ["zhang", "li"], "cause": "逾期未改正"})
    return case


def test_i7_a_late_provision_needs_a_recheck_after_the_deadline(office: Office) -> None:
    """Under hengshan-2026: without an inspection, and with one whose recheck came before the
    deadline (on an application), WSL-99-1-late is refused; after a recheck past the deadline
    that found the hazard unrectified it is accepted, and the case and inspection link."""
    insp = office.inspected("2026-04-20T09:30")
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-04-30"})
    office.ok("li", "apply_recheck", insp, {}, at="2026-04-22T09:00")
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                      "results": [{"hazard": "h1", "rectified": False}]})
    office.desk.clock.set(moment("2026-05-06T09:00"))
    bare = _case_from(office, None)
    assert office.desk.act("zhang", "propose", bare, LATE).code == "uncorrected_order_required"
    early = _case_from(office, insp)
    assert office.desk.act("zhang", "propose", early, LATE).code == "uncorrected_order_required"
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-05-08"})
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                      "results": [{"hazard": "h1", "rectified": False}]},
              at="2026-05-11T09:00")
    linked = _case_from(office, insp)
    assert office.desk.ok("zhang", "propose", linked, LATE).ok
    assert office.desk.view(linked)["inspection"] == S.get(office.app, insp).id
    assert set(office.view(insp)["cases"]) == {early, linked}
    # the decision names the order and the recheck it rests on
    d = office.desk
    d.ok("zhang", "notify", linked)
    d.ok("zhang", "defend", linked, {"waive": True})
    d.ok("zhang", "submit_review", linked)
    d.ok("wang", "review", linked, {"verdict": "pass", "checklist": CHECKLIST_YES,
                                    "opinion": "同意"})
    d.ok("zhao", "discuss", linked, {"attendees": ["赵强", "王芳", "孙丽"], "conclusion": "同意"})
    d.ok("zhao", "decide", linked, {"outcome": "penalty"}, at="2026-05-12T09:00")
    with d.app.uow() as uow:
        items = uow.outbox.pending(50, case_id=linked)
    facts = next(i["payload"]["facts"] for i in items
                 if i["payload"].get("kind") == "行政处罚决定书")
    facts = facts["body"]
    assert facts["rectification"]["order"] == "衡山应急责改〔2026〕2号"
    assert facts["rectification"]["recheck"] == "衡山应急复查〔2026〕2号"
    assert facts["rectification"]["unrectified"] is True


def test_i7_hengshan_2021_drills_need_no_recorded_order(make_desk: Callable[..., Desk]) -> None:
    """A drill of hengshan-2021 proposes WSL-99-1-late on paper orders alone."""
    desk = make_desk("2020-06-01")
    case = desk.filed("2020-06-01T09:30")
    assert desk.ok("zhang", "propose", case, LATE).ok


def test_every_inspection_action_enters_its_chain_and_the_audit_checks_it(
        office: Office) -> None:
    """Accepted and refused actions are entries of the inspection's chain; a tampered entry
    is named by the audit."""
    from sqlalchemy import text

    from casefiles.services.audit import verify_all

    insp = office.inspected("2026-03-02T09:30")
    office.act("zhang", "recheck", insp, {"officers": ["zhang", "li"],
                                          "results": [{"hazard": "h1", "rectified": True}]})
    entries = S.history(office.app, insp)
    assert [(e.action, e.result) for e in entries] == [("inspect", "ok"),
                                                        ("recheck", "refused")]
    with office.app.uow() as uow:
        assert verify_all(uow).ok
    with office.app.uow(write=True) as uow:
        uow.conn.execute(text("UPDATE history SET actor = 'li' WHERE chain = :c AND seq = 1"),
                         {"c": insp})
        uow.commit()
    with office.app.uow() as uow:
        report = verify_all(uow)
    assert [(b.chain, b.seq) for b in report.breaks][:1] == [(insp, 1)]


def test_deadlines_the_sweep_and_the_heads_queue_show_inspections(office: Office) -> None:
    """The rectification and recheck deadlines are listed as they near; the sweep marks the
    passed one missed in the inspection's chain; the head sees the major hazard and the seal
    to extend or lift."""
    from casefiles.services.work import sweep

    insp = office.inspected("2026-03-02T09:30", hazards=[HAZARD, MAJOR])
    office.ok("zhang", "order", insp, {"hazards": ["h1", "h2"], "deadline": "2026-03-06"})
    office.ok("zhang", "measures", insp, {
        "measures": [{"ref": "m1", "type": "seal", "object": "采场", "hazards": ["h2"]}],
        "officers": ["zhang", "li"], "approved_by": "zhao"})
    rows = S.upcoming(office.app, within_days=7)
    assert [(r["kind"], r["due"], r["status"]) for r in rows] == [
        ("rectification", "2026-03-06", "open")]
    assert S.upcoming(office.app, within_days=7, officer="sun") == []
    office.desk.clock.set(moment("2026-03-09T08:00"))
    assert sweep(office.app).missed >= 1
    entries = S.history(office.app, insp)
    assert (entries[-1].action, entries[-1].payload) == ("sweep", {"missed": ["rectification"]})
    assert office.view(insp)["deadlines"]["rectification"]["status"] == "missed"
    assert ("rectification", "2026-03-06", "missed") in [
        (r["kind"], r["due"], r["status"]) for r in S.upcoming(office.app, within_days=7)]
    assert sweep(office.app).missed == 0  # marked once
    items = S.head_items(office.app)
    assert [i["inspection_id"] for i in items] == [insp]
    assert items[0]["steps"][0] == "重大事故隐患：挂牌督办"
    assert "查封m1（采场）至2026-04-01：延长或解除" in items[0]["steps"]


@pytest.mark.parametrize(("hazard", "late"), [("WSL-99-4", "WSL-99-4-late"),
                                              ("WSL-97-3", "WSL-97-late")])
def test_i7_the_late_provision_of_each_item_rests_on_its_own_hazard(
        office: Office, hazard: str, late: str) -> None:
    """A failed recheck of a hazard on an item of the article grounds that article's late
    provision (WSL-97-late on a WSL-97-3 hazard), and not another article's."""
    insp = office.inspected("2026-04-20T09:30", hazards=[{**HAZARD, "provision": hazard}])
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-04-24"})
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"],
                                      "results": [{"hazard": "h1", "rectified": False}]},
              at="2026-04-27T09:00")
    office.desk.clock.set(moment("2026-05-06T09:00"))
    case = _case_from(office, insp)
    fine = [{"type": "fine", "amount": 100000}]
    other = {"violations": [{**LATE["violations"][0], "code": "WSL-101-late"}],
             "penalties": fine}
    assert office.desk.act("zhang", "propose", case, other).code == \
        "uncorrected_order_required"
    mine = {"violations": [{**LATE["violations"][0], "code": late}], "penalties": fine}
    assert office.desk.ok("zhang", "propose", case, mine).ok


def test_i6_a_new_order_on_an_unrectified_hazard_starts_a_new_period(office: Office) -> None:
    """The recheck after the deadline closes the first rectification period as missed; a new
    order opens it again (no longer done) with its own due dates, while a case's deadline
    moved without a restart keeps the day it was done."""
    from datetime import date

    from casefiles.domain.model import Case

    insp = office.inspected("2026-03-02T09:30")
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-06"})
    office.ok("li", "recheck", insp, {"officers": ["li", "zhang"], "results": [
        {"hazard": "h1", "rectified": False}]}, at="2026-03-09T10:00")
    first = office.view(insp)["deadlines"]
    assert first["rectification"] == {"due": "2026-03-06", "status": "missed",
                                      "done_on": "2026-03-09"}
    office.ok("zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-20"})
    again = office.view(insp)["deadlines"]
    assert again["rectification"] == {"due": "2026-03-20", "status": "open", "done_on": None}
    assert again["recheck"]["status"] == "open" and again["recheck"]["done_on"] is None
    case = Case.__new__(Case)
    case.deadlines = []
    case.set_deadline("payment", date(2026, 3, 20)).done_on = date(2026, 3, 10)
    assert case.set_deadline("payment", date(2026, 3, 27)).done_on == date(2026, 3, 10)


def test_an_inspection_is_judged_into_the_engines_judgement_with_its_string_states(
        office: Office) -> None:
    """One Judgement for cases and inspections: an inspection's carries its states as the
    strings of SPEC §6, refused or accepted."""
    from casefiles.domain import engine
    from casefiles.domain import inspections as I

    insp = S.get(office.app, office.inspected("2026-03-02T09:30"))
    with office.app.uow() as uow:
        ctx, _, _ = S.context(office.app, uow, "zhang", insp, 2026)
        j = I.judge(insp, "order", {"hazards": ["h1"], "deadline": "2026-03-13"}, ctx)
    assert isinstance(j, engine.Judgement) and j.accepted
    assert (j.state_before, j.state_after) == ("open", "rectifying")
