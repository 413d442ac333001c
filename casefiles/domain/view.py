"""The case view of SCENARIOS.md: what `case show --json`, replay and the web show."""

from __future__ import annotations

from datetime import date
from typing import Any

from casefiles.domain.effects import fine_balance
from casefiles.domain.model import Case
from casefiles.domain.money import yuan_number
from casefiles.domain.policy import RuleSet


def hearing_status(case: Case) -> str:
    """The case view's ``hearing.status``: the hearing's own status once requested, else
    ``not_available`` (no proposal, or one without the right), ``waived`` or ``available``."""
    h = case.hearing
    if h is not None:
        return h.status
    p = case.proposal
    if p is None or not p.hearing_eligible:
        return "not_available"
    return "waived" if case.waived() else "available"


def _penalties(case: Case) -> list[dict[str, Any]]:
    source = case.decision.penalties if case.decision else (
        case.proposal.penalties if case.proposal else [])
    out = []
    for p in source:
        item: dict[str, Any] = {"type": p.type}
        if p.amount is not None:
            item["amount"] = yuan_number(p.amount)
        if p.on:
            item["on"] = p.on
        out.append(item)
    return out


def _deadlines(case: Case, today: date) -> dict[str, dict[str, Any]]:
    out = {d.kind: {"due": d.due.isoformat(), "status": d.status(today),
                    "done_on": d.done_on.isoformat() if d.done_on else None}
           for d in case.deadlines}
    decision = case.decision
    if decision is not None:
        if decision.outcome != "penalty":
            out.setdefault("publication", {"due": None, "status": "not_applicable"})
        if decision.fine == 0:
            out.setdefault("payment", {"due": None, "status": "not_applicable"})
    return out


def _notice(case: Case) -> dict[str, Any] | None:
    n = case.notice
    if n is None:
        return None
    return {"notified_at": n.notified_at.isoformat(), "defence_due": n.defence_due.isoformat(),
            "hearing_request_due": (n.hearing_request_due.isoformat()
                                    if n.hearing_request_due else None),
            "waived": case.waived()}


def case_view(case: Case, rules: RuleSet, today: date) -> dict[str, Any]:
    """The case view as of ``today`` (surcharge and deadline statuses move with the clock)."""
    p = case.proposal
    bal = fine_balance(case, rules, today)
    decision = case.decision
    return {
        "id": case.id,
        "number": case.number,
        "state": case.state.value,
        "sector": case.sector,
        "source": case.source,
        "party": {"kind": case.party.kind, "name": case.party.name},
        "investigators": list(case.investigators),
        "flags": {
            "hearing_eligible": bool(p and p.hearing_eligible),
            "legal_review_required": bool(p and p.legal_review_required),
            "collective_discussion_required": bool(p and p.collective_discussion_required),
        },
        "review": {"status": case.review_status()},
        "hearing": {"status": hearing_status(case)},
        "penalties": _penalties(case),
        "decision": None if decision is None else {
            "number": decision.number, "outcome": decision.outcome,
            "decided_at": decision.decided_at.isoformat(),
            "served_at": decision.served_at.isoformat() if decision.served_at else None,
            "published": decision.published_at is not None,
            "revoked": decision.revoked_at is not None,
            "withdrawn": decision.withdrawn_at is not None,
        },
        "appeals": [{"kind": a.kind, "filed_on": a.filed_on.isoformat(), "body": a.body,
                     "outcome": a.outcome,
                     "decided_on": a.decided_on.isoformat() if a.decided_on else None}
                    for a in case.appeals],
        "notice": _notice(case),
        "deadlines": _deadlines(case, today),
        "amounts": {"fine": yuan_number(bal.fine), "paid": yuan_number(bal.paid),
                    "surcharge": yuan_number(bal.surcharge),
                    "outstanding": yuan_number(bal.outstanding)},
        "documents": [{"id": d.id, "kind": d.kind, "number": d.number, "sha256": d.sha256,
                       "issued_at": d.issued_at.isoformat(), "supersedes": d.supersedes}
                      for d in case.documents],
        "evidence": [{"kind": e.kind, "title": e.title, "sha256": e.sha256}
                     for e in case.evidence],
        "warnings": list(case.warnings),
        "history_length": case.history_length,
        "version": case.version,
        "drill": case.drill,
        "rule_set": case.rule_set_id,
        "inspection": case.inspection,
    }
