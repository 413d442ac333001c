"""Benchmark (not a test): inspections beside cases in a scratch SQLite database, and the pages
an officer and the head open every day: the officer's open inspections (/inspections) and the
head's 检查督办 (/queue/inspections), through the web application in this process (TestClient),
signed in. Prints p50 and p95. Goal: p95 under 100 ms with 100,000 of each.

    .venv/bin/python tests/benchmarks/inspections.py [--inspections 100000] [--cases 100000]
                                                     [--requests 200]

The fixture: 20 inspections are played through the services (recorded, ordered, some sealed,
some rechecked); the rest are inserted fast as copies of their rows, spread over 50 officers,
every sector and five years. Cases are copies of one registered case (rows of ``cases`` and
``case_officers``), so that both tables share the database as they would in a bureau.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from casefiles.adapters.inspection_store import INSPECTION_OFFICERS, INSPECTIONS
from casefiles.adapters.repository import CASE_OFFICERS, CASES
from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services import inspections as S
from casefiles.services.app import Casefiles
from casefiles.settings import PROJECT_ROOT, Settings
from casefiles.web import create_app
from casefiles.web.security import hash_password

PASSWORD = "benchmark-pass-1"
OFFICERS = [f"officer{i:02d}" for i in range(50)]
TODAY = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
SECTORS = ["non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade", "other"]
STATES = ["closed", "closed", "closed", "open", "rectifying", "uncorrected"]


def _templates(cf: Casefiles, clock: SimulatedClock) -> list[str]:
    sys.path.insert(0, str(PROJECT_ROOT))
    from tests.support import MINE

    ids = []
    for i in range(20):
        clock.set(TODAY - timedelta(days=20))
        o = S.act(cf, "officer00", "inspect", None, {
            "unit": MINE, "sector": SECTORS[i % 5], "place": "现场",
            "officers": ["officer00", "officer01"], "signed_by": "刘建国",
            "hazards": [{"ref": "h1", "description": "防护罩缺失", "level":
                         "major" if i % 10 == 0 else "general", "provision": "WSL-99-1",
                         "fix": "deadline"}]})
        insp = o.case_id or ""
        S.act(cf, "officer00", "order", insp, {"hazards": ["h1"], "deadline": "2026-11-20"})
        if i % 7 == 0:
            S.act(cf, "officer00", "measures", insp, {
                "measures": [{"ref": "m1", "type": "seal", "object": "设备", "hazards": ["h1"]}],
                "officers": ["officer00", "officer01"], "approved_by": "zhao"})
        ids.append(insp)
    return ids


def build(data_dir: Path, inspections: int, cases: int) -> tuple[Casefiles, SimulatedClock]:
    """The scratch database; the application over it on the benchmark's day."""
    clock = SimulatedClock(TODAY - timedelta(days=20))
    cf = Casefiles(Settings(data_dir=data_dir, secret_key="bench"), clock,
                   f"sqlite:///{data_dir / 'casefiles.db'}")
    cf.init()
    pw = hash_password(PASSWORD)
    sys.path.insert(0, str(PROJECT_ROOT))
    from tests.support import ORGANISATION, PEOPLE

    for p in [*PEOPLE, *(Person(o, f"执法{o[-2:]}", ["officer"], f"湘04{o[-2:]}")
                         for o in OFFICERS)]:
        cf.put_person(p, password_hash=pw)
    templates = _templates(cf, clock)
    case = cf.act("officer00", "register", None, {
        "source": "inspection", "sector": "other", "party": ORGANISATION, "summary": "基准",
        "violation_date": "2026-10-01"}).case_id
    rng = random.Random(15)
    with cf.engine.begin() as conn:
        rows = [dict(r) for r in conn.execute(select(INSPECTIONS).where(
            INSPECTIONS.c.id.in_(templates))).mappings()]
        case_row = dict(conn.execute(select(CASES).where(CASES.c.id == case)).mappings().one())
    batch = 5000
    for start in range(0, max(inspections - len(templates), 0), batch):
        new, officers = [], []
        for n in range(start, min(start + batch, inspections - len(templates))):
            src = rows[n % len(rows)]
            iid, officer = str(uuid.uuid4()), OFFICERS[n % len(OFFICERS)]
            when = TODAY - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            state = STATES[n % len(STATES)] if (TODAY - when).days < 60 else "closed"
            new.append(src | {"id": iid, "number": f"衡山应急检记〔B〕{n + 1}号", "state": state,
                              "sector": SECTORS[n % 5], "inspected_at": when,
                              "inspected_by": officer,
                              "major_hazard": state != "closed" and n % 50 == 0,
                              "next_due": None if state == "closed" else
                              (when + timedelta(days=14)).date(),
                              "held_until": None})
            officers += [{"inspection_id": iid, "person_id": p, "inspected_at": when}
                         for p in (officer, OFFICERS[(n + 1) % len(OFFICERS)])]
        with cf.engine.begin() as conn:
            conn.execute(insert(INSPECTIONS), new)
            conn.execute(insert(INSPECTION_OFFICERS), officers)
    for start in range(0, max(cases - 1, 0), batch):
        new, officers = [], []
        for n in range(start, min(start + batch, cases - 1)):
            cid = str(uuid.uuid4())
            when = TODAY - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            new.append(case_row | {"id": cid, "number": f"衡山应急立〔B〕{n + 1}号",
                                   "registered_at": when,
                                   "registered_by": OFFICERS[n % len(OFFICERS)]})
            officers.append({"case_id": cid, "person_id": OFFICERS[n % len(OFFICERS)],
                             "registered_at": when})
        with cf.engine.begin() as conn:
            conn.execute(insert(CASES), new)
            conn.execute(insert(CASE_OFFICERS), officers)
    clock.set(TODAY)
    cf.refresh_statistics()
    return cf, clock


def measure(client: TestClient, path: str, requests: int) -> list[float]:
    """Latencies in ms of ``requests`` GETs of ``path``."""
    out = []
    for _ in range(requests):
        t = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200 and "<h1>检查" in r.text, r.text[:300]
    return out


def main() -> None:
    """Build, sign in, measure, print."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--inspections", type=int, default=100_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        t = time.perf_counter()
        cf, _ = build(Path(tmp), args.inspections, args.cases)
        print(f"built {args.inspections} inspections and {args.cases} cases in "
              f"{time.perf_counter() - t:.0f} s")
        for who, path in (("officer07", "/inspections"), ("zhao", "/queue/inspections"),
                          ("zhao", "/inspections?state=uncorrected")):
            with TestClient(create_app(cf)) as client:
                page = client.get("/signin").text
                token = page.split('name="csrf" value="')[1].split('"')[0]
                client.post("/signin", data={"csrf": token, "person_id": who,
                                             "password": PASSWORD, "next": "/"})
                ms: Any = measure(client, path, args.requests)
            q = statistics.quantiles(ms, n=20)
            print(f"{who:10s} {path:34s} p50 {statistics.median(ms):6.1f} ms  "
                  f"p95 {q[18]:6.1f} ms")
        cf.engine.dispose()


if __name__ == "__main__":
    main()
