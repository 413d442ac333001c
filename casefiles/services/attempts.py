"""Counting what an attacker repeats (failed sign-ins, refused attempts on other people's
cases): events under keys within a sliding window, as rows of ``sign_in_failures`` (a key and
a time) in the database, so that every server process counts the same ones and a restart
forgives none. Time is the application's clock; rows older than the window are deleted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from casefiles.adapters.tables import SignInFailureRow, table_of
from casefiles.services.app import Casefiles

FAILURES = table_of(SignInFailureRow)


class AttemptCounts:
    """Events under keys within a sliding window."""

    def __init__(self, cf: Casefiles, window: timedelta) -> None:
        self.cf, self.window = cf, window

    def over(self, limits: dict[str, int]) -> datetime | None:
        """The oldest counted event of a key at or over its limit, or None."""
        now = self.cf.clock.now()
        query = (select(FAILURES.c.key, func.count().label("count"),
                        func.min(FAILURES.c.at).label("oldest"))
                 .where(FAILURES.c.key.in_(list(limits)), FAILURES.c.at > now - self.window)
                 .group_by(FAILURES.c.key))
        with self.cf.uow() as uow:
            counted = uow.conn.execute(query).mappings().all()
        full: list[datetime] = [r["oldest"] for r in counted if r["count"] >= limits[r["key"]]]
        return min(full) if full else None

    def left(self, limits: dict[str, int]) -> int:
        """How many more events the keys allow before the first of them reaches its limit."""
        now = self.cf.clock.now()
        query = (select(FAILURES.c.key, func.count().label("count"))
                 .where(FAILURES.c.key.in_(list(limits)), FAILURES.c.at > now - self.window)
                 .group_by(FAILURES.c.key))
        with self.cf.uow() as uow:
            counted = {r["key"]: r["count"] for r in uow.conn.execute(query).mappings()}
        return max(0, min(limit - counted.get(key, 0) for key, limit in limits.items()))

    def add(self, keys: list[str]) -> None:
        """Count one event under each key (and forget those that left the window)."""
        now = self.cf.clock.now()
        with self.cf.uow(write=True) as uow:
            uow.conn.execute(delete(FAILURES).where(FAILURES.c.at <= now - self.window))
            uow.conn.execute(insert(FAILURES), [{"key": k, "at": now} for k in keys])
            uow.commit()

    def forget(self, key: str) -> None:
        """Drop the events of one key."""
        with self.cf.uow(write=True) as uow:
            uow.conn.execute(delete(FAILURES).where(FAILURES.c.key == key))
            uow.commit()

    def minutes_left(self, oldest: datetime) -> int:
        """Whole minutes until ``oldest`` leaves the window (at least one)."""
        return int((oldest + self.window - self.cf.clock.now()).total_seconds() // 60) + 1
