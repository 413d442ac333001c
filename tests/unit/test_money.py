"""Exact money and the late-payment surcharge of APL art. 72 (加处罚款): 3% of the fine for each
calendar day from the day after the due date to the day the fine is fully paid, both counted,
capped at the fine; payments go to the fine first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefiles.domain.money import Dues, balance, capitals, parse_amount, to_fen, to_yuan

RATE = Decimal("0.03")
DUE = date(2020, 7, 7)
FINE = 800_000  # 8,000 yuan in fen (scenario 02)


def _one_due(payments: list[tuple[date, int]], as_of: date, fine: int = FINE):
    """The balance of ``fine`` due in full on 7 July 2020."""
    return balance(fine, [Dues(DUE, fine)], payments, as_of, RATE)


def test_8000_yuan_paid_10_days_late_owes_2400_yuan_surcharge() -> None:
    """Scenario 02: due 7 July, paid 17 July; 8 to 17 July are 10 days at 240 yuan."""
    b = _one_due([(date(2020, 7, 17), FINE)], date(2020, 7, 17))
    assert b.surcharge == 240_000
    assert b.outstanding == 240_000
    assert b.fine_outstanding == 0


def test_a_fine_paid_on_its_due_date_owes_no_surcharge() -> None:
    """The due date itself is not late."""
    b = _one_due([(DUE, FINE)], DUE)
    assert (b.surcharge, b.outstanding) == (0, 0)


def test_a_fine_paid_the_day_after_its_due_date_owes_one_days_surcharge() -> None:
    """The first late day and the payment day are the same day, counted once: 240 yuan."""
    b = _one_due([(date(2020, 7, 8), FINE)], date(2020, 7, 8))
    assert b.surcharge == 24_000


def test_an_unpaid_fine_accrues_surcharge_up_to_the_day_asked() -> None:
    """Unpaid on 12 July: 8 to 12 July are 5 days, 1,200 yuan, and the fine is still owed."""
    b = _one_due([], date(2020, 7, 12))
    assert b.surcharge == 120_000
    assert b.outstanding == FINE + 120_000


def test_the_surcharge_stops_growing_once_the_fine_is_paid() -> None:
    """Paid 17 July, asked on 30 July: still 2,400 yuan."""
    b = _one_due([(date(2020, 7, 17), FINE)], date(2020, 7, 30))
    assert b.surcharge == 240_000


def test_the_surcharge_just_below_the_cap_is_not_cut() -> None:
    """33 days late is 99% of the fine: 7,920 yuan."""
    b = _one_due([], date(2020, 8, 9))
    assert b.surcharge == 792_000


def test_the_surcharge_never_exceeds_the_fine() -> None:
    """34 days late would be 102%; 100 days late 300%: both are capped at 8,000 yuan."""
    assert _one_due([], date(2020, 8, 10)).surcharge == FINE
    assert _one_due([], date(2020, 10, 15)).surcharge == FINE


def test_a_partial_payment_does_not_stop_the_surcharge_on_the_whole_fine() -> None:
    """5,000 paid on time and 3,000 five days late: 5 days of 3% of 8,000, 1,200 yuan."""
    b = _one_due([(DUE, 500_000), (date(2020, 7, 12), 300_000)], date(2020, 7, 12))
    assert b.surcharge == 120_000
    assert b.fine_outstanding == 0


def test_payments_go_to_the_fine_before_the_surcharge() -> None:
    """On 17 July 5,000 yuan leaves 3,000 of the fine owed, not part of the surcharge."""
    b = _one_due([(date(2020, 7, 17), 500_000)], date(2020, 7, 17))
    assert b.fine_outstanding == 300_000
    assert b.surcharge == 240_000
    assert b.outstanding == 300_000 + 240_000


def test_a_payment_beyond_the_fine_reduces_the_surcharge() -> None:
    """9,000 yuan on 17 July pays the fine and 1,000 of the 2,400 surcharge."""
    b = _one_due([(date(2020, 7, 17), 900_000)], date(2020, 7, 17))
    assert b.outstanding == 140_000


def test_a_payment_after_the_day_asked_is_not_counted_yet() -> None:
    """On 12 July the payment of 17 July has not happened."""
    b = _one_due([(date(2020, 7, 17), FINE)], date(2020, 7, 12))
    assert b.paid == 0
    assert b.fine_outstanding == FINE


def test_each_instalment_accrues_surcharge_on_its_own_amount_from_its_own_due_date() -> None:
    """4,000 due 7 July paid on time, 4,000 due 7 August paid 3 days late: 3% × 4,000 × 3."""
    schedule = [Dues(date(2020, 7, 7), 400_000), Dues(date(2020, 8, 7), 400_000)]
    payments = [(date(2020, 7, 7), 400_000), (date(2020, 8, 10), 400_000)]
    assert balance(FINE, schedule, payments, date(2020, 8, 10), RATE).surcharge == 36_000


def test_a_late_first_instalment_accrues_until_payments_cover_it() -> None:
    """4,000 due 7 July paid 9 July (2 days), 4,000 due 7 August paid on time: 240 yuan."""
    schedule = [Dues(date(2020, 7, 7), 400_000), Dues(date(2020, 8, 7), 400_000)]
    payments = [(date(2020, 7, 9), 400_000), (date(2020, 8, 7), 400_000)]
    assert balance(FINE, schedule, payments, date(2020, 8, 7), RATE).surcharge == 24_000


def test_instalments_not_yet_due_owe_no_surcharge() -> None:
    """Before the first due date nothing accrues."""
    schedule = [Dues(date(2020, 7, 7), 400_000), Dues(date(2020, 8, 7), 400_000)]
    assert balance(FINE, schedule, [], date(2020, 7, 7), RATE).surcharge == 0


# --- conversions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("yuan", "fen"), [("60000", 6_000_000), ("0.01", 1), ("8000.10", 800_010)])
def test_yuan_convert_to_integer_fen_exactly(yuan: str, fen: int) -> None:
    """Two decimals of yuan are whole fen."""
    assert to_fen(Decimal(yuan)) == fen
    assert to_yuan(fen) == Decimal(yuan)


def test_a_third_decimal_of_yuan_is_refused() -> None:
    """0.001 yuan is not a whole number of fen."""
    with pytest.raises(ValueError):
        to_fen(Decimal("0.001"))


def test_a_fine_is_written_in_chinese_capitals() -> None:
    """60,000 yuan is 陆万元整 on a decision."""
    assert capitals(6_000_000) == "陆万元整"


def test_payments_split_into_fine_paid_then_surcharge_paid() -> None:
    """10,400 paid on an 8,000 fine 10 days late: 8,000 went to the fine, 2,400 to the surcharge."""
    due = date(2020, 7, 7)
    bal = balance(800_000, [Dues(due, 800_000)],
                  [(date(2020, 7, 17), 800_000), (date(2020, 7, 21), 240_000)],
                  date(2020, 7, 21), Decimal("0.03"))
    assert (bal.fine_paid, bal.surcharge_paid, bal.outstanding) == (800_000, 240_000, 0)


@pytest.mark.parametrize(("typed", "yuan"), [
    ("60000", "60000"), ("60,000", "60000"), ("6万", "60000"), ("16万元", "160000"),
    ("60000.00", "60000"), ("６万", "60000"), ("￥60，000元", "60000"), (" 8000.50 ", "8000.5"),
    ("1.5万", "15000"), ("3000元整", "3000")])
def test_an_amount_is_read_as_people_write_it(typed: str, yuan: str) -> None:
    """Every amount field reads 60000, 60,000, 6万, 16万元 and 60000.00 alike."""
    assert parse_amount(typed) == Decimal(yuan)


@pytest.mark.parametrize("typed", ["6,00", "1e3", "abc", "", "六万", "-5", "1.234", "1万美元"])
def test_what_is_not_an_amount_is_refused_in_chinese_first(typed: str) -> None:
    """A comma out of place, exponents, words, negatives and a third decimal are refused."""
    with pytest.raises(ValueError, match="^金额"):
        parse_amount(typed)
