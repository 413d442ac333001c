"""Canonical JSON: the one byte form in which a value is hashed and kept.

Strict JSON (RFC 8259) has no ``NaN`` or ``Infinity`` and no unpaired surrogate (``"\\ud800"``
names no character). Python's ``json`` reads and writes all three, and the database's JSON
writer turns a ``NaN`` into ``null``: a history entry hashed over ``NaN`` but stored as
``null`` would never verify again. So input is decoded strictly, and what is hashed is
exactly the canonical text that is kept."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from casefiles.domain.errors import NotJSONError

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _reject_constant(name: str) -> Any:
    raise NotJSONError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJSONError(f"{text} is too large for a number")
    return value


def strict_loads(data: str | bytes) -> Any:
    """Decode JSON, refusing ``NaN``, ``Infinity``, numbers too large for a double and
    unpaired surrogates with :class:`NotJSONError` (also for text that is not JSON at all)."""
    try:
        value = json.loads(data, parse_constant=_reject_constant, parse_float=_finite)
    except NotJSONError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8
        raise NotJSONError(f"not JSON: {exc}") from exc
    check(value)
    return value


def check(value: Any, where: str = "") -> None:
    """Raise :class:`NotJSONError` where ``value`` holds a non-finite number or an unpaired
    surrogate (in a string or a key)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise NotJSONError(f"{value} is not a JSON number", where)
    if isinstance(value, str) and _SURROGATE.search(value):
        raise NotJSONError("an unpaired surrogate is not a character", where)
    if isinstance(value, dict):
        for key, item in value.items():
            at = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                raise NotJSONError("an unpaired surrogate is not a character", where)
            check(item, at)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check(item, f"{where}.{i}" if where else str(i))


def canonical_bytes(value: Any) -> bytes:
    """The canonical UTF-8 text of ``value``: keys sorted, no spaces, characters as they are;
    :class:`NotJSONError` for what strict JSON cannot hold. (The encoder refuses non-finite
    numbers and UTF-8 refuses unpaired surrogates, so :func:`check` walks the value only to
    say where, when one of them fails: a third of `audit verify`'s time otherwise.)"""
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
        return text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:  # UnicodeEncodeError is a ValueError
        check(value)
        raise NotJSONError(f"not JSON: {exc}") from exc
