"""Benchmark (not a test): `audit verify` over many history entries, beside SHA-256's own rate.
Goal (issue 17): 1,000,000 entries in ≤ 5 s.

    .venv/bin/python tests/benchmarks/audit_verify.py [--entries 200000] [--per-chain 20]
                                                      [--db postgresql://…/empty_database]

The fixture: ``--entries`` entries in chains of ``--per-chain`` (a case's history is about
that long), each made by the domain's ``make_entry`` with a payload of an action's size,
inserted in bulk into a scratch database (on PostgreSQL then vacuumed, as a live database's
history is). Printed, for one process and for ``--processes``
(chains split by name, `casefiles audit verify`'s default is one a core): the entries verified
a second by ``verify_all`` (what `casefiles audit verify` runs), the time it would take for
1,000,000 at that rate, the CPU time of all the processes (what a busy shared machine slows
less) with the CPU time 1,000,000 would take beside what the goal allows on that many idle
cores, the load average, and the rate of SHA-256 alone over the same canonical bytes, which
bounds any verifier that recomputes every hash in one process."""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from casefiles.adapters.stores import HISTORY
from casefiles.domain.canonical import canonical_bytes
from casefiles.domain.history import make_entry
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from casefiles.settings import Settings
from tests.support import DRILL, START

GOAL_ENTRIES, GOAL_SECONDS = 1_000_000, 5.0
PAYLOAD = {"violations": [{"code": "WSL-99-1", "tier": "一般", "amount": 1500000}],
           "facts": "未按规定对从业人员进行安全生产教育和培训", "evidence": ["E1", "E2"]}


def _fill(cf: Casefiles, entries: int, per_chain: int, batch: int = 20_000) -> None:
    rows, made = [], 0
    for c in range((entries + per_chain - 1) // per_chain):
        prev = None
        for seq in range(1, min(per_chain, entries - made) + 1):
            e = make_entry(chain=f"case-{c:07d}", seq=seq, prev_hash=prev, case_id=None,
                           at=START + timedelta(minutes=seq), actor="zhang", role="officer",
                           action="propose", payload=PAYLOAD, result="ok", codes=[],
                           warnings=[], state_before="investigating", state_after="proposed",
                           files=[], rule_sets=[{"id": "hengshan-2021", "sha256": "ab" * 32}])
            rows.append({f: getattr(e, f) for f in e.__dataclass_fields__})
            prev, made = e.hash, made + 1
            if len(rows) == batch:
                with cf.engine.begin() as conn:
                    conn.execute(insert(HISTORY), rows)
                rows = []
    if rows:
        with cf.engine.begin() as conn:
            conn.execute(insert(HISTORY), rows)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the verifying processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--per-chain", type=int, default=20)
    parser.add_argument("--db", help="an empty database (default: scratch SQLite)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="verified also with this many processes (default: the cores)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="casefiles-audit-bench-"))
    try:
        url = args.db or f"sqlite:///{data_dir / 'casefiles.db'}"
        cf = Casefiles(Settings(data_dir=data_dir), database_url=url, drill=DRILL)
        cf.init()
        t0 = time.perf_counter()
        _fill(cf, args.entries, args.per_chain)
        print(f"{args.entries} entries in chains of {args.per_chain} written in "
              f"{time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
        if cf.engine.dialect.name == "postgresql":
            # as autovacuum leaves a live database's old rows: without it the first reading of
            # rows just loaded sets their hint bits, writing every page (1M entries: 6.1-6.5 s
            # with two processes before VACUUM, 4.5-5.0 after)
            with cf.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE history")
        for processes in dict.fromkeys([1, args.processes]):
            t0, cpu0, kids0 = time.perf_counter(), time.process_time(), _children_cpu()
            with cf.uow() as uow:
                report = verify_all(uow, processes=processes)
            took = time.perf_counter() - t0
            cpu = time.process_time() - cpu0 + _children_cpu() - kids0
            assert report.ok and report.entries == args.entries, report.breaks[:3]
            rate = report.entries / took
            projected = GOAL_ENTRIES / rate
            # what the goal allows when each process has a core of its own
            cpu_goal, cpu_million = GOAL_SECONDS * processes, cpu * GOAL_ENTRIES / report.entries
            print(f"audit verify, {processes} process(es): {report.entries} entries, "
                  f"{report.chains} chains in {took:.2f} s = {rate:,.0f} entries/s; 1,000,000 "
                  f"would take {projected:.1f} s (goal ≤ {GOAL_SECONDS:.0f} s: "
                  f"{'met' if projected <= GOAL_SECONDS else 'NOT met'}); CPU {cpu:.2f} s = "
                  f"{report.entries / cpu:,.0f} entries per CPU-second, {cpu_million:.1f} CPU-s "
                  f"per 1,000,000 (≤ {cpu_goal:.0f} fits the goal on {processes} idle core(s): "
                  f"{'yes' if cpu_million <= cpu_goal else 'no'}); load average "
                  f"{os.getloadavg()[0]:.1f}")
        print(f"cores: {os.cpu_count()}, load average now {os.getloadavg()[0]:.1f} (other work "
              "on the machine slows the figures above, the per CPU-second rate less so)")
        sample = make_entry(chain="case-x", seq=1, prev_hash=None, case_id=None, at=START,
                            actor="zhang", role="officer", action="propose", payload=PAYLOAD,
                            result="ok", codes=[], warnings=[], state_before="investigating",
                            state_after="proposed", files=[], rule_sets=None)
        data = canonical_bytes(sample.content())
        n = 200_000
        t0 = time.perf_counter()
        for _ in range(n):
            hashlib.sha256(data).hexdigest()
        sha = n / (time.perf_counter() - t0)
        print(f"SHA-256 alone over an entry's {len(data)} canonical bytes: {sha:,.0f}/s, "
              f"1,000,000 in {GOAL_ENTRIES / sha:.2f} s")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
