"""The flows' batch work: the daily deadline sweep and the outbox dispatch, each done once."""

from __future__ import annotations

import multiprocessing
from datetime import datetime
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.domain.timefmt import parse_datetime
from casefiles.services.app import Casefiles
from casefiles.services.work import dispatch, sweep
from casefiles.settings import Settings
from tests.support import DRILL, SMALL_FINE, act, open_bureau, play, until


def _decided_and_published(db_url: str) -> tuple[Casefiles, SimulatedClock, str]:
    """A penalty decided on 2020-06-09 and published at once by the head, not served."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "decide"))
    assert act(cf, clock, "2020-06-09T10:00", "zhao", "publish", case_id).ok
    return cf, clock, case_id


def test_the_sweep_marks_a_missed_deadline_once(db_url: str) -> None:
    """A service deadline passed undone is marked missed in one sweep entry; reruns add none."""
    cf, clock, case_id = _decided_and_published(db_url)
    assert cf.view(case_id)["deadlines"]["service"]["due"] == "2020-06-18"
    clock.set(parse_datetime("2020-06-18T23:00"))
    assert sweep(cf).missed == 0
    clock.set(parse_datetime("2020-06-19T02:00"))
    report = sweep(cf)
    assert (report.checked, report.missed) == (1, 1)
    view = cf.view(case_id)
    assert view["deadlines"]["service"]["status"] == "missed"
    entry = cf.history(case_id)[-1]
    assert (entry.action, entry.actor, entry.role, entry.result) == (
        "sweep", "system", "system", "ok")
    assert (entry.payload, entry.warnings) == ({"missed": ["service"]}, ["service_late"])
    assert entry.seq == view["history_length"]
    for later in ("2020-06-19T03:00", "2020-06-30T09:00"):
        clock.set(parse_datetime(later))
        assert sweep(cf).missed == 0
        assert cf.view(case_id)["history_length"] == view["history_length"]
        assert cf.view(case_id)["version"] == view["version"]


def test_the_sweep_puts_its_warning_on_the_case(db_url: str) -> None:
    """After the sweep the case's warnings include service_late, also when read again."""
    cf, clock, case_id = _decided_and_published(db_url)
    clock.set(parse_datetime("2020-06-22T09:00"))
    assert sweep(cf).missed == 1
    assert "service_late" in cf.view(case_id)["warnings"]


def test_the_dispatch_publishes_a_penalty_decision_once_as_system(db_url: str) -> None:
    """Dispatch publishes a decided penalty as the system person, and a second run does nothing."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "decide"))
    clock.set(parse_datetime("2020-06-10T02:00"))
    first = dispatch(cf)
    assert (first.done, first.failed) == (1, 0)
    view = cf.view(case_id)
    assert view["decision"]["published"] is True
    assert view["deadlines"]["publication"]["status"] == "met"
    published = [e for e in cf.history(case_id) if e.action == "publish"]
    assert [(e.actor, e.role, e.result) for e in published] == [("system", "system", "ok")]
    second = dispatch(cf)
    assert (second.done, second.skipped, second.failed) == (0, 0, 0)
    assert cf.view(case_id)["history_length"] == view["history_length"]


def test_the_dispatch_skips_a_decision_the_head_already_published(db_url: str) -> None:
    """A decision published by hand is not published again by the dispatch."""
    cf, _, case_id = _decided_and_published(db_url)
    length = cf.view(case_id)["history_length"]
    report = dispatch(cf)
    assert (report.done, report.skipped) == (0, 1)
    assert cf.view(case_id)["history_length"] == length
    assert [e.actor for e in cf.history(case_id) if e.action == "publish"] == ["zhao"]


def _dispatch_in_child(url: str, at: datetime, barrier: Any, results: Any) -> None:
    cf = Casefiles(Settings(), SimulatedClock(at), url, drill=DRILL)
    barrier.wait(timeout=60)
    report = dispatch(cf)
    results.put((report.done, report.skipped, report.failed))


def test_two_dispatchers_at_once_publish_a_decision_once(db_url: str) -> None:
    """Two processes dispatching the same outbox together publish the decision exactly once."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "decide"))
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    at = parse_datetime("2020-06-10T02:00")
    children = [spawn.Process(target=_dispatch_in_child, args=(db_url, at, barrier, results))
                for _ in range(2)]
    for child in children:
        child.start()
    reports = sorted(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert sum(done for done, _, _ in reports) == 1 and all(f == 0 for _, _, f in reports)
    assert [e.actor for e in cf.history(case_id) if e.action == "publish"] == ["system"]
    assert cf.view(case_id)["decision"]["published"] is True


def test_the_sweep_leaves_sqlite_statistics_for_its_query_planner(sqlite_url: str) -> None:
    """Without them SQLite takes any index on an equality for a narrow one (an officer's ended
    cases read through the index of all ended cases): the daily sweep refreshes them."""
    cf, _clock, _case_id = _decided_and_published(sqlite_url)
    with cf.uow() as uow:
        assert not uow.conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    sweep(cf)
    with cf.uow() as uow:
        indexes = {r[0] for r in uow.conn.exec_driver_sql(
            "SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases'")}
    assert {"ix_cases_state_sector", "ix_cases_registered_id"} <= indexes
