"""Serve the flows with their schedules on a Prefect server (`casefiles serve-flows`):
dispatch and documents every minute, the sweep daily at 01:00 Asia/Shanghai."""

from __future__ import annotations

from datetime import timedelta

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron, Interval

from flows.dispatch import dispatch_flow
from flows.documents import documents_flow
from flows.sweep import sweep_flow


def deployments() -> list[RunnerDeployment]:
    """The three deployments with their schedules."""
    dispatch = dispatch_flow.to_deployment(
        name="casefiles-dispatch", schedule=Interval(timedelta(minutes=1)))
    documents = documents_flow.to_deployment(
        name="casefiles-documents", schedule=Interval(timedelta(minutes=1)))
    sweep = sweep_flow.to_deployment(
        name="casefiles-deadline-sweep", schedule=Cron("0 1 * * *", timezone="Asia/Shanghai"))
    return [dispatch, documents, sweep]  # type: ignore[list-item]


def main() -> None:
    """Block serving the deployments."""
    serve(*deployments())


if __name__ == "__main__":
    main()
