"""Issue 14, item 6: a fine per violation. A fine that names its violation (its number in the
proposal) is judged by that violation's own range (分别裁量); fines that name none are judged
together, as before; the decision keeps the link."""

from __future__ import annotations

from typing import Any

from tests.support import Desk

TWO = [{"code": "WSL-97-4", "tier": "一般", "facts": "新员工未经培训上岗"},
       {"code": "WSL-99-1-late", "tier": "一般", "facts": "逾期未设置警示标志"}]


def _propose(desk: Desk, penalties: list[dict[str, Any]]) -> Any:
    case = desk.filed("2020-06-01")
    return desk.act("zhang", "propose", case, {"violations": TWO, "penalties": penalties})


def test_a_fine_for_one_violation_is_judged_by_that_violations_range(desk: Desk) -> None:
    """150,000 yuan is within the two provisions' summed range (50,000–300,000) when the fines
    are judged together, but beyond art. 97's 100,000 when it is that violation's own fine."""
    together = _propose(desk, [{"type": "fine", "amount": 210000}])
    assert together.ok, together.message
    apart = _propose(desk, [{"type": "fine", "amount": 150000, "violation": 1},
                            {"type": "fine", "amount": 60000, "violation": 2}])
    assert apart.codes == ["amount_out_of_range"]
    assert "罚款150000.00元超出法定幅度0–100000元" in apart.message


def test_fines_per_violation_within_their_ranges_are_kept_into_the_decision(desk: Desk) -> None:
    """Each fine keeps its violation's number in the proposal and in the decision."""
    outcome = _propose(desk, [{"type": "fine", "amount": 80000, "violation": 1},
                              {"type": "fine", "amount": 60000, "violation": 2}])
    assert outcome.ok, outcome.message
    case = desk.app.case(outcome.case_id or "")
    proposal = case.proposal
    assert proposal is not None
    assert [(p.amount, p.violation) for p in proposal.penalties] == [(8_000_000, 1),
                                                                      (6_000_000, 2)]
    from casefiles.domain.decision import decided_penalties
    from casefiles.domain.payloads import Decide

    decided = decided_penalties(case, Decide(outcome="penalty"))
    assert [p.violation for p in decided] == [1, 2]


def test_a_fine_for_a_violation_not_proposed_or_a_linked_warning_is_refused(desk: Desk) -> None:
    """The link names one of the proposal's violations, and only a fine has one."""
    beyond = _propose(desk, [{"type": "fine", "amount": 60000, "violation": 3}])
    assert beyond.codes == ["invalid_input"] and "罚款所对应的违法行为不存在（共2项）" in beyond.message
    warning = _propose(desk, [{"type": "warning", "violation": 1}])
    assert warning.codes == ["invalid_input"] and "只有罚款对应某一违法行为" in warning.message


def test_fines_split_over_one_violation_are_judged_as_its_one_fine(desk: Desk) -> None:
    """Two fines of 60,000 naming art. 97 are each within its 100,000, but together beyond it:
    splitting a fine does not widen the range."""
    split = _propose(desk, [{"type": "fine", "amount": 60000, "violation": 1},
                            {"type": "fine", "amount": 60000, "violation": 1},
                            {"type": "fine", "amount": 60000, "violation": 2}])
    assert split.codes == ["amount_out_of_range"]
    assert "罚款120000.00元超出法定幅度0–100000元" in split.message
