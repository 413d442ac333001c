"""Service, publication and execution (SPEC §2 "Decision, service, publication", "Execution")
at their boundaries: late service and publication warnings, the payment due date, the
surcharge as the case shows it, instalments, court enforcement and closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casefiles.domain import rules as R
from casefiles.domain.context import Context, Periods
from tests.support import STAFF, Desk, moment

SERVE = {"method": "in_person", "recipient": "黄志勇"}
COURT = {"court": "衡山县人民法院"}


# --- service and publication: 7 working days from the decision ----------------------------------


def test_service_on_the_7th_working_day_after_the_decision_is_not_late(desk: Desk) -> None:
    """Decided 22 June 2020; the Dragon Boat holiday (25–27 June, 28th worked) puts the 7th
    working day on 2 July."""
    case = desk.decided("2020-06-22")
    assert desk.view(case)["deadlines"]["service"]["due"] == "2020-07-02"
    outcome = desk.act("zhang", "serve", case, SERVE, at="2020-07-02T17:00")
    assert outcome.ok
    assert outcome.warnings == []
    assert outcome.view is not None
    assert outcome.view["deadlines"]["service"]["status"] == "met"


def test_service_on_the_8th_working_day_is_warned_service_late(desk: Desk) -> None:
    """Served on 3 July 2020: accepted, warned, and the deadline shows missed."""
    case = desk.decided("2020-06-22")
    outcome = desk.act("zhang", "serve", case, SERVE, at="2020-07-03")
    assert outcome.ok
    assert outcome.warnings == ["service_late"]
    assert outcome.view is not None
    assert "service_late" in outcome.view["warnings"]
    assert outcome.view["deadlines"]["service"]["status"] == "missed"


def test_publication_on_the_7th_working_day_is_not_late(desk: Desk) -> None:
    """Published on 2 July 2020 for a decision of 22 June."""
    case = desk.decided("2020-06-22")
    outcome = desk.act("zhao", "publish", case, at="2020-07-02")
    assert outcome.ok
    assert outcome.warnings == []


def test_publication_on_the_8th_working_day_is_warned_publication_late(desk: Desk) -> None:
    """Published on 3 July 2020: accepted with publication_late."""
    case = desk.decided("2020-06-22")
    outcome = desk.act("zhao", "publish", case, at="2020-07-03")
    assert outcome.ok
    assert outcome.warnings == ["publication_late"]


# --- payment due date: 15 calendar days after service -------------------------------------------


def test_the_fine_is_due_15_days_after_service(desk: Desk) -> None:
    """Served 22 June 2020, the fine is due 7 July (scenario 02)."""
    case = desk.served("2020-06-22T15:00")
    assert desk.view(case)["deadlines"]["payment"]["due"] == "2020-07-07"


def test_a_payment_due_date_on_national_day_moves_to_9_october(make_desk: Callable) -> None:
    """Served 16 September 2020, day 15 is 1 October: the fine is due 9 October."""
    desk = make_desk("2020-09-16")
    case = desk.served("2020-09-16")
    assert desk.view(case)["deadlines"]["payment"]["due"] == "2020-10-09"


def test_paying_on_the_moved_due_date_is_on_time(make_desk: Callable) -> None:
    """Paid on 9 October 2020: no surcharge, no warning."""
    desk = make_desk("2020-09-16")
    case = desk.served("2020-09-16")
    outcome = desk.act("zhang", "pay", case, {"amount": 8000}, at="2020-10-09")
    assert outcome.warnings == []
    assert outcome.view is not None
    assert outcome.view["amounts"] == {"fine": 8000, "paid": 8000, "surcharge": 0,
                                       "outstanding": 0}


def test_paying_the_day_after_the_moved_due_date_is_one_day_late(make_desk: Callable) -> None:
    """Paid on Saturday 10 October 2020: one day's surcharge of 240 yuan, warned payment_late."""
    desk = make_desk("2020-09-16")
    case = desk.served("2020-09-16")
    outcome = desk.act("zhang", "pay", case, {"amount": 8000}, at="2020-10-10")
    assert outcome.warnings == ["payment_late"]
    assert outcome.view is not None
    assert outcome.view["amounts"]["surcharge"] == 240


# --- surcharge as the case shows it -------------------------------------------------------------


def test_a_fine_paid_10_days_late_owes_2400_and_blocks_closing(desk: Desk) -> None:
    """Scenario 02: 8,000 paid 17 July owes 2,400 surcharge; closing is refused until it is
    paid."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.act("zhang", "pay", case, {"amount": 8000}, at="2020-07-17T10:00")
    assert outcome.view is not None
    assert outcome.view["amounts"] == {"fine": 8000, "paid": 8000, "surcharge": 2400,
                                       "outstanding": 2400}
    assert "payment_late" in outcome.view["warnings"]
    assert desk.act("zhao", "close", case, {"summary": "加处罚款未缴"},
                    at="2020-07-20").codes == ["execution_incomplete"]
    desk.ok("zhang", "pay", case, {"amount": 2400}, at="2020-07-21T10:00")
    assert desk.act("zhao", "close", case, {"summary": "已缴清"}).state == "closed"


def test_the_surcharge_stops_at_the_amount_of_the_fine(desk: Desk) -> None:
    """Unpaid, the case owes 7,920 on 9 August 2020 (33 days) and 8,000, not 8,160, on the
    10th."""
    case = desk.served("2020-06-22T15:00")
    desk.clock.set(desk.clock.now().replace(month=8, day=9))
    assert desk.view(case)["amounts"]["surcharge"] == 7920
    desk.clock.set(desk.clock.now().replace(day=10))
    assert desk.view(case)["amounts"] == {"fine": 8000, "paid": 0, "surcharge": 8000,
                                          "outstanding": 16000}


def test_a_partial_payment_on_time_still_leaves_the_rest_accruing(desk: Desk) -> None:
    """5,000 on 7 July and 3,000 on 12 July: the whole fine accrues 5 days, 1,200 yuan."""
    case = desk.served("2020-06-22T15:00")
    first = desk.ok("zhang", "pay", case, {"amount": 5000}, at="2020-07-07")
    assert first.warnings == []
    second = desk.ok("zhang", "pay", case, {"amount": 3000}, at="2020-07-12")
    assert second.warnings == ["payment_late"]
    assert second.view is not None
    assert second.view["amounts"] == {"fine": 8000, "paid": 8000, "surcharge": 1200,
                                      "outstanding": 1200}


def test_a_payment_recorded_later_counts_on_the_day_it_was_paid(desk: Desk) -> None:
    """Recorded on 20 July with paid_on 7 July, the fine was paid on time."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.ok("zhang", "pay", case, {"amount": 8000, "paid_on": "2020-07-07"},
                      at="2020-07-20")
    assert outcome.warnings == []
    assert outcome.view is not None and outcome.view["amounts"]["outstanding"] == 0


def test_paying_more_than_is_owed_is_refused(desk: Desk) -> None:
    """8,000.01 yuan on time is more than the 8,000 owed."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.act("zhang", "pay", case, {"amount": "8000.01"}, at="2020-07-07")
    assert outcome.codes == ["invalid_input"]
    assert "amount" in outcome.message


# --- instalments (APL art. 66) ------------------------------------------------------------------


SCHEDULE = {"schedule": [{"due": "2020-07-07", "amount": 4000},
                         {"due": "2020-08-07", "amount": 4000}]}


def test_instalments_move_the_payment_due_date_to_the_last_instalment(desk: Desk) -> None:
    """Two instalments approved on 23 June: the payment is due 7 August."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.ok("zhao", "instalments", case, SCHEDULE, at="2020-06-23")
    assert outcome.state == "executing"
    assert outcome.view is not None
    assert outcome.view["deadlines"]["payment"]["due"] == "2020-08-07"


def test_a_late_instalment_accrues_surcharge_on_its_own_amount(desk: Desk) -> None:
    """The second 4,000 paid 3 days late owes 3% × 4,000 × 3 = 360 yuan."""
    case = desk.served("2020-06-22T15:00")
    desk.ok("zhao", "instalments", case, SCHEDULE, at="2020-06-23")
    desk.ok("zhang", "pay", case, {"amount": 4000}, at="2020-07-07")
    outcome = desk.ok("zhang", "pay", case, {"amount": 4000}, at="2020-08-10")
    assert outcome.warnings == ["payment_late"]
    assert outcome.view is not None
    assert outcome.view["amounts"] == {"fine": 8000, "paid": 8000, "surcharge": 360,
                                       "outstanding": 360}


def test_a_late_first_instalment_is_warned_payment_late(desk: Desk) -> None:
    """The first 4,000 paid 9 July, two days after its due date, accrues 240 yuan and is warned."""
    case = desk.served("2020-06-22T15:00")
    desk.ok("zhao", "instalments", case, SCHEDULE, at="2020-06-23")
    outcome = desk.ok("zhang", "pay", case, {"amount": 4000}, at="2020-07-09")
    assert outcome.view is not None
    assert outcome.view["amounts"]["surcharge"] == 240
    assert outcome.warnings == ["payment_late"]


def test_instalments_on_time_owe_no_surcharge_and_allow_closing(desk: Desk) -> None:
    """Both instalments paid on their days: nothing owed, the case closes."""
    case = desk.served("2020-06-22T15:00")
    desk.ok("zhao", "instalments", case, SCHEDULE, at="2020-06-23")
    desk.ok("zhang", "pay", case, {"amount": 4000}, at="2020-07-07")
    outcome = desk.ok("zhang", "pay", case, {"amount": 4000}, at="2020-08-07")
    assert outcome.warnings == []
    assert desk.act("zhao", "close", case, {"summary": "分期缴清"}).ok


def test_instalments_that_do_not_add_up_to_the_fine_are_refused(desk: Desk) -> None:
    """4,000 + 3,000 is not the 8,000 fine."""
    case = desk.served("2020-06-22T15:00")
    bad = {"schedule": [{"due": "2020-07-07", "amount": 4000},
                        {"due": "2020-08-07", "amount": 3000}]}
    outcome = desk.act("zhao", "instalments", case, bad, at="2020-06-23")
    assert outcome.codes == ["invalid_input"]
    assert "schedule" in outcome.message


# --- closing ------------------------------------------------------------------------------------


def test_closing_with_the_fine_unpaid_is_refused(desk: Desk) -> None:
    """A served, unpaid fine is execution_incomplete."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.act("zhao", "close", case, {"summary": "结案"}, at="2020-07-01")
    assert outcome.codes == ["execution_incomplete"]
    assert outcome.state == "served"


def test_closing_after_the_fine_is_paid_on_time_is_accepted(desk: Desk) -> None:
    """Paid in full by the due date: the case closes."""
    case = desk.served("2020-06-22T15:00")
    desk.ok("zhang", "pay", case, {"amount": 8000}, at="2020-07-07")
    assert desk.act("zhao", "close", case, {"summary": "罚款已缴清"}).state == "closed"


def test_a_no_penalty_decision_closes_without_execution(desk: Desk) -> None:
    """A decision of no penalty needs no execution."""
    case = desk.proposed("2020-06-01")
    desk.ok("zhao", "decide", case, {"outcome": "no_penalty"})
    assert desk.act("zhao", "close", case, {"summary": "不予处罚"}).state == "closed"


# --- court enforcement (行政强制法 art. 53, 54) ----------------------------------------------------
# Served 22 June 2020: reconsideration to 21 August, lawsuit to 22 December 2020; the application
# window then runs three months, to Monday 22 March 2021.


def _unpaid(desk: Desk, reminded_at: str | None = "2020-11-02") -> str:
    """A fine served 22 June 2020 and never paid, reminded on ``reminded_at``."""
    case = desk.served("2020-06-22T15:00")
    if reminded_at is not None:
        desk.ok("zhang", "remind", case, None, reminded_at)
    return case


def test_an_overdue_fine_can_be_reminded_in_writing(desk: Desk) -> None:
    """The day after the due date an investigator issues the 罚款催告书; the case executes."""
    case = desk.served("2020-06-22T15:00")
    outcome = desk.act("zhang", "remind", case, None, "2020-07-08")
    assert outcome.ok
    assert outcome.state == "executing"
    assert outcome.view is not None
    assert "罚款催告书" in [d["kind"] for d in outcome.view["documents"]]


def test_the_appeal_periods_run_to_the_end_of_the_six_months_whatever_the_reminder(
        desk: Desk) -> None:
    """Unreminded: appeal_period_open is among the codes on 22 December 2020, not on the 23rd."""
    case = _unpaid(desk, reminded_at=None)
    last_day = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-22T17:00")
    assert last_day.codes == ["appeal_period_open", "reminder_period_open"]
    next_day = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-23")
    assert next_day.codes == ["reminder_period_open"]


def test_the_enforcement_window_closes_three_months_after_the_appeal_periods(
        desk: Desk) -> None:
    """Unreminded: enforcement_window_closed appears on 23 March 2021, not on the 22nd."""
    case = _unpaid(desk, reminded_at=None)
    last_day = desk.act("zhao", "apply_enforcement", case, COURT, at="2021-03-22T17:00")
    assert last_day.codes == ["reminder_period_open"]
    too_late = desk.act("zhao", "apply_enforcement", case, COURT, at="2021-03-23")
    assert too_late.codes == ["enforcement_window_closed", "reminder_period_open"]


def test_applying_on_the_last_day_of_the_lawsuit_period_is_refused(desk: Desk) -> None:
    """On 22 December 2020 the six months from service have not ended."""
    case = _unpaid(desk)
    outcome = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-22T17:00")
    assert outcome.codes == ["appeal_period_open"]


def test_applying_the_day_after_the_appeal_periods_is_accepted(desk: Desk) -> None:
    """On 23 December 2020, reminded long before, the application is made; the case may close."""
    case = _unpaid(desk)
    outcome = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-23")
    assert outcome.ok
    assert outcome.state == "executing"
    assert desk.act("zhao", "close", case, {"summary": "已申请法院强制执行"}).state == "closed"


def test_applying_on_the_last_day_of_the_window_is_accepted(desk: Desk) -> None:
    """22 March 2021 is three months after the appeal periods ended."""
    case = _unpaid(desk)
    assert desk.act("zhao", "apply_enforcement", case, COURT, at="2021-03-22T17:00").ok


def test_applying_after_the_window_is_refused_enforcement_window_closed(desk: Desk) -> None:
    """On 23 March 2021 it is too late to apply to the court."""
    case = _unpaid(desk)
    outcome = desk.act("zhao", "apply_enforcement", case, COURT, at="2021-03-23")
    assert outcome.codes == ["enforcement_window_closed"]


def test_applying_without_a_written_reminder_is_refused(desk: Desk) -> None:
    """No 催告书 was issued: reminder_period_open."""
    case = _unpaid(desk, reminded_at=None)
    outcome = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-23")
    assert outcome.codes == ["reminder_period_open"]


def test_applying_on_the_10th_working_day_after_the_reminder_is_refused(desk: Desk) -> None:
    """Reminded on 10 December 2020, the 10th working day is 24 December: refused that day."""
    case = _unpaid(desk, reminded_at="2020-12-10")
    outcome = desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-24T17:00")
    assert outcome.codes == ["reminder_period_open"]


def test_applying_the_day_after_the_10th_working_day_is_accepted(desk: Desk) -> None:
    """On 25 December 2020 the reminder's ten working days have passed."""
    case = _unpaid(desk, reminded_at="2020-12-10")
    assert desk.act("zhao", "apply_enforcement", case, COURT, at="2020-12-25").ok


def test_the_reminder_period_ends_after_its_10th_working_day(desk: Desk) -> None:
    """The rule itself: reminded 10 December 2020, refused through the 24th, clear on the
    25th."""
    app = desk.app
    rules = app.profile.rule_set("hengshan-2021")
    assert rules is not None

    def codes(today: str) -> list[str]:
        ctx = Context(now=moment(today), actor=STAFF[7], people={}, profile=app.profile,
                      rules=rules, periods=Periods(app.calendar))
        return [r.code for r in R.enforcement_rules(date(2020, 6, 22), date(2020, 12, 10), ctx)]

    assert codes("2020-12-24") == ["reminder_period_open"]
    assert codes("2020-12-25") == []


def test_a_reminder_before_the_fine_is_due_is_not_allowed(desk: Desk) -> None:
    """On 7 July 2020, the due date itself, there is nothing to remind of yet."""
    case = desk.served("2020-06-22T15:00")
    assert desk.act("zhang", "remind", case, None, "2020-07-07").code == "not_allowed_in_state"
