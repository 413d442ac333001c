"""Payload validation (SCENARIOS.md, invalid_input): every malformed payload is refused
``invalid_input`` with the field named, and counts stay rules rather than input errors."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from casefiles.domain.payloads import parse
from tests.support import ORGANISATION, Desk

TODAY = date(2020, 6, 1)

REGISTER = {"source": "inspection", "sector": "industry_trade", "party": ORGANISATION,
            "summary": "检查发现违法行为", "violation_date": "2020-05-20"}
PROPOSE = {"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "未培训"}],
           "penalties": [{"type": "fine", "amount": 8000}]}


def _fields(action: str, data: Any, today: date = TODAY) -> list[str | None]:
    """The fields named by the invalid_input refusals of ``data`` (empty when it is valid)."""
    payload, refusals = parse(action, data, today)
    assert all(r.code == "invalid_input" for r in refusals)
    assert (payload is None) == bool(refusals)
    return [r.field for r in refusals]


def test_a_valid_registration_is_accepted() -> None:
    """The registration of scenario 02 parses without refusal."""
    assert _fields("register", REGISTER) == []


def test_an_unknown_field_is_refused_by_its_name() -> None:
    """A field the action does not take is named in the refusal."""
    assert _fields("serve", {"method": "in_person", "recipient": "黄志勇", "colour": "red"}) == [
        "colour"]


def test_an_unknown_field_inside_the_party_is_refused_by_its_path() -> None:
    """A nested unknown field is named with its path."""
    party = {**ORGANISATION, "email": "a@b.cn"}
    assert _fields("register", {**REGISTER, "party": party}) == ["party.email"]


@pytest.mark.parametrize(("action", "data", "field"), [
    ("hold_hearing", {"attended": "maybe", "summary": "未到场"}, "attended"),
    ("extend", {"days": "thirty", "reason": "案情复杂"}, "days"),
    ("extend", {"days": 30.5, "reason": "案情复杂"}, "days"),
    ("file", {"investigators": "zhang", "cause": "立案"}, "investigators"),
    ("pay", {"amount": True}, "amount"),
    ("pay", {"amount": [8000]}, "amount"),
    ("register", {**REGISTER, "harm": "perhaps"}, "harm"),
])
def test_a_value_of_the_wrong_type_is_refused_naming_its_field(action: str, data: Any,
                                                               field: str) -> None:
    """Text where a boolean, an integer, a list or an amount is expected is refused."""
    assert _fields(action, data) == [field]


def test_a_negative_payment_is_refused_naming_amount() -> None:
    """An amount below zero is refused."""
    assert _fields("pay", {"amount": -1}) == ["amount"]


def test_a_negative_fine_in_a_proposal_is_refused_naming_its_path() -> None:
    """Scenario 03's fine of -500 is refused at penalties.0.amount."""
    data = {**PROPOSE, "penalties": [{"type": "fine", "amount": -500}]}
    assert _fields("propose", data) == ["penalties.0.amount"]


@pytest.mark.parametrize("amount", ["10.001", 10.001, "8000.005"])
def test_an_amount_with_three_decimals_is_refused(amount: object) -> None:
    """Money has at most two decimals (fen)."""
    assert _fields("pay", {"amount": amount}) == ["amount"]


@pytest.mark.parametrize("amount", ["10.01", 10.01, 10, "8000.10"])
def test_an_amount_with_two_decimals_or_fewer_is_accepted(amount: object) -> None:
    """Amounts in yuan and fen parse."""
    assert _fields("pay", {"amount": amount}) == []


@pytest.mark.parametrize(("action", "data", "field"), [
    ("register", {**REGISTER, "violation_date": "2020-02-30"}, "violation_date"),
    ("register", {**REGISTER, "violation_date": "2019-02-29"}, "violation_date"),
    ("schedule_hearing", {"host": "chen", "at": "2020-06-31T09:00", "place": "听证室"}, "at"),
    ("instalments", {"schedule": [{"due": "2021-02-29", "amount": 1}]}, "schedule.0.due"),
    ("pay", {"amount": 1, "paid_on": "2020-13-01"}, "paid_on"),
])
def test_a_date_that_does_not_exist_is_refused_naming_its_field(action: str, data: Any,
                                                                field: str) -> None:
    """30 February, 29 February of a common year, 31 June and month 13 do not exist."""
    assert _fields(action, data) == [field]


def test_a_leap_day_that_exists_is_accepted() -> None:
    """29 February 2020 existed."""
    assert _fields("register", {**REGISTER, "violation_date": "2020-02-29"}) == []


@pytest.mark.parametrize(("action", "data", "field"), [
    ("register", {**REGISTER, "violation_date": "2020-06-02"}, "violation_date"),
    ("register", {**REGISTER, "violation_ended": "2020-06-02"}, "violation_ended"),
    ("request_hearing", {"requested_on": "2020-06-02"}, "requested_on"),
    ("schedule_hearing", {"host": "chen", "at": "2020-06-20T09:00", "place": "听证室",
                          "notified_on": "2020-06-02"}, "notified_on"),
    ("pay", {"amount": 1, "paid_on": "2020-06-02"}, "paid_on"),
])
def test_a_past_event_dated_after_the_clock_is_refused(action: str, data: Any,
                                                       field: str) -> None:
    """Violations, requests, notifications and payments cannot be dated tomorrow."""
    assert _fields(action, data) == [field]


@pytest.mark.parametrize(("action", "data"), [
    ("register", {**REGISTER, "violation_date": "2020-06-01"}),
    ("request_hearing", {"requested_on": "2020-06-01"}),
    ("pay", {"amount": 1, "paid_on": "2020-06-01"}),
])
def test_a_past_event_dated_today_is_accepted(action: str, data: Any) -> None:
    """The clock's own day is not in the future."""
    assert _fields(action, data) == []


def test_a_future_hearing_date_is_not_a_past_event() -> None:
    """The hearing's ``at`` lies ahead by nature and is not compared with the clock."""
    data = {"host": "chen", "at": "2020-06-20T09:00", "place": "听证室"}
    assert _fields("schedule_hearing", data) == []


def test_a_credit_code_with_a_wrong_check_character_is_refused_naming_it() -> None:
    """Scenario 03's 91430423MA4R8F1R0A is refused at party.credit_code."""
    party = {**ORGANISATION, "credit_code": "91430423MA4R8F1R0A"}
    assert _fields("register", {**REGISTER, "party": party}) == ["party.credit_code"]


def test_an_id_number_with_a_wrong_check_character_is_refused_naming_it() -> None:
    """An individual's 身份证号 is checked at party.id_number."""
    party = {"kind": "individual", "name": "孙某", "id_number": "430423198001011232",
             "address": "衡山县城关镇"}
    assert _fields("register", {**REGISTER, "party": party}) == ["party.id_number"]


def test_too_few_investigators_is_not_an_input_error() -> None:
    """A single investigator parses: the count is the rule too_few_officers, not invalid_input."""
    assert _fields("file", {"investigators": ["zhang"], "cause": "立案"}) == []


def test_too_few_attendees_is_not_an_input_error() -> None:
    """A discussion of two parses: the count is the rule too_few_attendees."""
    assert _fields("discuss", {"attendees": ["赵强", "孙丽"], "conclusion": "同意"}) == []


def test_a_payload_that_is_not_a_mapping_is_refused_naming_with() -> None:
    """A list or a text in place of the payload object is refused at the field ``with``."""
    assert _fields("serve", ["in_person"]) == ["with"]


# --- through the service ------------------------------------------------------------------------


def test_a_refused_registration_names_the_field_in_its_message(desk: Desk) -> None:
    """The outcome's message names party.credit_code, and no case is created."""
    party = {**ORGANISATION, "credit_code": "91430423MA4R8F1R0A"}
    outcome = desk.act("zhang", "register", None, {**REGISTER, "party": party})
    assert (outcome.result, outcome.code, outcome.codes) == (
        "refused", "invalid_input", ["invalid_input"])
    assert "party.credit_code" in outcome.message
    assert outcome.case_id is None


def test_a_refused_payment_changes_nothing_but_the_history(desk: Desk) -> None:
    """A payment of 10.001 yuan is refused; the case keeps its state and amounts."""
    case = desk.served("2020-06-22")
    before = desk.view(case)
    outcome = desk.act("zhang", "pay", case, {"amount": "10.001"})
    assert outcome.code == "invalid_input"
    assert "amount" in outcome.message
    after = desk.view(case)
    assert after["state"] == before["state"] == "served"
    assert after["amounts"] == before["amounts"]
    assert after["history_length"] == before["history_length"] + 1


def test_the_clocks_day_is_the_shanghai_day(make_desk: Any) -> None:
    """At 20:00 UTC on 1 June it is already 2 June in Shanghai: a violation that day is past."""
    desk = make_desk("2020-06-01")
    desk.clock.set(datetime(2020, 6, 1, 20, 0, tzinfo=UTC))
    outcome = desk.act("zhang", "register", None, {**REGISTER, "violation_date": "2020-06-02"})
    assert outcome.ok, outcome.message


RECORD = {"kind": "inquiry", "title": "询问笔录（黄志勇）", "officers": ["zhang", "li"]}


def test_a_summons_dated_after_the_clock_or_with_an_unknown_field_is_refused_by_name() -> None:
    """The 询问通知书 an inquiry rests on was given on a past day, at a time and place; a
    summons from tomorrow or with a field the form does not have names the field."""
    summons = {"notified_on": "2020-05-30", "at": "2020-06-01T10:00", "place": "本局询问室"}
    assert _fields("record", {**RECORD, "summons": summons}) == []
    assert _fields("record", {**RECORD, "summons": {**summons, "notified_on": "2020-06-02"}}) == [
        "summons.notified_on"]
    assert _fields("record", {**RECORD, "summons": {**summons, "room": "3"}}) == ["summons.room"]


def test_a_decline_names_its_complainant_optionally_and_never_a_future_complaint() -> None:
    """decline keeps its one required field; the complainant and the day of the complaint are
    optional, and a complaint dated after the clock is refused by name."""
    assert _fields("decline", {"reason": "不属本局管辖"}) == []
    assert _fields("decline", {"reason": "不属本局管辖", "complainant": "刘建军",
                               "complained_on": "2020-05-28"}) == []
    assert _fields("decline", {"reason": "不属本局管辖", "complained_on": "2020-06-05"}) == [
        "complained_on"]
