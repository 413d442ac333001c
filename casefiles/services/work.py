"""The work actions leave behind, done in batches by the flows: the outbox dispatch and the
daily deadline sweep. Each item is claimed in the same transaction as the work it causes, so a
rerun never does it twice and a crash loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
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


def dispatch(cf: Casefiles, batch: int = 200) -> DispatchReport:
    """Do up to ``batch`` pending outbox items this engine knows how to do."""
    report = DispatchReport()
    cf.ensure_counters(local_date(cf.clock.now()).year)
    with cf.uow() as uow:
        items = uow.outbox.pending(batch, kinds=SYSTEM_ACTIONS)
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
        with cf.uow(write=True) as uow:
            uow.outbox.failed(item["id"], outcome.message)
            uow.commit()
        report.failed += 1
    return report


@dataclass
class SweepReport:
    """What one sweep did."""

    checked: int = 0
    missed: int = 0


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
    from casefiles.services.inspections import sweep as sweep_inspections

    report.missed += sweep_inspections(cf)  # rectification, recheck, seal and seize (SPEC §6)
    cf.refresh_statistics()
    return report


__all__ = ["CASES", "DispatchReport", "SweepReport", "dispatch", "sweep"]
