"""The legal periods of a case, computed from its records, the rule set and the calendar."""

from __future__ import annotations

from datetime import date

from casefiles.domain.context import Periods
from casefiles.domain.model import Case, Decision, Extension, Notice
from casefiles.domain.policy import RuleSet
from casefiles.domain.timefmt import local_date


def decision_due(case: Case, rules: RuleSet, periods: Periods,
                 without: Extension | None = None) -> date:
    """APL art. 60: 90 calendar days from filing, plus every recorded extension (but
    ``without``: the period as it stood before that one)."""
    assert case.filed_at is not None
    days = rules.decision_days.value + sum(e.days for e in case.extensions if e is not without)
    return periods.calendar_days(local_date(case.filed_at), days)


def hearing_request_due(notice_day: date, rules: RuleSet, periods: Periods) -> date:
    """APL art. 64(1): the last day the party may ask for a hearing."""
    return periods.working_days(notice_day, rules.hearing_request_working_days.value)


def defence_due(notice_day: date, eligible: bool, rules: RuleSet, periods: Periods) -> date:
    """The last day of statement and defence; never before the hearing-request window closes."""
    due = periods.working_days(notice_day, rules.defence_window_working_days.value)
    if eligible:
        due = max(due, hearing_request_due(notice_day, rules, periods))
    return due


def earliest_hearing_day(notified_on: date, rules: RuleSet, periods: Periods) -> date:
    """APL art. 64(2): the hearing is on or after this day."""
    return periods.working_days(notified_on, rules.hearing_notice_working_days.value)


def service_due(decision: Decision, rules: RuleSet, periods: Periods) -> date:
    """APL art. 61: service within 7 working days of the decision."""
    return periods.working_days(local_date(decision.decided_at), rules.service_working_days.value)


def publication_due(decision: Decision, rules: RuleSet, periods: Periods) -> date:
    """WSL art. 78: publication within 7 working days of the decision."""
    return periods.working_days(local_date(decision.decided_at),
                                rules.publication_working_days.value)


def payment_due(served_on: date, rules: RuleSet, periods: Periods) -> date:
    """APL art. 67: 15 calendar days from service."""
    return periods.calendar_days(served_on, rules.payment_days.value)


def withdrawal_due(revoked_on: date, rules: RuleSet, periods: Periods) -> date:
    """APL art. 48: withdrawal within 3 working days of revocation."""
    return periods.working_days(revoked_on, rules.withdrawal_working_days.value)


def appeal_periods_end(served_on: date, rules: RuleSet, periods: Periods) -> date:
    """The later end of reconsideration (60 days) and lawsuit (6 months) from service."""
    return max(
        periods.calendar_days(served_on, rules.reconsideration_days.value),
        periods.months(served_on, rules.lawsuit_months.value),
    )


def enforcement_window_end(served_on: date, rules: RuleSet, periods: Periods) -> date:
    """The last day to apply to the court: 3 months after the appeal periods end."""
    return periods.months(appeal_periods_end(served_on, rules, periods),
                          rules.enforcement_window_months.value)


def reminder_end(reminded_on: date, rules: RuleSet, periods: Periods) -> date:
    """行政强制法 art. 54: the 10th working day after a reminder; application from the day after."""
    return periods.working_days(reminded_on, rules.reminder_working_days.value)


def notice_windows(notice: Notice) -> tuple[date, date | None]:
    """The stored defence and hearing-request windows of a notice."""
    return notice.defence_due, notice.hearing_request_due
