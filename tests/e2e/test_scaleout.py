"""The real thing on loopback: `prefect server start` (on PostgreSQL), `casefiles deploy`, two
process workers with data folders of their own on one casefiles PostgreSQL database and one S3
store (moto's server). The shared scenarios are replayed into the database; every document is
stored exactly once, also after a worker is killed with SIGKILL in the middle of a run, the
history chains stay whole, and with one worker stopped the other goes on.

About a minute and a half; deselect with ``-m "not scaleout"``."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, select

from casefiles.adapters.stores import HISTORY, OUTBOX
from casefiles.replay import load, run
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from casefiles.settings import PROJECT_ROOT, Settings
from tests.conftest import POSTGRES_ENV
from tests.support import SHARED

pytestmark = [pytest.mark.scaleout, pytest.mark.postgres]

BIN = Path(sys.executable).parent
SCENARIOS = sorted((SHARED / "scenarios").glob("*.yaml"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def prefect_db() -> Iterator[str]:
    """A fresh PostgreSQL database for the Prefect server (asyncpg URL), dropped afterwards."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} not set")
    if not SCENARIOS:  # the workers render what the shared scenarios leave
        pytest.skip("../shared is not beside the checkout: no scenarios to replay")
    name = f"prefect_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(server)._replace(scheme="postgresql+asyncpg", path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(name)))


class Machines:
    """The processes started, each in a session of its own, all killed at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=self.tmp)
        self.started.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-4000:]

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait(what: str, check: Callable[[], bool], seconds: float, machines: Machines) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    logs = "\n".join(f"--- {n}\n{machines.log(n)}" for n in ("server", "worker-a", "worker-b",
                                                             "worker-a2")
                     if (machines.tmp / f"{n}.log").exists())
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def _replay(url: str, settings: Settings) -> None:
    for path in SCENARIOS:
        assert all(r.met for r in run(path, load(path), url, settings)), path


def _counts(cf: Casefiles) -> tuple[int, dict[str, int]]:
    """(document items not done, stored documents per document id)."""
    with cf.uow() as uow:
        pending = uow.conn.execute(select(func.count()).select_from(OUTBOX).where(
            OUTBOX.c.kind == "document_issued", OUTBOX.c.done_at.is_(None))).scalar_one()
        stored: dict[str, int] = {}
        for (payload,) in uow.conn.execute(select(HISTORY.c.payload)
                                           .where(HISTORY.c.action == "store_document")):
            stored[payload["document_id"]] = stored.get(payload["document_id"], 0) + 1
    return int(pending), stored


def _documents(cf: Casefiles) -> dict[str, str | None]:
    """Every issued document's id and recorded SHA-256 (None until stored)."""
    with cf.uow() as uow:
        rows = list(uow.conn.execute(select(OUTBOX.c.case_id, OUTBOX.c.payload)
                                     .where(OUTBOX.c.kind == "document_issued")))
    docs: dict[str, str | None] = {}
    for case_id in {r[0] for r in rows}:
        docs |= {d["id"]: d["sha256"] for d in cf.view(case_id)["documents"]}
    assert {r[1]["document_id"] for r in rows} <= set(docs)
    return docs


class Hook:
    """A webhook on loopback that keeps the bodies posted to it."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.calls: list[str] = []
        calls = self.calls

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                calls.append(self.rfile.read(int(self.headers["Content-Length"] or 0))
                             .decode("utf-8", "replace"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/casefiles"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_two_workers_on_a_real_server_store_every_document_once_through_kill_and_stop(
        postgres_url: str, prefect_db: str, s3: Any, tmp_path: Path) -> None:
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    machines = Machines(tmp_path)
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("CASEFILES_", "PREFECT_"))} | {
        "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": api, "PATH": f"{BIN}:{os.environ['PATH']}",
        "CASEFILES_DATABASE_URL": postgres_url, "CASEFILES_HOME": str(PROJECT_ROOT),
        "CASEFILES_STORE_URL": os.environ["CASEFILES_STORE_URL"],
        "CASEFILES_S3_ENDPOINT_URL": os.environ["CASEFILES_S3_ENDPOINT_URL"],
        "CASEFILES_FONTS_DIR": os.environ["CASEFILES_FONTS_DIR"],
        # a killed run's items come back after 15 s (not 15 minutes) in this test
        "CASEFILES_OUTBOX_LEASE_SECONDS": "15", "PREFECT_WORKER_QUERY_SECONDS": "1",
        # heartbeats every 30 s (Prefect's least): a dead machine's run is Crashed after 70 s
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30"}
    settings = Settings(data_dir=tmp_path / "replay")
    cf = Casefiles(settings, database_url=postgres_url)
    cf.init()
    _replay(postgres_url, settings)

    def machine_env(name: str) -> dict[str, str]:
        return base | {"PREFECT_HOME": str(tmp_path / name / "prefect"),
                       "CASEFILES_DATA_DIR": str(tmp_path / name / "data")}

    try:
        started = time.monotonic()
        server = machines.start("server", [str(BIN / "prefect"), "server", "start", "--host",
                                           "127.0.0.1", "--port", str(port), "--no-ui"],
                                machine_env("server") | {
                                    "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db})

        def healthy() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    pass
                import httpx
                return httpx.get(f"{api}/health", timeout=2).status_code == 200
            except OSError:
                return False
            except Exception:  # noqa: BLE001  (not up yet)
                return False

        _wait("the Prefect server", healthy, 90, machines)
        ready_after = time.monotonic() - started
        hook = Hook()
        deployed = subprocess.run([str(BIN / "casefiles"), "deploy", "--notify", hook.url],
                                  env=machine_env("admin"),
                                  capture_output=True, text=True, timeout=180, check=False)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        worker = [str(BIN / "prefect"), "worker", "start", "--pool", "casefiles", "--name"]
        workers = {n: machines.start(n, [*worker, n], machine_env(n))
                   for n in ("worker-a", "worker-b")}

        with temporary_settings({PREFECT_API_URL: api}):
            triggered: list[str] = []

            def trigger(name: str, **parameters: Any) -> str:
                triggered.append(str(run_deployment(name, parameters=parameters,
                                                    timeout=0).id))
                return triggered[-1]

            async def states() -> dict[str, str]:
                """The states of the runs this test started."""
                async with get_client() as client:
                    runs = await client.read_flow_runs()
                return {str(r.id): r.state_type.value if r.state_type else "" for r in runs
                        if str(r.id) in triggered}

            # 1. two runs at once, one on each worker as they come: every document once
            for _ in range(2):
                trigger("casefiles-documents/documents", batch=3)
            trigger("casefiles-dispatch/dispatch")
            _wait("every document stored", lambda: _counts(cf)[0] == 0, 120, machines)
            stored = _counts(cf)[1]
            assert stored and set(stored.values()) == {1}
            rss = {n: _rss_mb(p.pid) for n, p in {"server": server, **workers}.items()}

            # a run that fails (its database unreachable) calls the notification webhook
            failing = trigger("casefiles-dispatch/dispatch",
                              database_url="postgresql://casefiles@127.0.0.1:9/none")
            _wait("the failed run's notification", lambda: bool(hook.calls), 90, machines)
            assert asyncio.run(states())[failing] == "FAILED"
            assert "流程运行未成功（Failed）" in hook.calls[0]
            assert "casefiles-dispatch" in hook.calls[0]

            # 2. more documents; SIGKILL the worker running them, with its run, mid-run
            _replay(postgres_url, settings)
            before = len(_counts(cf)[1])
            killed = trigger("casefiles-documents/documents", batch=1)

            def running_on() -> str | None:
                if len(_counts(cf)[1]) == before:
                    return None
                return next((n for n, p in workers.items() if _descendants(p.pid)), None)

            _wait("a documents run under way", lambda: running_on() is not None, 90, machines)
            victim = running_on()
            assert victim is not None
            tree = _descendants(workers[victim].pid)
            os.killpg(workers[victim].pid, signal.SIGKILL)
            for pid in tree:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            workers[victim].wait(timeout=30)
            assert _counts(cf)[0] > 0, "the run finished before it was killed"
            survivor = "worker-b" if victim == "worker-a" else "worker-a"
            workers["worker-a2"] = machines.start("worker-a2", [*worker, "worker-a2"],
                                                  machine_env("worker-a2"))  # the restart
            time.sleep(16)  # the killed run's lease passes

            def drained() -> bool:
                if _counts(cf)[0] == 0:
                    return True
                if not any(s in ("SCHEDULED", "PENDING", "RUNNING")
                           for s in asyncio.run(states()).values()):
                    trigger("casefiles-documents/documents")
                return False

            trigger("casefiles-documents/documents")
            _wait("the killed run's documents done by the others", drained, 120, machines)
            stored = _counts(cf)[1]
            assert set(stored.values()) == {1}
            docs = _documents(cf)
            assert len(stored) == len(docs) and all(docs.values())
            listed = s3.list_objects_v2(Bucket=s3.bucket)["KeyCount"]
            assert listed == len(set(docs.values()))
            with cf.uow() as uow:
                report = verify_all(uow)
            assert not report.breaks and report.entries > 0

            # 3. stop the survivor: the restarted worker goes on alone
            workers[survivor].send_signal(signal.SIGTERM)
            workers[survivor].wait(timeout=60)
            run_id = trigger("casefiles-dispatch/dispatch")
            _wait("a run on the remaining worker",
                  lambda: asyncio.run(states()).get(run_id) == "COMPLETED", 90, machines)

            async def paused() -> list[bool]:
                async with get_client() as client:
                    return [d.paused for d in await client.read_deployments()]

            assert asyncio.run(paused()) == [False, False, False]

            # 4. the killed run, whose heartbeats stopped, is marked Crashed (and notified)
            _wait("the killed run marked Crashed",
                  lambda: asyncio.run(states()).get(killed) == "CRASHED", 120, machines)
            _wait("the crash's notification",
                  lambda: any("Crashed" in c for c in hook.calls), 60, machines)
        print(f"\nscale-out: server ready after {ready_after:.1f} s; RSS MB "
              + ", ".join(f"{n} {v:.0f}" for n, v in rss.items()))
    finally:
        machines.stop_all()
