"""Supervision: verifying every history chain against its hashes and its case.

A large history is verified in several processes at once, each streaming the chains of one
range of names (chains are independent: each links only its own entries). Each range is read
in one snapshot with the heads it is checked against, so actions taken meanwhile raise no
false break; the breaks are the same, in the same order, however many processes verify."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from casefiles.adapters import history_scan
from casefiles.domain.history import BUREAU_CHAIN, Break, Link, link_breaks

if TYPE_CHECKING:
    from casefiles.services.uow import UnitOfWork

# below this many chains a process of its own costs more (its start, ~0.5 s) than it saves
MIN_CHAINS_PER_PROCESS = 2000

Found = dict[str, list[Break]]


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


def verify_all(uow: UnitOfWork, case_id: str | None = None, *,
               processes: int | None = None) -> AuditReport:
    """Recompute every chain (or one case's) and name every entry that fails.

    ``processes``: how many verify at once; by default one per core when the history is large
    enough to gain from it (at least :data:`MIN_CHAINS_PER_PROCESS` chains each)."""
    heads = history_scan.heads(uow.conn)
    if case_id:
        links = [link for _, found in history_scan.chain_links(uow.conn, only=case_id)
                 for link in found]
        return AuditReport(1, len(links), _checked(heads, case_id, links))
    ranges = _ranges(uow.history.chains(), processes)  # in the database's order
    url = uow.conn.engine.url
    if len(ranges) == 1 or url.get_backend_name() == "sqlite" and url.database in (None, "",
                                                                                  ":memory:"):
        results = [_verify_range(uow.conn, None, None, heads)]
    else:
        others = [_start(url.render_as_string(hide_password=False), lo, hi)
                  for lo, hi in ranges[1:]]
        results = [_verify_range(uow.conn, *ranges[0], heads), *map(_result, others)]
    found: Found = {}
    for _, part in results:
        found |= part
    for chain in set(heads) - set(found):  # a case whose entries are all gone
        found[chain] = _checked(heads, chain, [])
    breaks = [b for chain in sorted(found) for b in found[chain]]
    return AuditReport(chains=len(found), entries=sum(n for n, _ in results), breaks=breaks)


def _checked(heads: dict[str, tuple[str | None, int]], chain: str,
             links: list[Link]) -> list[Break]:
    head, length = heads.get(chain, (None, None)) if chain != BUREAU_CHAIN else (None, None)
    return link_breaks(links, head, length)


def _ranges(names: list[str], processes: int | None) -> list[tuple[str | None, str | None]]:
    """``names`` cut into ranges of about as many chains, one a process."""
    if processes is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        processes = max(1, min(cores, len(names) // MIN_CHAINS_PER_PROCESS))
    processes = max(1, min(processes, len(names)))
    cuts: list[str | None] = [names[len(names) * i // processes] for i in range(1, processes)]
    bounds = [None, *cuts, None]
    return list(pairwise(bounds))


def _verify_range(conn: Connection, lo: str | None, hi: str | None,
                  heads: dict[str, tuple[str | None, int]] | None = None) -> tuple[int, Found]:
    """(entries, breaks by chain) of the chains from ``lo`` to ``hi``, checked against the
    heads read in the same transaction (``heads`` when they were read already)."""
    heads = history_scan.heads(conn) if heads is None else heads
    entries, found = 0, {}
    for chain, links in history_scan.chain_links(conn, lo, hi):
        entries += len(links)
        found[chain] = _checked(heads, chain, links)
    return entries, found


def _start(url: str, lo: str | None, hi: str | None) -> subprocess.Popen[bytes]:
    """A process verifying one range (``python -m casefiles.services.audit``, told what by its
    standard input, so the database's password is not on its command line). A process of its
    own, not multiprocessing's, which would run the caller's main module again."""
    proc = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    assert proc.stdin is not None
    with proc.stdin:
        proc.stdin.write(pickle.dumps((url, lo, hi)))
    return proc


def _result(proc: subprocess.Popen[bytes]) -> tuple[int, Found]:
    assert proc.stdout is not None
    with proc.stdout:
        out = proc.stdout.read()
    if proc.wait() != 0:
        raise RuntimeError(f"a verifying process failed (exit {proc.returncode})")
    result: tuple[int, Found] = pickle.loads(out)  # our own child's answer
    return result


def _main() -> None:
    """One range verified on a connection of its own, its answer pickled to standard output."""
    from casefiles.adapters.db import engine_for

    url, lo, hi = pickle.loads(sys.stdin.buffer.read())  # from our parent
    with engine_for(url).connect() as conn:
        if conn.dialect.name == "postgresql":  # one snapshot for the heads and the chains
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            sys.stdout.buffer.write(pickle.dumps(_verify_range(conn, lo, hi)))


if __name__ == "__main__":
    _main()
