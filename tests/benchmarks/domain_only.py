"""Benchmark (not a test): the pure domain work of one action — judge, history hash, case
view — with no database, to set beside tests/benchmarks/lifecycle.py's whole-action figure.

    .venv/bin/python tests/benchmarks/domain_only.py
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import lifecycle as L

from casefiles.clock import SimulatedClock
from casefiles.domain.context import Context, Periods
from casefiles.domain.engine import judge
from casefiles.domain.history import make_entry
from casefiles.domain.view import case_view
from casefiles.services.app import Casefiles
from casefiles.settings import Settings

ROUNDS = 3000


def main() -> None:
    """Build one served case through the services, then time a payment on it in memory."""
    with tempfile.TemporaryDirectory() as tmp:
        cf = Casefiles(Settings(), SimulatedClock(L.START), f"sqlite:///{tmp}/domain.db",
                       drill=L.DRILL)
        cf.init()
        for person in L.PEOPLE:
            cf.put_person(person)
        clock, case_id = L._restart(cf), None
        for by, action, payload, days in L.STEPS[:8]:  # register … serve
            if days:
                clock.set(clock.now() + timedelta(days=days))
            case_id = cf.act(by, action, case_id, payload).case_id
        with cf.uow() as uow:
            case = uow.cases.get(str(case_id))
            people = uow.people.get_many(["zhang", "li", "zhao"])
        cf.engine.dispose()
    assert case is not None
    rules = cf.profile.rule_set(case.rule_set_id)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        fresh = copy.copy(case)
        fresh.payments = list(case.payments)
        fresh.deadlines = [copy.copy(d) for d in case.deadlines]
        ctx = Context(now=clock.now(), actor=people["zhang"], people=people, profile=cf.profile,
                      rules=rules, periods=Periods(cf.calendar))
        judged = judge(fresh, "pay", {"amount": 8000}, ctx)
        assert judged.accepted, judged.refusals
        make_entry(chain=fresh.id, seq=1, prev_hash=None, case_id=fresh.id, at=ctx.now,
                   actor="zhang", role="officer", action="pay", payload={"amount": 8000},
                   result="ok", codes=[], warnings=[], state_before="served",
                   state_after="executing", files=[])
    judged_ms = (time.perf_counter() - start) / ROUNDS * 1e3
    start = time.perf_counter()
    for _ in range(ROUNDS):
        case_view(case, rules, clock.now().date())
    view_ms = (time.perf_counter() - start) / ROUNDS * 1e3
    print(f"domain work of one pay action, no database: {judged_ms:.3f} ms "
          "(judge + history hash)")
    print(f"case view: {view_ms:.3f} ms")


if __name__ == "__main__":
    main()
