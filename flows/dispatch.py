"""Dispatch the work actions leave behind (the outbox), in batches.

An action writes its outbox items in its own transaction; this flow claims each item in the
transaction of the work it does, so a crash loses nothing and a rerun repeats nothing. A user's
action never waits for this flow: it runs on a schedule, a few seconds behind."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from casefiles.services.work import dispatch
from flows.common import application, drain


@task(retries=2, retry_delay_seconds=5)
def dispatch_batch(database_url: str | None, batch: int) -> dict[str, int]:
    """One batch of outbox items; retried when the database was briefly unreachable."""
    return asdict(dispatch(application(database_url), batch=batch))


@flow(name="casefiles-dispatch", log_prints=False)
async def dispatch_flow(database_url: str | None = None, batch: int = 200,
                        max_batches: int = 50) -> dict[str, int]:
    """Work through the outbox until it is empty (or ``max_batches`` batches)."""
    total = {"done": 0, "skipped": 0, "failed": 0} | drain(
        lambda: dispatch_batch(database_url, batch), batch, max_batches)
    get_run_logger().info("dispatch: %s", total)
    return total
