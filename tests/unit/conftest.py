"""Fixtures of the unit suite: the bureau's staff, and a casefiles service on a fresh SQLite file
driven by a simulated clock, with builders that bring a case to a given step on given days."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.timefmt import parse_datetime
from casefiles.services.app import Casefiles, Outcome
from casefiles.settings import PROJECT_ROOT, Settings

POLICIES = PROJECT_ROOT / "policies"
# 2020 dates, before any rule set is in force: these worlds are drills of hengshan-2021 (SPEC §5)
DRILL = "hengshan-2021"

STAFF = (
    Person("zhang", "张伟", ["officer"], certificate="湘0401001"),
    Person("li", "李娜", ["officer"], certificate="湘0401002"),
    Person("qian", "钱坤", ["officer"], certificate="湘0401005"),
    Person("newbie", "钱多", ["officer"]),
    # An officer who is also reviewer, host and head: independence is judged per case.
    Person("hu", "胡军", ["officer", "reviewer", "host", "head"], certificate="湘0401006",
           legal_qualification=True),
    Person("wang", "王芳", ["reviewer"], legal_qualification=True),
    Person("liu", "刘洋", ["reviewer"]),
    Person("zhao", "赵强", ["head"]),
    Person("chen", "陈刚", ["host"]),
    Person("xu", "徐静", ["host"]),
)

ORGANISATION = {"kind": "organisation", "name": "湖南省嘉禾机械制造有限公司",
                "credit_code": "91430423MA4QTRADXH", "address": "衡山县开云镇工业园区",
                "legal_rep": "黄志勇"}
INDIVIDUAL = {"kind": "individual", "name": "孙某", "id_number": "430423198001011231",
              "address": "衡山县城关镇"}

PASSING_CHECKLIST = {k: True for k in (
    "body_lawful", "officers_qualified", "procedure_lawful", "facts_and_evidence",
    "law_and_discretion", "within_powers", "documents_complete", "rights_protected",
    "no_transfer_needed")}

SMALL_FINE = {"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "新员工未经培训上岗"}],
              "penalties": [{"type": "fine", "amount": 8000}]}
LARGE_FINE = {"violations": [{"code": "WSL-99-1-late", "tier": "一般",
                              "facts": "危险区域未设警示标志，逾期未改正"}],
              "penalties": [{"type": "fine", "amount": 60000}]}


def moment(when: str | date | datetime) -> datetime:
    """A date-time as the contract writes it: a date alone is 09:00 that day, Shanghai time."""
    return parse_datetime(when)


class Desk:
    """The service as an office uses it: act as someone at a time, and build cases to a step."""

    def __init__(self, app: Casefiles, clock: SimulatedClock) -> None:
        self.app = app
        self.clock = clock
        self.violation_date = "2020-04-20"  # what the builders register, unless told

    # --- acting -----------------------------------------------------------------------------

    def act(self, by: str, action: str, case: str | None = None, payload: Any = None,
            at: str | date | datetime | None = None) -> Outcome:
        """Take an action, first moving the clock to ``at`` when given."""
        if at is not None:
            self.clock.set(moment(at))
        return self.app.act(by, action, case, payload)

    def ok(self, by: str, action: str, case: str | None = None, payload: Any = None,
           at: str | date | datetime | None = None) -> Outcome:
        """Take an action that must be accepted (fails the test with the refusal otherwise)."""
        outcome = self.act(by, action, case, payload, at)
        assert outcome.ok, f"{action} refused: {outcome.codes} {outcome.message}"
        return outcome

    def view(self, case: str) -> dict[str, Any]:
        """The case view as of the clock's day."""
        return self.app.view(case)

    # --- builders ---------------------------------------------------------------------------

    def registered(self, at: str, party: dict[str, Any] | None = None, **extra: Any) -> str:
        """Register a case at ``at`` (``extra`` adds to or overrides the payload); its id."""
        payload = {"source": "inspection", "sector": "industry_trade",
                   "party": party or ORGANISATION, "summary": "检查发现违法行为",
                   "violation_date": self.violation_date, **extra}
        return self.ok("zhang", "register", None, payload, at).case_id or ""

    def filed(self, at: str, investigators: tuple[str, ...] = ("zhang", "li"),
              party: dict[str, Any] | None = None) -> str:
        """Register and file a case at ``at``."""
        case = self.registered(at, party=party)
        self.ok("zhao", "file", case, {"investigators": list(investigators), "cause": "立案调查"})
        return case

    def proposed(self, at: str, proposal: dict[str, Any] | None = None,
                 party: dict[str, Any] | None = None,
                 investigators: tuple[str, ...] = ("zhang", "li")) -> str:
        """Register, file and propose at ``at`` (a small fine unless told)."""
        case = self.filed(at, investigators=investigators, party=party)
        self.ok(investigators[0], "propose", case, proposal or SMALL_FINE)
        return case

    def notified(self, at: str, proposal: dict[str, Any] | None = None,
                 party: dict[str, Any] | None = None,
                 investigators: tuple[str, ...] = ("zhang", "li")) -> str:
        """Register, file, propose and notify at ``at``."""
        case = self.proposed(at, proposal, party=party, investigators=investigators)
        self.ok(investigators[0], "notify", case)
        return case

    def decided(self, at: str, proposal: dict[str, Any] | None = None) -> str:
        """A small-fine case notified, waived and decided at ``at``."""
        case = self.notified(at, proposal)
        self.ok("zhang", "defend", case, {"waive": True})
        self.ok("zhao", "decide", case, {"outcome": "penalty"})
        return case

    def served(self, at: str, proposal: dict[str, Any] | None = None) -> str:
        """A small-fine case decided and served at ``at``."""
        case = self.decided(at, proposal)
        self.ok("zhang", "serve", case, {"method": "in_person", "recipient": "黄志勇"})
        return case


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the staff, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "casefiles.db"
    app = Casefiles(Settings(), SimulatedClock(moment("2010-01-01")), f"sqlite:///{path}",
                   drill=DRILL)
    app.init()
    for person in STAFF:
        app.put_person(person)
    app.engine.dispose()
    return path


@pytest.fixture
def make_desk(template_db: Path, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    """A factory of desks: ``make_desk("2020-06-01")`` starts the clock there."""
    made: list[Casefiles] = []

    def make(start: str, policies_dir: Path = POLICIES, drill: str | None = DRILL) -> Desk:
        """``drill=None``: cases of today, judged by the rule sets of their dates."""
        path = tmp_path / f"casefiles-{len(made)}.db"
        shutil.copyfile(template_db, path)
        clock = SimulatedClock(moment(start))
        app = Casefiles(Settings(policies_dir=policies_dir), clock, f"sqlite:///{path}",
                        drill=drill)
        made.append(app)
        return Desk(app, clock)

    yield make
    for app in made:
        app.engine.dispose()


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    """A desk whose clock starts on 2020-06-01 09:00 (a Monday)."""
    return make_desk("2020-06-01")
