"""Render the documents actions issued (a case's or an inspection's), in leased batches, and
build the case file of archived cases.

An action only numbers its documents and fixes what they say; this flow renders them to PDF,
stores them by SHA-256 and records the hash in the case history. A run leases a bounded batch
(no other run renders those documents meanwhile) and claims each in the transaction that
records it, so a rerun never stores one twice. A run with nothing due stops after one indexed
query; one whose documents failed ends Failed."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from casefiles.services.documents import RENDERED, render_pending
from casefiles.services.work import any_due
from flows.common import application, drain, finish, publish, run_name


@task(task_run_name="一批文书", retries=2, retry_delay_seconds=5)
def render_batch(database_url: str | None, batch: int) -> dict[str, int]:
    """One batch of documents; retried when the database was briefly unreachable."""
    return asdict(render_pending(application(database_url), batch=batch))


@flow(name="casefiles-documents", flow_run_name=run_name("文书生成"), log_prints=False)
async def documents_flow(database_url: str | None = None, batch: int = 100,
                         max_batches: int = 50) -> dict[str, int]:
    """Render until no document is due (at most ``max_batches`` batches); Failed when any
    document failed."""
    total = {"rendered": 0, "skipped": 0, "failed": 0}
    if any_due(application(database_url), RENDERED):
        total |= drain(lambda: render_batch(database_url, batch), batch, max_batches)
    get_run_logger().info("documents: %s", total)
    await publish("casefiles-documents", "文书生成 / documents", total)
    return finish("文书", "documents", total)
