"""The whole-process record (全过程记录): history entries chained by SHA-256.

Each entry's hash covers its own fields and the hash of the entry before it in the same chain
(one chain per case, and one for the bureau's actions that belong to no case)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from casefiles.domain.timefmt import aware

BUREAU_CHAIN = "bureau"


def jsonable(value: Any) -> Any:
    """``value`` with dates, times and decimals turned into JSON strings and numbers."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


@dataclass(frozen=True)
class Entry:
    """One history entry: who did what, when, with what result, and the chain link."""

    chain: str
    seq: int
    case_id: str | None
    at: datetime
    actor: str
    role: str | None
    action: str
    payload: Any
    result: str
    codes: list[str]
    warnings: list[str]
    state_before: str | None
    state_after: str | None
    files: list[str]
    prev_hash: str | None
    hash: str
    # the rule sets that judged the entry (SPEC §5), each {"id": ..., "sha256": ...}; None on
    # entries written before rule sets were recorded, whose hashes do not cover the field
    rule_sets: list[dict[str, str]] | None = None

    def content(self) -> dict[str, Any]:
        """The hashed fields (everything but the hash itself)."""
        data = {name: getattr(self, name) for name in _HASHED}
        data["at"] = aware(self.at).isoformat(timespec="microseconds")
        if data["rule_sets"] is None:
            del data["rule_sets"]
        return data

    def recomputed(self) -> str:
        """The hash these fields should have."""
        return digest(self.content())


_HASHED = [name for name in Entry.__dataclass_fields__ if name != "hash"]


def digest(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``content``."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_entry(*, chain: str, seq: int, prev_hash: str | None, **fields: Any) -> Entry:
    """A new entry linked to ``prev_hash`` with its hash computed."""
    fields["payload"] = jsonable(fields.get("payload"))
    draft = Entry(chain=chain, seq=seq, prev_hash=prev_hash, hash="", **fields)
    return replace(draft, hash=draft.recomputed())


@dataclass(frozen=True)
class Break:
    """Where a chain stops matching."""

    chain: str
    seq: int
    reason: str


def verify_chain(entries: list[Entry], head: str | None = None,
                 length: int | None = None) -> Break | None:
    """The first entry (in order) whose hash or link does not match, or None.

    ``head`` and ``length``, when known (from the case row), also catch a cut-off tail."""
    prev: str | None = None
    for expected_seq, e in enumerate(entries, start=1):
        if e.seq != expected_seq:
            return Break(e.chain, e.seq, f"entry {expected_seq} is missing")
        if e.prev_hash != prev:
            return Break(e.chain, e.seq, "prev_hash does not match the entry before")
        if e.recomputed() != e.hash:
            return Break(e.chain, e.seq, "content does not match its hash")
        prev = e.hash
    if length is not None and len(entries) != length:
        return Break(entries[0].chain if entries else "?", len(entries) + 1,
                     f"the case records {length} entries, the history holds {len(entries)}")
    if head is not None and prev != head:
        return Break(entries[-1].chain if entries else "?", len(entries),
                     "the last entry is not the case's recorded head")
    return None
