"""Benchmark (not a test): 100,000 cases in a scratch SQLite database, the web application
served by uvicorn in one process (or ``--workers`` processes sharing the port), and concurrent
requests from this process on loopback to the case-list pages and the case page; prints p50 and
p95 latency. Goal: p95 under 100 ms, for the searches too (part of a party's name, a filing number, a
credit code, an officer: issue 14).

    .venv/bin/python tests/benchmarks/web_latency.py [--cases 100000] [--requests 400]
                                                     [--concurrency 8] [--workers 2]
                                                     [--in-process]

``--in-process`` measures the searches' list queries in this process, without HTTP: the CPU
time of one search, which does not swing with the machine's load as latency does.

The fixture: 20 cases are played through the whole lifecycle by the services (their pages
carry a real, verifiable history); the rest are inserted fast as copies of those cases' rows
(case, party, deadlines, proposals, penalties, evidence, documents; no history and no decision
rows), spread over 50 officers and every sector, registered over the five years before the
server's today: cases of the last 120 days are in the active states with their decision
deadline open (overdue after 90 days), older ones ended with every deadline done.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select

from casefiles.adapters.aggregate import decode, encode
from casefiles.adapters.repository import CASE_OFFICERS, CASES, COLLECTIONS, PARTIES, PENALTIES
from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles
from casefiles.settings import PROJECT_ROOT, Settings
from casefiles.web.security import hash_password

START = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)  # as tests/support.py

PASSWORD = "benchmark-pass-1"
OFFICERS = [f"officer{i:02d}" for i in range(50)]
ACTIVE = ["registered", "investigating", "proposed", "notified", "hearing", "legal_review",
          "decided", "served", "executing"]
ENDED = ["archived", "archived", "archived", "closed", "not_filed", "terminated"]
TODAY = START + timedelta(days=5 * 365)
SECTORS = ["non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade", "other"]
CHILDREN = ["deadlines", "proposals", "evidence", "documents"]


def build(data_dir: Path, total: int) -> str:
    """The scratch database with ``total`` cases; returns its URL."""
    url = f"sqlite:///{data_dir / 'casefiles.db'}"
    clock = SimulatedClock(START)
    sys.path.insert(0, str(PROJECT_ROOT))  # the shared test cases
    from tests.support import DRILL, MAJOR_FINE, PEOPLE, SMALL_FINE, play

    # the shared cases are of 2020, before the rule sets: a drill world, which lists show
    cf = Casefiles(Settings(data_dir=data_dir, secret_key="bench", show_drills=True), clock, url,
                   drill=DRILL)
    cf.init()
    pw = hash_password(PASSWORD)

    for p in [*PEOPLE, *(Person(o, f"执法{o[-2:]}", ["officer"], f"湘04{o[-2:]}") for o in
                         OFFICERS)]:
        cf.put_person(p, password_hash=pw)
    templates = []
    for i in range(20):
        clock = SimulatedClock(START)  # each template case replays the same days
        cf.clock = clock
        templates.append(play(cf, clock, MAJOR_FINE if i % 2 else SMALL_FINE))
    _clone(cf, templates, total - len(templates))
    return url


def _cloned_doc(doc: str, fields: dict[str, Any]) -> str:
    """The template's case document with the clone's own columns (its records keep the
    template's: the pages measured read them the same way)."""
    case = decode(doc)
    for name, value in fields.items():
        setattr(case, name, CaseState(value) if name == "state" else value)
    return encode(case)


def _clone(cf: Casefiles, template_ids: list[str], count: int) -> None:
    tables = {name: COLLECTIONS[name][0] for name in CHILDREN}
    with cf.engine.begin() as conn:
        cases = [dict(r) for r in conn.execute(select(CASES).where(
            CASES.c.id.in_(template_ids))).mappings()]
        parties = {r["case_id"]: dict(r) for r in conn.execute(select(PARTIES)).mappings()}
        kids = {n: [dict(r) for r in conn.execute(select(t).where(t.c.case_id.in_(
            template_ids))).mappings()] for n, t in tables.items()}
        pens = [dict(r) for r in conn.execute(select(PENALTIES)).mappings()]
    rng = random.Random(7)
    batch = 5000
    for start in range(0, count, batch):
        rows: dict[str, list[dict[str, Any]]] = {"cases": [], "parties": [], "penalties": [],
                                                 "officers": []}
        rows.update({n: [] for n in CHILDREN})
        for n in range(start, min(start + batch, count)):
            src = cases[n % len(cases)]
            cid = str(uuid.uuid4())
            officer = OFFICERS[n % len(OFFICERS)]
            age = timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            when = TODAY - age
            active = age.days < 120
            state = ACTIVE[n % len(ACTIVE)] if active else ENDED[n % len(ENDED)]
            fields = {"id": cid, "number": f"衡山应急立〔B〕{n + 1}号", "registered_at": when,
                      "registered_by": officer, "state": state,
                      "sector": SECTORS[n % len(SECTORS)], "investigators": [officer, "zhang"],
                      "history_length": 0, "history_head": None, "version": 1}
            rows["cases"].append(src | fields | {"doc": _cloned_doc(src["doc"], fields)})
            party = parties[src["id"]]  # each clone's party a name of its own, to search for
            rows["parties"].append(party | {"id": str(uuid.uuid4()), "case_id": cid,
                                            "name": f"{party['name']}第{n + 1}分厂"})
            rows["officers"] += [{"case_id": cid, "person_id": p, "registered_at": when}
                                 for p in (officer, "zhang")]
            owners: dict[str, str] = {}
            for name in CHILDREN:
                for child in kids[name]:
                    if child["case_id"] == src["id"]:
                        new = str(uuid.uuid4())
                        owners[child["id"]] = new
                        extra = {"number": f"B{n}-{child['number']}"} if name == "documents" \
                            else {}
                        if name == "deadlines":
                            due = (when + timedelta(days=90)).date()
                            extra = {"due": due, "missed": False, "not_applicable": False,
                                     "done_on": None if active else due - timedelta(days=3)}
                        rows[name].append(child | {"id": new, "case_id": cid} | extra)
            for p in pens:
                if p["case_id"] == src["id"] and p["owner_id"] in owners:
                    rows["penalties"].append(p | {"id": str(uuid.uuid4()), "case_id": cid,
                                                  "owner_id": owners[p["owner_id"]]})
        with cf.engine.begin() as conn:
            conn.execute(insert(CASES), rows["cases"])
            conn.execute(insert(PARTIES), rows["parties"])
            for name in CHILDREN:
                if rows[name]:
                    conn.execute(insert(tables[name]), rows[name])
            if rows["penalties"]:
                conn.execute(insert(PENALTIES), rows["penalties"])
            conn.execute(insert(CASE_OFFICERS), rows["officers"])
    cf.refresh_statistics()  # as the daily sweep does


def serve(data_dir: str, port: int, shared: bool) -> None:
    """The server process: the application over the scratch database on loopback."""
    import uvicorn

    from casefiles.web import create_app

    cf = Casefiles(Settings(data_dir=Path(data_dir), secret_key="bench", show_drills=True),
                   SimulatedClock(TODAY), f"sqlite:///{Path(data_dir) / 'casefiles.db'}")
    if not shared:
        uvicorn.run(create_app(cf), host="127.0.0.1", port=port, log_level="warning",
                    access_log=False)
        return
    # several server processes share the port (--workers): the kernel spreads connections.
    # (Measured slower per process than uvicorn.run on its own socket, so only for --workers.)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(create_app(cf), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _client(base: str, person: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    page = c.get("/signin").text
    token = page.split('name="csrf" value="')[1].split('"')[0]
    r = c.post("/signin", data={"csrf": token, "person_id": person, "password": PASSWORD,
                                "next": "/signin"})
    assert r.status_code in (200, 303), r.text
    return c


def measure(base: str, label: str, person: str, paths: list[str], concurrency: int) -> None:
    """Request ``paths`` with ``concurrency`` signed-in clients; print p50 and p95."""
    clients = [_client(base, person) for _ in range(concurrency)]
    for c in clients:
        c.get(paths[0])  # warm up

    def one(i: int) -> float:
        c = clients[i % concurrency]
        t0 = time.perf_counter()
        r = c.get(paths[i % len(paths)])
        took = time.perf_counter() - t0
        assert r.status_code == 200, (r.status_code, paths[i % len(paths)])
        return took * 1000

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        times = sorted(pool.map(one, range(len(paths))))
    wall = time.perf_counter() - t0
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    verdict = "ok" if p95 < 100 else "over the 100 ms goal"
    print(f"{label:<34} n={len(times):>4}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
          f"{len(times) / wall:6.1f} req/s  ({verdict})")
    for c in clients:
        c.close()


def in_process(data_dir: Path, requests: int) -> None:
    """The searches of the list pages as the services answer them, CPU time per search."""
    from casefiles.services.lists import Filters, all_cases, my_cases

    cf = Casefiles(Settings(data_dir=data_dir, secret_key="bench", show_drills=True),
                   SimulatedClock(TODAY), f"sqlite:///{data_dir / 'casefiles.db'}")
    rng, total = random.Random(1), 100_000 - 20
    searches = {
        "查找 执法人员": lambda: all_cases(cf, Filters(text=f"执法{rng.randint(0, 49):02d}")),
        "查找 当事人名称的一部分 (1 case)": lambda: all_cases(
            cf, Filters(text=f"第{rng.randint(1, total)}分厂")),
        "查找 当事人名称常用字": lambda: all_cases(cf, Filters(text=rng.choice(["石料", "嘉禾"]))),
        "查找 立案号": lambda: all_cases(cf, Filters(text=f"衡山应急立〔B〕{rng.randint(1, total)}号")),
        "我的案件 查找 当事人名称": lambda: my_cases(cf, "officer07",
                                            text=f"第{rng.randint(1, total)}分厂"),
    }
    for label, search in searches.items():
        search()  # warm up
        times = []
        for _ in range(requests):
            t0 = time.process_time()
            search()
            times.append((time.process_time() - t0) * 1000)
        times.sort()
        print(f"{label:<30} CPU p50 {statistics.median(times):5.1f} ms  "
              f"p95 {times[int(len(times) * 0.95) - 1]:5.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes sharing the port (as `casefiles serve --workers`)")
    parser.add_argument("--data-dir", type=Path, help="reuse (or build once into) this folder")
    parser.add_argument("--in-process", action="store_true",
                        help="the searches' CPU time in this process, no server")
    parser.add_argument("--serve", nargs=3, metavar=("DATA_DIR", "PORT", "SHARED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2] == "shared")
        return
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="casefiles-web-bench-"))
    if (data_dir / "casefiles.db").exists():
        url = f"sqlite:///{data_dir / 'casefiles.db'}"
        Casefiles(Settings(data_dir=data_dir), database_url=url).init()  # newer migrations
        print(f"reusing {url}")
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        url = build(data_dir, args.cases)
        print(f"loaded {args.cases} cases into {url} in {time.perf_counter() - t0:.1f} s")
    if args.in_process:
        try:
            in_process(data_dir, args.requests)
        finally:
            if args.data_dir is None:
                shutil.rmtree(data_dir, ignore_errors=True)
        return
    port = 8765 + random.randrange(1000)
    shared = "shared" if args.workers > 1 else "own"
    servers = [subprocess.Popen([sys.executable, __file__, "--serve", str(data_dir), str(port),
                                 shared]) for _ in range(args.workers)]
    print(f"{args.workers} server process(es), {args.concurrency} concurrent clients")
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/signin", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        cf = Casefiles(Settings(data_dir=data_dir), database_url=url)
        with cf.uow() as uow:
            ids = [r[0] for r in uow.conn.execute(select(CASES.c.id).order_by(
                CASES.c.history_length.desc()).limit(20))]
            some = [r[0] for r in uow.conn.execute(select(CASES.c.id).limit(2000))]
        rng = random.Random(1)
        n, k = args.requests, args.concurrency
        pages = [f"/mine?page={rng.randint(1, 3)}" for _ in range(n)]
        measure(base, "我的案件 在办 /mine (officer)", "officer07", pages, k)
        pages = [f"/mine?ended=true&page={rng.randint(1, 20)}" for _ in range(n)]
        measure(base, "我的案件 已办结 pages 1-20", "officer07", pages, k)
        pages = [f"/cases?page={rng.randint(1, 50)}" for _ in range(n)]
        measure(base, "全部案件 /cases pages 1-50 (head)", "zhao", pages, k)
        pages = [f"/cases?sector={rng.choice(SECTORS)}&overdue=true" for _ in range(n)]
        measure(base, "全部案件 filtered sector+overdue", "zhao", pages, k)
        pages = [f"/queue/head?page={rng.randint(1, 5)}" for _ in range(n)]
        measure(base, "待负责人审批 /queue/head pages 1-5 (head)", "zhao", pages, k)
        total = args.cases - 20  # the clones, named 第1分厂 …
        pages = [f"/cases?q=第{rng.randint(1, total)}分厂" for _ in range(n)]
        measure(base, "查找 当事人名称的一部分 (1 case)", "zhao", pages, k)
        pages = [f"/cases?q={rng.choice(['石料', '机械', '嘉禾'])}" for _ in range(n)]
        measure(base, "查找 当事人名称常用字 (many cases)", "zhao", pages, k)
        pages = [f"/cases?q=衡山应急立〔B〕{rng.randint(1, total)}号" for _ in range(n)]
        measure(base, "查找 立案号", "zhao", pages, k)
        pages = [f"/cases?q=91430423MA4QTRADXH&page={rng.randint(1, 5)}" for _ in range(n)]
        measure(base, "查找 统一社会信用代码", "zhao", pages, k)
        pages = [f"/cases?q=执法{rng.randint(0, 49):02d}" for _ in range(n)]
        measure(base, "查找 执法人员", "zhao", pages, k)
        pages = [f"/mine?q=第{rng.randint(1, total)}分厂" for _ in range(n)]
        measure(base, "我的案件 查找 当事人名称", "officer07", pages, k)
        pages = [f"/cases/{rng.choice(ids)}" for _ in range(n)]
        measure(base, "案件页 /cases/{id} (full history)", "zhao", pages, k)
        pages = [f"/cases/{rng.choice(some)}" for _ in range(n)]
        measure(base, "案件页 /cases/{id} (any case)", "zhao", pages, k)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        if args.data_dir is None:  # a scratch folder of 650 MB: not left behind
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
