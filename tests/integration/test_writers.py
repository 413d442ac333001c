"""Writers at once, on SQLite and PostgreSQL: each action holds its case (and the counters it
numbers from) until it commits, so nothing is lost, no document number is given twice or
skipped, and every chain verifies."""

from __future__ import annotations

import re
import threading
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.domain.timefmt import parse_datetime
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from casefiles.settings import Settings
from tests.support import DRILL, SHA_A, SHA_B, SMALL_FINE, START, open_bureau, play, until


def _evidence(title: str, sha: str = SHA_A) -> dict[str, Any]:
    return {"kind": "document", "title": title, "officers": ["zhang", "li"], "sha256": sha}


def test_an_action_sent_against_an_old_version_is_refused_stale_and_recorded(
        db_url: str) -> None:
    """With the version the user saw, a second writer is refused ``stale_version`` once the
    first has written; the refusal is in the history and only the first one's evidence."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    version = cf.view(case_id)["version"]
    other = Casefiles(Settings(), clock, cf.url, drill=DRILL)
    assert other.act("li", "record", case_id, _evidence("乙的笔录", SHA_B), version).ok
    outcome = cf.act("zhang", "record", case_id, _evidence("甲的笔录"), version)
    assert (outcome.result, outcome.codes) == ("refused", ["stale_version"])
    view = cf.view(case_id)
    assert [e["title"] for e in view["evidence"]] == ["乙的笔录"]
    assert view["version"] == version + 1
    last = cf.history(case_id)[-1]
    assert (last.actor, last.result, last.codes) == ("zhang", "refused", ["stale_version"])
    with cf.uow() as uow:
        assert verify_all(uow).breaks == []


def test_four_threaded_writers_on_sixteen_cases_lose_nothing(db_url: str) -> None:
    """Four writers (threads, each its own application, as web workers are) take four cases
    each through filing and notice at once: every action is accepted, every document number
    of a kind is given once with no gap, and every chain verifies."""
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
        ids = list(uow.cases.ids())
        assert verify_all(uow).breaks == []
    assert len(ids) == 16
    for case_id in ids:
        for doc in cf.view(case_id)["documents"]:
            kind, serial = re.match(r"(.*)〔\d{4}〕(\d+)号", doc["number"]).groups()  # type: ignore[union-attr]
            numbers.setdefault(kind, []).append(int(serial))
    assert numbers and all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())


def test_refusals_of_unknown_actions_at_once_keep_the_bureau_chain_whole(db_url: str) -> None:
    """Refusals that belong to no case go to the bureau's chain: four threads at once each
    append theirs in turn, and the chain verifies with every one of them."""
    cf, _clock = open_bureau(db_url)

    def writer() -> None:
        mine = Casefiles(Settings(), SimulatedClock(START), cf.url, drill=DRILL)
        for _ in range(5):
            assert not mine.act("zhang", "no_such_action", None, {}).ok

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    with cf.uow() as uow:
        refused = [e for e in uow.history.chain("bureau") if e.action == "no_such_action"]
        assert verify_all(uow).breaks == []
    assert len(refused) == 20
