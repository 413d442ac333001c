"""Supervision: verifying every history chain against its hashes and its case.

A large history is verified in several processes at once, each streaming the chains of one
range of names (chains are independent: each links only its own entries). Each range is read
in one snapshot with the heads it is checked against (REPEATABLE READ on PostgreSQL; SQLite's
read transaction is one already), so actions taken meanwhile raise no false break; the breaks
are the same, in the same order, however many processes verify."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from casefiles.adapters import history_scan
from casefiles.domain.errors import VerifierFailedError
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
    ranges = _ranges(uow.history.chains(), processes) if not case_id else [(None, None)]
    url = uow.conn.engine.url
    alone = len(ranges) == 1 or url.get_backend_name() == "sqlite" and url.database in (
        None, "", ":memory:")
    # the first range's snapshot is taken before the other processes start theirs: its heads,
    # which name the cases whose entries are all gone below, are then seen by every range
    with _snapshot(uow.conn) as conn:
        heads = history_scan.heads(conn)
        if case_id:
            links = [link for _, found in history_scan.chain_links(conn, only=case_id)
                     for link in found]
            return AuditReport(1, len(links), _checked(heads, case_id, links))
        if alone:
            results = [_verify_range(conn, None, None, heads)]
        else:
            others = [_start(url.render_as_string(hide_password=False), lo, hi)
                      for lo, hi in ranges[1:]]
            try:
                results = [_verify_range(conn, *ranges[0], heads), *map(_result, others)]
            finally:  # one failed (or this one did): the others are not left running
                for proc in others:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
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


@contextmanager
def _snapshot(conn: Connection) -> Iterator[Connection]:
    """A connection reading one snapshot of the database: on PostgreSQL a REPEATABLE READ
    transaction of its own (a unit of work reads at READ COMMITTED, where the heads and the
    chains read by two statements could differ by an action taken between them); on SQLite
    ``conn`` itself, whose transaction reads one snapshot."""
    if conn.dialect.name != "postgresql":
        yield conn
        return
    with conn.engine.connect() as own:
        own = own.execution_options(isolation_level="REPEATABLE READ")
        with own.begin():
            yield own


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
        raise VerifierFailedError(
            f"一个校验进程失败（退出码 {proc.returncode}），校验没有结果，请查看其上方的错误后重试 / "
            f"a verifying process failed (exit {proc.returncode}); the audit has no answer")
    result: tuple[int, Found] = pickle.loads(out)  # our own child's answer
    return result


def _main() -> None:
    """One range verified on a connection of its own, its answer pickled to standard output."""
    from casefiles.adapters.db import engine_for

    url, lo, hi = pickle.loads(sys.stdin.buffer.read())  # from our parent
    with engine_for(url).connect() as conn, conn.begin(), _snapshot(conn) as snapshot:
        sys.stdout.buffer.write(pickle.dumps(_verify_range(snapshot, lo, hi)))


if __name__ == "__main__":
    _main()
