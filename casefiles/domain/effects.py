"""What an accepted action leaves behind besides the new state: warnings, files, work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casefiles.domain.context import Context
from casefiles.domain.documents import SERVED_KINDS, SUPERSEDING_KINDS
from casefiles.domain.model import Case, Document
from casefiles.domain.money import Balance, Dues, balance
from casefiles.domain.policy import RuleSet


@dataclass
class Effects:
    """Warnings to record, SHA-256 of attached files, and events for the flows."""

    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def warn(self, code: str) -> None:
        """Add a warning (once)."""
        if code not in self.warnings:
            self.warnings.append(code)


def issue(case: Case, kind: str, ctx: Context, effects: Effects,
          number: str | None = None) -> Document:
    """Number a document of ``kind`` (unless it carries the case's own number), record it on
    the case, and ask the flows to render it. A kind issued again supersedes its last one."""
    previous = next((d for d in reversed(case.documents) if d.kind == kind), None) \
        if kind in SUPERSEDING_KINDS else None
    doc = Document(kind=kind, number=number or ctx.number(kind, ctx.today.year),
                   issued_at=ctx.now, supersedes=previous.id if previous else None)
    case.documents.append(doc)
    effects.events.append(("document_issued", {"document_id": doc.id, "kind": kind}))
    if kind in SERVED_KINDS:  # served on the party: its receipt goes with it
        receipt = Document(kind="文书送达回执", number=ctx.number("文书送达回执", ctx.today.year),
                           issued_at=ctx.now)
        case.documents.append(receipt)
        effects.events.append(("document_issued", {"document_id": receipt.id,
                                                   "kind": receipt.kind}))
    return doc


def fine_schedule(case: Case) -> list[Dues]:
    """The due dates of the fine: the approved schedule, else the whole fine on its due day."""
    decision = case.decision
    if decision is None or decision.fine == 0:
        return []
    latest = max((i.schedule_no for i in case.instalments), default=0)
    if latest:
        return [Dues(i.due, i.amount) for i in case.instalments if i.schedule_no == latest]
    due = case.deadline("payment")
    return [] if due is None else [Dues(due.due, decision.fine)]


def fine_balance(case: Case, rules: RuleSet, as_of: date) -> Balance:
    """The fine, payments and surcharge of the case as of ``as_of`` (zero when revoked)."""
    decision = case.decision
    fine = 0 if decision is None or decision.revoked_at is not None else decision.fine
    return balance(fine, fine_schedule(case) if fine else [],
                   [(p.paid_on, p.amount) for p in case.payments], as_of,
                   rules.surcharge.daily_rate)
