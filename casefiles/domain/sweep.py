"""The daily sweep's rule: which deadlines of a case have passed undone, and their warnings."""

from __future__ import annotations

from datetime import date

from casefiles.domain.model import Case, Deadline

LATE_WARNINGS: dict[str, str | None] = {
    "decision": None,  # a late decision is refused (decision_overdue), not warned
    "service": "service_late",
    "publication": "publication_late",
    "withdrawal": "withdrawal_late",
    "payment": "payment_late",
    "preservation": "preservation_late",
}


def newly_missed(case: Case, today: date) -> list[Deadline]:
    """Deadlines past their due day, not done, not yet marked missed."""
    return [d for d in case.deadlines
            if d.done_on is None and not d.missed and not d.not_applicable and today > d.due]


def mark_missed(case: Case, today: date) -> list[str]:
    """Mark the newly missed deadlines; return the warnings they bring (also put on the case)."""
    warnings: list[str] = []
    for d in newly_missed(case, today):
        d.missed = True
        code = LATE_WARNINGS.get(d.kind)
        if code and code not in warnings:
            warnings.append(code)
            case.warn(code)
    return warnings
