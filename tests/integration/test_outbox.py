"""The outbox shared by several runs: leases, backoff after failures, parking."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.services.app import Casefiles
from casefiles.services.work import lease, record_failure
from casefiles.settings import Settings
from tests.support import DRILL, START, open_bureau

KIND = "document_issued"


def _queue(cf: Casefiles, n: int) -> list[int]:
    """``n`` outbox items of no case, their ids."""
    with cf.uow(write=True) as uow:
        for i in range(n):
            uow.outbox.add(None, KIND, {"document_id": f"doc-{i}"}, cf.clock.now())
        uow.commit()
    with cf.uow() as uow:
        return [i["id"] for i in uow.outbox.pending(n + 10)]


def _lease_in_child(url: str, at: datetime, name: str, barrier: Any, results: Any) -> None:
    cf = Casefiles(Settings(), SimulatedClock(at), url, drill=DRILL)
    barrier.wait(timeout=60)
    taken: list[int] = []
    while batch := lease(cf, name, [KIND], 3):
        taken += [i["id"] for i in batch]
        assert all(i["leased_by"] == name for i in batch)
    results.put((name, taken))


def test_two_runs_leasing_at_once_never_take_the_same_item(db_url: str) -> None:
    """Two processes leasing small batches from one outbox together: each item goes to exactly
    one of them, and between them they take every item."""
    cf, _clock = open_bureau(db_url)
    ids = _queue(cf, 60)
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    children = [spawn.Process(target=_lease_in_child,
                              args=(db_url, START, name, barrier, results))
                for name in ("worker-a", "worker-b")]
    for child in children:
        child.start()
    taken = dict(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    a, b = taken["worker-a"], taken["worker-b"]
    assert not set(a) & set(b)
    assert sorted(a + b) == ids
    assert len(a) + len(b) == len(ids)


def test_an_expired_lease_returns_the_item_to_other_runs(db_url: str) -> None:
    """Items leased by a run that died are taken by no one until the lease passes, then by the
    next run; an item done meanwhile is not given out again."""
    cf, clock = open_bureau(db_url)
    ids = _queue(cf, 4)
    assert [i["id"] for i in lease(cf, "dead", [KIND], 3)] == ids[:3]
    clock.set(clock.now() + timedelta(seconds=cf.settings.outbox_lease_seconds - 1))
    assert [i["id"] for i in lease(cf, "other", [KIND], 10)] == ids[3:]
    assert lease(cf, "other", [KIND], 10) == []
    with cf.uow(write=True) as uow:
        assert uow.outbox.claim(ids[0], clock.now())
        uow.commit()
    clock.set(clock.now() + timedelta(seconds=2))
    back = lease(cf, "next", [KIND], 10)
    assert [i["id"] for i in back] == ids[1:3]  # the fourth is still "other"'s
    assert {i["leased_by"] for i in back} == {"next"}


def test_a_failed_item_waits_out_a_growing_backoff_then_is_parked(db_url: str) -> None:
    """Each failure keeps its error and holds the item back longer (1, 2, 4, 8 minutes); the
    fifth parks it: no run takes it until someone retries it."""
    cf, clock = open_bureau(db_url)
    [item] = _queue(cf, 1)
    waits = []
    for attempt in range(1, 6):
        assert [i["id"] for i in lease(cf, "run", [KIND], 5)] == [item]
        parked = record_failure(cf, item, f"FileNotFoundError: attempt {attempt}")
        assert parked is (attempt == 5)
        started = clock.now()
        while not lease(cf, "probe", [KIND], 5):
            clock.set(clock.now() + timedelta(seconds=30))
            if clock.now() - started > timedelta(hours=2):
                break
        waits.append(clock.now() - started)
        if not parked:
            with cf.uow(write=True) as uow:  # give the probe's lease back for the next round
                uow.outbox.release([item], "probe")
                uow.commit()
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[4] > timedelta(hours=2)  # parked: never taken
    with cf.uow() as uow:
        [failing] = uow.outbox.failing()
    assert failing["id"] == item and failing["parked_at"] is not None
    assert failing["attempts"] == 5 and failing["last_error"].endswith("attempt 5")
    with cf.uow(write=True) as uow:
        assert uow.outbox.retry(item)
        uow.commit()
    assert [i["id"] for i in lease(cf, "run", [KIND], 5)] == [item]
