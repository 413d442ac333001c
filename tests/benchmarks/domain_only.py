"""Benchmark (not a test): the pure domain work of one action — judge, history hash, case
view — with no database, to set beside tests/benchmarks/lifecycle.py's whole-action figure.

    .venv/bin/python tests/benchmarks/domain_only.py
"""
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import lifecycle as L  # noqa: E402
from datetime import timedelta
from casefiles.clock import SimulatedClock
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from casefiles.domain.context import Context, Periods
from casefiles.domain.engine import judge
from casefiles.domain.history import make_entry
from casefiles.domain.view import case_view
import tempfile, pathlib
tmp = tempfile.mkdtemp()
cf = Casefiles(Settings(), SimulatedClock(L.START), f"sqlite:///{tmp}/d.db"); cf.init()
for p in L.PEOPLE: cf.put_person(p)
# build one case up to 'served' through the services, then time judge('pay') in memory
clock = L._restart(cf); cid = None
for by, action, payload, days in L.STEPS[:8]:
    if days: clock.set(clock.now() + timedelta(days=days))
    cid = cf.act(by, action, cid, payload).case_id
with cf.uow() as uow:
    case = uow.cases.get(cid); people = uow.people.get_many(["zhang", "li", "zhao"])
rules = cf.profile.rule_set(case.rule_set_id)
n = 3000; t = time.perf_counter()
for _ in range(n):
    c = copy.copy(case); c.payments = list(case.payments); c.deadlines = [copy.copy(d) for d in case.deadlines]
    ctx = Context(now=clock.now(), actor=people["zhang"], people=people, profile=cf.profile, rules=rules,
                  periods=Periods(cf.calendar), number=lambda k, y: "x")
    j = judge(c, "pay", {"amount": 8000}, ctx)
    assert j.accepted, j.refusals
    e = make_entry(chain=c.id, seq=1, prev_hash=None, case_id=c.id, at=ctx.now, actor="zhang", role="officer",
                   action="pay", payload={"amount": 8000}, result="ok", codes=[], warnings=[], state_before="served",
                   state_after="executing", files=[])
dt = (time.perf_counter() - t) / n
print(f"domain work of one pay action, no database: {dt*1e3:.3f} ms (judge + history hash)")
t = time.perf_counter()
for _ in range(n): case_view(case, rules, clock.now().date())
print(f"case view: {(time.perf_counter()-t)/n*1e3:.3f} ms")
