"""The decision period (APL art. 60): 90 calendar days from filing, moved to a working day,
lengthened by the head's extensions; and the calendar_unconfirmed warning when a period ends
in a year that no calendar data confirms."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tests.support import POLICIES, Desk

DECIDE = {"outcome": "penalty"}


def _ready(desk: Desk, filed_at: str) -> str:
    """A small-fine case filed, proposed, notified and waived at ``filed_at``: only the
    decision period is left to judge."""
    case = desk.notified(filed_at)
    desk.ok("zhang", "defend", case, {"waive": True})
    return case


def test_the_decision_period_is_shown_as_90_days_from_filing(make_desk: Callable) -> None:
    """Filed 6 May 2020, the decision is due 4 August 2020 (scenario 01)."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    assert desk.view(case)["deadlines"]["decision"]["due"] == "2020-08-04"


def test_a_decision_on_day_90_is_accepted(make_desk: Callable) -> None:
    """On 4 August 2020, the 90th day after filing on 6 May, the decision is in time."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    outcome = desk.act("zhao", "decide", case, DECIDE, at="2020-08-04T17:00")
    assert outcome.ok
    assert outcome.view is not None
    assert outcome.view["deadlines"]["decision"]["status"] == "met"


def test_a_decision_on_day_91_is_refused_overdue(make_desk: Callable) -> None:
    """On 5 August 2020 the decision is overdue and the case stays notified."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    outcome = desk.act("zhao", "decide", case, DECIDE, at="2020-08-05T09:00")
    assert outcome.codes == ["decision_overdue"]
    assert outcome.state == "notified"


def test_a_decision_period_ending_on_national_day_runs_to_9_october(make_desk: Callable) -> None:
    """Filed 3 July 2020, day 90 is 1 October, a holiday: 9 October is in time, 10 is late."""
    desk = make_desk("2020-07-03")
    on_time = _ready(desk, "2020-07-03")
    late = _ready(desk, "2020-07-03")
    assert desk.view(on_time)["deadlines"]["decision"]["due"] == "2020-10-09"
    assert desk.act("zhao", "decide", on_time, DECIDE, at="2020-10-09T17:00").ok
    assert desk.act("zhao", "decide", late, DECIDE, at="2020-10-10").codes == [
        "decision_overdue"]


def test_an_extension_of_30_days_makes_day_91_acceptable(make_desk: Callable) -> None:
    """Extended by 30 days, a case filed 6 May 2020 may be decided on 5 August."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    desk.ok("zhao", "extend", case, {"days": 30, "reason": "案情复杂，需补充鉴定"},
            at="2020-07-20")
    assert desk.act("zhao", "decide", case, DECIDE, at="2020-08-05").ok


def test_an_extended_period_ends_120_days_after_filing(make_desk: Callable) -> None:
    """90 + 30 days from 6 May 2020 end on 3 September: the 4th is late."""
    desk = make_desk("2020-05-06")
    on_time = _ready(desk, "2020-05-06T15:00")
    late = _ready(desk, "2020-05-06T15:00")
    for case in (on_time, late):
        desk.ok("zhao", "extend", case, {"days": 30, "reason": "案情复杂"}, at="2020-07-20")
    assert desk.view(on_time)["deadlines"]["decision"]["due"] == "2020-09-03"
    assert desk.act("zhao", "decide", on_time, DECIDE, at="2020-09-03").ok
    assert desk.act("zhao", "decide", late, DECIDE, at="2020-09-04").codes == [
        "decision_overdue"]


def test_an_extension_recorded_after_day_90_still_allows_the_decision(
        make_desk: Callable) -> None:
    """An extension may be recorded at any time before the decision, even on day 91."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    desk.ok("zhao", "extend", case, {"days": 30, "reason": "补充调查"}, at="2020-08-05T09:00")
    assert desk.act("zhao", "decide", case, DECIDE, at="2020-08-05T10:00").ok


def test_an_extension_is_the_heads_to_record(make_desk: Callable) -> None:
    """An investigator cannot lengthen the period."""
    desk = make_desk("2020-05-06")
    case = _ready(desk, "2020-05-06T15:00")
    outcome = desk.act("zhang", "extend", case, {"days": 30, "reason": "补充调查"})
    assert outcome.codes == ["forbidden_role"]


# --- a decision period ending in 2027, a year the calendar package lacks -------------------------


def _case_filed_in_october_2026(desk: Desk) -> tuple[str, list[str]]:
    """Register and file on 20 October 2026 (a violation of January 2026); the filing's
    warnings. The 90 days end on 18 January 2027."""
    desk.violation_date = "2026-01-15"
    case = desk.registered("2026-10-20")
    outcome = desk.ok("zhao", "file", case, {"investigators": ["zhang", "li"], "cause": "立案"})
    return case, outcome.warnings


def test_a_deadline_in_an_unknown_year_is_warned_calendar_unconfirmed(
        make_desk: Callable) -> None:
    """Without 2027 data the decision deadline is counted on weekends and warned."""
    desk = make_desk("2026-10-20")
    case, warnings = _case_filed_in_october_2026(desk)
    assert warnings == ["calendar_unconfirmed"]
    view = desk.view(case)
    assert view["deadlines"]["decision"]["due"] == "2027-01-18"
    assert "calendar_unconfirmed" in view["warnings"]


def test_a_2027_calendar_in_policies_confirms_the_deadline(make_desk: Callable,
                                                           tmp_path: Path) -> None:
    """With calendars/2027.yaml making 18 January 2027 a holiday, the deadline moves to the
    19th and nothing is warned."""
    policies = tmp_path / "policies"
    (policies / "calendars").mkdir(parents=True)
    shutil.copyfile(POLICIES / "hengshan.yaml", policies / "hengshan.yaml")
    (policies / "calendars" / "2027.yaml").write_text(
        "year: 2027\nsource: 测试用假设安排\nholidays: [2027-01-01, 2027-01-18]\n",
        encoding="utf-8")
    desk = make_desk("2026-10-20", policies_dir=policies)
    case, warnings = _case_filed_in_october_2026(desk)
    assert warnings == []
    assert desk.view(case)["deadlines"]["decision"]["due"] == "2027-01-19"
