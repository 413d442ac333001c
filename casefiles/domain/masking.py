"""Masking personal data for publication (公示): ID numbers, phone numbers and the addresses of
individuals, in their fields and inside free text, however the number is spelt.

A number in text is found as a run of digits with single separators between them (spaces,
dashes, dots: ``4304 2319 9001 0112 36``, ``138-1234-5678``), glued to words or not
(``ID430423…``, ``电话13812345678``), with a ``+86``/``0086`` country code or not. Within a
run, the longest stretch of whole groups that is an ID number (18 digits, or 17 and X; 15 for
the old cards), a mobile number (11 digits from 13–19) or a landline (10–12 digits from 0) is
masked; separators stay where they were, the digits between what is kept become ``*``."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from casefiles.domain.model import Case

_SEP = r"[ \t\u00a0\u3000\-\u2010\u2011\u2012\u2013\u2014\u2212.·]"
_RUN = re.compile(rf"[+＋]?\d(?:{_SEP}?\d)*(?:{_SEP}?[Xx])?")
_GROUP = re.compile(r"[0-9Xx]+")
_DIVISION = re.compile(r"^(.{2,12}?(?:县|区|市|旗))")
_LONGEST = 22  # 0086 and an 18-digit number: no sensitive number is longer


def _kept(digits: str) -> tuple[int, int] | None:
    """How many leading and trailing digits of ``digits`` stay visible, when it is an ID
    number or a phone number (None otherwise)."""
    body = digits[:-1] if digits[-1:] in "Xx" else digits
    if not body.isdigit():
        return None
    if len(digits) == 18:
        return 6, 4
    if not digits.isdigit():
        return None
    for code in ("0086", "86"):
        rest = digits[len(code):]
        if digits.startswith(code) and len(rest) == 11 and _mobile(rest):
            return len(code) + 3, 4
    if _mobile(digits):
        return 3, 4
    if len(digits) == 15:  # the old 15-digit ID number
        return 6, 3
    if digits[0] == "0" and 10 <= len(digits) <= 12:
        return (3 if digits[1] in "12" else 4), 4
    return None


def _mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def _ascii(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def _mask_run(run: str) -> str:
    plain = _ascii(run)  # fullwidth and other digits count as digits; positions unchanged
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(plain)]
    chars = list(run)
    i = 0
    while i < len(groups):
        stretches, digits = [], ""
        for j in range(i, len(groups)):  # the stretches of whole groups from group i
            digits += plain[groups[j][0]:groups[j][1]]
            if len(digits) > _LONGEST:
                break
            stretches.append((j, digits))
        for j, digits in reversed(stretches):  # the longest that is a number to hide
            kept = _kept(digits)
            if kept is not None:
                _star(chars, plain, groups[i][0], groups[j][1], *kept)
                i = j
                break
        i += 1
    return "".join(chars)


def _star(chars: list[str], plain: str, start: int, end: int, head: int, tail: int) -> None:
    places = [k for k in range(start, end) if plain[k] in "0123456789Xx"]
    for k in places[head:len(places) - tail]:
        chars[k] = "*"


def mask_text(text: str | None) -> str:
    """Free text with every ID number and phone number in it masked."""
    if not text:
        return ""
    return _RUN.sub(lambda m: _mask_run(m.group(0)), text)


def mask_id_number(value: str | None) -> str:
    """430423********1234 style: region and last four kept, birth date hidden."""
    if not value:
        return ""
    v = value.strip()
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) > 10 else "*" * len(v)


def mask_phone(value: str | None) -> str:
    """138****5678 style (any other spelling masked as in free text)."""
    if not value:
        return ""
    masked = mask_text(value.strip())
    return masked if "*" in masked else "****"


def mask_address(value: str | None) -> str:
    """An individual's address down to the county or district only."""
    if not value:
        return ""
    m = _DIVISION.match(value.strip())
    return (m.group(1) if m else "") + "****"


def disclosure(case: Case) -> dict[str, Any]:
    """What the public may read of a published decision: an individual's identifiers and
    address masked, and every ID or phone number in any free text."""
    d = case.decision
    assert d is not None
    party = case.party
    individual = party.kind == "individual"
    return {
        "number": d.number, "decided_at": d.decided_at, "published_at": d.published_at,
        "outcome": d.outcome, "sector": case.sector,
        "party": {"kind": party.kind, "name": mask_text(party.name),
                  "credit_code": None if individual else party.credit_code,
                  "id_number": mask_id_number(party.id_number) if individual else None,
                  "address": (mask_address(party.address) if individual
                              else mask_text(party.address)),
                  "phone": mask_phone(party.phone) if party.phone else None,
                  "legal_rep": mask_text(party.legal_rep) or None},
        "violations": [{"code": v.get("code"), "facts": mask_text(v.get("facts"))}
                       for v in (case.proposal.violations if case.proposal else [])],
        "penalties": [{"type": p.type, "amount": p.amount, "on": mask_text(p.on) or None}
                      for p in d.penalties],
    }
