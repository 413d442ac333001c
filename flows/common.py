"""What the flows share: the application built from settings, and reports as plain dicts."""

from __future__ import annotations

from collections.abc import Callable

from casefiles.services.app import Casefiles
from casefiles.settings import Settings


def application(database_url: str | None = None) -> Casefiles:
    """The casefiles application for a flow run (system clock, settings from the environment)."""
    cf = Casefiles(Settings(), database_url=database_url)
    cf.init()
    return cf


def drain(run_batch: Callable[[], dict[str, int]], batch: int, max_batches: int) -> dict[str, int]:
    """Run batches until one comes back short (nothing more waits), one did nothing but fail
    (the failed items wait for the next run rather than being retried at once), or
    ``max_batches`` ran; the reports summed."""
    total: dict[str, int] = {}
    for _ in range(max_batches):
        report = run_batch()
        for key, n in report.items():
            total[key] = total.get(key, 0) + n
        if sum(report.values()) < batch or report.get("failed", 0) == sum(report.values()):
            break
    return total
