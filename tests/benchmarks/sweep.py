"""Benchmark (not a test): the daily deadline sweep over 100,000 open cases. Goal: ≤ 2 s.

    .venv/bin/python tests/benchmarks/sweep.py [--cases 100000] [--due 100] [--data-dir DIR]
                                               [--db postgresql://…/empty_database]

The fixture: ``--due`` cases played by the services to their decision, their service and
publication deadlines passed undone (the sweep marks those missed and records a history entry
for each), and ``--cases`` copies of one such case's rows (case and deadlines) inserted fast,
each deadline open and due a month after the sweep's day: open cases the sweep must look past. Printed: the
set-based query of due deadlines, the whole sweep (including the statistics refresh it ends
with), and a second sweep the same day (nothing newly due: a day like most)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from casefiles.adapters.repository import CASES
from casefiles.clock import SimulatedClock
from casefiles.services.app import Casefiles
from casefiles.services.work import DEADLINES, sweep
from casefiles.settings import Settings
from tests.support import DRILL, PEOPLE, SMALL_FINE, START, play, until

TODAY = START + timedelta(days=5 * 365)

GOAL_SECONDS = 2.0


def _copies(cf: Casefiles, template: str, count: int, batch: int = 5000) -> None:
    """``count`` copies of the template's case row and deadlines, each deadline open and due a
    month after the sweep's day."""
    with cf.engine.begin() as conn:
        case = dict(conn.execute(select(CASES).where(CASES.c.id == template)).mappings().one())
        deadlines = [dict(r) for r in conn.execute(
            select(DEADLINES).where(DEADLINES.c.case_id == template)).mappings()]
    later = (TODAY + timedelta(days=30)).date()
    for start in range(0, count, batch):
        cases, rows = [], []
        for n in range(start, min(start + batch, count)):
            cid = str(uuid.uuid4())
            cases.append(case | {"id": cid, "number": f"衡山应急立〔S〕{n + 1}号"})
            rows += [d | {"id": str(uuid.uuid4()), "case_id": cid, "due": later, "done_on": None,
                          "missed": False, "not_applicable": False} for d in deadlines]
        with cf.engine.begin() as conn:
            conn.execute(insert(CASES), cases)
            conn.execute(insert(DEADLINES), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, help="build into this folder (kept)")
    parser.add_argument("--db", help="an empty database to build in (default: SQLite in the "
                                     "data folder)")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="casefiles-sweep-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        url = args.db or f"sqlite:///{data_dir / 'casefiles.db'}"
        cf = Casefiles(Settings(data_dir=data_dir), SimulatedClock(START), url, drill=DRILL)
        cf.init()
        for person in PEOPLE:
            cf.put_person(person)
        due_cases = []
        for _ in range(args.due):
            clock = SimulatedClock(START)
            cf.clock = clock
            due_cases.append(play(cf, clock, until(SMALL_FINE, "decide")))
        t0 = time.perf_counter()
        _copies(cf, due_cases[0], args.cases)
        print(f"{args.due} due cases played, {args.cases} open cases inserted in "
              f"{time.perf_counter() - t0:.1f} s")
        cf.refresh_statistics()
        cf.clock = SimulatedClock(TODAY)
        today = TODAY.date()
        with cf.uow() as uow:
            open_cases = uow.conn.execute(select(DEADLINES.c.case_id).distinct().where(
                DEADLINES.c.done_on.is_(None))).all()
            t0 = time.perf_counter()
            due = uow.conn.execute(select(DEADLINES.c.case_id).distinct().where(
                DEADLINES.c.done_on.is_(None), DEADLINES.c.missed.is_(False),
                DEADLINES.c.not_applicable.is_(False), DEADLINES.c.due < today)).all()
            query = time.perf_counter() - t0
        print(f"{len(open_cases)} cases with open deadlines, {len(due)} of them due "
              f"(query of due deadlines: {query * 1000:.1f} ms)")
        t0 = time.perf_counter()
        report = sweep(cf)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = sweep(cf)
        second = time.perf_counter() - t0
        print(f"sweep: {report.checked} checked, {report.missed} deadlines newly missed in "
              f"{first:.2f} s (goal ≤ {GOAL_SECONDS:.0f} s: "
              f"{'met' if first <= GOAL_SECONDS else 'NOT met'})")
        print(f"the same day again: {again.checked} checked, {again.missed} missed in "
              f"{second:.2f} s")
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
