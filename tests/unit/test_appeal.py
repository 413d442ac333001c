"""The ``appeal`` action (SCENARIOS.md): reconsiderations and lawsuits against a decision and
their outcomes, recorded for the statistics; a revoking outcome revokes the decision and
withdraws its publication without any document of the bureau."""

from __future__ import annotations

from casefiles.domain.machine import allowed
from casefiles.domain.states import CaseState
from casefiles.services.audit import verify_all
from tests.support import Desk

FILED = {"kind": "reconsideration", "filed_on": "2020-07-10", "body": "衡山县人民政府"}
SUED = {"kind": "lawsuit", "filed_on": "2020-07-10", "body": "衡山县人民法院"}


def test_a_reconsideration_filed_then_upheld_is_one_appeal_with_its_outcome(desk: Desk) -> None:
    """Filed on 10 July, upheld on 1 September: the case shows one reconsideration, upheld
    on that day; the decision stands and the case stays where it was."""
    case = desk.served("2020-06-22")
    filed = desk.ok("zhang", "appeal", case, FILED, at="2020-07-11")
    assert filed.state == "served"
    assert desk.view(case)["appeals"] == [{**FILED, "outcome": "pending", "decided_on": None}]
    ruled = desk.ok("zhang", "appeal", case, {**FILED, "outcome": "upheld",
                                               "decided_on": "2020-09-01"}, at="2020-09-02")
    assert ruled.state == "served"
    view = desk.view(case)
    assert view["appeals"] == [{**FILED, "outcome": "upheld", "decided_on": "2020-09-01"}]
    assert view["decision"]["revoked"] is False


def test_a_lawsuit_beside_a_reconsideration_is_its_own_appeal(desk: Desk) -> None:
    """A lawsuit's outcome does not close a pending reconsideration: each kind keeps its own."""
    case = desk.decided("2020-06-22")
    desk.ok("zhang", "appeal", case, FILED, at="2020-07-11")
    desk.ok("zhang", "appeal", case, {**SUED, "outcome": "changed"}, at="2020-12-01")
    appeals = desk.view(case)["appeals"]
    assert [(a["kind"], a["outcome"], a["decided_on"]) for a in appeals] == [
        ("reconsideration", "pending", None), ("lawsuit", "changed", "2020-12-01")]


def test_a_revoking_judgment_revokes_the_decision_and_withdraws_its_publication(
        desk: Desk) -> None:
    """The court revokes a published decision: the decision is revoked, its payment deadline
    lapses, its publication is to be withdrawn (the withdrawal deadline is set and ``withdraw``
    is now allowed), and no document of the bureau is issued."""
    case = desk.served("2020-06-22")
    desk.ok("zhao", "publish", case, at="2020-06-23")
    documents = desk.view(case)["documents"]
    desk.ok("zhang", "appeal", case, SUED, at="2020-07-11")
    outcome = desk.ok("zhang", "appeal", case, {**SUED, "outcome": "revoked",
                                                 "decided_on": "2020-12-01"}, at="2020-12-02")
    view = desk.view(case)
    assert view["decision"]["revoked"] is True
    assert view["documents"] == documents
    assert outcome.state == "served"
    assert view["deadlines"]["payment"]["status"] == "not_applicable"
    assert view["deadlines"]["withdrawal"]["status"] == "open"
    assert view["amounts"]["outstanding"] == 0
    assert desk.ok("zhao", "withdraw", case, at="2020-12-03").view["decision"]["withdrawn"]


def test_an_appeal_is_refused_before_the_decision_and_allowed_once_archived(desk: Desk) -> None:
    """``decided`` up to ``archived``: refused while the case is still proposed; the machine
    admits it in every state from ``decided`` to ``archived`` and in no other."""
    case = desk.proposed("2020-06-22")
    assert desk.act("zhang", "appeal", case, FILED, at="2020-07-11").code == \
        "not_allowed_in_state"
    admitted = {s.value for s in CaseState if allowed(s, "appeal")}
    assert admitted == {"decided", "served", "executing", "closed", "archived"}


def test_an_appeal_of_a_head_or_a_future_date_is_refused(desk: Desk) -> None:
    """Only an officer records it; a filing dated after the clock, a ruling before the
    filing, or an unknown kind is ``invalid_input``."""
    case = desk.decided("2020-06-22")
    assert desk.act("zhao", "appeal", case, FILED, at="2020-07-11").code == "forbidden_role"
    for bad in ({**FILED, "filed_on": "2020-07-12"},
                {**FILED, "outcome": "upheld", "decided_on": "2020-07-01"},
                {**FILED, "kind": "petition"}):
        assert desk.act("zhang", "appeal", case, bad).code == "invalid_input", bad


def test_appeals_enter_the_case_history_chain(desk: Desk) -> None:
    """Each appeal is a history entry with its payload, and the chain still verifies."""
    case = desk.decided("2020-06-22")
    desk.ok("zhang", "appeal", case, FILED, at="2020-07-11")
    entries = desk.app.history(case)
    assert entries[-1].action == "appeal" and entries[-1].payload["kind"] == "reconsideration"
    with desk.app.uow() as uow:
        assert verify_all(uow, case).ok


def test_an_appeal_filed_before_the_decision_is_refused(desk: Desk) -> None:
    """Decided on 22 June: a reconsideration dated 21 June is ``invalid_input`` naming
    ``filed_on`` (Chinese first) and records nothing; one filed that same day is accepted."""
    case = desk.decided("2020-06-22")
    early = desk.act("zhang", "appeal", case, {**FILED, "filed_on": "2020-06-21"},
                     at="2020-07-11")
    assert early.code == "invalid_input"
    assert "filed_on" in early.message and early.message.startswith("申请（起诉）日期早于决定日期")
    assert desk.view(case)["appeals"] == []
    desk.ok("zhang", "appeal", case, {**FILED, "filed_on": "2020-06-22"})
    assert [a["filed_on"] for a in desk.view(case)["appeals"]] == ["2020-06-22"]


def test_a_second_filing_of_a_pending_kind_is_refused_not_merged(desk: Desk) -> None:
    """While a reconsideration is pending, another one without an outcome is refused
    ``not_allowed_in_state`` instead of being dropped into the first; a lawsuit is still
    accepted, and the outcome of the pending reconsideration still is."""
    case = desk.decided("2020-06-22")
    desk.ok("zhang", "appeal", case, FILED, at="2020-07-11")
    again = desk.act("zhang", "appeal", case, {**FILED, "filed_on": "2020-07-11",
                                                "body": "衡阳市应急管理局"})
    assert again.code == "not_allowed_in_state" and again.message.startswith("已有未决的")
    assert desk.act("zhang", "appeal", case, {**FILED, "outcome": "pending"}).code == \
        "not_allowed_in_state"
    desk.ok("zhang", "appeal", case, SUED)
    desk.ok("zhang", "appeal", case, {**FILED, "outcome": "upheld", "decided_on": "2020-07-11"})
    assert [(a["kind"], a["body"], a["outcome"]) for a in desk.view(case)["appeals"]] == [
        ("reconsideration", "衡山县人民政府", "upheld"), ("lawsuit", "衡山县人民法院", "pending")]
