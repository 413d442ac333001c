"""Counting what an attacker repeats: failed sign-ins, and refused attempts on cases one may
not see. The counts are rows of ``sign_in_failures`` (a key and a time), kept in the database
so that every server process counts the same ones and a restart forgives none; time is the
application's clock; rows older than the window are deleted.

Sign-in: five failures for one account *from one address* within fifteen minutes lock that
pair only, so an attacker cannot lock a person out of every other address; the account itself
is locked only after twenty times as many failures (from anywhere), an address after four times
as many (for any account). A correct password from another address still signs in. The address
is the client's as uvicorn sees it: forwarded headers count only from the proxies named in
``CASEFILES_TRUSTED_PROXIES`` (``casefiles serve``).

Strangers: a person may try an action on a case they may not see (SPEC §2 keeps the attempt in
the case's history), but only a few times an hour; after that they are answered 429 and
nothing is written."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from casefiles.adapters.tables import SignInFailureRow
from casefiles.services.app import Casefiles
from casefiles.web.common import WebError

FAILURES = SignInFailureRow.__table__


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins, or refused attempts on other people's cases."""

    status, code = 429, "too_many_attempts"


class _Counts:
    """Events under keys within a sliding window."""

    def __init__(self, cf: Casefiles, window: timedelta) -> None:
        self.cf, self.window = cf, window

    def over(self, limits: dict[str, int]) -> datetime | None:
        """The oldest counted event of a key at or over its limit, or None."""
        now = self.cf.clock.now()
        query = (select(FAILURES.c.key, func.count(), func.min(FAILURES.c.at))
                 .where(FAILURES.c.key.in_(list(limits)), FAILURES.c.at > now - self.window)
                 .group_by(FAILURES.c.key))
        with self.cf.uow() as uow:
            counted = uow.conn.execute(query).all()
        full = [oldest for key, count, oldest in counted if count >= limits[key]]
        return min(full) if full else None

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


class SignInGuard:
    """Counts failed sign-ins per (account, address), per account and per address."""

    def __init__(self, cf: Casefiles, limit: int = 5,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self.limit, self.counts = limit, _Counts(cf, window)

    @staticmethod
    def _keys(person_id: str, address: str) -> tuple[str, str, str]:
        return f"pair:{person_id}@{address}", f"id:{person_id}", f"ip:{address}"

    def check(self, person_id: str, address: str) -> None:
        """Raise :class:`TooManyAttemptsError` while the pair, the account or the address is
        locked out."""
        pair, account, client = self._keys(person_id, address)
        oldest = self.counts.over({pair: self.limit, account: 20 * self.limit,
                                   client: 4 * self.limit})
        if oldest is not None:
            wait = self.counts.minutes_left(oldest)
            raise TooManyAttemptsError(f"登录失败次数过多，请{wait}分钟后再试",
                                       f"too many failed sign-ins: try again in {wait} minutes")

    def failed(self, person_id: str, address: str) -> None:
        """Count one failed attempt."""
        self.counts.add(list(self._keys(person_id, address)))

    def succeeded(self, person_id: str, address: str) -> None:
        """The failures of this account from this address are forgiven (not another
        address's: a stranger's guesses stay counted against the stranger)."""
        self.counts.forget(self._keys(person_id, address)[0])


class StrangerGuard:
    """Counts a person's attempts on cases they may not see (or that do not exist)."""

    def __init__(self, cf: Casefiles, per_hour: int) -> None:
        self.per_hour, self.counts = per_hour, _Counts(cf, timedelta(hours=1))

    def check(self, person_id: str) -> None:
        """Raise :class:`TooManyAttemptsError` once the person used up the hour's attempts."""
        oldest = self.counts.over({f"stranger:{person_id}": self.per_hour})
        if oldest is not None:
            wait = self.counts.minutes_left(oldest)
            raise TooManyAttemptsError(f"对非本人案件的操作过多，请{wait}分钟后再试",
                                       "too many attempts on cases that are not yours: try "
                                       f"again in {wait} minutes")

    def count(self, person_id: str) -> None:
        """Count one attempt."""
        self.counts.add([f"stranger:{person_id}"])
