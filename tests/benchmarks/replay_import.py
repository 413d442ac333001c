"""Benchmark (not a test): importing cases by `casefiles replay` into PostgreSQL, in cases a
second, by one replay and by two replays at once on the same database.

    .venv/bin/python tests/benchmarks/replay_import.py --db postgresql://…/empty_database
                                                       [--cases 200] [--scenario FILE]

Each case is the shared scenario ``02_trade_training_small_fine.yaml`` (one case through its
decision and payment) replayed by the same code `casefiles replay FILE --db URL` runs; every
step must meet its expectation. The issue's figure is for 10,000 cases: at the rate printed,
``--cases 10000`` takes the time it says."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from casefiles.replay import load, run
from casefiles.settings import Settings
from tests.support import SHARED

SCENARIO = SHARED / "scenarios" / "02_trade_training_small_fine.yaml"


def _import(url: str, path: Path, cases: int, barrier: Any = None) -> float:
    scenario = load(path)
    if barrier is not None:
        barrier.wait(timeout=120)
    t0 = time.perf_counter()
    for _ in range(cases):
        for result in run(path, scenario, url, Settings()):
            assert result.met, result.line
    return time.perf_counter() - t0


def _child(url: str, path: Path, cases: int, barrier: Any, out: Any) -> None:
    out.put(_import(url, path, cases, barrier))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args()
    steps = len(load(args.scenario).steps)
    one = _import(args.db, args.scenario, args.cases)
    print(f"one replay: {args.cases} cases ({args.cases * steps} steps) in {one:.1f} s = "
          f"{args.cases / one:.1f} cases/s; 10,000 cases would take {10_000 / (args.cases / one):.0f} s")
    spawn = multiprocessing.get_context("spawn")
    barrier, out = spawn.Barrier(2), spawn.Queue()
    half = args.cases // 2
    children = [spawn.Process(target=_child, args=(args.db, args.scenario, half, barrier, out))
                for _ in range(2)]
    for child in children:
        child.start()
    took = max(out.get(timeout=3600) for _ in children)
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    print(f"two replays at once: {2 * half} cases in {took:.1f} s = {2 * half / took:.1f} cases/s "
          "together, every step as expected")


if __name__ == "__main__":
    main()
