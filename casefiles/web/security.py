"""Passwords (argon2 through pwdlib), the key that signs sessions and API tokens, API bearer
tokens, and CSRF tokens. Nothing here knows about pages or cases."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
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


def fingerprint(password_hash: str | None) -> str:
    """A short digest of the stored hash: sessions and tokens die when the password changes."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


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
    """A person as the web sees them: who, and the fingerprint of their password."""

    person: Person
    fingerprint: str


def account(cf: Casefiles, person_id: str) -> Account | None:
    """The active person with this id and a password set, or None."""
    with cf.uow() as uow:
        found = uow.people.with_password(person_id)
    return None if found is None else Account(found[0], fingerprint(found[1]))


def authenticate(cf: Casefiles, person_id: str, password: str) -> Account | None:
    """The account when ``password`` is right for ``person_id``; None otherwise (as slowly
    for an unknown id as for a wrong password)."""
    with cf.uow() as uow:
        found = uow.people.with_password(person_id)
    ok = _HASHER.verify(password, found[1] if found else _DUMMY_HASH)
    return Account(found[0], fingerprint(found[1])) if ok and found else None


class Tokens:
    """Signed, expiring bearer tokens for the JSON API (no table: the signature is the proof,
    and a changed password voids every token issued before)."""

    def __init__(self, key: str) -> None:
        self._signer = URLSafeTimedSerializer(key, salt="casefiles-api-token")

    def issue(self, acct: Account) -> str:
        """A token for ``acct``."""
        return self._signer.dumps({"p": acct.person.id, "f": acct.fingerprint})

    def read(self, cf: Casefiles, token: str) -> Account | None:
        """The account the token was issued to, while valid and the password unchanged."""
        try:
            data: Any = self._signer.loads(token, max_age=TOKEN_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("p"), str):
            return None
        acct = account(cf, data["p"])
        if acct is None or not hmac.compare_digest(acct.fingerprint, str(data.get("f", ""))):
            return None
        return acct


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
