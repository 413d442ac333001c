"""Masking personal data for publication (公示): ID numbers, phone numbers and the addresses of
individuals, in fields and inside free text."""

from __future__ import annotations

import re

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_ID_NUMBER_15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?!\d)")
_DIVISION = re.compile(r"^(.{2,12}?(?:县|区|市|旗))")


def mask_id_number(value: str | None) -> str:
    """430423********1234 style: region and last four kept, birth date hidden."""
    if not value:
        return ""
    v = value.strip()
    return v[:6] + "*" * (len(v) - 10) + v[-4:] if len(v) > 10 else "*" * len(v)


def mask_phone(value: str | None) -> str:
    """138****5678 style."""
    if not value:
        return ""
    digits = value.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) > 7 else "****"


def mask_address(value: str | None) -> str:
    """An individual's address down to the county or district only."""
    if not value:
        return ""
    m = _DIVISION.match(value.strip())
    return (m.group(1) if m else "") + "****"


def mask_text(text: str | None) -> str:
    """Free text with every ID number and phone number in it masked."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(3)[-1:] + m.group(4), text)
    text = _ID_NUMBER_15.sub(lambda m: m.group(1) + "*" * 6 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "-****" + m.group(3), text)
