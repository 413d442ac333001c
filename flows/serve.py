"""Serve the deployments of `prefect.yaml` on one machine (`casefiles serve-flows`), on a
Prefect server that already runs: dispatch and documents every few minutes, the sweep daily at
01:00 Asia/Shanghai.

Stopping this process leaves the deployments' schedules active (Prefect's ``serve`` would
pause them, and with them every other process serving the same deployments); their runs wait
for the next serve-flows or, after `casefiles deploy`, for the workers of the pool."""

from __future__ import annotations

from prefect import serve

from flows.deployments import require_server, served


def main() -> None:
    """Block serving the deployments (:class:`flows.deployments.NoServer` without a server)."""
    require_server()
    serve(*served(), pause_on_shutdown=False)


if __name__ == "__main__":
    main()
