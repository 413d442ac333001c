"""What a case waits for from the head (待负责人审批), at the edges of each condition, read from
real cases brought to each step (a deadline moved in memory where an edge needs it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from casefiles.domain.model import Case
from casefiles.domain.queues import head_step
from casefiles.domain.timefmt import local_date
from tests.support import CHECKLIST_YES, LARGE_PROPOSAL, Desk

TODAY = date(2020, 8, 20)
DUE_SOON = date(2020, 8, 27)  # the last day counted as near


def step(desk: Desk, case: Case | str, may_decide: bool = True,
         today: date | None = None) -> str:
    """The head's step for ``case`` (an id is read from the desk) on ``today`` (the desk's
    day unless told)."""
    if isinstance(case, str):
        case = desk.app.case(case)
    return head_step(case, desk.app.profile.rule_set(case.rule_set_id),
                     today or local_date(desk.clock.now()), may_decide, DUE_SOON)


def with_deadline(case: Case, kind: str, due: date, missed: bool = False) -> Case:
    """``case`` with its deadline of ``kind`` moved to ``due`` (in memory only)."""
    case.deadlines = [replace(d, due=due, missed=missed) if d.kind == kind else d
                      for d in case.deadlines]
    return case


def test_a_registered_case_waits_for_filing_approval(desk: Desk) -> None:
    case = desk.registered("2020-06-01")
    assert step(desk, case) == "立案审批"
    assert step(desk, case, may_decide=False) == "立案审批"  # filing is not the decision


@pytest.mark.parametrize(("due", "missed", "asked"), [
    (date(2020, 8, 27), False, True),   # due on the last near day
    (date(2020, 8, 28), False, False),  # one day later: not yet
    (date(2020, 8, 20), True, False),   # marked missed: the sweep has warned; not this prompt
])
def test_a_near_decision_deadline_asks_for_a_decision_or_an_extension(
        desk: Desk, due: date, missed: bool, asked: bool) -> None:
    case = with_deadline(desk.app.case(desk.filed("2020-06-01")), "decision", due, missed)
    said = step(desk, case, today=TODAY)
    assert (said == f"办案期限 {due.isoformat()} 将届满：作出决定或延长") is asked
    assert asked or said == ""


def test_a_requested_hearing_waits_to_be_scheduled(desk: Desk) -> None:
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    assert step(desk, case) == ""  # hearing-eligible and under review: nothing for the head
    desk.ok("zhang", "request_hearing", case)
    assert step(desk, case) == "安排听证"
    assert step(desk, case, may_decide=False) == "安排听证"


def test_a_passed_review_waits_for_the_collective_discussion_and_decision(desk: Desk) -> None:
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    desk.ok("zhang", "defend", case, {"waive": True})
    desk.ok("zhang", "submit_review", case)
    assert step(desk, case) == ""  # under review
    desk.ok("wang", "review", case, {"verdict": "pass", "checklist": CHECKLIST_YES,
                                     "opinion": "同意"})
    assert step(desk, case) == "集体讨论 / 作出决定"  # 60,000 yuan: a major decision
    assert step(desk, case, may_decide=False) == ""


def test_a_returned_review_does_not_wait_for_the_head(desk: Desk) -> None:
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    desk.ok("zhang", "submit_review", case)
    desk.ok("wang", "review", case, {"verdict": "return", "checklist": CHECKLIST_YES,
                                     "opinion": "证据不足，退回补充调查"})
    assert step(desk, case) == ""


def test_a_notified_case_without_required_review_waits_for_the_decision(desk: Desk) -> None:
    case = desk.notified("2020-06-01")  # 8,000 yuan: no legal review required
    assert step(desk, case) == "作出决定"
    assert step(desk, case, may_decide=False) == ""  # e.g. the head investigates it


def test_a_decided_case_waits_for_publication_then_closing(desk: Desk) -> None:
    case = desk.served("2020-06-01")
    assert step(desk, case) == "公示决定"
    desk.ok("zhao", "publish", case)
    assert step(desk, case) == ""  # the fine is owed and not yet due
    desk.ok("zhang", "pay", case, {"amount": 8000})
    assert step(desk, case) == "结案审批"


def test_an_unpaid_fine_past_its_due_day_asks_for_enforcement(desk: Desk) -> None:
    case = desk.served("2020-06-01")
    desk.ok("zhao", "publish", case)
    due = desk.app.case(case).deadline("payment")
    assert due is not None
    assert step(desk, case, today=due.due) == ""  # the last day to pay
    later = date.fromordinal(due.due.toordinal() + 1)
    assert step(desk, case, today=later) == "逾期未缴：催告后申请强制执行"
