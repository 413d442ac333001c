"""Render the documents actions issued (a case's or an inspection's), in leased batches
rendered by mapped tasks of a bounded size, and build the case file of archived cases.

An action only numbers its documents and fixes what they say; this flow renders them to PDF,
stores them by SHA-256 and records the hash in the case history. A run leases a bounded batch
(no other run renders those documents meanwhile) and claims each in the transaction that
records it, so a rerun never stores one twice. A run with nothing due stops after one indexed
query; one whose documents failed ends Failed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from casefiles.services.documents import RENDERED, lease_pending, render_items
from casefiles.services.work import any_due
from flows.common import application, drain, finish, publish, run_name


@task(task_run_name="领取一批文书", retries=2, retry_delay_seconds=5)
def lease_batch(database_url: str | None, batch: int) -> list[dict[str, Any]]:
    """Lease one batch of documents to this run; retried when the database was briefly
    unreachable."""
    return lease_pending(application(database_url), batch=batch)


def _chunk_name() -> str:
    from prefect.runtime import task_run

    return f"生成文书（{len(task_run.parameters['items'])}件）"


@task(task_run_name=_chunk_name, retries=2, retry_delay_seconds=5)
def render_chunk(database_url: str | None, items: list[dict[str, Any]]) -> dict[str, int]:
    """Render one chunk of a leased batch; a retry skips what an earlier try stored."""
    return asdict(render_items(application(database_url), items))


def chunks(items: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """``items`` in chunks of at most ``size``, in order."""
    return [items[i:i + size] for i in range(0, len(items), max(1, size))]


def render_batch(database_url: str | None, batch: int, chunk: int) -> dict[str, int]:
    """One leased batch, rendered by mapped tasks of at most ``chunk`` documents each."""
    parts = chunks(lease_batch(database_url, batch), chunk)
    futures = render_chunk.map(unmapped(database_url), parts)
    total = {"rendered": 0, "skipped": 0, "failed": 0}
    for report in futures.result():
        for key, n in report.items():
            total[key] += n
    return total


# the chunks of a run are rendered one after another: WeasyPrint (Pango underneath) is not
# documented as safe in threads; runs on several workers render in parallel, by leases
ONE_AT_A_TIME: TaskRunner[Any] = ThreadPoolTaskRunner(max_workers=1)


@flow(name="casefiles-documents", flow_run_name=run_name("文书生成"), log_prints=False,
      task_runner=ONE_AT_A_TIME)
async def documents_flow(database_url: str | None = None, batch: int = 100,
                         max_batches: int = 50, chunk: int = 10) -> dict[str, int]:
    """Render until no document is due (at most ``max_batches`` leased batches, each in mapped
    tasks of at most ``chunk`` documents); Failed when any document failed."""
    total = {"rendered": 0, "skipped": 0, "failed": 0}
    if any_due(application(database_url), RENDERED):
        total |= drain(lambda: render_batch(database_url, batch, chunk), batch, max_batches)
    get_run_logger().info("documents: %s", total)
    await publish("casefiles-documents", "文书生成 / documents", total)
    return finish("文书", "documents", total)
