"""Limits on what an attacker repeats: failed sign-ins, and refused attempts on cases one may
not see, counted by :class:`~casefiles.services.attempts.AttemptCounts`.

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

from datetime import timedelta

from casefiles.services.app import Casefiles
from casefiles.services.attempts import AttemptCounts
from casefiles.web.common import WebError


class TooManyAttemptsError(WebError):
    """Too many failed sign-ins, or refused attempts on other people's cases."""

    code = "too_many_attempts"


class SignInGuard:
    """Counts failed sign-ins per (account, address), per account and per address."""

    def __init__(self, cf: Casefiles, limit: int = 5,
                 window: timedelta = timedelta(minutes=15)) -> None:
        self.limit, self.counts = limit, AttemptCounts(cf, window)
        self.minutes = int(window.total_seconds() // 60)

    @staticmethod
    def _keys(person_id: str, address: str) -> tuple[str, str, str]:
        return f"pair:{person_id}@{address}", f"id:{person_id}", f"ip:{address}"

    def _limits(self, person_id: str, address: str) -> dict[str, int]:
        pair, account, client = self._keys(person_id, address)
        return {pair: self.limit, account: 20 * self.limit, client: 4 * self.limit}

    def left(self, person_id: str, address: str) -> int:
        """The failures this account may still have from this address before it is locked."""
        return self.counts.left(self._limits(person_id, address))

    def check(self, person_id: str, address: str) -> None:
        """Raise :class:`TooManyAttemptsError` while the pair, the account or the address is
        locked out."""
        oldest = self.counts.over(self._limits(person_id, address))
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
        self.per_hour, self.counts = per_hour, AttemptCounts(cf, timedelta(hours=1))

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
