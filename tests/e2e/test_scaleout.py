"""The real thing on loopback, started by the README's own commands: its scale-out blocks are
read from README.md and run with bash, changing only what must be fresh here (ports,
database and bucket names, folders, worker names: ``changes`` in the test). A Prefect server on
PostgreSQL, `casefiles init` and `casefiles deploy`, two process workers with data folders of
their own on one casefiles PostgreSQL database and one S3 store (moto's server), and the web
app. The shared scenarios are replayed into the database; every document is stored exactly
once, also after a worker is killed with SIGKILL in the middle of a run, the history chains
stay whole, and with one worker stopped the other goes on.

About two and a half minutes; deselect with ``-m "not scaleout"``."""

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


README = PROJECT_ROOT / "README.md"
SECTION = "## Flows on a Prefect server, one machine or several"


def readme_blocks() -> dict[str, str]:
    """The command blocks of the README's scale-out section, by their bold title."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    blocks: dict[str, list[str]] = {}
    title = None
    for line in section.splitlines():
        if line.startswith("**") and "**" in line[2:]:
            title = line[2:line.index("**", 2)]
        elif line.startswith("    ") and title is not None:
            blocks.setdefault(title, []).append(line[4:])
        elif line.strip() and title in blocks:
            title = None  # the prose after a block
    return {t: "\n".join(lines) + "\n" for t, lines in blocks.items()}


def changed(block: str, changes: dict[str, str]) -> str:
    """``block`` with each README value replaced by the test's; a value no longer in the
    README fails the test (the README changed: change :data:`CHANGES` with it)."""
    for readme, ours in changes.items():
        assert readme in block, f"README.md no longer says {readme!r}"
        block = block.replace(readme, ours)
    return block


@pytest.fixture
def fresh_names() -> Iterator[dict[str, str]]:
    """Names for the Prefect server's and the cases' databases (made by the README's
    `createdb`), both dropped afterwards; and the PostgreSQL server's address."""
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} not set")
    if not SCENARIOS:  # the workers render what the shared scenarios leave
        pytest.skip("../shared is not beside the checkout: no scenarios to replay")
    tag = uuid.uuid4().hex[:12]
    names = {"prefect": f"prefect_test_{tag}", "cases": f"casefiles_test_{tag}"}
    parts = urlsplit(server)
    try:
        yield names | {"host": parts.hostname or "127.0.0.1", "port": str(parts.port or 5432),
                       "user": parts.username or "postgres"}
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in names.values():
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                              .format(sql.Identifier(name)))


class Machines:
    """The processes started, each in a session of its own, all killed at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, script: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        """``script`` run by bash in a session of its own (stopped as a service manager stops
        one: its whole process group)."""
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(["bash", "-ec", script], env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=self.tmp)
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


def _runs_below(pid: int) -> bool:
    """Whether a flow run runs below ``pid`` (bash, or the worker bash became)."""
    for each in _descendants(pid):
        try:
            if b"worker" not in Path(f"/proc/{each}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _rss_mb(pid: int) -> float:
    """The resident memory of ``pid`` and the processes below it (bash and what it started)."""
    total = 0.0
    for each in (pid, *_descendants(pid)):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _wait(what: str, check: Callable[[], bool], seconds: float, machines: Machines) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    logs = "\n".join(f"--- {n}\n{machines.log(n)}" for n in ("server", "worker-a", "worker-b",
                                                             "worker-a2", "web")
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


def test_the_readme_commands_start_two_workers_that_store_every_document_once_through_kill_and_stop(
        fresh_names: dict[str, str], s3: Any, tmp_path: Path) -> None:
    """The README's server, deployment, worker and web app commands, run as written on
    loopback, give a working scale-out: every document stored once, through kill and stop."""
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    machines = Machines(tmp_path)
    port, web_port, hook = _free_port(), _free_port(), Hook()
    api = f"http://127.0.0.1:{port}/api"
    pg, cases = f"{fresh_names['host']}:{fresh_names['port']}", fresh_names["cases"]
    # what this test changes in the README's commands: fresh names, ports and folders
    changes = {"-h 127.0.0.1 -U postgres": f"-h {fresh_names['host']} -p {fresh_names['port']} "
                                            f"-U {fresh_names['user']}",
               "postgres@127.0.0.1:5432": f"{fresh_names['user']}@{pg}",
               "postgres prefect": f"postgres {fresh_names['prefect']}",
               "5432/prefect": f"5432/{fresh_names['prefect']}",
               "postgres casefiles": f"postgres {cases}", "5432/casefiles": f"5432/{cases}",
               ":4200": f":{port}", "--port 4200": f"--port {port}",
               "--port 8000": f"--port {web_port}",
               "s3://casefiles-files/hengshan": os.environ["CASEFILES_STORE_URL"],
               "http://127.0.0.1:9000": os.environ["CASEFILES_S3_ENDPOINT_URL"],
               "http://127.0.0.1:8900/casefiles": hook.url,
               # heartbeats every 30 s (Prefect's least): a dead machine's run is Crashed in 70 s
               "PREFECT_FLOWS_HEARTBEAT_FREQUENCY=60": "PREFECT_FLOWS_HEARTBEAT_FREQUENCY=30",
               "/opt/casefiles": str(PROJECT_ROOT)}
    blocks = readme_blocks()
    missing = [k for k in changes if not any(k in block for block in blocks.values())]
    assert not missing, f"README.md no longer says {missing}: change the test with it"
    environment = changed(blocks["Environment"], {k: v for k, v in changes.items()
                                                  if k in blocks["Environment"]})

    def script(title: str, **more: str) -> str:
        block = blocks[title]
        ours = {k: v for k, v in changes.items() if k in block} | more
        return (environment if title != "Prefect server" else "") + changed(block, ours)

    cases_url = f"postgresql://{fresh_names['user']}@{pg}/{cases}"
    # each machine's own: its Prefect home, and what the machine itself provides (the tools,
    # the fonts); a killed run's items come back after 15 s (not 15 minutes) in this test
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("CASEFILES_", "PREFECT_", "AWS_"))} | {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "CASEFILES_FONTS_DIR": os.environ["CASEFILES_FONTS_DIR"],
        "CASEFILES_OUTBOX_LEASE_SECONDS": "15", "PREFECT_WORKER_QUERY_SECONDS": "1"}

    def machine_env(name: str) -> dict[str, str]:
        return base | {"PREFECT_HOME": str(tmp_path / name / "prefect"),
                       "CASEFILES_DATA_DIR": str(tmp_path / name / "data")}

    def start_worker(name: str) -> subprocess.Popen[bytes]:
        return machines.start(name, script("Workers", **{
            "/var/lib/casefiles": str(tmp_path / name / "data"), '"$(hostname)"': name}),
            machine_env(name))

    try:
        started = time.monotonic()
        server = machines.start("server", script("Prefect server"), machine_env("server"))

        def answers(url: str) -> Callable[[], bool]:
            def check() -> bool:
                try:
                    import httpx
                    return httpx.get(url, timeout=2).status_code == 200
                except Exception:  # noqa: BLE001  (not up yet)
                    return False
            return check

        _wait("the Prefect server", answers(f"{api}/health"), 90, machines)
        ready_after = time.monotonic() - started
        assert answers(f"http://127.0.0.1:{port}/")(), "the Prefect UI does not answer"
        deployed = subprocess.run(["bash", "-ec", script("Cases database and deployments")],
                                  env=machine_env("admin"), cwd=tmp_path,
                                  capture_output=True, text=True, timeout=240, check=False)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        settings = Settings(data_dir=tmp_path / "replay")
        cf = Casefiles(settings, database_url=cases_url)
        _replay(cases_url, settings)
        workers = {n: start_worker(n) for n in ("worker-a", "worker-b")}
        machines.start("web", script("Web app"), machine_env("web"))
        _wait("the web app", answers(f"http://127.0.0.1:{web_port}/public"), 60, machines)

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
            _replay(cases_url, settings)
            before = len(_counts(cf)[1])
            killed = trigger("casefiles-documents/documents", batch=1)

            def running_on() -> str | None:
                if len(_counts(cf)[1]) == before:
                    return None
                return next((n for n, p in workers.items() if _runs_below(p.pid)), None)

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
            workers["worker-a2"] = start_worker("worker-a2")  # the restart
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
            os.killpg(workers[survivor].pid, signal.SIGTERM)
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
