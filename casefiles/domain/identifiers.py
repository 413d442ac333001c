"""Checks of Chinese identifiers: 统一社会信用代码 (GB 32100) and 居民身份证号 (GB 11643)."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code_check(body: str) -> str:
    """Check character of the 8-character organisation code body (GB 11714)."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_credit_code(code: str) -> str:
    """The compact code, or ValueError saying what is wrong.

    python-stdnum checks length, alphabet and the 18th character; the 17th checks the
    embedded organisation code (characters 9–17), which stdnum does not, so it is checked here.
    """
    try:
        compact = uscc.validate(code)
    except ValidationError as exc:
        raise ValueError(
            f"统一社会信用代码无效 / invalid unified social credit code: {exc}") from exc
    org = compact[8:17]
    if any(c not in _ORG_ALPHABET for c in org) or _org_code_check(org[:8]) != org[8]:
        raise ValueError(
            "统一社会信用代码第17位（组织机构代码校验码）有误 / the 17th character (organisation "
            "code check) is wrong"
        )
    return compact


def check_id_number(number: str, today: date | None = None) -> str:
    """The compact 身份证号, or ValueError: length, birth date and check character.

    The region code is not checked against a list (codes were renumbered over the years and
    cards carry the code of issue), which is why stdnum's full ``validate`` is not used.
    """
    compact = ric.compact(number)
    if len(compact) != 18 or not compact[:17].isdigit():
        raise ValueError("身份证号应为18位 / an ID number has 18 characters")
    try:
        born = ric.get_birth_date(compact)
    except ValidationError as exc:
        raise ValueError(
            "身份证号中的出生日期无效 / the birth date in the ID number is invalid") from exc
    if today is not None and born > today:
        raise ValueError("身份证号中的出生日期在将来 / the birth date lies in the future")
    if ric.calc_check_digit(compact) != compact[17]:
        raise ValueError("身份证号校验码有误 / the check character of the ID number is wrong")
    return compact
