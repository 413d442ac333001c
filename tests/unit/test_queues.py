"""What a case waits for from the head (待负责人审批), at the edges of each condition."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from casefiles.domain.queues import head_step

DUE_SOON = date(2020, 8, 27)  # the last day counted as near


def view(state: str, **over: Any) -> dict[str, Any]:
    """A case view with only what the queue reads, changed by ``over``."""
    base: dict[str, Any] = {
        "state": state,
        "flags": {"legal_review_required": False, "collective_discussion_required": False},
        "hearing": {"status": "none"}, "review": {"status": "none"},
        "deadlines": {"decision": {"due": "2020-10-30", "status": "open"}},
        "decision": None, "amounts": {"outstanding": 0}}
    return base | over


def test_a_registered_case_waits_for_filing_approval() -> None:
    assert head_step(view("registered"), True, DUE_SOON) == "立案审批"


@pytest.mark.parametrize(("due", "status", "asked"), [
    ("2020-08-27", "open", True),    # due on the last near day
    ("2020-08-28", "open", False),   # one day later: not yet
    ("2020-08-20", "missed", False),  # past and marked: the sweep has warned; not this prompt
])
def test_a_near_decision_deadline_asks_for_a_decision_or_an_extension(
        due: str, status: str, asked: bool) -> None:
    v = view("investigating", deadlines={"decision": {"due": due, "status": status}})
    step = head_step(v, True, DUE_SOON)
    assert (step == f"办案期限 {due} 将届满：作出决定或延长") is asked
    assert asked or step == ""


def test_a_requested_hearing_waits_to_be_scheduled() -> None:
    v = view("notified", hearing={"status": "requested"})
    assert head_step(v, True, DUE_SOON) == "安排听证"


def test_a_passed_review_waits_for_the_decision_or_the_collective_discussion() -> None:
    passed = view("legal_review", review={"status": "passed"},
                  flags={"legal_review_required": True, "collective_discussion_required": False})
    assert head_step(passed, True, DUE_SOON) == "作出决定"
    major = passed | {"flags": {"legal_review_required": True,
                                "collective_discussion_required": True}}
    assert head_step(major, True, DUE_SOON) == "集体讨论 / 作出决定"
    assert head_step(passed | {"review": {"status": "returned"}}, True, DUE_SOON) == ""


def test_a_head_who_may_not_decide_the_case_is_not_asked_to() -> None:
    v = view("legal_review", review={"status": "passed"})
    assert head_step(v, False, DUE_SOON) == ""
    assert head_step(v, True, DUE_SOON) == "作出决定"
    # filing, a hearing to schedule, and publishing are not the decision
    assert head_step(view("registered"), False, DUE_SOON) == "立案审批"
    assert head_step(view("notified", hearing={"status": "requested"}), False,
                     DUE_SOON) == "安排听证"


def test_a_notified_case_without_required_review_waits_for_the_decision() -> None:
    assert head_step(view("notified"), True, DUE_SOON) == "作出决定"
    required = view("notified", flags={"legal_review_required": True,
                                       "collective_discussion_required": False})
    assert head_step(required, True, DUE_SOON) == ""


def test_a_decided_case_waits_for_publication_then_closing_or_enforcement() -> None:
    penalty = {"outcome": "penalty", "published": False}
    assert head_step(view("decided", decision=penalty), True, DUE_SOON) == "公示决定"
    published = penalty | {"published": True}
    assert head_step(view("served", decision=published), True, DUE_SOON) == "结案审批"
    owing = view("executing", decision=published, amounts={"outstanding": 8000},
                 deadlines={"payment": {"due": "2020-07-01", "status": "missed"}})
    assert head_step(owing, True, DUE_SOON) == "逾期未缴：催告后申请强制执行"
    paying = owing | {"deadlines": {"payment": {"due": "2020-09-01", "status": "open"}}}
    assert head_step(paying, True, DUE_SOON) == ""
