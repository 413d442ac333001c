"""The record tables are projections of each case's document: an action writes the document,
and ``Casefiles.catch_up`` (the flows, and every list before it reads) brings the tables up to
date. What the tables say must be exactly the case, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from alembic import command
from sqlalchemy import func, inspect, select

from casefiles.adapters.db import alembic_config, engine_for
from casefiles.adapters.repository import CASES, COLLECTIONS, UNPROJECTED
from casefiles.services.queries import list_cases, upcoming_deadlines
from casefiles.clock import SimulatedClock
from casefiles.domain.timefmt import parse_datetime
from tests.support import MAJOR_FINE, SMALL_FINE, START, in_2026, open_bureau, play, until

DEADLINES = COLLECTIONS["deadlines"][0]


def _unprojected(cf) -> int:  # type: ignore[no-untyped-def]
    with cf.uow() as uow:
        return int(uow.conn.execute(select(func.count()).select_from(CASES)
                                    .where(CASES.c.projected.is_(False))).scalar_one())


def test_after_catching_up_the_tables_hold_exactly_each_case(db_url: str) -> None:
    """Cases at every stage of two whole lifecycles read back from the record tables equal to
    their documents; a second catch-up has nothing to do."""
    ids = []
    cf, clock = open_bureau(db_url)
    for steps in (MAJOR_FINE, SMALL_FINE, until(SMALL_FINE, "propose")):
        clock = SimulatedClock(START)  # each case lives through the same weeks
        cf.clock = clock
        ids.append(play(cf, clock, steps))
    assert _unprojected(cf) == 3
    assert cf.catch_up(batch=2) == 3  # in two batches
    assert _unprojected(cf) == 0 and cf.catch_up() == 0
    with cf.uow() as uow:
        for case_id in ids:
            assert uow.cases.from_tables(case_id) == uow.cases.get(case_id)


def test_an_action_after_catching_up_is_projected_by_the_next(db_url: str) -> None:
    """A later action marks its case again, and the next catch-up updates the rows it changed
    (a met deadline, a new record) without adding any twice."""
    cf, clock = open_bureau(db_url)
    steps = until(SMALL_FINE, "notify")
    case_id = play(cf, clock, steps)
    cf.catch_up()
    rest = SMALL_FINE[len(steps):]
    play(cf, clock, rest, case_id)
    assert _unprojected(cf) == 1
    cf.catch_up()
    with cf.uow() as uow:
        case = uow.cases.get(case_id)
        assert uow.cases.from_tables(case_id) == case
        rows = uow.conn.execute(select(func.count()).select_from(DEADLINES)
                                .where(DEADLINES.c.case_id == case_id)).scalar_one()
    assert case is not None and rows == len(case.deadlines)


def test_lists_show_a_case_the_moment_it_is_registered(db_url: str) -> None:
    """Nobody waits for a flow run to see their case in a list: the lists catch up first."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    assert [r["id"] for r in list_cases(cf)] == [case_id]
    assert {d["case_id"] for d in upcoming_deadlines(cf, within_days=400)} == {case_id}


def test_migration_0005_builds_each_document_from_the_tables(db_url: str) -> None:
    """A database from before 0005 (its cases only in the record tables) upgrades to documents
    equal to the cases it held, and its cases go on: the next action is accepted. (A case of
    today: a database of that time held no drills, which 0007 brought.)"""
    major = in_2026(MAJOR_FINE)
    cf, clock = open_bureau(db_url, start=parse_datetime(major[0][0]), drill=None)
    steps = until(major, "notify")
    case_id = play(cf, clock, steps)
    before = cf.case(case_id)
    command.downgrade(alembic_config(db_url), "0004")  # projects every case, drops the docs
    with engine_for(db_url).connect() as conn:
        assert "doc" not in {c["name"] for c in inspect(conn).get_columns("cases")}
    command.upgrade(alembic_config(db_url), "head")
    # 0007 keeps the party's code in its column (the earlier-cases query reads that), not in
    # the documents 0005 built
    assert dataclasses.replace(cf.case(case_id), party_code=before.party_code) == before
    assert _unprojected(cf) == 0
    play(cf, clock, major[len(steps):len(steps) + 1], case_id)
    assert cf.case(case_id).version == before.version + 1


def test_finding_the_waiting_cases_reads_only_the_index_of_those(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every list asks first whether any case waits: on SQLite the planner answers from the
    partial index of waiting cases, never by reading every case."""
    cf, _ = open_bureau(f"sqlite:///{tmp_path / 'plan.db'}")
    sql = str(UNPROJECTED.limit(1).compile(cf.engine, compile_kwargs={"literal_binds": True}))
    with cf.uow() as uow:
        plan = " ".join(str(r[-1]) for r in uow.conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "USING INDEX ix_cases_unprojected" in plan, plan
