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

from casefiles.domain.canonical import NotJSONError, canonical_bytes, check
from casefiles.domain.timefmt import aware

BUREAU_CHAIN = "bureau"


def jsonable(value: Any) -> Any:
    """``value`` with dates, times and decimals turned into JSON strings and numbers, read
    back from its canonical text (so it is what is hashed and what is kept);
    :class:`~casefiles.domain.canonical.NotJSONError` for a non-finite number or an unpaired
    surrogate, which strict JSON cannot hold."""
    try:
        text = json.dumps(value, default=_default, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise NotJSONError(str(exc)) from exc
    plain = json.loads(text)
    check(plain)
    return plain


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
        data = {name: getattr(self, name) for name in HASHED}
        data["at"] = aware(self.at).isoformat(timespec="microseconds")
        if data["rule_sets"] is None:
            del data["rule_sets"]
        return data

    def recomputed(self) -> str:
        """The hash these fields should have ('' when they have no canonical form)."""
        return content_digest(self.content())


# the hashed fields, in the order of the entry's fields
HASHED = tuple(name for name in Entry.__dataclass_fields__ if name != "hash")


def digest(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``content`` (the same bytes as before canonical JSON
    refused ``NaN``: every chain written since still verifies)."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def content_digest(content: dict[str, Any]) -> str:
    """:func:`digest`, or '' when ``content`` has no canonical form."""
    try:
        return digest(content)
    except NotJSONError:
        return ""


def make_entry(*, chain: str, seq: int, prev_hash: str | None, **fields: Any) -> Entry:
    """A new entry linked to ``prev_hash`` with its hash computed."""
    fields["payload"] = jsonable(fields.get("payload"))
    if fields.get("rule_sets") is not None:
        fields["rule_sets"] = jsonable(fields["rule_sets"])
    draft = Entry(chain=chain, seq=seq, prev_hash=prev_hash, hash="", **fields)
    return replace(draft, hash=digest(draft.content()))


@dataclass(frozen=True)
class Break:
    """Where a chain stops matching."""

    chain: str
    seq: int
    reason: str


def verify_chain(entries: list[Entry], head: str | None = None,
                 length: int | None = None) -> Break | None:
    """The first entry (in order) whose hash or link does not match, or None."""
    found = chain_breaks(entries, head, length)
    return found[0] if found else None


def chain_breaks(entries: list[Entry], head: str | None = None,
                 length: int | None = None) -> list[Break]:
    """Every entry whose hash or link does not match, in order: a broken entry does not hide
    a later one (each link is checked against the hash the entry before it holds).

    ``head`` and ``length``, when known (from the case row), also catch a cut-off tail."""
    return link_breaks([(e.chain, e.seq, e.prev_hash, e.hash, e.recomputed()) for e in entries],
                       head, length)


Link = tuple[str, int, str | None, str, str]
"""An entry as the chain check sees it: chain, seq, prev_hash, hash, and the recomputed hash."""


def link_breaks(links: list[Link], head: str | None = None,
                length: int | None = None) -> list[Break]:
    """:func:`chain_breaks` over links whose hashes were recomputed already (`audit verify`
    recomputes them from rows without building entries)."""
    breaks: list[Break] = []
    prev: str | None = None
    prev_seq = 0
    for chain, seq, prev_hash, stored, recomputed in links:
        if seq != prev_seq + 1:
            breaks.append(Break(chain, seq, f"entry {prev_seq + 1} is missing"))
        elif prev_hash != prev:
            breaks.append(Break(chain, seq, "prev_hash does not match the entry before"))
        if recomputed != stored:
            breaks.append(Break(chain, seq, "content does not match its hash"))
        prev, prev_seq = stored, seq
    if length is not None and len(links) != length:
        breaks.append(Break(links[0][0] if links else "?", len(links) + 1,
                            f"the case records {length} entries, the history holds "
                            f"{len(links)}"))
    elif head is not None and prev != head:
        breaks.append(Break(links[-1][0] if links else "?", len(links),
                            "the last entry is not the case's recorded head"))
    return breaks
