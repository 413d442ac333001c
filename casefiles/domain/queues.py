"""What a case waits for from the bureau's head, read from its view: the queue 待负责人审批.

The step named here is a pointer, not a permission: the action the head then takes is judged by
the rules like any other (an investigator still cannot decide their own case)."""

from __future__ import annotations

from datetime import date
from typing import Any

# A case may wait for the head in these states whatever its deadlines …
HEAD_STATES = ("registered", "notified", "legal_review", "decided", "served", "executing")
# … and in these only while its decision deadline is open and near (the lists find those
# through the deadlines' index, rather than judge every case under investigation)
HEAD_STATES_NEAR_DECISION_DUE = ("investigating", "proposed", "hearing")
_BEFORE_DECISION = ("investigating", "proposed", "notified", "hearing", "legal_review")
_SETTLING = ("decided", "served", "executing")


def head_step(view: dict[str, Any], may_decide: bool, due_soon: date) -> str:
    """The step the case of ``view`` waits for from a head ("" for none); ``may_decide`` is
    whether that head may decide it (``engine.may_take``: an investigator may not).
    ``due_soon`` is the last day counted as near: a decision deadline due by then asks for a
    decision or an extension, whatever else the case waits for."""
    state, flags = view["state"], view["flags"]
    if state == "registered":
        return "立案审批"
    decision_due = view["deadlines"].get("decision", {})
    if (state in _BEFORE_DECISION and decision_due.get("status") == "open"
            and date.fromisoformat(decision_due["due"]) <= due_soon):
        return f"办案期限 {decision_due['due']} 将届满：作出决定或延长"
    if state == "notified" and view["hearing"]["status"] == "requested":
        return "安排听证"
    if not may_decide and state in ("notified", "hearing", "legal_review"):
        return ""  # e.g. an investigator does not approve the decision of their own case
    if state == "legal_review" and view["review"]["status"] == "passed":
        return "集体讨论 / 作出决定" if flags["collective_discussion_required"] else "作出决定"
    if state == "notified" and not flags["legal_review_required"]:
        return "作出决定"
    if state in _SETTLING:
        return _settling_step(view)
    return ""


def _settling_step(view: dict[str, Any]) -> str:
    decision = view["decision"] or {}
    if not decision.get("published") and decision.get("outcome") == "penalty":
        return "公示决定"
    if view["amounts"]["outstanding"] == 0:
        return "结案审批"
    if view["deadlines"].get("payment", {}).get("status") == "missed":
        return "逾期未缴：催告后申请强制执行"
    return ""
