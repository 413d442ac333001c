"""Each person's reminder of deadlines: how many of the deadlines they answer for are past due
and due soon. The pages count them live (the badge); the daily sweep writes one reminder per
person and day, which greets them when they sign in."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select

from casefiles.adapters.tables import PersonReminderRow, table_of
from casefiles.domain.model import Person, new_id
from casefiles.services.app import Casefiles
from casefiles.services.lists import due_statuses

REMINDERS = table_of(PersonReminderRow)


def whose_deadlines(person: Person) -> str | None:
    """Whose cases' deadlines a person is reminded of: their own (an officer), every case
    (None: the head and supervisors), or nobody's ("")."""
    if person.has_role("officer"):
        return person.id
    if person.has_role("head") or person.has_role("supervisor"):
        return None
    return ""


def due_counts(cf: Casefiles, person: Person) -> dict[str, int]:
    """How many of the person's deadlines are past due and due soon, now."""
    whose = whose_deadlines(person)
    if whose == "":
        return {"overdue": 0, "due_soon": 0}
    statuses = due_statuses(cf, whose)
    return {k: statuses.count(k) for k in ("overdue", "due_soon")}


def write_reminders(cf: Casefiles, day: date) -> int:
    """The sweep's reminders of ``day``: one for each active person with deadlines past due or
    due soon, written once a day (a second sweep that day writes none). How many written."""
    with cf.uow() as uow:
        done: set[str] = set(uow.conn.execute(select(REMINDERS.c.person_id)
                                    .where(REMINDERS.c.day == day)).scalars())
    rows: list[dict[str, Any]] = []
    for person in cf.people():
        if not person.active or person.id in done:
            continue
        counts = due_counts(cf, person)
        if counts["overdue"] or counts["due_soon"]:
            rows.append({"id": new_id(), "person_id": person.id, "day": day,
                         "written_at": cf.clock.now(), **counts})
    if rows:
        with cf.uow(write=True) as uow:
            uow.conn.execute(insert(REMINDERS), rows)
            uow.commit()
    return len(rows)


def reminder_of(cf: Casefiles, person_id: str, day: date) -> dict[str, Any] | None:
    """The sweep's reminder to the person for ``day``, if it wrote one."""
    with cf.uow() as uow:
        row = uow.conn.execute(select(REMINDERS).where(
            REMINDERS.c.person_id == person_id, REMINDERS.c.day == day)).mappings().first()
    return None if row is None else dict(row)
