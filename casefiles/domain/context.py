"""What a rule may know besides the case: the clock's time, the people, the policy, the
calendar, and a way to number documents. Built by the service layer for one action."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from casefiles.domain.model import Person
from casefiles.domain.policy import Profile, RuleSet
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


@dataclass
class Context:
    """Everything an action is judged against, apart from the case itself."""

    now: datetime
    actor: Person
    people: Mapping[str, Person]
    profile: Profile
    rules: RuleSet
    periods: Periods
    number: Callable[[str, int], str] = field(repr=False)

    @property
    def today(self) -> date:
        """The clock's day in Asia/Shanghai."""
        return local_date(self.now)

    def person(self, person_id: str) -> Person:
        """A person named in the payload (already known to exist)."""
        return self.people[person_id]
