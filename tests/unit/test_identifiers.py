"""Chinese identifiers (SCENARIOS.md, invalid_input): the 统一社会信用代码's 18th and 17th check
characters, and the 身份证号's length, birth date and check character, but not its region."""

from __future__ import annotations

from datetime import date

import pytest

from casefiles.domain.identifiers import check_credit_code, check_id_number

# --- 统一社会信用代码 (GB 32100, with the organisation code of GB 11714 inside) -------------------


@pytest.mark.parametrize("code", [
    "91430423MA4L0M1N86",  # scenario 01
    "91430423MA4QTRADXH",  # scenario 02; organisation check value 10, written X
    "91430423MA4R8F1R00",  # scenario 03
    "91110000600037341L",  # organisation code 60003734-1
])
def test_a_credit_code_with_both_check_characters_right_is_accepted(code: str) -> None:
    """Codes whose 17th and 18th characters check are returned unchanged."""
    assert check_credit_code(code) == code


def test_a_credit_code_with_a_wrong_18th_character_is_refused() -> None:
    """Scenario 03's 91430423MA4R8F1R0A differs from a valid code only in the 18th character."""
    with pytest.raises(ValueError):
        check_credit_code("91430423MA4R8F1R0A")


def test_a_credit_code_whose_17th_character_breaks_the_organisation_code_is_refused() -> None:
    """91110000600037342P has a correct 18th character but organisation code 60003734 checks to
    1, not 2: the 17th character is wrong and the message says so."""
    with pytest.raises(ValueError, match="17"):
        check_credit_code("91110000600037342P")


@pytest.mark.parametrize("code", ["91430423MA4QTRADX", "91430423MA4QTRADXH0", ""])
def test_a_credit_code_of_the_wrong_length_is_refused(code: str) -> None:
    """A code has 18 characters."""
    with pytest.raises(ValueError):
        check_credit_code(code)


# --- 居民身份证号 (GB 11643) ----------------------------------------------------------------------


def test_an_id_number_from_hengshan_county_is_accepted() -> None:
    """430423198001011231 (scenario 03) is valid although stdnum's region table rejects it."""
    assert check_id_number("430423198001011231") == "430423198001011231"


def test_an_id_number_is_not_checked_against_a_list_of_regions() -> None:
    """Region 999999 never existed, yet the number has a valid date and check character."""
    assert check_id_number("999999198001011233") == "999999198001011233"


def test_an_id_number_with_check_character_x_is_accepted() -> None:
    """A check value of 10 is written X."""
    assert check_id_number("11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize("number", ["430423198001011232", "430423198001011230",
                                    "43042319800101123X"])
def test_an_id_number_with_a_wrong_check_character_is_refused(number: str) -> None:
    """Only 1 is the check character of 43042319800101123."""
    with pytest.raises(ValueError, match="校验码"):
        check_id_number(number)


@pytest.mark.parametrize("number", [
    "430423198002301230",  # 30 February 1980, check character right
    "430423190002291232",  # 29 February 1900 (not a leap year), check character right
    "430423198013011234",  # month 13
])
def test_an_id_number_with_an_impossible_birth_date_is_refused(number: str) -> None:
    """The birth date must exist, even when the check character is right."""
    with pytest.raises(ValueError, match="出生日期"):
        check_id_number(number)


def test_an_id_number_born_on_a_real_leap_day_is_accepted() -> None:
    """29 February 2000 existed (2000 is a leap year)."""
    assert check_id_number("430423200002291239") == "430423200002291239"


def test_an_id_number_born_after_today_is_refused() -> None:
    """A birth date in 2030 is refused when today is 2020."""
    with pytest.raises(ValueError, match="将来"):
        check_id_number("430423203001011235", today=date(2020, 6, 1))


@pytest.mark.parametrize("number", ["43042319800101123", "4304231980010112311",
                                    "43042319800101A231"])
def test_an_id_number_of_the_wrong_shape_is_refused(number: str) -> None:
    """Seventeen digits and a check character: 18 characters in all."""
    with pytest.raises(ValueError):
        check_id_number(number)
