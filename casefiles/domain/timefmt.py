"""Reading dates and date-times as the contract writes them: no offset means Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_START = time(9, 0)


def aware(value: datetime) -> datetime:
    """``value`` in Asia/Shanghai; a naive value is taken to be Shanghai time already."""
    tz = value.tzinfo
    if tz is SHANGHAI:  # what astimezone returns for its own zone: the value itself
        return value
    if tz is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def parse_datetime(value: object) -> datetime:
    """A date-time from a datetime, a date (09:00 that day) or an ISO string."""
    if isinstance(value, datetime):
        return aware(value)
    if isinstance(value, date):
        return datetime.combine(value, DAY_START, SHANGHAI)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), DAY_START, SHANGHAI)
        return aware(datetime.fromisoformat(text))
    raise ValueError("应为日期时间 / expected a date-time")


def parse_date(value: object) -> date:
    """A date from a date, a datetime (its Shanghai date) or an ISO string."""
    if isinstance(value, datetime):
        return aware(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return date.fromisoformat(text)
        return aware(datetime.fromisoformat(text)).date()
    raise ValueError("应为日期 / expected a date")


def local_date(moment: datetime) -> date:
    """The calendar day of ``moment`` in Asia/Shanghai."""
    tz = moment.tzinfo
    if tz is SHANGHAI or tz is None:  # a naive value is Shanghai time: its own wall-clock day
        return moment.date()
    return moment.astimezone(SHANGHAI).date()
