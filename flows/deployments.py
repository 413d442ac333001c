"""The deployments, as `prefect.yaml` at the project root defines them: for `casefiles deploy`
(a process work pool, with workers on any machine) and for `casefiles serve-flows` (one
machine, no work pool). One definition, so both run the same schedules and limits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.flows import Flow
from prefect.schedules import Cron, Interval, Schedule

from casefiles.settings import PROJECT_ROOT

PREFECT_YAML = PROJECT_ROOT / "prefect.yaml"
POOL = "casefiles"


def definitions(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """The deployments of ``prefect.yaml``."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"])


def _flow(entrypoint: str) -> Flow[Any, Any]:
    """The flow an entrypoint (``flows/x.py:name``, relative to the project root) names."""
    import importlib

    file, name = entrypoint.split(":")
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    found: Flow[Any, Any] = getattr(module, name)
    return found


def _schedule(spec: dict[str, Any]) -> Schedule:
    if "cron" in spec:
        return Cron(spec["cron"], timezone=spec.get("timezone"))
    return Interval(timedelta(seconds=spec["interval"]))


def served() -> list[RunnerDeployment]:
    """The deployments for `serve()`: entrypoints by module (``flows.dispatch.dispatch_flow``),
    the same from every working directory and machine."""
    made: list[Any] = []  # to_deployment is typed as possibly a coroutine (async_dispatch)
    for d in definitions():
        limit = d.get("concurrency_limit") or {}
        made.append(_flow(d["entrypoint"]).to_deployment(
            name=d["name"], schedules=[_schedule(s) for s in d.get("schedules", [])],
            description=d.get("description"), tags=d.get("tags"),
            concurrency_limit=ConcurrencyLimitConfig(
                limit=limit["limit"],
                collision_strategy=ConcurrencyLimitStrategy(limit["collision_strategy"]))
            if limit else None,
            entrypoint_type=EntrypointType.MODULE_PATH))
    return made


class NoServer(RuntimeError):
    """No Prefect server answers at PREFECT_API_URL (or none is named)."""


def require_server() -> str:
    """The URL of a reachable Prefect server's API, else :class:`NoServer` saying how to start
    one (Prefect would otherwise start a temporary server that runs no schedule)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    how = ("请先启动 Prefect 服务器：`prefect server start`（多台机器时在其中一台上，数据库见 "
           "README），再设置 `export PREFECT_API_URL=http://服务器地址:4200/api` / start a "
           "Prefect server first with `prefect server start`, then "
           "`export PREFECT_API_URL=http://HOST:4200/api`")
    if not url:
        raise NoServer(f"未设置 PREFECT_API_URL，没有可用的 Prefect 服务器。{how} "
                       f"(PREFECT_API_URL is not set)")
    try:
        answer = httpx.get(f"{str(url).rstrip('/')}/health", timeout=5)
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        raise NoServer(f"Prefect 服务器 {url} 无法连接。{how} "
                       f"({type(exc).__name__}: {exc})") from exc
    return str(url)


async def _ensure_pool() -> None:
    from prefect import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.workers.process import ProcessWorker

    async with get_client() as client:
        try:
            await client.create_work_pool(WorkPoolCreate(
                name=POOL, type="process",
                description="casefiles 的流程 / casefiles' flows (prefect worker start --pool "
                            "casefiles)",
                base_job_template=ProcessWorker.get_default_base_job_template()))
        except ObjectAlreadyExists:
            pass


NOTIFY_BLOCK = "casefiles-notify"
NOTIFY_AUTOMATION = "casefiles-运行失败通知"
# the webhook's JSON body (Prefect fills in the run): Chinese first
NOTIFY_PAYLOAD = ('{"text": "casefiles 流程运行未成功（{{ flow_run.state.name }}）：{{ flow.name }} '
                  '{{ flow_run.name }}，请用 casefiles outbox failed 查看 / a casefiles run '
                  'ended {{ flow_run.state.name }}", "flow": "{{ flow.name }}", '
                  '"flow_run": "{{ flow_run.name }}", "state": "{{ flow_run.state.name }}"}')


async def _ensure_notifications(url: str) -> None:
    """A webhook block for ``url`` and an automation that calls it whenever a run of a
    deployment tagged ``casefiles`` ends Failed or Crashed (replacing the previous ones)."""
    from prefect.automations import Automation, CallWebhook, EventTrigger, Posture
    from prefect.blocks.webhook import Webhook

    block_id = await Webhook(method="POST", url=url).asave(  # type: ignore[arg-type]
        NOTIFY_BLOCK, overwrite=True)
    try:
        old = await Automation.aread(name=NOTIFY_AUTOMATION)
        await old.adelete()
    except ValueError:  # none yet
        pass
    await Automation(
        name=NOTIFY_AUTOMATION,
        description="casefiles 的流程运行失败或崩溃时调用通知地址 / call the notification "
                    "webhook when a casefiles run fails or crashes",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "tag",
                           "prefect.resource.id": "prefect.tag.casefiles"},
            posture=Posture.Reactive, threshold=1),
        actions=[CallWebhook(block_document_id=block_id, payload=NOTIFY_PAYLOAD)],
    ).acreate()


CRASH_AUTOMATION = "casefiles-失联运行标记崩溃"


async def _ensure_crash_detection() -> None:
    """An automation that marks a casefiles run Crashed when its heartbeats stop (its machine
    died) for two heartbeat periods (PREFECT_FLOWS_HEARTBEAT_FREQUENCY, as the workers have
    it), so that it does not stay Running; the notification then fires for it too."""
    from datetime import timedelta

    from prefect.automations import Automation, EventTrigger, Posture
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.settings import get_current_settings

    every = get_current_settings().flows.heartbeat_frequency or 180
    try:
        old = await Automation.aread(name=CRASH_AUTOMATION)
        await old.adelete()
    except ValueError:  # none yet
        pass
    ended = {f"prefect.flow-run.{s}" for s in ("Completed", "Failed", "Cancelled", "Crashed")}
    await Automation(
        name=CRASH_AUTOMATION,
        description="casefiles 的流程运行失去心跳即标记为崩溃 / mark a casefiles run Crashed "
                    "when its heartbeats stop",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", *ended},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "tag",
                           "prefect.resource.id": "prefect.tag.casefiles"},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive, threshold=1, within=timedelta(seconds=2 * every + 10)),
        actions=[ChangeFlowRunState(
            state=StateType.CRASHED, name="Crashed", force=False,
            message="运行失去心跳（所在机器可能已停止）/ the run's heartbeats stopped")],
    ).acreate()


def register(notify_url: str | None = None) -> list[str]:
    """Create the process work pool (once) and register the deployments of ``prefect.yaml``
    with Prefect's own `prefect deploy --all`, run in the project root: the entrypoints stay
    relative to it; with ``notify_url``, the automation that calls it when a run fails or
    crashes. Returns the deployments' names; RuntimeError with Prefect's output when it
    fails."""
    import asyncio
    import os
    import subprocess
    import sys

    require_server()
    asyncio.run(_ensure_pool())
    asyncio.run(_ensure_crash_detection())
    if notify_url:
        asyncio.run(_ensure_notifications(notify_url))
    prefect = Path(sys.executable).parent / "prefect"
    done = subprocess.run([str(prefect), "--no-prompt", "deploy", "--all"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, check=False, timeout=300,
                          env=os.environ | {"PREFECT_CLI_WRAP_LINES": "false"})
    if done.returncode != 0:
        raise RuntimeError(f"prefect deploy 失败 / failed:\n{done.stdout}\n{done.stderr}")
    return [d["name"] for d in definitions()]
