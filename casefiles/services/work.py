"""The work actions leave behind, done in batches by the flows: the outbox dispatch and the
daily deadline sweep. Each item is claimed in the same transaction as the work it causes, so a
rerun never does it twice and a crash loses nothing."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from casefiles.adapters.repository import CASES, COLLECTIONS
from casefiles.domain.decision import publication_refusals, withdrawal_refusals
from casefiles.domain.notices import calendar_notices
from casefiles.domain.sweep import mark_missed
from casefiles.domain.timefmt import local_date
from casefiles.services.app import SYSTEM_PERSON, Casefiles
from casefiles.services.uow import UnitOfWork

DEADLINES = COLLECTIONS["deadlines"][0]

# outbox kind → the system action it leads to, when the case still needs it
SYSTEM_ACTIONS = {"publish_decision": "publish", "withdraw_publication": "withdraw"}


@dataclass
class DispatchReport:
    """What one dispatch batch did."""

    done: int = 0
    skipped: int = 0
    failed: int = 0


# outbox kind → the domain's answer to "why can this not be done now"
_STILL_DUE = {"publish_decision": publication_refusals, "withdraw_publication": withdrawal_refusals}


def _needed(uow: UnitOfWork, item: dict[str, Any]) -> bool:
    """Whether the item's work is still to do (the head may have done it by hand meanwhile)."""
    case = uow.cases.get(item["case_id"], lock=True)
    return case is not None and not _STILL_DUE[item["kind"]](case)


def run_owner() -> str:
    """Who holds a lease: this machine, process and run (shown while an item is leased)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease(cf: Casefiles, owner: str, kinds: Iterable[str], batch: int,
          case_id: str | None = None) -> list[dict[str, Any]]:
    """Take a bounded batch of due outbox items for this run, for the settings' lease time."""
    now = cf.clock.now()
    until = now + timedelta(seconds=cf.settings.outbox_lease_seconds)
    with cf.uow(write=True) as uow:
        items = uow.outbox.lease(owner, now, until, batch, kinds=kinds, case_id=case_id)
        uow.commit()
    return items


def any_due(cf: Casefiles, kinds: Iterable[str]) -> bool:
    """Whether any outbox item of ``kinds`` waits for a run (an empty run stops at this)."""
    with cf.uow() as uow:
        return uow.outbox.any_due(cf.clock.now(), kinds)


def record_failure(cf: Casefiles, item_id: int, error: str) -> bool:
    """Keep a failed attempt on its item, which waits out its backoff or is parked; True
    when parked."""
    s = cf.settings
    with cf.uow(write=True) as uow:
        parked = uow.outbox.failed(item_id, error, cf.clock.now(), s.outbox_backoff_seconds,
                                   s.outbox_max_attempts)
        uow.commit()
    return parked


def dispatch(cf: Casefiles, batch: int = 200) -> DispatchReport:
    """Do up to ``batch`` due outbox items this engine knows how to do, leased to this run."""
    report = DispatchReport()
    cf.ensure_counters(local_date(cf.clock.now()).year)
    items = lease(cf, run_owner(), SYSTEM_ACTIONS, batch)
    for item in items:
        with cf.uow(write=True) as uow:
            if not uow.outbox.claim(item["id"], cf.clock.now()):
                continue
            if not _needed(uow, item):
                uow.commit()
                report.skipped += 1
                continue
            outcome = cf.act_in(uow, SYSTEM_PERSON.id, SYSTEM_ACTIONS[item["kind"]],
                                item["case_id"], {})
            if outcome.ok:
                uow.commit()
                report.done += 1
                continue
        record_failure(cf, item["id"], outcome.message)
        report.failed += 1
    return report


# outbox kind → what the item does, for people
KIND_LABELS = {"document_issued": ("生成文书PDF", "render a document"),
               "inspection_document_issued": ("生成检查文书PDF",
                                              "render an inspection document"),
               "publish_decision": ("公示处罚决定", "publish a decision"),
               "withdraw_publication": ("撤回公示", "withdraw a publication")}


def failing(cf: Casefiles, limit: int = 1000) -> list[dict[str, Any]]:
    """The outbox items whose last attempt failed, the parked first: what each does, for which
    case and document, how often it failed, its last error and when it is tried again."""
    with cf.uow() as uow:
        items = uow.outbox.failing(limit)
        ids = {i["case_id"] for i in items if i["case_id"]}
        numbers: dict[str, str | None] = dict(uow.conn.execute(select(CASES.c.id, CASES.c.number)
                                        .where(CASES.c.id.in_(ids))).tuples().all())
    shown = []
    for item in items:
        label, english = KIND_LABELS.get(item["kind"], (item["kind"], item["kind"]))
        payload = item["payload"] or {}
        parked = item["parked_at"] is not None
        shown.append({
            "id": item["id"], "kind": item["kind"], "label": label, "label_en": english,
            "case_id": item["case_id"], "case_number": numbers.get(item["case_id"]),
            "document": payload.get("kind"), "document_id": payload.get("document_id"),
            "status": "parked" if parked else "retrying",
            "status_label": "已搁置，需人工处理" if parked else "等待重试",
            "attempts": item["attempts"], "last_error": item["last_error"],
            "next_attempt_at": None if parked else item["next_attempt_at"],
            "parked_at": item["parked_at"], "created_at": item["created_at"]})
    return shown


def retry(cf: Casefiles, item_id: int) -> bool:
    """Put a parked or waiting item back for the next run (its cause fixed); False when no
    such item waits."""
    with cf.uow(write=True) as uow:
        found = uow.outbox.retry(item_id)
        uow.commit()
    return found


@dataclass
class SweepReport:
    """What one sweep did."""

    checked: int = 0
    missed: int = 0
    reminders: int = 0  # people reminded of their deadlines today


def calendar_gap(cf: Casefiles) -> list[str]:
    """What the sweep says when next year's holidays are missing from 1 November (SPEC §5)."""
    return [n.text() for n in calendar_notices(cf.calendar, local_date(cf.clock.now()))]


def sweep(cf: Casefiles, batch: int = 500) -> SweepReport:
    """Mark deadlines passed undone as missed and record their warnings, case by case; then
    refresh the database's statistics for its query planner."""
    now = cf.clock.now()
    today = local_date(now)
    report = SweepReport()
    with cf.uow() as uow:
        case_ids = [r[0] for r in uow.conn.execute(
            select(DEADLINES.c.case_id).distinct()
            .where(DEADLINES.c.done_on.is_(None), DEADLINES.c.missed.is_(False),
                   DEADLINES.c.not_applicable.is_(False), DEADLINES.c.due < today))]
    for start in range(0, len(case_ids), batch):
        for case_id in case_ids[start:start + batch]:
            report.checked += 1
            with cf.uow(write=True) as uow:
                case = uow.cases.get(case_id, lock=True)
                if case is None:
                    continue
                before = [d.kind for d in case.deadlines if d.missed]
                warnings = mark_missed(case, today)
                kinds = [d.kind for d in case.deadlines if d.missed and d.kind not in before]
                if not kinds:
                    continue
                cf.record(uow, case, at=now, actor=SYSTEM_PERSON.id, role="system",
                          action="sweep", payload={"missed": kinds}, result="ok", codes=[],
                          warnings=warnings, state_before=case.state.value,
                          state_after=case.state.value, files=[])
                if uow.cases.save(case, bump=True):
                    uow.commit()
                    report.missed += len(kinds)
    from casefiles.services.reminders import write_reminders

    report.reminders = write_reminders(cf, today)
    from casefiles.services.inspections import sweep as sweep_inspections

    report.missed += sweep_inspections(cf)  # rectification, recheck, seal and seize (SPEC §6)
    cf.refresh_statistics()
    return report


__all__ = ["CASES", "DispatchReport", "SweepReport", "dispatch", "sweep"]
