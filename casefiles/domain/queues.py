"""What a case waits for from the bureau's head, read from the case itself: the queue
待负责人审批.

The step named here is a pointer, not a permission: the action the head then takes is judged by
the rules like any other (an investigator still cannot decide their own case)."""

from __future__ import annotations

from datetime import date

from casefiles.domain.effects import fine_balance
from casefiles.domain.model import Case
from casefiles.domain.policy import RuleSet
from casefiles.domain.view import hearing_status

# A case may wait for the head in these states whatever its deadlines …
HEAD_STATES = ("registered", "notified", "legal_review", "decided", "served", "executing")
# … and in these only while its decision deadline is open and near (the lists find those
# through the deadlines' index, rather than judge every case under investigation)
HEAD_STATES_NEAR_DECISION_DUE = ("investigating", "proposed", "hearing")
_BEFORE_DECISION = ("investigating", "proposed", "notified", "hearing", "legal_review")
_SETTLING = ("decided", "served", "executing")


def head_step(case: Case, rules: RuleSet, today: date, may_decide: bool,
              due_soon: date) -> str:
    """The step ``case`` waits for from a head as of ``today`` ("" for none); ``rules`` is the
    rule set its fine is counted by (the surcharge). ``may_decide`` is whether that head may
    decide it (``engine.may_take``: an investigator may not). ``due_soon`` is the last day
    counted as near: a decision deadline due by then asks for a decision or an extension,
    whatever else the case waits for."""
    state = case.state.value
    if state == "registered":
        return "立案审批"
    decision_due = case.deadline("decision")
    if (state in _BEFORE_DECISION and decision_due is not None
            and decision_due.status(today) == "open" and decision_due.due <= due_soon):
        return f"办案期限 {decision_due.due.isoformat()} 将届满：作出决定或延长"
    if state == "notified" and hearing_status(case) == "requested":
        return "安排听证"
    if not may_decide and state in ("notified", "hearing", "legal_review"):
        return ""  # e.g. an investigator does not approve the decision of their own case
    proposal = case.proposal
    if state == "legal_review" and case.review_status() == "passed":
        return ("集体讨论 / 作出决定" if proposal and proposal.collective_discussion_required
                else "作出决定")
    if state == "notified" and not (proposal and proposal.legal_review_required):
        return "作出决定"
    if state in _SETTLING:
        return _settling_step(case, rules, today)
    return ""


def _settling_step(case: Case, rules: RuleSet, today: date) -> str:
    decision = case.decision
    if decision is not None and decision.published_at is None and decision.outcome == "penalty":
        return "公示决定"
    if fine_balance(case, rules, today).outstanding == 0:
        return "结案审批"
    payment = case.deadline("payment")
    if payment is not None and payment.status(today) == "missed":
        return "逾期未缴：催告后申请强制执行"
    return ""
