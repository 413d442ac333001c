"""Failed sign-ins slow down password guessing: after ``limit`` failures for one account (or
``4 × limit`` from one address) within ``window``, further attempts are refused until the
oldest failure leaves the window, even with the right password. The failures are kept in the
database (``sign_in_failures``), so every server process counts the same ones and a restart
forgives none; time is the application's clock. A successful sign-in clears the account's
failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from casefiles.adapters.tables import SignInFailureRow
from casefiles.services.app import Casefiles
from casefiles.web.common import WebError

FAILURES = SignInFailureRow.__table__


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins for this account or from this address."""

    status, code = 429, "too_many_attempts"


class SignInGuard:
    """Counts failed sign-ins per account and per client address."""

    def __init__(self, cf: Casefiles, limit: int = 5,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self.cf, self.limit, self.window = cf, limit, window

    def check(self, person_id: str, address: str) -> None:
        """Raise :class:`TooManyAttemptsError` while either key is locked out."""
        now = self.cf.clock.now()
        limits = {f"id:{person_id}": self.limit, f"ip:{address}": 4 * self.limit}
        query = (select(FAILURES.c.key, func.count(), func.min(FAILURES.c.at))
                 .where(FAILURES.c.key.in_(list(limits)), FAILURES.c.at > now - self.window)
                 .group_by(FAILURES.c.key))
        with self.cf.uow() as uow:
            counted = uow.conn.execute(query).all()
        for key, count, oldest in counted:
            if count >= limits[key]:
                self._refuse(oldest, now)

    def _refuse(self, oldest: datetime, now: datetime) -> None:
        wait = int((oldest + self.window - now).total_seconds() // 60) + 1
        raise TooManyAttemptsError(f"登录失败次数过多，请{wait}分钟后再试",
                                   f"too many failed sign-ins: try again in {wait} minutes")

    def failed(self, person_id: str, address: str) -> None:
        """Count one failed attempt (and forget those that left the window)."""
        now = self.cf.clock.now()
        with self.cf.uow(write=True) as uow:
            uow.conn.execute(delete(FAILURES).where(FAILURES.c.at <= now - self.window))
            uow.conn.execute(insert(FAILURES), [{"key": f"id:{person_id}", "at": now},
                                                {"key": f"ip:{address}", "at": now}])
            uow.commit()

    def succeeded(self, person_id: str) -> None:
        """The account's failures are forgiven."""
        with self.cf.uow(write=True) as uow:
            uow.conn.execute(delete(FAILURES).where(FAILURES.c.key == f"id:{person_id}"))
            uow.commit()
