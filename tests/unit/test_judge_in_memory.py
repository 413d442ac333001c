"""The domain judges actions on a context held in memory: no database, no service. Document
numbers come from the counters a unit of work would have read, handed in as ``Numbers``."""

from __future__ import annotations

from datetime import datetime

from casefiles.domain.context import Context, Periods
from casefiles.domain.engine import judge, new_case, rules_for
from casefiles.domain.model import Case, new_id
from casefiles.domain.numbering import Numbers
from casefiles.domain.policy import load_calendar, load_profile
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import SHANGHAI, local_date
from casefiles.settings import PROJECT_ROOT
from tests.support import DRILL, PEOPLE, register

POLICIES = PROJECT_ROOT / "policies"
PROFILE = load_profile(POLICIES, "hengshan")
CALENDAR = load_calendar(POLICIES)
STAFF = {p.id: p for p in PEOPLE}


def _context(case: Case | None, actor: str, when: datetime, data: object,
             last: dict[str, int]) -> tuple[Context, Numbers, bool]:
    sets, uncovered = rules_for(PROFILE, case, data, local_date(when), DRILL)
    assert not uncovered
    numbers = Numbers(PROFILE.agency.number_prefix, PROFILE.document_kinds, when.year, last)
    ctx = Context(now=when, actor=STAFF[actor], people=STAFF, profile=PROFILE,
                  rules=sets.procedure, law=sets.law, periods=Periods(CALENDAR),
                  numbers=numbers)
    return ctx, numbers, sets.drill


def test_a_case_is_registered_and_filed_in_memory_with_the_next_number() -> None:
    """Registration makes the case; filing it numbers the 立案 document after the last number
    the counters held (here 6), and the numbers taken are what a unit of work would write."""
    when = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)
    ctx, _, drill = _context(None, "zhang", when, register(), {})
    registered = judge(None, "register", register(), ctx)
    assert registered.accepted, registered.refusals
    case = new_case(new_id(), PROFILE.profile, registered.payload, ctx,  # type: ignore[arg-type]
                    drill=drill)
    assert case.state is CaseState.REGISTERED

    filing = {"investigators": ["zhang", "li"], "cause": "未培训"}
    ctx, numbers, _ = _context(case, "zhao", when, filing, {"立": 6})
    filed = judge(case, "file", filing, ctx)
    assert filed.accepted, filed.refusals
    assert case.state is CaseState.INVESTIGATING
    assert case.number == "衡山应急立〔2020〕7号"
    assert numbers.taken == {"立": 7}


def test_a_refused_action_changes_nothing_and_takes_no_number() -> None:
    """Filing by an officer (only the head files) is refused: the case stays registered and
    no document number is taken."""
    when = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)
    ctx, _, drill = _context(None, "zhang", when, register(), {})
    case = new_case(new_id(), PROFILE.profile, judge(None, "register", register(), ctx).payload,
                    ctx, drill=drill)  # type: ignore[arg-type]
    filing = {"investigators": ["zhang", "li"], "cause": "未培训"}
    ctx, numbers, _ = _context(case, "zhang", when, filing, {})
    refused = judge(case, "file", filing, ctx)
    assert not refused.accepted and refused.refusals[0].code == "forbidden_role"
    assert case.state is CaseState.REGISTERED and case.number is None
    assert numbers.taken == {}
