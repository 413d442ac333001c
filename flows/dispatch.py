"""Dispatch the work actions leave behind (the outbox), in leased batches.

An action writes its outbox items in its own transaction; a run leases a bounded batch (no
other run takes those items meanwhile) and claims each item in the transaction of the work it
does, so a crash loses nothing and a rerun repeats nothing. A user's action never waits for
this flow. A run with nothing due stops after one indexed query."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from casefiles.services.work import SYSTEM_ACTIONS, any_due, dispatch, failing
from flows.common import application, drain, finish, publish, run_name


@task(task_run_name="一批后续工作", retries=2, retry_delay_seconds=5)
def dispatch_batch(database_url: str | None, batch: int) -> dict[str, int]:
    """One batch of outbox items; retried when the database was briefly unreachable."""
    return asdict(dispatch(application(database_url), batch=batch))


@flow(name="casefiles-dispatch", flow_run_name=run_name("后续工作"), log_prints=False)
async def dispatch_flow(database_url: str | None = None, batch: int = 200,
                        max_batches: int = 50) -> dict[str, int]:
    """Work through the due outbox items (at most ``max_batches`` batches); Failed when any
    item failed."""
    cf = application(database_url)
    total = {"done": 0, "skipped": 0, "failed": 0}
    if any_due(cf, SYSTEM_ACTIONS):
        total |= drain(lambda: dispatch_batch(database_url, batch), batch, max_batches)
    get_run_logger().info("dispatch: %s", total)
    notes = [f"{i['label']} {i['case_number'] or i['case_id']}：{i['status_label']}，"
             f"{i['last_error']}" for i in failing(cf, 20) if i["kind"] in SYSTEM_ACTIONS]
    await publish("casefiles-dispatch", "后续工作 / dispatch", total, notes)
    return finish("后续工作", "outbox items", total)
