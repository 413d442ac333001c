"""Passwords (argon2 through pwdlib), the key that signs session cookies and API tokens,
server-side sessions and API bearer tokens, and CSRF tokens. Nothing here knows about pages or
cases."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from pwdlib import PasswordHash

from casefiles.domain.model import Person
from casefiles.services.app import Casefiles
from casefiles.settings import Settings

_HASHER = PasswordHash.recommended()
# verifying against this when the id is unknown keeps sign-in time the same for both cases
_DUMMY_HASH = _HASHER.hash("casefiles-no-such-person")
TOKEN_SECONDS = 12 * 3600
SESSION_SECONDS = 8 * 3600


def hash_password(password: str) -> str:
    """A slow, salted argon2 hash of ``password``."""
    return _HASHER.hash(password)


def secret_key(settings: Settings) -> str:
    """CASEFILES_SECRET_KEY, else a key generated once and kept in DATA_DIR/web_secret_key."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "web_secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


@dataclass(frozen=True)
class Account:
    """A person as the web sees them: an active person with a password."""

    person: Person


def account(cf: Casefiles, person_id: str) -> Account | None:
    """The active person with this id and a password set, or None."""
    with cf.uow() as uow:
        found = uow.people.with_password(person_id)
    return None if found is None else Account(found[0])


def authenticate(cf: Casefiles, person_id: str, password: str) -> Account | None:
    """The account when ``password`` is right for ``person_id``; None otherwise (as slowly
    for an unknown id as for a wrong password)."""
    with cf.uow() as uow:
        found = uow.people.with_password(person_id)
    ok = _HASHER.verify(password, found[1] if found else _DUMMY_HASH)
    return Account(found[0]) if ok and found else None


def _wall_clock() -> datetime:
    # sessions last hours of real time, as the cookie that carries them does: not the
    # application's clock, which a simulation moves by months
    return datetime.now(UTC)


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(cf: Casefiles, acct: Account, kind: str, seconds: int) -> str:
    """A new server-side session (``page``) or API token (``token``) for ``acct``: the
    secret to hand out; the database keeps only its SHA-256."""
    secret = secrets.token_urlsafe(32)
    now = _wall_clock()
    with cf.uow(write=True) as uow:
        uow.sessions.add(_key(secret), acct.person.id, kind, now, now + timedelta(seconds=seconds))
        uow.commit()
    return secret


def session_account(cf: Casefiles, secret: str) -> Account | None:
    """The account of a session that has not ended or expired (its person still active)."""
    with cf.uow() as uow:
        person_id = uow.sessions.person_of(_key(secret), _wall_clock())
        found = uow.people.with_password(person_id) if person_id else None
    return None if found is None else Account(found[0])


def end_session(cf: Casefiles, secret: str) -> None:
    """Sign out: the session (or token) no longer works, wherever it was copied to."""
    with cf.uow(write=True) as uow:
        uow.sessions.end(_key(secret))
        uow.commit()


class Tokens:
    """Bearer tokens for the JSON API: a signed, expiring wrapper around the secret of a
    server-side session, which ends when the person's password, roles or standing change."""

    def __init__(self, key: str, cf: Casefiles) -> None:
        self._signer = URLSafeTimedSerializer(key, salt="casefiles-api-token")
        self.cf = cf

    def issue(self, acct: Account) -> str:
        """A token for ``acct``."""
        return self._signer.dumps({"s": open_session(self.cf, acct, "token", TOKEN_SECONDS)})

    def read(self, cf: Casefiles, token: str) -> Account | None:
        """The account the token was issued to, while its session lasts."""
        try:
            data: Any = self._signer.loads(token, max_age=TOKEN_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("s"), str):
            return None
        return session_account(cf, data["s"])


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_ok(session: dict[str, Any], given: str | None) -> bool:
    """Whether ``given`` is this session's CSRF token."""
    expected = session.get("csrf")
    return isinstance(expected, str) and isinstance(given, str) and hmac.compare_digest(
        expected, given)
