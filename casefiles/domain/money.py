"""Exact money: integer fen inside, yuan as Decimal at the edges; the late-payment surcharge."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import cn2an

FEN = Decimal("0.01")
TOO_LARGE = Decimal(10) ** 12

# an amount as people write it: 60000, 60,000, 6万, 16万元, 60000.00, ¥60,000 (full-width digits
# too); "1e3", "abc" and a comma out of place ("6,00") are refused rather than guessed at
_WRITTEN = re.compile(r"(?P<sign>-)?[¥￥]?(?P<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,16})"
                      r"(?P<fraction>\.[0-9]{1,16})?(?P<unit>万元|万|元)?(?:整)?")


def to_fen(yuan: Decimal) -> int:
    """Yuan (at most two decimals) to integer fen."""
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise ValueError("more than two decimals")
    return int(fen)


def parse_amount(value: object) -> Decimal:
    """An amount in yuan from what a person typed or a client sent: the one reading of every
    amount field (ValueError with a Chinese/English message for what is not an amount)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("金额应为数字 / an amount is a number")  # noqa: TRY004  (pydantic)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).replace(" ", "").replace("，", ",")
        written = _WRITTEN.fullmatch(text)
        if written is None:
            raise ValueError("金额应为数字，如 60000、60,000、6万 或 60000.00 / an amount is "
                             "written as 60000, 60,000, 6万 or 60000.00")
        amount = Decimal((written["sign"] or "") + written["digits"].replace(",", "")
                         + (written["fraction"] or ""))
        if (written["unit"] or "").startswith("万"):
            amount *= 10000
    else:
        amount = Decimal(str(value))
    if not amount.is_finite() or amount < 0:
        raise ValueError("金额不能为负 / an amount cannot be negative")
    if amount >= TOO_LARGE:
        raise ValueError("金额过大 / the amount is too large")
    if amount != amount.quantize(FEN):
        raise ValueError("金额最多精确到分 / at most two decimals (fen)")
    return amount


def to_yuan(fen: int) -> Decimal:
    """Integer fen to yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(FEN)


def yuan_number(fen: int) -> int | float:
    """Yuan for JSON: an integer when whole. Only for display; arithmetic stays in fen."""
    return fen // 100 if fen % 100 == 0 else float(to_yuan(fen))


def yuan_json(yuan: Decimal) -> int | float:
    """Exact yuan (at most two decimals) as :func:`yuan_number` writes it for JSON."""
    return yuan_number(to_fen(yuan))


def capitals(fen: int) -> str:
    """The amount in Chinese capitals as a decision writes it (陆万元整)."""
    return str(cn2an.an2cn(str(to_yuan(fen)), "rmb"))


@dataclass(frozen=True)
class Dues:
    """One amount of the fine and the day it is due."""

    due: date
    amount: int


@dataclass(frozen=True)
class Balance:
    """Where a fine stands on a day: fen paid, surcharge accrued, what is still owed."""

    fine: int
    paid: int
    surcharge: int
    fine_paid_on: date | None

    @property
    def outstanding(self) -> int:
        """Fine plus surcharge less what was paid."""
        return max(0, self.fine + self.surcharge - self.paid)

    @property
    def fine_paid(self) -> int:
        """The part of the payments that went to the fine (payments go to the fine first)."""
        return min(self.paid, self.fine)

    @property
    def surcharge_paid(self) -> int:
        """The part of the payments that went to the surcharge, after the fine."""
        return max(0, self.paid - self.fine)

    @property
    def fine_outstanding(self) -> int:
        """The part of the fine itself still unpaid (payments go to the fine first)."""
        return max(0, self.fine - self.paid)


def balance(
    fine: int,
    schedule: Sequence[Dues],
    payments: Sequence[tuple[date, int]],
    as_of: date,
    daily_rate: Decimal,
) -> Balance:
    """The balance of a fine as of ``as_of`` (APL art. 72).

    Payments (by date) go to the fine first, filling the schedule's amounts in due order,
    then to the surcharge. Each scheduled amount accrues ``daily_rate`` of itself for every
    day from the day after its due date to the day it is fully paid (or ``as_of``), both
    counted; the total surcharge never exceeds the fine.
    """
    ordered = sorted((p for p in payments if p[0] <= as_of), key=lambda p: p[0])
    paid = sum(amount for _, amount in ordered)
    accrued = Decimal(0)
    covered_until = 0
    fine_paid_on: date | None = None
    for item in sorted(schedule, key=lambda s: s.due):
        covered_until += item.amount
        paid_off = _day_total_reaches(ordered, covered_until)
        last_day = paid_off if paid_off is not None else as_of
        late_days = (last_day - item.due).days
        if late_days > 0:
            accrued += Decimal(item.amount) * daily_rate * late_days
        fine_paid_on = paid_off
    surcharge = min(fine, int(accrued.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    if fine == 0:
        fine_paid_on = None
    return Balance(fine=fine, paid=paid, surcharge=surcharge, fine_paid_on=fine_paid_on)


def _day_total_reaches(payments: Sequence[tuple[date, int]], total: int) -> date | None:
    running = 0
    for day, amount in payments:
        running += amount
        if running >= total:
            return day
    return None
