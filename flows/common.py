"""What the flows share: the application built from settings, and reports as plain dicts."""

from __future__ import annotations

from casefiles.services.app import Casefiles
from casefiles.settings import Settings


def application(database_url: str | None = None) -> Casefiles:
    """The casefiles application for a flow run (system clock, settings from the environment)."""
    cf = Casefiles(Settings(), database_url=database_url)
    cf.init()
    return cf
