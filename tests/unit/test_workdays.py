"""The working-day clock (SPEC §2 "Time"): official holidays, make-up working days, periods
that start the day after their event, calendar-day and month periods moved to a working day,
and years the calendar package does not know yet."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from casefiles.domain.policy import load_calendar
from casefiles.domain.workdays import WorkCalendar, add_years, shift_months
from tests.support import POLICIES

CALENDAR = WorkCalendar()


def _policies_with_2027(tmp_path: Path, body: str) -> Path:
    """A policies dir holding the hengshan profile and a calendars/2027.yaml with ``body``."""
    shutil.copyfile(POLICIES / "hengshan.yaml", tmp_path / "hengshan.yaml")
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "2027.yaml").write_text(body, encoding="utf-8")
    return tmp_path


CALENDAR_2027 = """\
year: 2027
source: 测试用：国务院办公厅关于2027年部分节假日安排的通知（假设）
holidays: [2027-01-01, 2027-02-05, 2027-02-08, 2027-02-09]
workdays: [2027-02-06]
"""


# --- 2020 National Day and Mid-Autumn: Oct 1–8 off, Sep 27 (Sun) and Oct 10 (Sat) worked ------


@pytest.mark.parametrize("day", [date(2020, 10, d) for d in range(1, 9)])
def test_every_day_of_the_2020_national_day_holiday_is_a_day_off(day: date) -> None:
    """1–8 October 2020 (National Day with Mid-Autumn) are days off, weekdays included."""
    assert not CALENDAR.is_workday(day)


@pytest.mark.parametrize("day", [date(2020, 9, 27), date(2020, 10, 10)])
def test_the_weekend_make_up_days_of_national_day_2020_are_working_days(day: date) -> None:
    """Sunday 27 September and Saturday 10 October 2020 are make-up working days (调休)."""
    assert CALENDAR.is_workday(day)


def test_an_ordinary_weekend_next_to_the_holiday_is_still_off() -> None:
    """Saturday 26 September and Sunday 11 October 2020 stay days off."""
    assert not CALENDAR.is_workday(date(2020, 9, 26))
    assert not CALENDAR.is_workday(date(2020, 10, 11))


def test_the_first_working_day_after_30_september_2020_is_9_october() -> None:
    """A 1-working-day period from the last day before the holiday jumps the eight days off."""
    assert CALENDAR.add_working_days(date(2020, 9, 30), 1).date == date(2020, 10, 9)


def test_a_period_counts_the_saturday_make_up_day_10_october_2020() -> None:
    """The 2nd working day after 30 September 2020 is Saturday 10 October, a make-up day."""
    assert CALENDAR.add_working_days(date(2020, 9, 30), 2).date == date(2020, 10, 10)


def test_the_5_working_day_hearing_window_from_28_september_2020_ends_12_october() -> None:
    """29 Sep, 30 Sep, 9 Oct, 10 Oct (Sat) and 12 Oct are the five working days."""
    assert CALENDAR.add_working_days(date(2020, 9, 28), 5).date == date(2020, 10, 12)


def test_a_period_from_saturday_26_september_2020_ends_on_the_sunday_make_up_day() -> None:
    """The 1st working day after Saturday 26 September 2020 is Sunday 27 September."""
    assert CALENDAR.add_working_days(date(2020, 9, 26), 1).date == date(2020, 9, 27)


# --- 2020 Spring Festival: extended to 2 February; 1 February (Sat) no longer a make-up day -----


@pytest.mark.parametrize("day", [date(2020, 1, 24), date(2020, 1, 30), date(2020, 1, 31),
                                 date(2020, 2, 1), date(2020, 2, 2)])
def test_the_extended_2020_spring_festival_holiday_is_off_until_2_february(day: date) -> None:
    """The State Council extended the 2020 holiday to 2 February: 30 and 31 January, Saturday
    1 February (first a make-up day) and Sunday 2 February are days off."""
    assert not CALENDAR.is_workday(day)


def test_sunday_19_january_2020_is_a_make_up_working_day() -> None:
    """The make-up working day before the 2020 Spring Festival is Sunday 19 January."""
    assert CALENDAR.is_workday(date(2020, 1, 19))


def test_the_first_working_day_after_23_january_2020_is_3_february() -> None:
    """A period from the eve of the 2020 Spring Festival resumes on Monday 3 February."""
    assert CALENDAR.add_working_days(date(2020, 1, 23), 1).date == date(2020, 2, 3)


def test_a_3_working_day_window_across_the_2020_spring_festival() -> None:
    """From Wednesday 22 January 2020: 23 January, 3 and 4 February."""
    assert CALENDAR.add_working_days(date(2020, 1, 22), 3).date == date(2020, 2, 4)


# --- a period starts on the day after its event --------------------------------------------------


def test_a_working_day_period_does_not_count_its_event_day() -> None:
    """A 1-working-day period from Monday 1 June 2020 ends on Tuesday 2 June, not on the event."""
    assert CALENDAR.add_working_days(date(2020, 6, 1), 1).date == date(2020, 6, 2)


def test_a_3_working_day_period_from_a_friday_skips_the_weekend() -> None:
    """From Friday 5 June 2020: 8, 9 and 10 June."""
    assert CALENDAR.add_working_days(date(2020, 6, 5), 3).date == date(2020, 6, 10)


def test_a_period_from_an_event_on_a_holiday_counts_from_the_next_working_day() -> None:
    """An event on 3 October 2020 (holiday): the 1st working day after it is 9 October."""
    assert CALENDAR.add_working_days(date(2020, 10, 3), 1).date == date(2020, 10, 9)


def test_a_calendar_day_period_does_not_count_its_event_day() -> None:
    """15 calendar days from Monday 22 June 2020 end on Tuesday 7 July (scenario 02)."""
    assert CALENDAR.add_calendar_days(date(2020, 6, 22), 15).date == date(2020, 7, 7)


def test_a_working_day_period_has_at_least_one_day() -> None:
    """A zero-day period is a programming error, not a deadline."""
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2020, 6, 1), 0)


# --- calendar-day periods ending on a day off move to the next working day -----------------------


def test_a_calendar_day_period_ending_on_national_day_moves_to_9_october_2020() -> None:
    """15 days from 16 September 2020 end on 1 October, a holiday, so on 9 October."""
    assert CALENDAR.add_calendar_days(date(2020, 9, 16), 15).date == date(2020, 10, 9)


def test_a_calendar_day_period_ending_on_the_last_day_before_the_holiday_stays() -> None:
    """15 days from 15 September 2020 end on Wednesday 30 September, a working day."""
    assert CALENDAR.add_calendar_days(date(2020, 9, 15), 15).date == date(2020, 9, 30)


def test_a_calendar_day_period_ending_on_a_make_up_saturday_stays_there() -> None:
    """15 days from 25 September 2020 end on Saturday 10 October, a make-up working day."""
    assert CALENDAR.add_calendar_days(date(2020, 9, 25), 15).date == date(2020, 10, 10)


def test_a_calendar_day_period_ending_on_a_saturday_moves_to_monday() -> None:
    """90 days from 15 March 2020 end on Saturday 13 June, so on Monday 15 June."""
    assert CALENDAR.add_calendar_days(date(2020, 3, 15), 90).date == date(2020, 6, 15)


def test_a_calendar_day_period_ending_on_a_weekday_is_not_moved() -> None:
    """90 days from 13 March 2020 end on Thursday 11 June, a working day."""
    assert CALENDAR.add_calendar_days(date(2020, 3, 13), 90).date == date(2020, 6, 11)


# --- month periods: the corresponding day, clamped to a short month, moved to a working day ------


def test_one_month_from_31_august_2020_is_30_september() -> None:
    """September has no 31st: the period ends on its last day, a working day."""
    assert CALENDAR.add_months(date(2020, 8, 31), 1).date == date(2020, 9, 30)


def test_one_month_from_31_january_2021_ends_on_monday_1_march() -> None:
    """28 February 2021 (the clamped day) is a Sunday, so the period ends on 1 March."""
    assert shift_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert CALENDAR.add_months(date(2021, 1, 31), 1).date == date(2021, 3, 1)


def test_two_months_from_31_december_2019_clamp_to_the_leap_day_then_move() -> None:
    """29 February 2020 is a Saturday: the period ends on Monday 2 March 2020."""
    assert shift_months(date(2019, 12, 31), 2) == date(2020, 2, 29)
    assert CALENDAR.add_months(date(2019, 12, 31), 2).date == date(2020, 3, 2)


def test_six_months_ending_on_national_day_move_to_9_october_2020() -> None:
    """Six months from 1 April 2020 end on 1 October, a holiday: on 9 October instead."""
    assert CALENDAR.add_months(date(2020, 4, 1), 6).date == date(2020, 10, 9)


def test_a_month_period_ending_on_a_working_day_is_not_moved() -> None:
    """Six months from 22 June 2020 end on Tuesday 22 December 2020."""
    assert CALENDAR.add_months(date(2020, 6, 22), 6).date == date(2020, 12, 22)


def test_years_from_a_leap_day_end_on_28_february() -> None:
    """Two years from 29 February 2016 end on 28 February 2018 (no 29th that year)."""
    assert add_years(date(2016, 2, 29), 2) == date(2018, 2, 28)


# --- a year the package lacks --------------------------------------------------------------------


def test_the_calendar_package_does_not_know_2027() -> None:
    """2027's holidays are not announced in the package: the calendar says so."""
    assert not CALENDAR.knows(2027)
    assert CALENDAR.knows(2026)


def test_new_years_day_2027_counts_as_a_working_day_without_data() -> None:
    """Without data for 2027 only weekends are days off: Friday 1 January 2027 is counted."""
    assert CALENDAR.is_workday(date(2027, 1, 1))
    assert not CALENDAR.is_workday(date(2027, 1, 2))


def test_a_period_reaching_into_2027_is_counted_on_weekends_and_marked_unconfirmed() -> None:
    """From Wednesday 30 December 2026: 31 Dec, Fri 1 Jan and Mon 4 Jan 2027, unconfirmed."""
    due = CALENDAR.add_working_days(date(2026, 12, 30), 3)
    assert due.date == date(2027, 1, 4)
    assert due.unconfirmed


def test_a_period_inside_a_known_year_is_confirmed() -> None:
    """A period wholly in 2026, which the package knows, is not marked unconfirmed."""
    due = CALENDAR.add_working_days(date(2026, 6, 1), 3)
    assert not due.unconfirmed


def test_a_calendar_day_period_ending_in_2027_is_unconfirmed() -> None:
    """90 calendar days from 20 October 2026 end in January 2027, which no data confirms."""
    due = CALENDAR.add_calendar_days(date(2026, 10, 20), 90)
    assert due.date == date(2027, 1, 18)
    assert due.unconfirmed


def test_a_2027_calendar_file_in_policies_supplies_that_years_holidays(tmp_path: Path) -> None:
    """With calendars/2027.yaml, 1 January 2027 is a holiday and the period is confirmed."""
    calendar = load_calendar(_policies_with_2027(tmp_path, CALENDAR_2027))
    assert calendar.knows(2027)
    assert not calendar.is_workday(date(2027, 1, 1))
    due = calendar.add_working_days(date(2026, 12, 30), 3)
    assert due.date == date(2027, 1, 5)
    assert not due.unconfirmed


def test_a_2027_calendar_file_supplies_its_make_up_working_days(tmp_path: Path) -> None:
    """Saturday 6 February 2027, listed under workdays, is counted; the listed holidays are not."""
    calendar = load_calendar(_policies_with_2027(tmp_path, CALENDAR_2027))
    assert calendar.is_workday(date(2027, 2, 6))
    # From Thursday 4 February: Sat 6 (make-up), Wed 10, Thu 11.
    assert calendar.add_working_days(date(2027, 2, 4), 3).date == date(2027, 2, 11)


def test_a_2027_calendar_file_leaves_the_known_years_to_the_package(tmp_path: Path) -> None:
    """Adding 2027 data does not change 2020: 8 October 2020 stays a holiday."""
    calendar = load_calendar(_policies_with_2027(tmp_path, CALENDAR_2027))
    assert not calendar.is_workday(date(2020, 10, 8))
    assert calendar.is_workday(date(2020, 10, 10))
