"""The states of a case (SPEC §1). Their values are the contract: machine, database and view."""

from enum import StrEnum


class CaseState(StrEnum):
    """One state of an enforcement case."""

    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    PROPOSED = "proposed"
    NOTIFIED = "notified"
    HEARING = "hearing"
    LEGAL_REVIEW = "legal_review"
    DECIDED = "decided"
    SERVED = "served"
    EXECUTING = "executing"
    CLOSED = "closed"
    ARCHIVED = "archived"
    NOT_FILED = "not_filed"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        """The Chinese name officers use for the state."""
        return LABELS[self]


LABELS: dict[CaseState, str] = {
    CaseState.REGISTERED: "案源登记",
    CaseState.INVESTIGATING: "立案调查",
    CaseState.PROPOSED: "拟处理意见",
    CaseState.NOTIFIED: "已告知",
    CaseState.HEARING: "听证",
    CaseState.LEGAL_REVIEW: "法制审核",
    CaseState.DECIDED: "已决定",
    CaseState.SERVED: "已送达",
    CaseState.EXECUTING: "执行中",
    CaseState.CLOSED: "已结案",
    CaseState.ARCHIVED: "已归档",
    CaseState.NOT_FILED: "不予立案",
    CaseState.TERMINATED: "已终止",
}

# The main path, in order; "a → b" in the action table means every state from a to b.
MAIN_PATH: tuple[CaseState, ...] = (
    CaseState.REGISTERED,
    CaseState.INVESTIGATING,
    CaseState.PROPOSED,
    CaseState.NOTIFIED,
    CaseState.HEARING,
    CaseState.LEGAL_REVIEW,
    CaseState.DECIDED,
    CaseState.SERVED,
    CaseState.EXECUTING,
    CaseState.CLOSED,
    CaseState.ARCHIVED,
)


def span(first: CaseState, last: CaseState) -> tuple[CaseState, ...]:
    """Every state of the main path from ``first`` to ``last``, both included."""
    i, j = MAIN_PATH.index(first), MAIN_PATH.index(last)
    return MAIN_PATH[i : j + 1]
