"""The daily deadline sweep: mark deadlines that passed undone and record their warnings."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger

from casefiles.services.work import sweep
from flows.common import application


@flow(name="casefiles-deadline-sweep", log_prints=False)
async def sweep_flow(database_url: str | None = None, batch: int = 500) -> dict[str, int]:
    """Sweep every case with an open deadline past its due day."""
    report = asdict(sweep(application(database_url), batch=batch))
    get_run_logger().info("sweep: %s", report)
    return report
