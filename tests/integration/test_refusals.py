"""A refused action changes nothing but the history, which records the attempt (SPEC §2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import func, select

from casefiles.adapters.stores import COUNTERS, OUTBOX
from casefiles.domain.timefmt import parse_datetime
from casefiles.services.app import Casefiles
from tests.support import MAJOR_FINE, SMALL_FINE, open_bureau, play, until

Steps = list[tuple[str, str, str, dict[str, Any] | None]]
SUN_INVESTIGATES: Steps = [  # sun is both a head and a certified officer
    SMALL_FINE[0],
    ("2020-06-01T15:00", "zhao", "file", {"investigators": ["sun", "zhang"], "cause": "未培训"}),
    ("2020-06-08T09:00", "sun", "propose", SMALL_FINE[3][3]),
    ("2020-06-08T10:00", "sun", "notify", None),
    ("2020-06-08T11:00", "sun", "defend", {"waive": True}),
]

OVER_RANGE = {"violations": [{"code": "WSL-99-1", "tier": "一般", "facts": "未设置警示标志"}],
              "penalties": [{"type": "fine", "amount": 80000}]}
NEGATIVE = {"violations": [{"code": "WSL-99-1", "tier": "一般", "facts": "未设置警示标志"}],
            "penalties": [{"type": "fine", "amount": -500}]}
FILE_TWO = {"investigators": ["zhang", "li"], "cause": "未培训"}

# id → (steps before, at, by, action, payload, expected code)
REFUSALS: dict[str, tuple[Steps, str, str, str, dict[str, Any] | None, str]] = {
    "officer files": (until(SMALL_FINE, "register"), "2020-06-01T10:00", "zhang", "file",
                      FILE_TWO, "forbidden_role"),
    "unknown actor": (until(SMALL_FINE, "register"), "2020-06-01T10:00", "ghost", "file",
                      FILE_TWO, "unknown_person"),
    "unknown investigator": (until(SMALL_FINE, "register"), "2020-06-01T10:00", "zhao", "file",
                             {"investigators": ["zhang", "ghost"], "cause": "x"},
                             "unknown_person"),
    "one investigator": (until(SMALL_FINE, "register"), "2020-06-01T10:00", "zhao", "file",
                         {"investigators": ["zhang"], "cause": "x"}, "too_few_officers"),
    "uncertified investigator": (until(SMALL_FINE, "register"), "2020-06-01T10:00", "zhao",
                                 "file", {"investigators": ["zhang", "newbie"], "cause": "x"},
                                 "officer_not_certified"),
    "fine over the range": (until(SMALL_FINE, "record"), "2020-06-05T10:00", "zhang",
                            "propose", OVER_RANGE, "amount_out_of_range"),
    "negative fine": (until(SMALL_FINE, "record"), "2020-06-05T10:00", "zhang", "propose",
                      NEGATIVE, "invalid_input"),
    "serve before decision": (until(SMALL_FINE, "record"), "2020-06-05T10:00", "li", "serve",
                              {"method": "post", "recipient": "黄志勇"}, "not_allowed_in_state"),
    "decision in the defence window": (until(SMALL_FINE, "notify"), "2020-06-09T10:00", "zhao",
                                       "decide", {"outcome": "penalty"}, "defence_window_open"),
    "decision without notice": (until(MAJOR_FINE, "propose"), "2020-06-03T09:30", "zhao",
                                "decide", {"outcome": "penalty"}, "notice_required"),
    "late hearing request": (until(MAJOR_FINE, "notify"), "2020-06-11T09:00", "zhang",
                             "request_hearing", None, "hearing_request_late"),
    "hearing without its record": (until(MAJOR_FINE, "schedule_hearing"), "2020-06-16T11:00",
                                   "chen", "hold_hearing", {"attended": True, "summary": "x"},
                                   "evidence_missing"),
    "unqualified reviewer": (until(MAJOR_FINE, "submit_review"), "2020-06-17T10:00", "qian",
                             "review", MAJOR_FINE[9][3], "reviewer_not_qualified"),
    "decision before discussion": (until(MAJOR_FINE, "extend"), "2020-06-18T11:00", "zhao",
                                   "decide", {"outcome": "penalty"},
                                   "collective_discussion_required"),
    "investigator decides": (SUN_INVESTIGATES, "2020-06-09T09:00", "sun", "decide",
                             {"outcome": "penalty"}, "conflict_of_interest"),
    "close with money owed": (until(SMALL_FINE, "publish"), "2020-06-12T09:00", "zhao", "close",
                              {"summary": "结案"}, "execution_incomplete"),
    "court before the appeal periods": (MAJOR_FINE, "2020-08-20T09:00", "zhao",
                                        "apply_enforcement", {"court": "衡山县人民法院"},
                                        "appeal_period_open"),
}


def _snapshot(cf: Casefiles, case_id: str) -> dict[str, Any]:
    """The case aggregate without its history head, the counters, and the outbox size."""
    with cf.uow() as uow:
        case = uow.cases.get(case_id)
        assert case is not None
        counters = sorted(tuple(r) for r in uow.conn.execute(select(COUNTERS)))
        outbox = uow.conn.execute(select(func.count()).select_from(OUTBOX)).scalar_one()
    return {"case": dataclasses.replace(case, history_length=0, history_head=None),
            "counters": counters, "outbox": outbox}


@pytest.mark.parametrize(("steps", "at", "by", "action", "payload", "code"),
                         REFUSALS.values(), ids=list(REFUSALS))
def test_a_refused_action_changes_nothing_but_the_history(
        db_url: str, steps: Steps, at: str, by: str, action: str,
        payload: dict[str, Any] | None, code: str) -> None:
    """The case view, records, counters and outbox stay; the history gains the refused try."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, steps)
    clock.set(parse_datetime(at))
    view, before = cf.view(case_id), _snapshot(cf, case_id)
    outcome = cf.act(by, action, case_id, payload)
    assert (outcome.result, outcome.code) == ("refused", code), outcome.message
    after_view = cf.view(case_id)
    assert after_view == view | {"history_length": view["history_length"] + 1}
    assert outcome.view == after_view
    assert _snapshot(cf, case_id) == before
    last = cf.history(case_id)[-1]
    assert (last.seq, last.actor, last.action, last.result) == (
        view["history_length"] + 1, by, action, "refused")
    assert last.codes[0] == code and last.state_before == last.state_after == view["state"]


def test_a_stale_version_is_refused_and_recorded_without_other_change(db_url: str) -> None:
    """An action against an older version is refused stale_version and only recorded."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "record"))
    view, before = cf.view(case_id), _snapshot(cf, case_id)
    outcome = cf.act("zhang", "propose", case_id, SMALL_FINE[3][3],
                     expected_version=view["version"] - 1)
    assert (outcome.result, outcome.codes) == ("refused", ["stale_version"])
    assert cf.view(case_id) == view | {"history_length": view["history_length"] + 1}
    assert _snapshot(cf, case_id) == before
    assert cf.history(case_id)[-1].codes == ["stale_version"]
    current = cf.act("zhang", "propose", case_id, SMALL_FINE[3][3],
                     expected_version=view["version"])
    assert current.ok and current.state == "proposed"


def test_text_with_a_nul_character_is_refused_as_invalid_input(db_url: str) -> None:
    """A NUL character (which PostgreSQL text cannot hold) is invalid input, refused and
    recorded like any other, on either database."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "register"))
    view = cf.view(case_id)
    declined = cf.act("zhao", "decline", case_id, {"reason": "不属于本局管辖\x00"})
    assert (declined.result, declined.codes) == ("refused", ["invalid_input"])
    assert "reason" in declined.message
    assert cf.view(case_id) == view | {"history_length": view["history_length"] + 1}
    registered = cf.act("zhang", "register", None, SMALL_FINE[0][3] | {"summary": "未培训\x00"})
    assert (registered.result, registered.codes) == ("refused", ["invalid_input"])
