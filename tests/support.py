"""What the tests share: the bureau's people, an application on a simulated clock, the steps of
two typical cases (SCENARIOS.md payloads), and the unit suite's :class:`Desk` with its office
and payloads (its fixtures are in tests/unit/conftest.py)."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.domain.policy import load_profile
from casefiles.domain.timefmt import SHANGHAI, parse_datetime
from casefiles.services.app import Casefiles, Outcome
from casefiles.settings import PROJECT_ROOT, Settings

POLICIES = PROJECT_ROOT / "policies"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CASEFILES = str(Path(sys.executable).parent / "casefiles")
START = datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI)
# The shared worlds play paper-era dates (2020), before any rule set is in force: they run as
# drills of hengshan-2021 (SPEC §5), as the shared scenarios do. Tests of the law by date play
# cases of today without it.
DRILL = "hengshan-2021"

PEOPLE = [
    Person(id="zhang", name="张伟", roles=["officer"], certificate="湘0401001"),
    Person(id="li", name="李娜", roles=["officer"], certificate="湘0401002"),
    Person(id="newbie", name="钱多", roles=["officer"]),
    Person(id="wang", name="王芳", roles=["reviewer"], legal_qualification=True),
    Person(id="qian", name="钱学", roles=["reviewer"]),
    Person(id="zhao", name="赵强", roles=["head"]),
    Person(id="sun", name="孙丽", roles=["head", "officer"], certificate="湘0401009"),
    Person(id="chen", name="陈刚", roles=["host"]),
]

ORGANISATION = {"kind": "organisation", "name": "湖南省嘉禾机械制造有限公司",
                "credit_code": "91430423MA4QTRADXH", "address": "衡山县开云镇工业园区",
                "legal_rep": "黄志勇"}
MINE = {"kind": "organisation", "name": "衡山县东岭石料有限公司",
        "credit_code": "91430423MA4L0M1N86", "address": "衡山县东湖镇东岭村", "legal_rep": "刘建国"}
SHA_A = "3f1c8a1e2b7d4c6f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5"
SHA_B = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
CHECKLIST_YES = dict.fromkeys(
    ("body_lawful", "officers_qualified", "procedure_lawful", "facts_and_evidence",
     "law_and_discretion", "within_powers", "documents_complete", "rights_protected",
     "no_transfer_needed"), True)


def register(party: dict[str, Any] = ORGANISATION, violation_date: str = "2020-05-20",
             sector: str = "industry_trade") -> dict[str, Any]:
    """A registration payload."""
    return {"source": "complaint", "sector": sector, "party": party,
            "summary": "新入职员工未经安全培训即上岗", "violation_date": violation_date}


def recent_violation(now: datetime) -> str:
    """A violation date for a case registered on the wall clock (the CLI's clock): ten days
    ago, or the last day the newest rule set covers if that is earlier."""
    settings = Settings()
    day = now.date() - timedelta(days=10)
    profile = load_profile(settings.policies_dir, settings.profile)
    until_day = profile.rule_sets[-1].applies.until
    return min(day, until_day or day).isoformat()


# (at, by, action, payload): a small fine that the party pays on time (no hearing, no review).
SMALL_FINE: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("2020-06-01T09:30", "zhang", "register", register()),
    ("2020-06-01T15:00", "zhao", "file", {"investigators": ["zhang", "li"], "cause": "未培训"}),
    ("2020-06-03T10:00", "zhang", "record", {"kind": "inspection", "title": "现场检查记录",
                                             "officers": ["zhang", "li"], "sha256": SHA_A}),
    ("2020-06-08T09:00", "zhang", "propose", {
        "violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "3名新员工未经培训上岗"}],
        "penalties": [{"type": "fine", "amount": "8000.50"}]}),
    ("2020-06-08T10:00", "zhang", "notify", None),
    ("2020-06-08T11:00", "zhang", "defend", {"waive": True}),
    ("2020-06-09T09:00", "zhao", "decide", {"outcome": "penalty"}),
    ("2020-06-10T10:00", "li", "serve", {"method": "in_person", "recipient": "黄志勇"}),
    ("2020-06-11T10:00", "zhao", "publish", None),
    ("2020-06-15T10:00", "zhang", "pay", {"amount": "8000.50"}),
    ("2020-06-16T09:00", "zhao", "close", {"summary": "罚款已缴清"}),
    ("2020-06-16T10:00", "zhang", "archive", None),
]

# A large fine with a hearing, legal review and collective discussion (shared scenario 01).
MAJOR_FINE: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("2020-06-01T09:30", "zhang", "register", register(MINE, "2020-05-20", "non_coal_mine")),
    ("2020-06-01T15:00", "zhao", "file", {"investigators": ["zhang", "li"], "cause": "逾期未改正"}),
    ("2020-06-02T10:00", "li", "record", {"kind": "inquiry", "title": "询问笔录",
                                          "officers": ["li", "zhang"], "sha256": SHA_A}),
    ("2020-06-03T09:00", "zhang", "propose", {
        "violations": [{"code": "WSL-99-1-late", "tier": "一般", "facts": "逾期未设置警示标志"}],
        "penalties": [{"type": "fine", "amount": 60000}]}),
    ("2020-06-03T10:00", "zhang", "notify", None),
    ("2020-06-04T09:00", "zhang", "request_hearing", None),
    ("2020-06-04T11:00", "zhao", "schedule_hearing", {
        "host": "chen", "at": "2020-06-16T09:00", "place": "听证室", "notified_on": "2020-06-04"}),
    ("2020-06-16T11:30", "chen", "hold_hearing", {"attended": True, "summary": "无异议",
                                                  "record_sha256": SHA_B}),
    ("2020-06-17T09:00", "zhang", "submit_review", None),
    ("2020-06-18T09:00", "wang", "review", {"verdict": "pass", "checklist": CHECKLIST_YES,
                                            "opinion": "同意"}),
    ("2020-06-18T10:00", "zhao", "extend", {"days": 30, "reason": "案情复杂"}),
    ("2020-06-19T09:00", "zhao", "discuss", {"attendees": ["赵强", "孙丽", "周明"],
                                             "conclusion": "同意罚款陆万元"}),
    ("2020-06-19T10:00", "zhao", "decide", {"outcome": "penalty"}),
    ("2020-06-22T10:00", "zhang", "serve", {"method": "in_person", "recipient": "刘建国"}),
    ("2020-06-23T09:00", "zhao", "instalments", {"schedule": [
        {"due": "2020-07-10", "amount": 30000}, {"due": "2020-08-10", "amount": 30000}]}),
    ("2020-07-10T10:00", "zhang", "pay", {"amount": 30000}),
]


def open_bureau(url: str, start: datetime = START, data_dir: Path | None = None,
                drill: str | None = DRILL) -> tuple[Casefiles, SimulatedClock]:
    """An initialised application on ``url`` with :data:`PEOPLE`, its clock at ``start``
    (files, documents included, under ``data_dir`` when given); a drill world of
    :data:`DRILL` unless ``drill`` is None (cases of today)."""
    clock = SimulatedClock(start)
    # a training installation of drills: its lists show them (SPEC §5)
    settings = Settings(show_drills=True) if data_dir is None else \
        Settings(data_dir=data_dir, show_drills=True)
    cf = Casefiles(settings, clock, url, drill=drill)
    cf.init()
    for person in PEOPLE:
        cf.put_person(person)
    return cf, clock


def act(cf: Casefiles, clock: SimulatedClock, at: str, by: str, action: str,
        case: str | None, payload: dict[str, Any] | None = None) -> Outcome:
    """Move the clock to ``at`` and take the action (whatever comes of it)."""
    clock.set(parse_datetime(at))
    return cf.act(by, action, case, payload)


def play(cf: Casefiles, clock: SimulatedClock,
         steps: list[tuple[str, str, str, dict[str, Any] | None]],
         case: str | None = None) -> str:
    """Play ``steps`` on one case (registering it when the first step registers); every step
    must be accepted. Returns the case id."""
    for at, by, action, payload in steps:
        outcome = act(cf, clock, at, by, action, case, payload)
        assert outcome.ok, (action, outcome.codes, outcome.message)
        case = outcome.case_id
    assert case is not None
    return case


def in_2026(steps: list[tuple[str, str, str, dict[str, Any] | None]]
            ) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """The same steps six years on, as a case of today: March to December 2020 fall on the same
    weekdays as in 2026 (the steps must avoid the two years' different holidays)."""
    def moved(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("2020-"):
            return "2026-" + value[5:]
        if isinstance(value, dict):
            return {k: moved(v) for k, v in value.items()}
        if isinstance(value, list):
            return [moved(v) for v in value]
        return value
    return [(moved(at), by, action, moved(payload)) for at, by, action, payload in steps]


def until(steps: list[tuple[str, str, str, dict[str, Any] | None]],
          action: str) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    """The steps up to and including the first ``action``."""
    names = [s[2] for s in steps]
    return steps[: names.index(action) + 1]


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a `casefiles` subprocess: no inherited database settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFILES_")}
    env.update(COLUMNS="400", **extra)
    return env


# The unit suite's office (tests/unit/conftest.py's desks), beside :data:`PEOPLE` of the
# integration worlds.
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

INDIVIDUAL = {"kind": "individual", "name": "孙某", "id_number": "430423198001011231",
              "address": "衡山县城关镇"}

# proposals the desk's builders use: a small fine, and a large one (hearing, review, discussion)
SMALL_PROPOSAL = {"violations": [{"code": "WSL-97-4", "tier": "一般",
                                  "facts": "新员工未经培训上岗"}],
                  "penalties": [{"type": "fine", "amount": 8000}]}
LARGE_PROPOSAL = {"violations": [{"code": "WSL-99-1-late", "tier": "一般",
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
        self.ok(investigators[0], "propose", case, proposal or SMALL_PROPOSAL)
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
