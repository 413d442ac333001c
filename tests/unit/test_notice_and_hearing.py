"""The proposal, the notice and the hearing (SPEC §2 "Proposal and notice", "Hearing") at their
boundaries: statutory ranges, discretion tiers, the hearing threshold, the statement and
defence window, the hearing-request window and the hearing notice period."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support import CHECKLIST_YES, INDIVIDUAL, LARGE_PROPOSAL, Desk


def _proposal(code: str, tier: str, *amounts: float | str,
              extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A proposal of one violation and a fine for each of ``amounts``."""
    return {"violations": [{"code": code, "tier": tier, "facts": "违法事实"}],
            "penalties": [{"type": "fine", "amount": a} for a in amounts] + (extra or [])}


def _propose(desk: Desk, proposal: dict[str, Any], party: dict[str, Any] | None = None):
    """Propose on a freshly filed case; the outcome."""
    case = desk.filed("2020-06-01", party=party)
    return desk.act("zhang", "propose", case, proposal)


# --- statutory range (refuse) -------------------------------------------------------------------


@pytest.mark.parametrize(("code", "tier", "amount"), [
    ("WSL-99-1", "严重", 50000),
    ("WSL-99-1", "轻微", 0),
    ("WSL-99-1-late", "一般", 50000),
    ("WSL-99-1-late", "严重", 200000),
])
def test_a_fine_at_either_end_of_the_statutory_range_is_accepted(desk: Desk, code: str,
                                                                 tier: str, amount: int) -> None:
    """Ranges include both ends."""
    assert _propose(desk, _proposal(code, tier, amount)).ok


@pytest.mark.parametrize(("code", "tier", "amount"), [
    ("WSL-99-1", "严重", "50000.01"),
    ("WSL-99-1-late", "一般", "49999.99"),
    ("WSL-99-1-late", "严重", "200000.01"),
    ("WSL-99-1", "一般", 80000),  # scenario 03
])
def test_a_fine_a_fen_outside_the_statutory_range_is_refused(desk: Desk, code: str, tier: str,
                                                            amount: str) -> None:
    """One fen beyond either end is amount_out_of_range, and the case stays investigating."""
    outcome = _propose(desk, _proposal(code, tier, amount))
    assert outcome.codes == ["amount_out_of_range"]
    assert outcome.state == "investigating"


def test_an_individuals_fine_below_its_provisions_minimum_is_refused(desk: Desk) -> None:
    """WSL-97-person fines 20,000 to 50,000: 19,999.99 is out of range, 20,000 is in."""
    assert _propose(desk, _proposal("WSL-97-person", "一般", "19999.99"),
                    party=INDIVIDUAL).code == "amount_out_of_range"
    assert _propose(desk, _proposal("WSL-97-person", "一般", 20000), party=INDIVIDUAL).ok


# --- discretion benchmark (warn) ----------------------------------------------------------------


@pytest.mark.parametrize("amount", [10000, 15000, 20000])
def test_a_fine_inside_its_tier_including_its_ends_is_not_warned(desk: Desk,
                                                                 amount: int) -> None:
    """WSL-99-1 一般 is 10,000 to 20,000, both ends included."""
    outcome = _propose(desk, _proposal("WSL-99-1", "一般", amount))
    assert outcome.ok
    assert "outside_discretion_benchmark" not in outcome.warnings


@pytest.mark.parametrize("amount", ["9999.99", "20000.01", 35000])
def test_a_fine_outside_its_tier_is_accepted_with_a_warning(desk: Desk, amount: str) -> None:
    """One fen outside the 一般 tier, or scenario 03's 35,000, warns but proceeds."""
    outcome = _propose(desk, _proposal("WSL-99-1", "一般", amount))
    assert outcome.ok
    assert outcome.state == "proposed"
    # the tiers are local figures awaiting confirmation (SPEC §5): that is said too
    assert sorted(outcome.warnings) == ["outside_discretion_benchmark", "rule_unconfirmed"]
    assert outcome.view is not None
    assert "outside_discretion_benchmark" in outcome.view["warnings"]


def test_a_provision_without_tiers_is_never_warned(desk: Desk) -> None:
    """WSL-97-4 has no discretion tiers: 100,000 in tier 轻微 gives no benchmark warning."""
    outcome = _propose(desk, _proposal("WSL-97-4", "轻微", 100000))
    assert outcome.ok
    assert "outside_discretion_benchmark" not in outcome.warnings


# --- hearing threshold (APL art. 63) ------------------------------------------------------------


def _eligible(outcome: Any) -> bool:
    assert outcome.ok, outcome.message
    return bool(outcome.view["flags"]["hearing_eligible"])


def test_an_organisations_fine_of_50000_is_hearing_eligible(desk: Desk) -> None:
    """The organisation threshold of 50,000 yuan is inclusive."""
    assert _eligible(_propose(desk, _proposal("WSL-99-1", "严重", 50000)))


def test_an_organisations_fine_a_fen_below_50000_is_not_hearing_eligible(desk: Desk) -> None:
    """49,999.99 yuan is below the threshold."""
    assert not _eligible(_propose(desk, _proposal("WSL-99-1", "严重", "49999.99")))


def test_an_individual_in_business_is_fined_as_the_operator_within_the_units_range(
        desk: Desk) -> None:
    """A natural person who runs the business is the 生产经营单位: WSL art. 99(1) fines her
    up to its maximum of 50,000 yuan, and not a fen more (issue 13: an individual's sign case
    is no longer forced onto the responsible-person clause of art. 99 with no item)."""
    assert _propose(desk, _proposal("WSL-99-1", "一般", 10000), party=INDIVIDUAL).ok
    refused = _propose(desk, _proposal("WSL-99-1", "严重", "50000.01"), party=INDIVIDUAL)
    assert refused.codes == ["amount_out_of_range"]


def test_an_individuals_fine_of_20000_is_hearing_eligible(desk: Desk) -> None:
    """The individual threshold of 20,000 yuan is inclusive."""
    assert _eligible(_propose(desk, _proposal("WSL-99-person", "严重", 20000),
                              party=INDIVIDUAL))


def test_an_individuals_fine_a_fen_below_20000_is_not_hearing_eligible(desk: Desk) -> None:
    """19,999.99 yuan is below the individual threshold."""
    assert not _eligible(_propose(desk, _proposal("WSL-99-person", "严重", "19999.99"),
                                  party=INDIVIDUAL))


def test_the_threshold_compares_the_total_of_the_fines(desk: Desk) -> None:
    """Two fines of 30,000 and 20,000 on an organisation total 50,000: eligible."""
    proposal = {"violations": [{"code": "WSL-99-1", "tier": "严重", "facts": "未设警示标志"},
                               {"code": "WSL-97-4", "tier": "一般", "facts": "未培训"}],
                "penalties": [{"type": "fine", "amount": 30000},
                              {"type": "fine", "amount": 20000}]}
    assert _eligible(_propose(desk, proposal))


def test_a_suspension_is_hearing_eligible_whatever_the_fine(desk: Desk) -> None:
    """A proposed suspension of production alone gives a hearing right."""
    proposal = {"violations": [{"code": "WSL-99-1-late", "tier": "严重", "facts": "逾期未改正"}],
                "penalties": [{"type": "suspension"}]}
    assert _eligible(_propose(desk, proposal))


def test_a_hearing_eligible_proposal_requires_review_and_discussion(desk: Desk) -> None:
    """Scenario 01: the three flags are all set for a 60,000 yuan fine on an organisation."""
    outcome = _propose(desk, LARGE_PROPOSAL)
    assert outcome.view is not None
    assert outcome.view["flags"] == {"hearing_eligible": True, "legal_review_required": True,
                                     "collective_discussion_required": True}
    assert outcome.view["hearing"]["status"] == "available"


# --- statement and defence window: 3 working days from the notice -------------------------------


def test_a_decision_on_the_last_day_of_the_defence_window_is_refused(desk: Desk) -> None:
    """Notified Monday 8 June 2020, the window runs to Thursday 11 June."""
    case = desk.notified("2020-06-08T10:00")
    outcome = desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-06-11T17:00")
    assert outcome.codes == ["defence_window_open"]


def test_a_decision_the_day_after_the_defence_window_is_accepted(desk: Desk) -> None:
    """On Friday 12 June 2020 the window is closed."""
    case = desk.notified("2020-06-08T10:00")
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-06-12").ok


def test_the_window_closes_at_midnight_in_shanghai_not_utc(desk: Desk) -> None:
    """At 16:30 UTC on 11 June 2020 it is already 12 June in Shanghai: the window is closed."""
    case = desk.notified("2020-06-08T10:00")
    late_evening = datetime(2020, 6, 11, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"},
                    at=late_evening).code == "defence_window_open"
    after_midnight = datetime(2020, 6, 11, 16, 30, tzinfo=UTC)
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}, at=after_midnight).ok


def test_a_waiver_allows_the_decision_at_once(desk: Desk) -> None:
    """The party's written waiver on the day of the notice closes the window."""
    case = desk.notified("2020-06-08T10:00")
    desk.ok("zhang", "defend", case, {"waive": True}, at="2020-06-08T11:00")
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}).ok


def test_a_statement_does_not_close_the_defence_window(desk: Desk) -> None:
    """Scenario 02: a statement on 10 June leaves the window open to 11 June."""
    case = desk.notified("2020-06-08T10:00")
    desk.ok("zhang", "defend", case, {"statement": "已组织补训，请求从轻"}, at="2020-06-10")
    outcome = desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-06-11")
    assert outcome.code == "defence_window_open"


def test_the_defence_window_counts_working_days_across_national_day(desk: Desk) -> None:
    """Notified 29 September 2020: 30 Sep, 9 Oct, Sat 10 Oct; refused on the 10th, not the
    11th."""
    case = desk.notified("2020-09-29")
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"},
                    at="2020-10-10T16:00").code == "defence_window_open"
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-10-11").ok


def test_a_hearing_eligible_window_lasts_until_the_hearing_request_window_closes(
        desk: Desk) -> None:
    """Notified 8 June 2020 with a hearing right: open on the 5th working day, 15 June."""
    case = desk.notified("2020-06-08T10:00", LARGE_PROPOSAL)
    desk.ok("zhang", "submit_review", case)
    desk.ok("wang", "review", case, {"verdict": "pass", "checklist": CHECKLIST_YES,
                                     "opinion": "同意"})
    desk.ok("zhao", "discuss", case, {"attendees": ["赵强", "孙丽", "周明"], "conclusion": "同意"})
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"},
                    at="2020-06-15").codes == ["defence_window_open"]
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-06-16").ok


def test_a_penalty_decision_without_a_notice_is_refused(desk: Desk) -> None:
    """Deciding a penalty straight from proposed needs the notice first (APL art. 44)."""
    case = desk.proposed("2020-06-01")
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}).codes == ["notice_required"]


def test_a_decision_heavier_than_notified_is_refused_and_a_lighter_one_accepted(
        desk: Desk) -> None:
    """Notified 8,000 yuan: 9,000 is heavier_than_notified, 7,000 is allowed."""
    case = desk.notified("2020-06-01")
    desk.ok("zhang", "defend", case, {"waive": True})
    heavier = {"outcome": "penalty", "penalties": [{"type": "fine", "amount": 9000}]}
    assert desk.act("zhao", "decide", case, heavier).codes == ["heavier_than_notified"]
    lighter = {"outcome": "penalty", "penalties": [{"type": "fine", "amount": 7000}]}
    assert desk.act("zhao", "decide", case, lighter).ok


# --- hearing request: 5 working days from the notice --------------------------------------------


def test_a_hearing_request_on_the_5th_working_day_is_accepted(desk: Desk) -> None:
    """Notified 28 September 2020, the 5th working day is 12 October (across National Day)."""
    case = desk.notified("2020-09-28", LARGE_PROPOSAL)
    outcome = desk.act("zhang", "request_hearing", case, at="2020-10-12T17:00")
    assert outcome.ok
    assert outcome.view is not None and outcome.view["hearing"]["status"] == "requested"


def test_a_hearing_request_on_the_6th_working_day_is_refused(desk: Desk) -> None:
    """On 13 October 2020 the request is late."""
    case = desk.notified("2020-09-28", LARGE_PROPOSAL)
    outcome = desk.act("zhang", "request_hearing", case, at="2020-10-13")
    assert outcome.codes == ["hearing_request_late"]
    assert outcome.view is not None and outcome.view["hearing"]["status"] == "available"


def test_a_request_made_in_time_may_be_recorded_later(desk: Desk) -> None:
    """Recorded on 13 October with requested_on 12 October, the request is in time."""
    case = desk.notified("2020-09-28", LARGE_PROPOSAL)
    outcome = desk.act("zhang", "request_hearing", case, {"requested_on": "2020-10-12"},
                       at="2020-10-13")
    assert outcome.ok


def test_a_hearing_request_without_a_hearing_right_is_refused(desk: Desk) -> None:
    """Scenario 02: an 8,000 yuan fine gives no hearing."""
    case = desk.notified("2020-06-08")
    assert desk.act("zhang", "request_hearing", case).codes == ["hearing_not_available"]


# --- hearing date: on or after the 7th working day after the party is notified -----------------


def _requested(desk: Desk) -> str:
    """A hearing-eligible case notified on 28 September 2020, hearing requested on the 29th."""
    case = desk.notified("2020-09-28", LARGE_PROPOSAL)
    desk.ok("zhang", "request_hearing", case, at="2020-09-29")
    return case


def test_a_hearing_on_the_7th_working_day_after_notification_is_accepted(desk: Desk) -> None:
    """Notified of the hearing on 29 September 2020: 30 Sep, 9, 10, 12, 13, 14, 15 Oct."""
    case = _requested(desk)
    outcome = desk.act("zhao", "schedule_hearing", case,
                       {"host": "chen", "at": "2020-10-15T09:00", "place": "听证室",
                        "notified_on": "2020-09-29"})
    assert outcome.ok
    assert outcome.state == "hearing"


def test_a_hearing_on_the_6th_working_day_after_notification_is_refused(desk: Desk) -> None:
    """14 October 2020 is one working day too soon."""
    case = _requested(desk)
    outcome = desk.act("zhao", "schedule_hearing", case,
                       {"host": "chen", "at": "2020-10-14T15:00", "place": "听证室",
                        "notified_on": "2020-09-29"})
    assert outcome.codes == ["hearing_notice_too_short"]
    assert outcome.state == "notified"


def test_the_notification_day_defaults_to_the_day_of_scheduling(desk: Desk) -> None:
    """Scheduled on 30 September without notified_on, 15 October is too soon, 16 October not."""
    case = _requested(desk)
    place = {"host": "chen", "place": "听证室"}
    assert desk.act("zhao", "schedule_hearing", case, {**place, "at": "2020-10-15T09:00"},
                    at="2020-09-30").code == "hearing_notice_too_short"
    assert desk.act("zhao", "schedule_hearing", case, {**place, "at": "2020-10-16T09:00"}).ok


def test_a_decision_while_the_hearing_is_pending_is_refused(desk: Desk) -> None:
    """A scheduled hearing not yet held blocks the decision."""
    case = _requested(desk)
    desk.ok("zhao", "schedule_hearing", case,
            {"host": "chen", "at": "2020-10-15T09:00", "place": "听证室"})
    outcome = desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-10-14")
    assert "hearing_pending" in outcome.codes


def test_holding_an_attended_hearing_needs_its_recording(desk: Desk) -> None:
    """Without the audio-video record's SHA-256 the hearing is evidence_missing."""
    case = _requested(desk)
    desk.ok("zhao", "schedule_hearing", case,
            {"host": "chen", "at": "2020-10-15T09:00", "place": "听证室"})
    outcome = desk.act("chen", "hold_hearing", case, {"attended": True, "summary": "无异议"},
                       at="2020-10-15T11:00")
    assert outcome.codes == ["evidence_missing"]


def test_a_responsible_persons_fine_cites_the_item_of_the_units_violation(desk: Desk) -> None:
    """WSL art. 99 fines the responsible person for the unit's act: beside the unit's sign
    violation (item 1), the person's fine cites 第99条第1项 and the duty of art. 35, not art. 99
    with no item (issue 13, item 5)."""
    case = desk.filed("2020-06-01")
    proposal = {"violations": [{"code": "WSL-99-1-late", "tier": "一般", "facts": "逾期未改正"},
                               {"code": "WSL-99-person", "tier": "一般", "facts": "直接责任"}],
                "penalties": [{"type": "fine", "amount": 60000},
                              {"type": "fine", "amount": 15000, "on": "刘建国"}]}
    assert desk.act("zhang", "propose", case, proposal).ok
    with desk.app.uow() as uow:
        items = uow.outbox.pending(100, kinds=["document_issued"], case_id=case)
    [report] = [i["payload"]["facts"] for i in items if i["payload"]["kind"] == "案件调查报告"]
    person = report["body"]["proposal"]["violations"][1]
    assert (person["applied"], person["breached"]) == ("安全生产法第99条第1项", "安全生产法第35条")
