"""The daily deadline sweep: mark deadlines that passed undone and record their warnings."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger

from casefiles.services.work import calendar_gap, sweep
from flows.common import application, publish, run_name


@flow(name="casefiles-deadline-sweep", flow_run_name=run_name("期限巡查"), log_prints=False)
async def sweep_flow(database_url: str | None = None, batch: int = 500) -> dict[str, int]:
    """Sweep every case with an open deadline past its due day."""
    cf = application(database_url)
    report = asdict(sweep(cf, batch=batch))
    logger = get_run_logger()
    logger.info("sweep: %s", report)
    notices = calendar_gap(cf)
    for notice in notices:
        logger.warning(notice)
    await publish("casefiles-deadline-sweep", "期限巡查 / deadline sweep", report, notices)
    return report
