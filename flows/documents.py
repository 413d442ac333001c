"""Render the documents actions issued, in batches, and build the case file of archived cases.

An action only numbers its documents and fixes what they say; this flow renders them to PDF,
stores them under the data directory and records their SHA-256 in the case history. Each
document is claimed in the transaction that records it, so a rerun never stores one twice."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from casefiles.services.documents import render_pending
from flows.common import application, drain


@task(retries=2, retry_delay_seconds=5)
def render_batch(database_url: str | None, batch: int) -> dict[str, int]:
    """One batch of documents; retried when the database was briefly unreachable."""
    return asdict(render_pending(application(database_url), batch=batch))


@flow(name="casefiles-documents", log_prints=False)
async def documents_flow(database_url: str | None = None, batch: int = 100,
                         max_batches: int = 50) -> dict[str, int]:
    """Render until no document waits (or ``max_batches`` batches)."""
    total = {"rendered": 0, "skipped": 0, "failed": 0} | drain(
        lambda: render_batch(database_url, batch), batch, max_batches)
    get_run_logger().info("documents: %s", total)
    return total
