"""What a rule may know besides the case: the clock's time, the people, the policy, the
calendar, and a way to number documents. Built by the service layer for one action.

Two rule sets judge an action (SPEC §5, APL art. 37): ``law``, the one in force when the
violation was committed (catalogue, ranges, tiers, limitation), and ``rules``, the one in force
on the day of the act (procedure, deadlines, and what documents cite). In a drill both are the
drill's rule set."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from casefiles.domain.model import Person
from casefiles.domain.numbering import Numbers
from casefiles.domain.policy import Profile, Provision, RuleSet
from casefiles.domain.timefmt import local_date
from casefiles.domain.workdays import Due, WorkCalendar


@dataclass
class Periods:
    """The working-day clock for one action; remembers whether it counted an unknown year."""

    calendar: WorkCalendar
    unconfirmed: bool = False

    def _seen(self, due: Due) -> date:
        self.unconfirmed = self.unconfirmed or due.unconfirmed
        return due.date

    def working_days(self, event: date, days: int) -> date:
        """Last day of a period of ``days`` working days after ``event``."""
        return self._seen(self.calendar.add_working_days(event, days))

    def calendar_days(self, event: date, days: int) -> date:
        """Last day of a period of ``days`` calendar days after ``event``."""
        return self._seen(self.calendar.add_calendar_days(event, days))

    def months(self, event: date, months: int) -> date:
        """Last day of a period of ``months`` months after ``event``."""
        return self._seen(self.calendar.add_months(event, months))


class Tracked:
    """A rule set that remembers the unconfirmed figures read from it while judging one action
    (an action judged by one warns ``rule_unconfirmed``, SPEC §5)."""

    def __init__(self, rules: RuleSet) -> None:
        self._rules = rules
        self.used: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._rules, name)
        if getattr(value, "confirmed", True) is False:
            self.used.add(name)
        return value


def _no_earlier_cases(code: str, years: int | None) -> int:
    return 0


@dataclass
class Context:
    """Everything an action is judged against, apart from the case itself."""

    now: datetime
    actor: Person
    people: Mapping[str, Person]
    profile: Profile
    rules: RuleSet
    periods: Periods
    # the document numbers this action may take, read for it by the unit of work
    numbers: Numbers | None = field(default=None, repr=False)
    law: RuleSet | None = None
    # how many other cases the bureau holds against the same 统一社会信用代码 or 身份证号 within
    # the given look-back years (the first-violation list asks, SPEC §5)
    earlier_cases: Callable[[str, int | None], int] = field(default=_no_earlier_cases,
                                                            repr=False)
    # the inspection the case was registered from (an ``inspections.Inspection``), if any
    inspection: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.rules, Tracked):
            self.rules = Tracked(self.rules)  # type: ignore[assignment]
        if self.law is None:
            self.law = self.rules._rules  # type: ignore[attr-defined]

    @property
    def today(self) -> date:
        """The clock's day in Asia/Shanghai."""
        return local_date(self.now)

    @property
    def substance(self) -> RuleSet:
        """The rule set of the violation's date (APL art. 37)."""
        assert self.law is not None
        return self.law

    @property
    def unconfirmed_used(self) -> set[str]:
        """Names of the unconfirmed figures the action was judged by so far."""
        return set(self.rules.used)  # type: ignore[attr-defined]

    def note_unconfirmed(self, name: str) -> None:
        """Record that an unconfirmed figure outside the rule set's top level was used."""
        self.rules.used.add(name)  # type: ignore[attr-defined]

    def provision(self, code: str) -> tuple[Provision | None, bool]:
        """The provision that applies to ``code``: the violation date's, or the act date's when
        that one punishes it more lightly (a lower maximum, APL art. 37); and whether the
        lighter, later one was taken."""
        then = self.substance.provision(code)
        if then is None:
            return None, False
        now = self.rules.provision(code)
        if now is not None and now.maximum < then.maximum:
            return now, True
        return then, False

    def number(self, kind: str, year: int) -> str:
        """The next document number of ``kind`` in ``year`` (from :attr:`numbers`)."""
        if self.numbers is None:
            raise RuntimeError("no document numbers were read for this action")
        return self.numbers.next(kind, year)

    def person(self, person_id: str) -> Person:
        """A person named in the payload (already known to exist)."""
        return self.people[person_id]
