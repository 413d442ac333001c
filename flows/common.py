"""What the flows share: the application built from settings, batches drained, and what a run
did, said in a markdown artifact (Chinese first) and, when items failed, by the run's state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from prefect.artifacts import acreate_markdown_artifact

from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles
from casefiles.settings import Settings


def run_name(label: str) -> Callable[[], str]:
    """A flow run's Chinese display name: what it does and when it was due (Beijing time)."""
    def name() -> str:
        from prefect.runtime import flow_run

        due = flow_run.scheduled_start_time
        return f"{label} {due.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    return name


def application(database_url: str | None = None) -> Casefiles:
    """The casefiles application for a flow run (system clock, settings from the environment)."""
    cf = Casefiles(Settings(), database_url=database_url)
    cf.init()
    return cf


def drain(run_batch: Callable[[], dict[str, int]], batch: int, max_batches: int) -> dict[str, int]:
    """Run batches until one comes back short (nothing more waits), one did nothing but fail
    (the failed items wait out their backoff), or ``max_batches`` ran; the reports summed."""
    total: dict[str, int] = {}
    for _ in range(max_batches):
        report = run_batch()
        for key, n in report.items():
            total[key] = total.get(key, 0) + n
        if sum(report.values()) < batch or report.get("failed", 0) == sum(report.values()):
            break
    return total


class ItemsFailed(RuntimeError):
    """Some outbox items of the run failed: the run ends Failed (they wait for a retry, or are
    parked; `casefiles outbox failed` lists them). ``report`` is what the run did."""

    def __init__(self, message: str, report: dict[str, int]) -> None:
        super().__init__(message, report)
        self.message = message
        self.report = report

    def __str__(self) -> str:
        return self.message


# report key → its label in the artifact
LABELS = {"done": "已完成 / done", "skipped": "无需再做 / no longer needed",
          "rendered": "已生成 / rendered", "failed": "失败 / failed",
          "checked": "已检查案件 / cases checked", "missed": "新逾期期限 / deadlines newly missed"}


def markdown(title: str, report: dict[str, int], notes: Iterable[str] = ()) -> str:
    """What a run did, as a small markdown table (and its notes as a list)."""
    lines = [f"# {title}", "", "| 项目 / item | 数量 / count |", "|---|---:|"]
    lines += [f"| {LABELS.get(k, k)} | {n} |" for k, n in report.items()]
    notes = list(notes)
    if notes:
        lines += ["", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


async def publish(key: str, title: str, report: dict[str, Any], notes: Iterable[str] = ()) -> None:
    """The run's markdown artifact (its latest version under ``key`` shows the last run)."""
    await acreate_markdown_artifact(key=key, markdown=markdown(title, report, notes),
                                    description=title)


def finish(kind: str, english: str, report: dict[str, int]) -> dict[str, int]:
    """The report, or :class:`ItemsFailed` when any item failed, so that the run ends Failed."""
    if report.get("failed"):
        raise ItemsFailed(f"{report['failed']} 项{kind}失败，等待重试或已搁置（casefiles outbox "
                          f"failed 查看）/ {report['failed']} {english} failed: they wait for "
                          f"a retry or are parked (see `casefiles outbox failed`)", report)
    return report
