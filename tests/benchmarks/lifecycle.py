"""Benchmark (not a test): cases through their whole lifecycle through the services, and in
the same run:

- SQLite, one process: actions per second and the p95 of one action as its client waits;
- PostgreSQL: the p95, actions per second, the round trips per action (counted from libpq's
  own trace of what psycopg sends: each Query or Sync is one wait for the server), and the
  rate of a bare two-statement transaction (an insert and an update) on the same server;
- four client processes at once on PostgreSQL, each with cases of its own, and all of them
  also recording evidence on one shared case against the version they saw: nothing is lost
  (every accepted action is in the history, every chain verifies) and the late ones are
  refused ``stale_version``.

    .venv/bin/python tests/benchmarks/lifecycle.py [--cases 300] [--postgres URL]

The PostgreSQL URL defaults to ``CASEFILES_TEST_POSTGRES_URL``; a scratch database is made on
that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
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


def _p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[94] * 1000


def _bureau(url: str) -> Casefiles:
    cf = Casefiles(Settings(), SimulatedClock(START), url, drill=DRILL)
    cf.init()
    for p in PEOPLE:
        cf.put_person(p)
    lifecycle(cf, _restart(cf))  # warm: imports, statement caches
    LATENCIES.clear()
    return cf


def sqlite(cases: int) -> None:
    """One process on a new SQLite database (WAL, full sync)."""
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        cf = _bureau(f"sqlite:///{Path(tmp) / 'bench.db'}")
        start = time.perf_counter()
        done = sum(lifecycle(cf, _restart(cf)) for _ in range(cases))
        elapsed = time.perf_counter() - start
        cf.engine.dispose()
    print(f"SQLite, one process: {done} actions in {elapsed:.1f} s: {done / elapsed:,.0f} "
          f"actions/s, p95 {_p95(LATENCIES):.2f} ms (goal: at least 500/s, p95 at most 5 ms)",
          flush=True)


class RoundTrips:
    """Counts the round trips of an engine's connections from libpq's own trace of each: a
    message the server sends after the client sent something is the end of one."""

    def __init__(self, engine: Any, folder: Path) -> None:
        self.folder = folder
        self.engine = engine
        engine.dispose()
        event.listen(engine, "connect", self._trace)

    def stop(self) -> None:
        """Trace no more connections (and close those traced)."""
        event.remove(self.engine, "connect", self._trace)
        self.engine.dispose()

    def _trace(self, dbapi_conn: Any, _record: Any) -> None:
        from psycopg.pq import Trace

        path = self.folder / f"{uuid.uuid4().hex}.trace"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        dbapi_conn.pgconn.trace(fd)
        dbapi_conn.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)

    def count(self) -> int:
        """Round trips so far, on every traced connection."""
        trips = 0
        for path in self.folder.glob("*.trace"):
            sent = False
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("F\t"):
                    sent = True
                elif line.startswith("B\t") and sent:
                    trips, sent = trips + 1, False
        return trips


def bare_rate(url: str, n: int = 2000) -> tuple[float, float]:
    """Transactions per second, and the p95 in ms, of a bare transaction of one insert and one
    update on this server, through psycopg."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE c (id int PRIMARY KEY, version int)")
        conn.execute("CREATE TEMP TABLE h (id serial PRIMARY KEY, body text)")
        conn.execute("INSERT INTO c SELECT g, 0 FROM generate_series(0, %s) g", (n,))
        conn.commit()
        times = []
        start = time.perf_counter()
        for i in range(n):
            t = time.perf_counter()
            conn.execute("INSERT INTO h (body) VALUES (%s)", ("x" * 400,))
            conn.execute("UPDATE c SET version = version + 1 WHERE id = %s", (i,))
            conn.commit()
            times.append(time.perf_counter() - t)
        elapsed = time.perf_counter() - start
    return n / elapsed, _p95(times)


def postgres(url: str, cases: int) -> None:
    """One process on a scratch PostgreSQL database, then four processes at once."""
    base = url.replace("postgresql+psycopg://", "postgresql://")
    name = f"casefiles_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = base.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory(prefix="casefiles-trace-") as tmp:
            cf = _bureau(scratch)
            trips = RoundTrips(cf.engine, Path(tmp))
            before = trips.count()
            start = time.perf_counter()
            done = sum(lifecycle(cf, _restart(cf)) for _ in range(cases))
            elapsed = time.perf_counter() - start
            per_action = (trips.count() - before) / done
            trips.stop()
        bare, bare_p95 = bare_rate(base)
        ours = done / elapsed
        print(f"PostgreSQL, one process: {done} actions in {elapsed:.1f} s: {ours:,.0f} "
              f"actions/s, p95 {_p95(LATENCIES):.2f} ms (goal: at most 5 ms); "
              f"{per_action:.2f} round trips per action (goal: at most 3)")
        print(f"  a bare two-statement transaction on the same server: {bare:,.0f}/s "
              f"(p95 {bare_p95:.2f} ms); ratio {ours / bare:.2f} (goal: at least 0.4)",
              flush=True)
        four_processes(scratch, max(cases // 4, 5))
    finally:
        from casefiles.adapters.db import engine_for

        engine_for(scratch).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


SHARED_TRIES = 25  # evidence each process records on the shared case


def _client(url: str, cases: int, shared: str, pipe: Any) -> None:
    """One client process: its own lifecycles, and evidence on the shared case sent against
    the version it last saw; answers with what was accepted and refused."""
    cf = Casefiles(Settings(), SimulatedClock(START), url, drill=DRILL)
    pipe.recv()  # all start together
    accepted = sum(lifecycle(cf, _restart(cf)) for _ in range(cases))
    ok = stale = 0
    for i in range(SHARED_TRIES):
        seen = cf.view(shared)["version"]
        outcome = cf.act("zhang", "record", shared,
                         {"kind": "document", "title": f"笔录{os.getpid()}-{i}",
                          "officers": ["zhang", "li"], "sha256": "5e" * 32}, seen)
        ok += outcome.ok
        stale += outcome.codes == ["stale_version"]
    pipe.send((accepted, ok, stale, list(LATENCIES)))


def four_processes(url: str, cases: int) -> None:
    """Four client processes at once on one PostgreSQL database."""
    cf = Casefiles(Settings(), SimulatedClock(START), url, drill=DRILL)
    clock = _restart(cf)
    shared = None
    for by, action, payload, _days in STEPS[:2]:
        shared = cf.act(by, action, shared, payload).case_id
    assert shared is not None
    with cf.uow() as uow:
        entries_before = sum(len(uow.history.chain(c)) for c in uow.history.chains())
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for _ in range(4):
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_client, args=(url, cases, shared, there))
        proc.start()
        pipes.append(here)
        procs.append(proc)
    start = time.perf_counter()
    for pipe in pipes:
        pipe.send(True)
    answers = [pipe.recv() for pipe in pipes]
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.join()
    accepted = sum(a[0] for a in answers)
    ok, stale = sum(a[1] for a in answers), sum(a[2] for a in answers)
    latencies = [x for a in answers for x in a[3]]
    with cf.uow() as uow:
        entries = sum(len(uow.history.chain(c)) for c in uow.history.chains())
        breaks = verify_all(uow).breaks
    evidence = len(cf.view(shared)["evidence"])
    sent = accepted + 4 * SHARED_TRIES
    print(f"PostgreSQL, four client processes at once: {accepted} lifecycle actions and "
          f"{4 * SHARED_TRIES} on one shared case in {elapsed:.1f} s "
          f"({sent / elapsed:,.0f} actions/s, p95 {_p95(latencies):.2f} ms)")
    print(f"  shared case: {ok} accepted, {stale} refused stale_version; evidence on it: "
          f"{evidence}; history entries written: {entries - entries_before} of {sent} sent; "
          f"chains broken: {len(breaks)}", flush=True)
    lost = evidence != ok or entries - entries_before != sent or breaks or ok + stale != \
        4 * SHARED_TRIES
    print("  nothing lost" if not lost else "  SOMETHING WAS LOST", flush=True)
    _ = clock
    cf.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--postgres", metavar="URL",
                        default=os.environ.get("CASEFILES_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    sqlite(args.cases)
    if args.postgres:
        postgres(args.postgres, args.cases)
    else:
        print("PostgreSQL: skipped (no --postgres and no CASEFILES_TEST_POSTGRES_URL)")


def _restart(cf: Casefiles) -> SimulatedClock:
    clock = SimulatedClock(START)
    cf.clock = clock
    return clock


if __name__ == "__main__":
    main()
