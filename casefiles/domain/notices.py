"""What the bureau must be told about its own rule data (SPEC §5): figures awaiting the legal
staff's confirmation, and a next year whose holidays are not known yet. Start-up, `casefiles
policy check`, `calendar check`, `deadlines`, the sweep and the head's pages say these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casefiles.domain.policy import Profile, Unconfirmed
from casefiles.domain.workdays import WorkCalendar, package_years

# from this month on, a missing next year is announced (the State Council publishes each
# year's holidays in November or December of the year before)
ANNOUNCE_FROM_MONTH = 11


@dataclass(frozen=True)
class Notice:
    """One thing to say: a short Chinese title, the Chinese text, English and codes in the
    detail line."""

    title: str
    zh: str
    en: str

    def text(self) -> str:
        """Both languages, Chinese first."""
        return f"{self.zh} / {self.en}"


def missing_next_year(calendar: WorkCalendar, today: date) -> int | None:
    """Next year, when it is November or December and its holidays are known to neither the
    calendar package nor policies/calendars/."""
    upcoming = today.year + 1
    if today.month >= ANNOUNCE_FROM_MONTH and not calendar.knows(upcoming):
        return upcoming
    return None


def calendar_notices(calendar: WorkCalendar, today: date) -> list[Notice]:
    """The notice of a missing next year, if any."""
    year = missing_next_year(calendar, today)
    if year is None:
        return []
    return [Notice(
        f"尚未录入{year}年节假日安排",
        f"尚未录入{year}年节假日安排：{year}年的期限暂只扣除周末计算，并提示节假日未确认。"
        f"国务院办公厅公布{year}年节假日安排后，请在 policies/calendars/{year}.yaml 中录入",
        f"the holidays of {year} are not known yet: deadlines in {year} count weekends only and "
        f"warn calendar_unconfirmed; add policies/calendars/{year}.yaml once the State "
        "Council publishes them")]


def unconfirmed_notices(profile: Profile) -> list[Notice]:
    """One notice naming every figure that awaits the bureau's confirmation."""
    items: list[Unconfirmed] = profile.unconfirmed()
    if not items:
        return []
    names = "；".join(u.line() for u in items)
    return [Notice(f"有{len(items)}项数额、期限尚待本机关法制机构确认",
                   f"下列数额、期限尚待本机关法制机构确认，据此作出的行为均予提示：{names}",
                   f"{len(items)} figures await the bureau's confirmation (confirmed: false); "
                   "actions judged by them warn rule_unconfirmed; `casefiles policy check` "
                   "lists them")]


def start_up_notices(profile: Profile, calendar: WorkCalendar, today: date) -> list[Notice]:
    """Everything start-up says."""
    return unconfirmed_notices(profile) + calendar_notices(calendar, today)


def known_years(calendar: WorkCalendar) -> list[tuple[int, str]]:
    """Every year whose holidays are known, with where they come from."""
    years = {y: "chinesecalendar 软件包 / package" for y in package_years()}
    years.update({y: c.source for y, c in calendar.extra_years.items()})
    return sorted(years.items())
