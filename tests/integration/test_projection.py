"""The record tables beside each case's document are written by the action itself, in its own
transaction: what they say is exactly the case at every moment, on SQLite and PostgreSQL, and
the migrations that built documents from them (0005) and retired the catching-up (0009) keep
that true."""

from __future__ import annotations

import dataclasses
import importlib
import json

from alembic import command
from sqlalchemy import func, inspect, select, text

from casefiles.adapters.aggregate import decode
from casefiles.adapters.db import alembic_config, engine_for
from casefiles.adapters.repository import COLLECTIONS
from casefiles.clock import SimulatedClock
from casefiles.domain import model as M
from casefiles.domain.timefmt import parse_datetime
from casefiles.services.app import Casefiles
from casefiles.services.queries import list_cases, upcoming_deadlines
from tests.support import MAJOR_FINE, SMALL_FINE, START, in_2026, open_bureau, play, until

DEADLINES = COLLECTIONS["deadlines"][0]
_0005 = importlib.import_module("casefiles.adapters.migrations.versions.0005_case_documents")


def tables_say(cf: Casefiles, case_id: str) -> M.Case:
    """The case as its row and record tables hold it, read as migration 0005 reads them."""
    with cf.uow() as uow:
        tables = {name: _0005._frozen(uow.conn, name) for name in
                  ["cases", "parties", "penalties", *_0005._RECORDS.values()]}
        doc = _0005._document(uow.conn, tables, case_id)
    return decode(json.dumps(doc, default=_0005._json_value))


def test_after_every_action_the_tables_hold_exactly_the_case(db_url: str) -> None:
    """Cases at every stage of two whole lifecycles read back from the record tables equal to
    their documents, with nothing to catch up."""
    cf, clock = open_bureau(db_url)
    for steps in (MAJOR_FINE, SMALL_FINE, until(SMALL_FINE, "propose")):
        clock = SimulatedClock(START)  # each case lives through the same weeks
        cf.clock = clock
        case_id = play(cf, clock, steps)
        assert tables_say(cf, case_id) == cf.case(case_id)


def test_a_later_action_updates_the_rows_it_changed_without_adding_any_twice(
        db_url: str) -> None:
    """A met deadline, a new record: the rows change with the action, none is doubled."""
    cf, clock = open_bureau(db_url)
    steps = until(SMALL_FINE, "notify")
    case_id = play(cf, clock, steps)
    play(cf, clock, SMALL_FINE[len(steps):], case_id)
    case = cf.case(case_id)
    assert tables_say(cf, case_id) == case
    with cf.uow() as uow:
        rows = uow.conn.execute(select(func.count()).select_from(DEADLINES)
                                .where(DEADLINES.c.case_id == case_id)).scalar_one()
    assert rows == len(case.deadlines)


def test_lists_show_a_case_the_moment_it_is_registered(db_url: str) -> None:
    """Nobody waits for a flow run to see their case in a list."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    assert [r["id"] for r in list_cases(cf)] == [case_id]
    assert {d["case_id"] for d in upcoming_deadlines(cf, within_days=400)} == {case_id}


def test_migration_0005_builds_each_document_from_the_tables(db_url: str) -> None:
    """A database from before 0005 (its cases only in the record tables) upgrades to documents
    equal to the cases it held, and its cases go on: the next action is accepted. (A case of
    today: a database of that time held no drills, which 0007 brought.)"""
    # From 2026 a *-late provision needs a recheck that found the order unmet (SPEC §6 I7); this
    # case of today is fined for training instead, within that provision's range.
    major = [(at, by, action, {**payload, "violations": [
        {"code": "WSL-97-3", "tier": "一般",
         "facts": "未按规定对从业人员进行安全生产教育和培训"}]})
        if action == "propose" and payload else (at, by, action, payload)
        for at, by, action, payload in in_2026(MAJOR_FINE)]
    cf, clock = open_bureau(db_url, start=parse_datetime(major[0][0]), drill=None)
    steps = until(major, "notify")
    case_id = play(cf, clock, steps)
    before = cf.case(case_id)
    command.downgrade(alembic_config(db_url), "0004")
    with engine_for(db_url).connect() as conn:
        assert "doc" not in {c["name"] for c in inspect(conn).get_columns("cases")}
    command.upgrade(alembic_config(db_url), "head")
    # 0007 keeps the party's code in its column (the earlier-cases query reads that), not in
    # the documents 0005 built
    assert dataclasses.replace(cf.case(case_id), party_code=before.party_code) == before
    play(cf, clock, major[len(steps):len(steps) + 1], case_id)
    assert cf.case(case_id).version == before.version + 1


def test_migration_0009_projects_the_cases_still_waiting_then_drops_the_mark(
        db_url: str) -> None:
    """A database of 0008 whose last action's rows were not yet projected (a case marked
    waiting, its deadlines and penalties missing) upgrades to tables that hold the case."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "notify"))
    command.downgrade(alembic_config(db_url), "0008")
    with engine_for(db_url).begin() as conn:
        for name in ("deadlines", "penalties"):
            conn.execute(text(f"DELETE FROM {name} WHERE case_id = :c"), {"c": case_id})
        conn.execute(text("UPDATE cases SET projected = false WHERE id = :c"), {"c": case_id})
    command.upgrade(alembic_config(db_url), "head")
    with engine_for(db_url).connect() as conn:
        assert "projected" not in {c["name"] for c in inspect(conn).get_columns("cases")}
    assert tables_say(cf, case_id) == cf.case(case_id)
