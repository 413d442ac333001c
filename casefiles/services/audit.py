"""Supervision: verifying every history chain against its hashes and its case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from casefiles.adapters.inspection_store import InspectionStore
from casefiles.adapters.repository import CASES
from casefiles.domain.history import BUREAU_CHAIN, Break, Entry, chain_breaks
from casefiles.services.uow import UnitOfWork


@dataclass(frozen=True)
class AuditReport:
    """How many chains and entries were checked, and every break found."""

    chains: int
    entries: int
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        """Every chain verified."""
        return not self.breaks


def verify_all(uow: UnitOfWork, case_id: str | None = None) -> AuditReport:
    """Recompute every chain (or one case's) and name every entry that fails."""
    heads = {r.id: (r.history_head, r.history_length)
             for r in uow.conn.execute(select(CASES.c.id, CASES.c.history_head,
                                              CASES.c.history_length))}
    # inspections keep their own chains (SPEC §6), checked against their rows likewise
    heads |= {i: (head, length) for i, head, length in InspectionStore(uow.conn).ids()}

    def checked(chain: str, entries: list[Entry]) -> list[Break]:
        head, length = heads.get(chain, (None, None)) if chain != BUREAU_CHAIN else (None, None)
        return chain_breaks(entries, head, length)

    if case_id:
        entries = uow.history.chain(case_id)
        return AuditReport(1, len(entries), checked(case_id, entries))
    found: dict[str, list[Break]] = {}
    total = 0
    for chain, entries in uow.history.every_chain():  # one query, streamed
        total += len(entries)
        found[chain] = checked(chain, entries)
    for chain in set(heads) - set(found):  # a case whose entries are all gone
        found[chain] = checked(chain, [])
    breaks = [b for chain in sorted(found) for b in found[chain]]
    return AuditReport(chains=len(found), entries=total, breaks=breaks)
