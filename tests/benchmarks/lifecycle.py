"""Benchmark (not a test): push N cases through the whole lifecycle through the services on
SQLite, and print transitions per second beside the raw rate of one insert plus one update per
committed SQLite transaction, measured in the same run with the same connection settings.

    .venv/bin/python tests/benchmarks/lifecycle.py [--cases 2000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles
from casefiles.settings import Settings

PEOPLE = [
    Person("zhang", "张伟", ["officer"], "湘0401001"),
    Person("li", "李娜", ["officer"], "湘0401002"),
    Person("zhao", "赵强", ["head"]),
]
REGISTER = {
    "source": "inspection", "sector": "industry_trade",
    "party": {"kind": "organisation", "name": "衡山县示例机械有限公司",
              "credit_code": "91430423MA4QTRADXH", "address": "衡山县开云镇"},
    "summary": "未按规定进行安全生产教育和培训", "violation_date": "2020-05-20",
}
PROPOSE = {"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "新员工未经培训上岗"}],
           "penalties": [{"type": "fine", "amount": 8000}]}


# (person, action, payload, days the simulated clock moves before the action)
STEPS = [
    ("zhang", "register", REGISTER, 0),
    ("zhao", "file", {"investigators": ["zhang", "li"], "cause": "未培训"}, 0),
    ("zhang", "record", {"kind": "document", "title": "培训档案", "officers": ["zhang", "li"],
                         "sha256": "5e" * 32}, 0),
    ("zhang", "propose", PROPOSE, 0),
    ("zhang", "notify", {}, 0),
    ("zhang", "defend", {"waive": True}, 0),
    ("zhao", "decide", {"outcome": "penalty"}, 1),
    ("zhang", "serve", {"method": "in_person", "recipient": "黄志勇"}, 1),
    ("zhao", "publish", {}, 0),
    ("zhang", "pay", {"amount": 8000}, 2),
    ("zhao", "close", {"summary": "罚款已缴清"}, 0),
    ("zhang", "archive", {}, 0),
]
START = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)


def lifecycle(cf: Casefiles, clock: SimulatedClock) -> int:
    """One case from registration to archive; returns the number of accepted transitions."""
    case_id = None
    for by, action, payload, days in STEPS:
        if days:
            clock.set(clock.now() + timedelta(days=days))
        outcome = cf.act(by, action, case_id, payload)
        if not outcome.ok:
            raise SystemExit(f"{action} refused: {outcome.codes} {outcome.message}")
        case_id = outcome.case_id
    return len(STEPS)


def raw_rate(path: Path, n: int) -> float:
    """Committed transactions per second of one insert plus one update, same pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, version INTEGER)")
    conn.execute("CREATE TABLE h (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO c VALUES (?, 0)", [(i,) for i in range(n)])
    body = "x" * 400
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO h (body) VALUES (?)", (body,))
        conn.execute("UPDATE c SET version = version + 1 WHERE id = ?", (i,))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        cf = Casefiles(Settings(), SimulatedClock(START), f"sqlite:///{Path(tmp) / 'bench.db'}")
        cf.init()
        for p in PEOPLE:
            cf.put_person(p)
        transitions = 0
        start = time.perf_counter()
        for i in range(args.cases):
            # every case starts on the same simulated day and moves through its own life
            transitions += lifecycle(cf, _restart(cf))
            if (i + 1) % 500 == 0:
                print(f"  {i + 1} cases …", flush=True)
        elapsed = time.perf_counter() - start
        ours = transitions / elapsed
        raw = raw_rate(Path(tmp) / "raw.db", 5000)
    print(f"cases: {args.cases}, accepted transitions: {transitions}, time: {elapsed:.1f} s")
    print(f"casefiles services on SQLite: {ours:,.0f} transitions/s "
          f"({1000 / ours:.2f} ms per action, history entry included)")
    print(f"raw SQLite, 1 insert + 1 update per committed transaction: {raw:,.0f} tx/s")
    print(f"ratio: {ours / raw:.2f} of the raw rate (goal: at least 0.50)")


def _restart(cf: Casefiles) -> SimulatedClock:
    clock = SimulatedClock(START)
    cf.clock = clock
    return clock


if __name__ == "__main__":
    main()
