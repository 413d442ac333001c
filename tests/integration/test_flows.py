"""The Prefect flows, run for real under Prefect's test harness (started once per session)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prefect.testing.utilities import prefect_test_harness

from casefiles.services.app import Casefiles
from flows.dispatch import dispatch_flow
from flows.documents import documents_flow
from flows.sweep import sweep_flow
from tests.support import SMALL_FINE, open_bureau, play, until

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="session")
def harness() -> Iterator[None]:
    """Prefect's test harness: a temporary API server for the whole session."""
    with prefect_test_harness(server_startup_timeout=90):
        yield


def _decided_case(url: str) -> tuple[Casefiles, str]:
    """A small-fine case decided on 2020-06-09, not yet served or published."""
    cf, clock = open_bureau(url)
    return cf, play(cf, clock, until(SMALL_FINE, "decide"))


@pytest.fixture
def url() -> Iterator[str]:
    """A fresh SQLite database file."""
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'flows.db'}"


def test_dispatch_flow_publishes_a_decision_once_however_often_it_runs(harness: None,
                                                                     url: str) -> None:
    """The decision's publication, queued by the decide action, is done by the flow exactly once."""
    cf, case = _decided_case(url)
    with cf.uow() as uow:
        queued = [i["kind"] for i in uow.outbox.pending(100)]
    assert "publish_decision" in queued
    first = asyncio.run(dispatch_flow(database_url=url))
    second = asyncio.run(dispatch_flow(database_url=url))
    assert first["done"] == 1 and second["done"] == 0
    history = cf.history(case)
    publishes = [e for e in history if e.action == "publish"]
    assert len(publishes) == 1 and publishes[0].actor == "system" and publishes[0].result == "ok"
    assert cf.view(case)["decision"]["published"] is True


def test_dispatch_flow_skips_a_publication_the_head_already_made(harness: None, url: str) -> None:
    """When the head published by hand first, the flow marks the item done and adds nothing."""
    cf, case = _decided_case(url)
    assert cf.act("zhao", "publish", case, {}).ok
    length = cf.view(case)["history_length"]
    report = asyncio.run(dispatch_flow(database_url=url))
    assert report["skipped"] == 1 and report["done"] == 0
    assert cf.view(case)["history_length"] == length


def test_sweep_flow_marks_missed_deadlines_once_and_records_their_warnings(harness: None,
                                                                          url: str) -> None:
    """Service and publication deadlines passed undone become missed, warned, and logged once."""
    cf, case = _decided_case(url)
    first = asyncio.run(sweep_flow(database_url=url))
    second = asyncio.run(sweep_flow(database_url=url))
    assert first["missed"] == 2 and second["missed"] == 0
    view = cf.view(case)
    assert view["deadlines"]["service"]["status"] == "missed"
    assert {"service_late", "publication_late"} <= set(view["warnings"])
    sweeps = [e for e in cf.history(case) if e.action == "sweep"]
    assert len(sweeps) == 1 and set(sweeps[0].warnings) == {"service_late", "publication_late"}


def test_a_refused_action_queues_no_work_for_the_flows(url: str) -> None:
    """Only an accepted action writes outbox items, in its own transaction."""
    cf, case = _decided_case(url)
    with cf.uow() as uow:
        before = len(uow.outbox.pending(100))
    assert not cf.act("zhang", "decide", case, {"outcome": "penalty"}).ok
    with cf.uow() as uow:
        assert len(uow.outbox.pending(100)) == before


def test_documents_flow_stores_each_issued_document_once(harness: None, url: str,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow renders the decided case's documents, records each hash once; a rerun adds
    nothing."""
    monkeypatch.setenv("CASEFILES_DATA_DIR", str(tmp_path))
    cf, clock = open_bureau(url, data_dir=tmp_path)
    case = play(cf, clock, until(SMALL_FINE, "decide"))
    first = asyncio.run(documents_flow(database_url=url))
    second = asyncio.run(documents_flow(database_url=url))
    documents = cf.view(case)["documents"]
    assert first == {"rendered": len(documents), "skipped": 0, "failed": 0}
    assert second == {"rendered": 0, "skipped": 0, "failed": 0}
    stored = [e for e in cf.history(case) if e.action == "store_document"]
    assert sorted(e.files[0] for e in stored) == sorted(d["sha256"] for d in documents)
    assert all((tmp_path / "documents" / d["sha256"][:2] / f"{d['sha256']}.pdf").is_file()
               for d in documents)


def test_documents_flow_stores_an_inspections_documents_once_beside_the_cases(
        harness: None, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An inspection's record and order reach the flow through the outbox: the one a clerk
    opened first is stored then and only claimed by the run, the other is rendered by the run,
    and a rerun stores nothing; each has one ``document_stored`` entry in the chain."""
    from casefiles.services import inspections as S
    from casefiles.services.inspection_documents import document
    from tests.support import MINE, moment
    from tests.unit.test_inspections import HAZARD

    monkeypatch.setenv("CASEFILES_DATA_DIR", str(tmp_path))
    cf, _ = open_bureau(url, start=moment("2026-03-02T09:00"), data_dir=tmp_path,
                        drill=None)
    insp = S.act(cf, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "破碎车间", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [HAZARD]}).case_id or ""
    assert S.act(cf, "zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-13"}).ok
    with cf.uow() as uow:
        queued = [i["payload"]["kind"] for i in uow.outbox.pending(100)
                  if i["kind"] == "inspection_document_issued"]
    assert queued == ["现场检查记录", "责令限期整改指令书"]
    opened = document(cf, insp, "衡山应急检记〔2026〕1号")
    first = asyncio.run(documents_flow(database_url=url))
    second = asyncio.run(documents_flow(database_url=url))
    assert first == {"rendered": 1, "skipped": 1, "failed": 0}
    assert second == {"rendered": 0, "skipped": 0, "failed": 0}
    documents = S.view(cf, insp)["documents"]
    stored = [e for e in S.history(cf, insp) if e.action == "document_stored"]
    assert sorted(e.files[0] for e in stored) == sorted(d["sha256"] for d in documents)
    assert opened == document(cf, insp, "衡山应急检记〔2026〕1号")
    assert all((tmp_path / "documents" / d["sha256"][:2] / f"{d['sha256']}.pdf").is_file()
               for d in documents)


def test_a_documents_run_renders_its_batch_in_mapped_chunks_storing_each_document_once(
        harness: None, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A leased batch is rendered by mapped task runs of at most ``chunk`` documents each, and
    every document is stored once."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    monkeypatch.setenv("CASEFILES_DATA_DIR", str(tmp_path))
    cf, clock = open_bureau(url, data_dir=tmp_path)
    case = play(cf, clock, until(SMALL_FINE, "decide"))
    issued = len(cf.view(case)["documents"])
    assert issued > 2
    state = asyncio.run(documents_flow(database_url=url, chunk=2, return_state=True))
    assert state.is_completed()

    async def chunk_runs() -> list[str]:
        async with get_client() as client:
            runs = await client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
        return [r.name for r in runs if r.name.startswith("生成文书")]

    sizes = sorted(int(name.split("（")[1].split("件")[0]) for name in asyncio.run(chunk_runs()))
    assert sum(sizes) == issued and max(sizes) == 2 and len(sizes) == (issued + 1) // 2
    stored = [e.payload["document_id"] for e in cf.history(case) if e.action == "store_document"]
    assert sorted(stored) == sorted(d["id"] for d in cf.view(case)["documents"])


def _artifact(key: str) -> str:
    """The markdown of the latest artifact under ``key``."""
    from prefect.artifacts import Artifact

    found = Artifact.get(key)
    assert found is not None, key
    return str(found.data)


def test_a_dispatch_run_says_what_it_did_in_a_markdown_artifact(harness: None, url: str) -> None:
    """The run's artifact counts the publication it made, Chinese first; an empty run skips
    the work and says so."""
    _decided_case(url)
    assert asyncio.run(dispatch_flow(database_url=url))["done"] == 1
    assert "| 已完成 / done | 1 |" in _artifact("casefiles-dispatch")
    assert asyncio.run(dispatch_flow(database_url=url)) == {"done": 0, "skipped": 0, "failed": 0}
    assert "| 已完成 / done | 0 |" in _artifact("casefiles-dispatch")


def test_a_sweep_run_publishes_what_it_marked(harness: None, url: str) -> None:
    """The sweep's artifact names the deadlines it marked missed."""
    _decided_case(url)
    asyncio.run(sweep_flow(database_url=url))
    text = _artifact("casefiles-deadline-sweep")
    assert text.startswith("# 期限巡查") and "| 新逾期期限 / deadlines newly missed | 2 |" in text


def test_a_documents_run_whose_documents_fail_ends_failed_and_lists_them(
        harness: None, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents that cannot be rendered fail the run (it no longer shows Completed), wait out
    a backoff instead of being retried at once, and `casefiles outbox failed` names them."""
    import json

    from typer.testing import CliRunner

    from casefiles.cli import app
    from casefiles.services import documents

    monkeypatch.setenv("CASEFILES_DATA_DIR", str(tmp_path))
    cf, clock = open_bureau(url, data_dir=tmp_path)
    case = play(cf, clock, until(SMALL_FINE, "decide"))
    issued = len(cf.view(case)["documents"])

    def broken(*_: object) -> None:
        raise FileNotFoundError("/elsewhere/documents/ab/ab12.pdf")

    monkeypatch.setattr(documents, "renderer", broken)
    state = asyncio.run(documents_flow(database_url=url, return_state=True))
    assert state.is_failed()
    assert f"{issued} 项文书失败" in str(state.message)
    again = asyncio.run(documents_flow(database_url=url))  # their backoff has not passed
    assert again == {"rendered": 0, "skipped": 0, "failed": 0}
    monkeypatch.setenv("CASEFILES_DATABASE_URL", url)
    shown = CliRunner().invoke(app, ["outbox", "failed", "--json"])
    assert shown.exit_code == 0, shown.output
    items = json.loads(shown.stdout)
    assert len(items) == issued
    assert {(i["status"], i["label"], i["attempts"]) for i in items} == {
        ("retrying", "生成文书PDF", 1)}
    assert all("FileNotFoundError" in i["last_error"] for i in items)
    monkeypatch.setenv("COLUMNS", "300")
    table = CliRunner().invoke(app, ["outbox", "failed"])
    assert "等待重试" in table.stdout and "FileNotFoundError" in table.stdout


def test_prefect_yaml_and_serve_flows_carry_the_same_schedules_and_limits() -> None:
    """prefect.yaml's entrypoints are files relative to the project root naming the three
    flows; serve-flows builds the same deployments with entrypoints by module, the same from
    any directory: dispatch and documents every five minutes, the sweep at 01:00 Shanghai."""
    from casefiles.settings import PROJECT_ROOT
    from flows.deployments import definitions, served

    defined = definitions()
    for d in defined:
        file, name = d["entrypoint"].split(":")
        assert not Path(file).is_absolute() and (PROJECT_ROOT / file).is_file()
        assert f"def {name}(" in (PROJECT_ROOT / file).read_text(encoding="utf-8")
        assert d["work_pool"]["name"] == "casefiles" and "casefiles" in d["tags"]
    dispatch, documents, sweep = served()
    assert [d.name for d in (dispatch, documents, sweep)] == [d["name"] for d in defined]
    assert dispatch.entrypoint == "flows.dispatch.dispatch_flow"
    assert dispatch.schedules[0].schedule.interval.total_seconds() == 300
    assert documents.schedules[0].schedule.interval.total_seconds() == 300
    assert sweep.schedules[0].schedule.cron == "0 1 * * *"
    assert sweep.schedules[0].schedule.timezone == "Asia/Shanghai"
    assert (dispatch.concurrency_limit, documents.concurrency_limit) == (1, 2)
    assert dispatch.description.startswith("后续工作")


def _cli(*args: str, cwd: Path | None = None, **env: str) -> subprocess.Popen[str]:
    from tests.support import CASEFILES

    return subprocess.Popen([CASEFILES, *args], cwd=cwd, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=os.environ | env)


def test_serve_flows_refuses_to_start_without_a_prefect_server(tmp_path: Path) -> None:
    """No PREFECT_API_URL, or none that answers: exit 2 at once, saying in Chinese and English
    how to start a server, instead of serving on a temporary server that runs nothing."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    for extra in ({}, {"PREFECT_API_URL": "http://127.0.0.1:9/api"}):
        from tests.support import CASEFILES

        done = subprocess.run([CASEFILES, "serve-flows"], capture_output=True, text=True,
                              env=env | extra | {"COLUMNS": "300"}, timeout=60, check=False)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "prefect server start" in done.stderr and "请先启动 Prefect 服务器" in done.stderr
        assert "PREFECT_API_URL" in done.stderr
        assert "deployments are being served" not in done.stdout


async def _deployments() -> dict[str, Any]:
    from prefect import get_client

    async with get_client() as client:
        return {d.name: d for d in await client.read_deployments()}


def test_stopping_one_serve_flows_leaves_the_deployments_scheduled(harness: None,
                                                                   tmp_path: Path) -> None:
    """serve-flows from another directory registers the same module entrypoints; stopped with
    SIGTERM, it leaves every deployment active for whoever else serves or works them."""
    from prefect.settings import PREFECT_API_URL

    url = str(PREFECT_API_URL.value())
    serving = _cli("serve-flows", cwd=tmp_path, PREFECT_API_URL=url,
                   CASEFILES_DATA_DIR=str(tmp_path / "data"))
    try:
        deadline = time.monotonic() + 90
        found: dict[str, Any] = {}
        while time.monotonic() < deadline and len(found) < 3:
            time.sleep(1)
            found = asyncio.run(_deployments())
            assert serving.poll() is None, serving.communicate()
        assert set(found) >= {"dispatch", "documents", "deadline-sweep"}
        time.sleep(2)
    finally:
        serving.send_signal(signal.SIGTERM)
        serving.communicate(timeout=60)
    after = asyncio.run(_deployments())
    for name in ("dispatch", "documents", "deadline-sweep"):
        assert after[name].paused is False, name
        assert after[name].entrypoint.startswith("flows.")


def test_casefiles_deploy_registers_relative_entrypoints_in_the_process_pool(
        harness: None, tmp_path: Path) -> None:
    """`casefiles deploy`, from any directory, creates the process pool `casefiles` and
    registers the three deployments with entrypoints relative to the project root, each
    machine's folder named at run time by CASEFILES_HOME."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    deploying = _cli("deploy", cwd=tmp_path, PREFECT_API_URL=str(PREFECT_API_URL.value()),
                     CASEFILES_NOTIFY_URL="http://127.0.0.1:9/hook")
    stdout, stderr = deploying.communicate(timeout=300)
    assert deploying.returncode == 0, stdout + stderr
    assert "已登记 3 个部署" in stdout

    async def pool_type() -> str:
        async with get_client() as client:
            return str((await client.read_work_pool("casefiles")).type)

    assert asyncio.run(pool_type()) == "process"
    found = asyncio.run(_deployments())
    entrypoints = {n: found[n].entrypoint for n in ("dispatch", "documents", "deadline-sweep")}
    assert entrypoints == {"dispatch": "flows/dispatch.py:dispatch_flow",
                           "documents": "flows/documents.py:documents_flow",
                           "deadline-sweep": "flows/sweep.py:sweep_flow"}
    sweep = found["deadline-sweep"]
    assert sweep.work_pool_name == "casefiles" and sweep.paused is False
    assert sweep.pull_steps == [{"prefect.deployments.steps.set_working_directory": {
        "directory": "{{ $CASEFILES_HOME }}"}}]
    assert found["documents"].global_concurrency_limit.limit == 2
    from prefect.automations import Automation
    from prefect.blocks.webhook import Webhook

    from flows.deployments import NOTIFY_AUTOMATION, NOTIFY_BLOCK

    automation = Automation.read(name=NOTIFY_AUTOMATION)
    assert automation.trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    assert automation.actions[0].type == "call-webhook"
    hook = Webhook.load(NOTIFY_BLOCK)
    assert hook.url.get_secret_value() == "http://127.0.0.1:9/hook"
