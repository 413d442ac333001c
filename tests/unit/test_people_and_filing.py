"""Rules about people and filing (SPEC §2 "Officers and roles", "Filing"), through the service:
the limitation period, certified investigators, roles, separation of duties, unknown ids, and
the precedence of codes when several rules refuse."""

from __future__ import annotations

from collections.abc import Callable

from tests.support import CHECKLIST_YES, LARGE_PROPOSAL, Desk

FILE = {"investigators": ["zhang", "li"], "cause": "立案调查"}


# --- limitation (APL art. 36) -------------------------------------------------------------------


def test_filing_exactly_two_years_after_the_violation_is_allowed(make_desk: Callable) -> None:
    """A violation of 1 July 2018 discovered on 1 July 2020 may still be filed."""
    desk = make_desk("2020-07-01")
    case = desk.registered("2020-07-01", violation_date="2018-07-01")
    assert desk.act("zhao", "file", case, FILE).ok


def test_filing_two_years_and_a_day_after_the_violation_is_refused(make_desk: Callable) -> None:
    """Discovered on 2 July 2020, a violation that ended 1 July 2018 is out of time."""
    desk = make_desk("2020-07-02")
    case = desk.registered("2020-07-02", violation_date="2018-07-01")
    outcome = desk.act("zhao", "file", case, FILE)
    assert outcome.codes == ["limitation_expired"]
    assert outcome.state == "registered"


def test_the_limitation_runs_from_the_end_of_a_continuing_violation(make_desk: Callable) -> None:
    """Begun 2017, ended 1 July 2018: discovery on 1 July 2020 is in time, on 2 July it is not."""
    desk = make_desk("2020-07-01")
    in_time = desk.registered("2020-07-01", violation_date="2017-01-01",
                              violation_ended="2018-07-01")
    assert desk.act("zhao", "file", in_time, FILE).ok
    late = desk.registered("2020-07-02", violation_date="2017-01-01",
                           violation_ended="2018-07-01")
    assert desk.act("zhao", "file", late, FILE).code == "limitation_expired"


def test_the_limitation_is_five_years_when_harm_resulted(make_desk: Callable) -> None:
    """With harm, a violation of 1 July 2015 is in time on 1 July 2020 and late on 2 July."""
    desk = make_desk("2020-07-01")
    in_time = desk.registered("2020-07-01", violation_date="2015-07-01", harm=True)
    assert desk.act("zhao", "file", in_time, FILE).ok
    late = desk.registered("2020-07-02", violation_date="2015-07-01", harm=True)
    assert desk.act("zhao", "file", late, FILE).code == "limitation_expired"


def test_without_harm_a_three_year_old_violation_is_out_of_time(make_desk: Callable) -> None:
    """The 5-year period needs harm; without it 2 years apply."""
    desk = make_desk("2020-07-01")
    case = desk.registered("2020-07-01", violation_date="2017-07-01")
    assert desk.act("zhao", "file", case, FILE).code == "limitation_expired"


def test_discovery_is_the_registration_not_the_filing(make_desk: Callable) -> None:
    """Registered on the last day, the case may be filed nine days later."""
    desk = make_desk("2020-07-01")
    case = desk.registered("2020-07-01", violation_date="2018-07-01")
    assert desk.act("zhao", "file", case, FILE, at="2020-07-10").ok


# --- certified officers (APL art. 42, 55) -------------------------------------------------------


def test_filing_with_one_investigator_is_refused_too_few_officers(desk: Desk) -> None:
    """Two investigators are needed."""
    case = desk.registered("2020-06-01")
    outcome = desk.act("zhao", "file", case, {"investigators": ["zhang"], "cause": "立案"})
    assert outcome.codes == ["too_few_officers"]


def test_naming_the_same_investigator_twice_is_still_one_officer(desk: Desk) -> None:
    """zhang and zhang are one person."""
    case = desk.registered("2020-06-01")
    outcome = desk.act("zhao", "file", case, {"investigators": ["zhang", "zhang"],
                                              "cause": "立案"})
    assert outcome.code == "too_few_officers"


def test_an_investigator_without_a_certificate_is_refused(desk: Desk) -> None:
    """newbie holds no enforcement certificate."""
    case = desk.registered("2020-06-01")
    outcome = desk.act("zhao", "file", case, {"investigators": ["zhang", "newbie"],
                                              "cause": "立案"})
    assert outcome.codes == ["officer_not_certified"]


def test_evidence_needs_two_certified_officers_present(desk: Desk) -> None:
    """One officer, or an uncertified second, is refused; two certified are accepted."""
    case = desk.filed("2020-06-01")
    record = {"kind": "inquiry", "title": "询问笔录"}
    assert desk.act("zhang", "record", case, {**record, "officers": ["zhang"]}).codes == [
        "too_few_officers"]
    assert desk.act("zhang", "record", case, {**record, "officers": ["zhang", "newbie"]}
                    ).codes == ["officer_not_certified"]
    assert desk.act("zhang", "record", case, {**record, "officers": ["zhang", "li"]}).ok


# --- roles --------------------------------------------------------------------------------------


def test_an_officer_cannot_file_a_case(desk: Desk) -> None:
    """Filing is the head's."""
    case = desk.registered("2020-06-01")
    assert desk.act("zhang", "file", case, FILE).codes == ["forbidden_role"]


def test_any_officer_may_register_a_case(desk: Desk) -> None:
    """qian investigates nothing yet may register."""
    payload = {"source": "complaint", "sector": "fireworks",
               "party": {"kind": "organisation", "name": "衡山县红火烟花经营部",
                         "credit_code": "91430423MA4R8F1R00", "address": "衡山县开云镇"},
               "summary": "超范围储存", "violation_date": "2020-05-28"}
    assert desk.act("qian", "register", None, payload).ok


def test_an_officer_who_is_not_an_investigator_cannot_act_on_a_filed_case(desk: Desk) -> None:
    """qian is a certified officer but not one of the case's investigators."""
    case = desk.filed("2020-06-01")
    record = {"kind": "inquiry", "title": "询问笔录", "officers": ["qian", "zhang"]}
    assert desk.act("qian", "record", case, record).codes == ["forbidden_role"]
    proposal = {"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "未培训"}],
                "penalties": [{"type": "fine", "amount": 8000}]}
    assert desk.act("qian", "propose", case, proposal).codes == ["forbidden_role"]
    assert desk.act("zhang", "propose", case, proposal).ok


def test_a_non_investigator_cannot_serve_the_decision(desk: Desk) -> None:
    """Service is taken by the case's own investigators only."""
    case = desk.decided("2020-06-01")
    outcome = desk.act("qian", "serve", case, {"method": "in_person", "recipient": "黄志勇"})
    assert outcome.codes == ["forbidden_role"]


def test_a_reviewer_cannot_decide(desk: Desk) -> None:
    """Deciding is the head's."""
    case = desk.notified("2020-06-01")
    desk.ok("zhang", "defend", case, {"waive": True})
    assert desk.act("wang", "decide", case, {"outcome": "penalty"}).codes == ["forbidden_role"]


# --- unknown people -----------------------------------------------------------------------------


def test_an_unknown_actor_is_refused_unknown_person_alone(desk: Desk) -> None:
    """A decision by ghost inside the window gives unknown_person and nothing else."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    outcome = desk.act("ghost", "decide", case, {"outcome": "penalty"})
    assert outcome.codes == ["unknown_person"]
    assert outcome.state == "notified"


def test_an_unknown_actor_in_a_state_that_forbids_the_action_is_unknown_person(
        desk: Desk) -> None:
    """Whatever the state: archiving a registered case by ghost is unknown_person only."""
    case = desk.registered("2020-06-01")
    assert desk.act("ghost", "archive", case).codes == ["unknown_person"]


def test_an_unknown_investigator_in_the_payload_is_refused_unknown_person_alone(
        desk: Desk) -> None:
    """Filing with ghost as the second investigator is not too_few_officers."""
    case = desk.registered("2020-06-01")
    outcome = desk.act("zhao", "file", case, {"investigators": ["zhang", "ghost"],
                                              "cause": "立案"})
    assert outcome.codes == ["unknown_person"]


def test_an_unknown_person_in_an_otherwise_malformed_payload_is_still_unknown_person(
        desk: Desk) -> None:
    """ghost named in a filing that also lacks its cause is refused unknown_person alone."""
    case = desk.registered("2020-06-01")
    outcome = desk.act("zhao", "file", case, {"investigators": ["zhang", "ghost"]})
    assert outcome.codes == ["unknown_person"]


def test_an_unknown_hearing_host_is_refused_unknown_person_alone(desk: Desk) -> None:
    """Scheduling ghost as host is unknown_person, not forbidden_role."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    desk.ok("zhang", "request_hearing", case)
    outcome = desk.act("zhao", "schedule_hearing", case,
                       {"host": "ghost", "at": "2020-06-15T09:00", "place": "听证室"})
    assert outcome.codes == ["unknown_person"]


def test_an_unknown_actor_cannot_register(desk: Desk) -> None:
    """No case is created for ghost."""
    payload = {"source": "other", "sector": "other",
               "party": {"kind": "organisation", "name": "某公司",
                         "credit_code": "91430423MA4QTRADXH", "address": "衡山县"},
               "summary": "线索", "violation_date": "2020-05-01"}
    outcome = desk.act("ghost", "register", None, payload)
    assert outcome.codes == ["unknown_person"]
    assert outcome.case_id is None


# --- separation of duties and qualification ----------------------------------------------------


def _in_review(desk: Desk, investigators: tuple[str, ...] = ("zhang", "hu")) -> str:
    """A small-fine case notified on 1 June 2020 and submitted for legal review."""
    case = desk.notified("2020-06-01", investigators=investigators)
    desk.ok(investigators[0], "submit_review", case)
    return case


REVIEW = {"verdict": "pass", "checklist": CHECKLIST_YES, "opinion": "同意"}


def test_an_investigator_cannot_review_the_case(desk: Desk) -> None:
    """hu is a qualified reviewer but investigates this case."""
    case = _in_review(desk)
    assert desk.act("hu", "review", case, REVIEW).codes == ["conflict_of_interest"]


def test_an_independent_qualified_reviewer_may_review(desk: Desk) -> None:
    """wang neither investigates nor lacks the qualification."""
    case = _in_review(desk)
    outcome = desk.act("wang", "review", case, REVIEW)
    assert outcome.ok
    assert outcome.view is not None and outcome.view["review"]["status"] == "passed"


def test_a_reviewer_without_the_legal_qualification_is_refused(desk: Desk) -> None:
    """liu holds the role but not the legal professional qualification (APL art. 58)."""
    case = _in_review(desk)
    assert desk.act("liu", "review", case, REVIEW).codes == ["reviewer_not_qualified"]


def test_a_reviewer_who_investigates_the_case_is_independent_of_other_cases(
        desk: Desk) -> None:
    """Separation of duties is judged per case: hu may review a case of zhang and li."""
    case = _in_review(desk, investigators=("zhang", "li"))
    assert desk.act("hu", "review", case, REVIEW).ok


def test_an_investigator_cannot_host_the_hearing(desk: Desk) -> None:
    """Scheduling hu, who investigates, as host is refused."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL, investigators=("zhang", "hu"))
    desk.ok("zhang", "request_hearing", case)
    outcome = desk.act("zhao", "schedule_hearing", case,
                       {"host": "hu", "at": "2020-06-15T09:00", "place": "听证室"})
    assert outcome.codes == ["conflict_of_interest"]


def test_a_host_must_hold_the_host_role(desk: Desk) -> None:
    """qian is an officer, not a hearing host."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    desk.ok("zhang", "request_hearing", case)
    outcome = desk.act("zhao", "schedule_hearing", case,
                       {"host": "qian", "at": "2020-06-15T09:00", "place": "听证室"})
    assert outcome.codes == ["forbidden_role"]


def test_only_the_scheduled_host_holds_the_hearing(desk: Desk) -> None:
    """xu is a host, but chen was scheduled."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    desk.ok("zhang", "request_hearing", case)
    desk.ok("zhao", "schedule_hearing", case,
            {"host": "chen", "at": "2020-06-15T09:00", "place": "听证室"})
    hold = {"attended": True, "summary": "无异议", "record_sha256": "a" * 64}
    assert desk.act("xu", "hold_hearing", case, hold, at="2020-06-15T11:00").codes == [
        "forbidden_role"]
    assert desk.act("chen", "hold_hearing", case, hold).ok


def test_a_head_who_investigates_cannot_approve_the_decision(desk: Desk) -> None:
    """hu heads the bureau but investigates this case; zhao may decide it."""
    case = desk.notified("2020-06-01", investigators=("zhang", "hu"))
    desk.ok("zhang", "defend", case, {"waive": True})
    assert desk.act("hu", "decide", case, {"outcome": "penalty"}).codes == [
        "conflict_of_interest"]
    assert desk.act("zhao", "decide", case, {"outcome": "penalty"}).ok


# --- precedence of codes ------------------------------------------------------------------------


def test_a_decision_in_notified_lists_every_missing_step_in_precedence_order(
        desk: Desk) -> None:
    """A hearing-eligible case decided the day after notice: the window first, then review and
    discussion."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    outcome = desk.act("zhao", "decide", case, {"outcome": "penalty"}, at="2020-06-02")
    assert outcome.code == "defence_window_open"
    assert outcome.codes == ["defence_window_open", "legal_review_required",
                             "collective_discussion_required"]


def test_a_conflict_of_interest_comes_before_the_open_window(desk: Desk) -> None:
    """hu, an investigator, deciding inside the window: conflict_of_interest is the code."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL, investigators=("zhang", "hu"))
    outcome = desk.act("hu", "decide", case, {"outcome": "penalty"}, at="2020-06-02")
    assert outcome.code == "conflict_of_interest"
    assert outcome.codes[:2] == ["conflict_of_interest", "defence_window_open"]


def test_an_action_outside_its_states_by_the_wrong_role_gives_not_allowed_in_state_first(
        desk: Desk) -> None:
    """An officer filing an already filed case: not_allowed_in_state, then forbidden_role."""
    case = desk.filed("2020-06-01")
    outcome = desk.act("zhang", "file", case, FILE)
    assert outcome.codes == ["not_allowed_in_state", "forbidden_role"]


def test_a_refused_action_changes_nothing_but_the_history(desk: Desk) -> None:
    """The refused decision leaves state, flags and documents as they were, plus one entry."""
    case = desk.notified("2020-06-01", LARGE_PROPOSAL)
    before = desk.view(case)
    desk.act("zhao", "decide", case, {"outcome": "penalty"})
    after = desk.view(case)
    assert after["state"] == before["state"] == "notified"
    assert after["documents"] == before["documents"]
    assert after["decision"] is None
    assert after["history_length"] == before["history_length"] + 1
    assert [e.result for e in desk.app.history(case)][-1] == "refused"


def test_what_a_person_may_take_follows_roles_own_cases_and_independence(desk: Desk) -> None:
    """may_take (what pages offer): hu investigates, so may record but not decide, and may
    still schedule the hearing, whose independence is the host's; zhao decides; qian, an
    officer outside the case, records nothing; only the scheduled host holds the hearing."""
    from casefiles.domain.engine import ACTOR_INDEPENDENT, may_take

    assert ACTOR_INDEPENDENT == {"review", "hold_hearing", "decide"}
    case_id = desk.notified("2020-06-01", investigators=("zhang", "hu"))
    case = desk.app.case(case_id)
    staff = {p.id: p for p in desk.app.people()}
    assert may_take(staff["hu"], "record", case) and not may_take(staff["hu"], "decide", case)
    assert may_take(staff["hu"], "schedule_hearing", case)
    assert may_take(staff["zhao"], "decide", case) and not may_take(staff["qian"], "record", case)
    assert not may_take(staff["chen"], "hold_hearing", case)
