"""An action is judged without the database's write lock and written behind, on condition that
what it was judged on did not change. Here another writer changes it in between, on purpose,
on SQLite and PostgreSQL: nothing is lost, nothing is written twice, the history verifies."""

from __future__ import annotations

import fcntl
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError

from casefiles.adapters.stores import COUNTERS, HISTORY
from casefiles.clock import SimulatedClock
from casefiles.services import app as app_module
from casefiles.services.app import Casefiles
from casefiles.domain.history import make_entry
from casefiles.services.audit import verify_all
from casefiles.services.uow import WroteWhileReadingError
from casefiles.settings import Settings
from casefiles.domain.timefmt import parse_datetime
from tests.support import DRILL, SHA_A, SHA_B, SMALL_FINE, START, open_bureau, play, until


@contextmanager
def meanwhile(monkeypatch: pytest.MonkeyPatch, other: Callable[[], Any]) -> Iterator[list[Any]]:
    """While the next action is being judged (after its reads, before its writes), run
    ``other`` once: another writer's action, committed in between. Its outcome is kept."""
    judge = app_module.judge
    done: list[Any] = []

    def judge_and_interfere(*args: Any, **kwargs: Any) -> Any:
        if not done:
            done.append(None)
            done[0] = other()
        return judge(*args, **kwargs)

    monkeypatch.setattr(app_module, "judge", judge_and_interfere)
    yield done
    monkeypatch.setattr(app_module, "judge", judge)


def _second(cf: Casefiles, clock: SimulatedClock) -> Casefiles:
    """Another application on the same database and clock (as a second process would be)."""
    return Casefiles(Settings(), clock, cf.url, drill=DRILL)


def _evidence(title: str, sha: str = SHA_A) -> dict[str, Any]:
    return {"kind": "document", "title": title, "officers": ["zhang", "li"], "sha256": sha}


def test_an_action_whose_case_changed_meanwhile_is_judged_again_on_the_new_case(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an expected version, the later writer's action is judged again on what the
    first left: both pieces of evidence are kept, in the order they were committed."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    other = _second(cf, clock)
    with meanwhile(monkeypatch, lambda: other.act("li", "record", case_id,
                                                  _evidence("乙的笔录", SHA_B))) as first:
        outcome = cf.act("zhang", "record", case_id, _evidence("甲的笔录"))
    assert first[0].ok and outcome.ok
    assert cf.conflicts == 1
    view = cf.view(case_id)
    assert [e["title"] for e in view["evidence"]] == ["乙的笔录", "甲的笔录"]
    history = cf.history(case_id)
    assert [(e.actor, e.action, e.result) for e in history[-2:]] == [
        ("li", "record", "ok"), ("zhang", "record", "ok")]
    with cf.uow() as uow:
        assert verify_all(uow).breaks == []


def test_an_action_sent_against_a_version_that_changed_meanwhile_is_refused_stale(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the version the user saw, the second writer is refused ``stale_version``, and
    the refusal is in the history; only the first writer's evidence is there."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    version = cf.view(case_id)["version"]
    other = _second(cf, clock)
    with meanwhile(monkeypatch, lambda: other.act("li", "record", case_id,
                                                  _evidence("乙的笔录", SHA_B), version)):
        outcome = cf.act("zhang", "record", case_id, _evidence("甲的笔录"), version)
    assert (outcome.result, outcome.codes) == ("refused", ["stale_version"])
    view = cf.view(case_id)
    assert [e["title"] for e in view["evidence"]] == ["乙的笔录"]
    assert view["version"] == version + 1
    last = cf.history(case_id)[-1]
    assert (last.actor, last.result, last.codes) == ("zhang", "refused", ["stale_version"])
    with cf.uow() as uow:
        assert verify_all(uow).breaks == []


def test_document_numbers_taken_meanwhile_are_not_given_twice(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cases filed at once on different cases: the one judged first but committed second
    takes the next number, not the same one; the numbers have no gap."""
    cf, clock = open_bureau(db_url)
    register = until(SMALL_FINE, "register")
    first_case, second_case = play(cf, clock, register), play(cf, clock, register)
    other = _second(cf, clock)
    filing = {"investigators": ["zhang", "li"], "cause": "未培训"}
    with meanwhile(monkeypatch, lambda: other.act("zhao", "file", second_case, filing)):
        outcome = cf.act("zhao", "file", first_case, filing)
    assert outcome.ok  # judged again on SQLite, whose reads see the transaction's snapshot
    numbers = [cf.view(c)["number"] for c in (second_case, first_case)]
    serials = [int(re.search(r"〔\d{4}〕(\d+)号", n).group(1)) for n in numbers]  # type: ignore[union-attr]
    assert serials[1] == serials[0] + 1, numbers


def test_the_reading_transaction_of_an_action_cannot_write(db_url: str) -> None:
    """A statement that writes before the lock is taken, around the stores, is refused (by
    PostgreSQL at once, on SQLite at commit) and undone, never committed ahead of the checks."""
    cf, _clock = open_bureau(db_url)
    with pytest.raises((DBAPIError, WroteWhileReadingError)):
        with cf.uow(write=True, behind=True) as uow:
            uow.history.append(make_entry(
                chain="bureau", seq=1_000, prev_hash=None, case_id=None, at=START,
                actor="zhang", role=None, action="note", payload={}, result="ok", codes=[],
                warnings=[], state_before=None, state_after=None, files=[]))
            uow.conn.execute(insert(COUNTERS).values(kind="罚", year=2020, last=7))
            uow.commit()
    with cf.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(HISTORY)
                                .where(HISTORY.c.seq == 1_000)).scalar_one() == 0
        assert uow.conn.execute(select(func.count()).select_from(COUNTERS)).scalar_one() == 0
    # and the connection it used writes normally afterwards
    assert cf.act("zhang", "register", None, SMALL_FINE[0][3]).ok


def test_writers_of_one_sqlite_file_wait_at_its_gate(tmp_path: Any) -> None:
    """While something holds the writers' gate, an action waits there, having written
    nothing; it goes through the moment the gate is let go."""
    cf, clock = open_bureau(f"sqlite:///{tmp_path / 'gate.db'}")
    clock.set(START)
    fd = os.open(str(tmp_path / "gate.db-writers"), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    outcomes: list[Any] = []
    worker = threading.Thread(target=lambda: outcomes.append(
        cf.act("zhang", "register", None, SMALL_FINE[0][3])))
    worker.start()
    try:
        worker.join(timeout=0.5)
        assert worker.is_alive() and not outcomes
        with cf.uow() as uow:  # readers are not held up by the gate
            assert uow.conn.execute(select(func.count()).select_from(HISTORY)
                                    .where(HISTORY.c.action == "register")).scalar_one() == 0
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    worker.join(timeout=30)
    assert outcomes and outcomes[0].ok


def test_a_writer_opened_inside_another_on_the_same_thread_fails_at_once(tmp_path: Any) -> None:
    """It would wait at the gate for itself for ever: it is refused instead, and the outer
    unit of work goes on to commit."""
    cf, _clock = open_bureau(f"sqlite:///{tmp_path / 'nested.db'}")
    with cf.uow(write=True) as outer:
        with pytest.raises(RuntimeError, match="wait for itself"), cf.uow(write=True):
            pass
        outer.counters.next("罚", 2020)
        outer.commit()
    with cf.uow() as uow:
        assert uow.conn.execute(select(COUNTERS.c.last)).scalar_one() == 1


def test_writers_at_once_on_many_cases_lose_nothing_and_number_without_gaps(
        db_url: str) -> None:
    """Four writers (threads, each its own application, as web workers are) take cases
    through filing and notice at once: every action is accepted, every document number of a
    kind is given once with no gap, and every chain verifies."""
    cf, _clock = open_bureau(db_url)
    steps = until(SMALL_FINE, "notify")
    outcomes: list[list[Any]] = [[] for _ in range(4)]

    def writer(n: int) -> None:
        mine = Casefiles(Settings(), SimulatedClock(START), cf.url, drill=DRILL)
        for _ in range(4):
            case_id = None
            for at, by, action, payload in steps:
                mine.clock.set(max(mine.clock.now(), parse_datetime(at)))
                outcome = mine.act(by, action, case_id, payload)
                outcomes[n].append(outcome)
                case_id = outcome.case_id

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    done = [o for per in outcomes for o in per]
    assert len(done) == 4 * 4 * len(steps) and all(o.ok for o in done), \
        [(o.action, o.codes) for o in done if not o.ok]
    numbers: dict[str, list[int]] = {}
    with cf.uow() as uow:
        for case_id in uow.cases.ids():
            for doc in cf.view(case_id)["documents"]:
                kind, serial = re.match(r"(.*)〔\d{4}〕(\d+)号", doc["number"]).groups()  # type: ignore[union-attr]
                numbers.setdefault(kind, []).append(int(serial))
        assert verify_all(uow).breaks == []
    assert numbers and all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
