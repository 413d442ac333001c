"""Serve the flows with their schedules on a Prefect server (`casefiles flows serve`):
dispatch every minute, the sweep daily at 01:00 Asia/Shanghai."""

from __future__ import annotations

from prefect import serve

from flows.dispatch import dispatch_flow
from flows.sweep import sweep_flow


def main() -> None:
    """Block serving both deployments."""
    serve(
        dispatch_flow.to_deployment(name="casefiles-dispatch", interval=60),
        sweep_flow.to_deployment(name="casefiles-deadline-sweep",
                                 cron="0 1 * * *", timezone="Asia/Shanghai"),
    )


if __name__ == "__main__":
    main()
