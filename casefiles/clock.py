"""Clocks. The domain never reads the wall clock; entrypoints inject one of these."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from casefiles.domain.timefmt import SHANGHAI, aware


class Clock(Protocol):
    """Anything that tells the time, zone-aware."""

    def now(self) -> datetime:
        """The current time in Asia/Shanghai."""
        ...


class SystemClock:
    """The machine's clock, in Asia/Shanghai."""

    def now(self) -> datetime:
        """The wall-clock time."""
        return datetime.now(SHANGHAI)


class SimulatedClock:
    """A clock that scenarios and tests move forward by hand (never back)."""

    def __init__(self, start: datetime) -> None:
        self._now = aware(start)

    def now(self) -> datetime:
        """The simulated time."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move to ``moment``; moving back is an error."""
        moment = aware(moment)
        if moment < self._now:
            raise ValueError(f"the clock cannot go back from {self._now} to {moment}")
        self._now = moment
