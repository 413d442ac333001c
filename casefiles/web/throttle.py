"""Failed sign-ins slow down password guessing: after ``limit`` failures for one account (or
``4 × limit`` from one address) within ``window``, further attempts are refused until the
oldest failure leaves the window, even with the right password. Kept in the server process,
on the application's clock; a successful sign-in clears the account's failures."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from casefiles.clock import Clock
from casefiles.web.common import WebError


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins for this account or from this address."""

    status, code = 429, "too_many_attempts"


class SignInGuard:
    """Counts failed sign-ins per account and per client address."""

    def __init__(self, clock: Clock, limit: int = 5,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        seen = self._failures.setdefault(key, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        return seen

    def check(self, person_id: str, address: str) -> None:
        """Raise :class:`TooManyAttemptsError` while either key is locked out."""
        now = self.clock.now()
        with self._lock:
            for key, limit in ((f"id:{person_id}", self.limit),
                               (f"ip:{address}", 4 * self.limit)):
                seen = self._recent(key, now)
                if len(seen) >= limit:
                    wait = int((seen[0] + self.window - now).total_seconds() // 60) + 1
                    raise TooManyAttemptsError(
                        f"登录失败次数过多，请{wait}分钟后再试",
                        f"too many failed sign-ins: try again in {wait} minutes")

    def failed(self, person_id: str, address: str) -> None:
        """Count one failed attempt."""
        now = self.clock.now()
        with self._lock:
            for key in (f"id:{person_id}", f"ip:{address}"):
                self._recent(key, now).append(now)

    def succeeded(self, person_id: str) -> None:
        """The account's failures are forgiven."""
        with self._lock:
            self._failures.pop(f"id:{person_id}", None)
