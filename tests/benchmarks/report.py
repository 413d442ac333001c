"""Benchmark (not a test): the period report (SPEC §7) over 100,000 cases and 100,000
inspections. Prints the time of the half-year and the whole-year report against the goal of
1 s (issue 16).

    .venv/bin/python tests/benchmarks/report.py [--cases 100000] [--inspections 100000]
                                                [--db postgresql://…/empty_database]

The fixture, as tests/benchmarks/inspections.py builds its own: the year of
tests/scenarios/half_year_report.yaml (three inspections, three cases through decisions,
hearing, review, discussion, payments, a reconsideration and a lawsuit) is played through the
services; then its cases and inspections are copied fast, with every record row the report
reads (decisions, penalties, payments, reviews, deadlines, appeals, the inspections' events),
each copy in a sector of its own and moved by whole days over five years, so that every
figure has rows to count across the whole range.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Table, insert, select

from casefiles.adapters import tables as T
from casefiles.adapters.inspection_store import INSPECTION_EVENTS, INSPECTIONS
from casefiles.adapters.repository import CASES, COLLECTIONS, PARTIES, PENALTIES
from casefiles.adapters.types import AwareDateTime
from casefiles.clock import SimulatedClock
from casefiles.replay import load, run
from casefiles.services.app import Casefiles
from casefiles.services.report import period_report
from casefiles.settings import PROJECT_ROOT, Settings

SCENARIO = PROJECT_ROOT / "tests" / "scenarios" / "half_year_report.yaml"
SECTORS = ["non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade", "other"]
APPEALS = T.table_of(T.AppealRow)
# the case's record tables (appeals among them), copied with each case
CASE_TABLES = [PARTIES, PENALTIES, *(table for table, _ in COLLECTIONS.values())]
BATCH = 5000


def _moved(table: Table, row: dict[str, Any], days: int) -> dict[str, Any]:
    """``row`` with each of its dates and timestamps ``days`` later."""
    out = dict(row)
    for column in table.c:
        value = out.get(column.name)
        if value is not None and isinstance(column.type, Date | AwareDateTime):
            out[column.name] = value + timedelta(days=days)
    return out


def _rows(conn: Connection, table: Table, column: str, ids: list[str]) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(table).where(table.c[column].in_(ids)))
            .mappings()]


def _copy_cases(cf: Casefiles, count: int, rng: random.Random) -> None:
    with cf.engine.begin() as conn:
        cases = [dict(r) for r in conn.execute(select(CASES)).mappings()]
        records = {t.name: _rows(conn, t, "case_id", [c["id"] for c in cases])
                   for t in CASE_TABLES}
    for start in range(0, count - len(cases), BATCH):
        new: dict[str, list[dict[str, Any]]] = {t.name: [] for t in [CASES, *CASE_TABLES]}
        for n in range(start, min(start + BATCH, count - len(cases))):
            src = cases[n % len(cases)]
            days, cid = rng.randrange(-4 * 365, 365), str(uuid.uuid4())
            ids: dict[str, str] = {}
            new[CASES.name].append(_moved(CASES, src, days) | {
                "id": cid, "number": f"衡山应急立〔B〕{n + 1}号", "sector": SECTORS[n % 5],
                "history_head": None})
            for table in CASE_TABLES:
                for rec in records[table.name]:
                    if rec["case_id"] != src["id"]:
                        continue
                    row = _moved(table, rec, days) | {"case_id": cid}
                    row["id"] = ids.setdefault(rec["id"], str(uuid.uuid4()))
                    if table is PENALTIES:
                        row["owner_id"] = ids.setdefault(rec["owner_id"], str(uuid.uuid4()))
                    if table.name == "decisions":
                        row["number"] = f"{rec['number']}B{n}"
                    new[table.name].append(row)
        with cf.engine.begin() as conn:
            for table in [CASES, *CASE_TABLES]:
                if new[table.name]:
                    conn.execute(insert(table), new[table.name])


def _copy_inspections(cf: Casefiles, count: int, rng: random.Random) -> None:
    with cf.engine.begin() as conn:
        inspections = [dict(r) for r in conn.execute(select(INSPECTIONS)).mappings()]
        events = _rows(conn, INSPECTION_EVENTS, "inspection_id", [i["id"] for i in inspections])
    for start in range(0, count - len(inspections), BATCH):
        rows, event_rows = [], []
        for n in range(start, min(start + BATCH, count - len(inspections))):
            src = inspections[n % len(inspections)]
            days, iid, sector = rng.randrange(-4 * 365, 365), str(uuid.uuid4()), SECTORS[n % 5]
            unit = f"9143042300{n % 20000:08d}"  # 20,000 units, each inspected several times
            rows.append(_moved(INSPECTIONS, src, days) | {
                "id": iid, "number": f"衡山应急检记〔B〕{n + 1}号", "sector": sector,
                "unit_code": unit})
            event_rows += [_moved(INSPECTION_EVENTS, e, days) | {
                "inspection_id": iid, "sector": sector,
                "unit_code": unit if e["kind"] == "inspection" else None}
                for e in events if e["inspection_id"] == src["id"]]
        with cf.engine.begin() as conn:
            conn.execute(insert(INSPECTIONS), rows)
            conn.execute(insert(INSPECTION_EVENTS), event_rows)


def build(url: str, cases: int, inspections: int) -> Casefiles:
    """The database of ``url`` (empty), filled; the application over it."""
    scenario = load(SCENARIO)
    unmet = [r.line for r in run(SCENARIO, scenario, url) if not r.line["met"]]
    if unmet:
        sys.exit(f"the scenario did not replay: {unmet[0]}")
    cf = Casefiles(Settings(), SimulatedClock(datetime.now().astimezone()), url)
    rng = random.Random(16)
    _copy_cases(cf, cases, rng)
    _copy_inspections(cf, inspections, rng)
    cf.refresh_statistics()
    if cf.engine.dialect.name == "postgresql":
        # a database in use has been through autovacuum: planner statistics, and a visibility
        # map for index-only scans (without it each index entry is checked in the table)
        with cf.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return cf


def timed(cf: Casefiles, start: date, end: date, repeat: int = 5) -> tuple[float, dict[str, Any]]:
    """The median time in seconds of ``repeat`` reports, and the last report."""
    times, report = [], {}
    for _ in range(repeat):
        t = time.perf_counter()
        report = period_report(cf, start, end)
        times.append(time.perf_counter() - t)
    return statistics.median(times), report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--inspections", type=int, default=100_000)
    ap.add_argument("--db", help="an empty database (PostgreSQL); default a scratch SQLite file")
    ap.add_argument("--reuse", action="store_true",
                    help="--db is already filled by an earlier run: only time the reports")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'casefiles.db'}"
        t = time.perf_counter()
        if args.reuse and args.db:
            cf = Casefiles(Settings(), SimulatedClock(datetime.now().astimezone()), url)
        else:
            cf = build(url, args.cases, args.inspections)
            print(f"{cf.engine.dialect.name}: built {args.cases} cases and {args.inspections} "
                  f"inspections in {time.perf_counter() - t:.0f} s")
        for label, start, end in (("half-year", date(2026, 1, 1), date(2026, 6, 30)),
                                  ("year", date(2025, 1, 1), date(2025, 12, 31)),
                                  ("five years", date(2022, 1, 1), date(2026, 12, 31))):
            seconds, report = timed(cf, start, end)
            total = report["total"]
            print(f"{label:10s} {start}..{end}: {seconds * 1000:7.1f} ms (goal 1000 ms) "
                  f"{'ok' if seconds <= 1 else 'OVER'}  inspections {total['inspections']}, "
                  f"cases filed {total['cases']['filed']}, fines decided "
                  f"{total['fines']['decided']} yuan")
        cf.engine.dispose()


if __name__ == "__main__":
    main()
