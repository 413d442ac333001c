"""Benchmark (not a test): push N cases through the whole lifecycle through the services on
SQLite, and print transitions per second beside the raw rate of one insert plus one update per
committed SQLite transaction, measured in the same run with the same connection settings.

The two are measured in alternating blocks (a block of cases, then as many raw transactions as
the block took actions), because this machine's fsync time drifts by a factor of two within a
minute: measured one after the other, the ratio said more about the disk than about casefiles.

The record tables are projections that the flows bring up to date in batches
(``Casefiles.catch_up``); the run ends by timing that for every case, per action, so that the
whole cost is on the page.

It runs twice by default: with one client (the actions in this process), and with two client
processes acting at once on cases of their own, as a web server's workers and the flows do; it
prints how many actions had to be judged again because the other came first, and the
latencies a client saw.

    .venv/bin/python tests/benchmarks/lifecycle.py [--cases 2000] [--block 50] [--clients 1,2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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
DRILL = "hengshan-2021"  # 2020 dates: a drill of that rule set (SPEC §5)


LATENCIES: list[float] = []  # seconds of each action of this process, since the last block


def lifecycle(cf: Casefiles, clock: SimulatedClock) -> int:
    """One case from registration to archive; returns the number of accepted transitions."""
    case_id = None
    for by, action, payload, days in STEPS:
        if days:
            clock.set(clock.now() + timedelta(days=days))
        start = time.perf_counter()
        outcome = cf.act(by, action, case_id, payload)
        LATENCIES.append(time.perf_counter() - start)
        if not outcome.ok:
            raise SystemExit(f"{action} refused: {outcome.codes} {outcome.message}")
        case_id = outcome.case_id
    return len(STEPS)


def raw_connection(path: Path, n: int) -> sqlite3.Connection:
    """A database for the raw rate, same pragmas as casefiles', with ``n`` rows to update."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, version INTEGER)")
    conn.execute("CREATE TABLE h (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO c VALUES (?, 0)", [(i,) for i in range(n)])
    return conn


def raw_block(conn: sqlite3.Connection, first: int, n: int) -> float:
    """Seconds for ``n`` committed transactions of one insert plus one update."""
    body = "x" * 400
    start = time.perf_counter()
    for i in range(first, first + n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO h (body) VALUES (?)", (body,))
        conn.execute("UPDATE c SET version = version + 1 WHERE id = ?", (i,))
        conn.execute("COMMIT")
    return time.perf_counter() - start


def raw_rate(path: Path, n: int) -> float:
    """Committed transactions per second of one insert plus one update, same pragmas."""
    conn = raw_connection(path, n)
    elapsed = raw_block(conn, 0, n)
    conn.close()
    return n / elapsed


def _worker(url: str, pipe: Any) -> None:
    """A client process of its own: runs as many lifecycles as it is sent, answers with the
    transitions done and how many actions were judged again after a conflict."""
    cf = Casefiles(Settings(), SimulatedClock(START), url, drill=DRILL)
    lifecycle(cf, _restart(cf))
    pipe.send((0, 0, []))
    while (n := pipe.recv()) is not None:
        LATENCIES.clear()
        done = sum(lifecycle(cf, _restart(cf)) for _ in range(n))
        pipe.send((done, cf.conflicts, list(LATENCIES)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--block", type=int, default=50, help="cases per alternating block")
    parser.add_argument("--clients", default="1,2",
                        help="processes acting at once, each on cases of its own; a run for "
                             "each number in this list (default 1,2)")
    parser.add_argument("--postgres", metavar="URL",
                        help="instead, the rate on this PostgreSQL database (emptied first)")
    args = parser.parse_args()
    if args.postgres:
        postgres(args.postgres, args.cases)
        return
    for clients in (int(n) for n in args.clients.split(",")):
        sqlite(args.cases, args.block, clients)


def sqlite(cases: int, block_size: int, clients: int) -> None:
    """One run on a new SQLite database: ``cases`` lifecycles by ``clients`` processes (1: in
    this one), in blocks alternating with as many raw transactions on one connection."""
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        cf = Casefiles(Settings(), SimulatedClock(START), f"sqlite:///{Path(tmp) / 'bench.db'}",
                       drill=DRILL)
        cf.init()
        for p in PEOPLE:
            cf.put_person(p)
        lifecycle(cf, _restart(cf))  # warm: imports, statement caches, fonts of nothing
        LATENCIES.clear()
        raw = raw_connection(Path(tmp) / "raw.db", cases * len(STEPS))
        run = _clients(cf.url, clients) if clients > 1 else None
        transitions, elapsed, raw_elapsed, conflicts = 0, 0.0, 0.0, 0
        for done in range(0, cases, block_size):
            n = min(block_size, cases - done)
            start = time.perf_counter()
            if run is None:
                # every case starts on the same simulated day and moves through its own life
                block = sum(lifecycle(cf, _restart(cf)) for _ in range(n))
                conflicts = cf.conflicts
            else:
                block, conflicts = run(n)
            elapsed += time.perf_counter() - start
            raw_elapsed += raw_block(raw, transitions, block)
            transitions += block
            if (done + block_size) % 500 == 0:
                print(f"  {done + block_size} cases …", flush=True)
        if run is not None:
            run(None)
        raw.close()
        start = time.perf_counter()
        projected = cf.catch_up(batch=200)
        catch_up = time.perf_counter() - start
    ours, raw_tx = transitions / elapsed, transitions / raw_elapsed
    print(f"clients: {clients}; cases: {cases}, accepted transitions: {transitions}, "
          f"time: {elapsed:.1f} s; actions judged again after a conflict: {conflicts}")
    print(f"  casefiles services on SQLite: {ours:,.0f} transitions/s "
          f"({1000 / ours:.3f} ms per action, history entry included)")
    print(f"  raw SQLite, 1 insert + 1 update per committed transaction, one connection: "
          f"{raw_tx:,.0f} tx/s ({1000 / raw_tx:.3f} ms), in blocks alternating with the above")
    print(f"  ratio: {ours / raw_tx:.2f} of the raw rate (goal: at least 0.50)")
    p50, p95, p99 = (statistics.quantiles(LATENCIES, n=100)[i] * 1000 for i in (49, 94, 98))
    print(f"  one action, as its client waits for it: p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
          f"p99 {p99:.2f} ms, slowest {max(LATENCIES) * 1000:.1f} ms")
    print(f"  record tables brought up to date afterwards (the flows' batches): {projected} "
          f"cases in {catch_up:.1f} s, {catch_up / transitions * 1000:.3f} ms per action; "
          f"with it, {transitions / (elapsed + catch_up):,.0f} transitions/s", flush=True)


def postgres(url: str, cases: int) -> None:
    """Transitions per second on PostgreSQL (no raw figure: the goal is SQLite's)."""
    from sqlalchemy import text

    from casefiles.adapters.db import engine_for

    with engine_for(url).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    cf = Casefiles(Settings(), SimulatedClock(START), url, drill=DRILL)
    cf.init()
    for p in PEOPLE:
        cf.put_person(p)
    lifecycle(cf, _restart(cf))
    start = time.perf_counter()
    transitions = sum(lifecycle(cf, _restart(cf)) for _ in range(cases))
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    projected = cf.catch_up(batch=200)
    catch_up = time.perf_counter() - start
    print(f"casefiles services on PostgreSQL: {transitions / elapsed:,.0f} transitions/s "
          f"({elapsed / transitions * 1000:.3f} ms per action); record tables of {projected} "
          f"cases brought up to date in {catch_up:.1f} s")


def _clients(url: str, n: int) -> Any:
    """Start ``n`` client processes; a function that shares a block of cases among them and
    waits for all (None stops them) and returns (transitions, conflicts so far)."""
    ctx = multiprocessing.get_context("spawn")
    pipes = []
    for _ in range(n):
        here, there = ctx.Pipe()
        ctx.Process(target=_worker, args=(url, there), daemon=True).start()
        pipes.append(here)
    for pipe in pipes:
        pipe.recv()  # warmed up

    def run(cases: int | None) -> tuple[int, int]:
        for i, pipe in enumerate(pipes):
            pipe.send(None if cases is None else cases // n + (i < cases % n))
        if cases is None:
            return 0, 0
        answers = [pipe.recv() for pipe in pipes]
        for answer in answers:
            LATENCIES.extend(answer[2])
        return sum(a[0] for a in answers), sum(a[1] for a in answers)

    return run


def _restart(cf: Casefiles) -> SimulatedClock:
    clock = SimulatedClock(START)
    cf.clock = clock
    return clock


if __name__ == "__main__":
    main()
