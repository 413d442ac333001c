"""People and their sessions, document counters, history and the outbox, on the unit of work's
connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casefiles.adapters import tables as T
from casefiles.domain.history import Entry
from casefiles.domain.model import Person

PEOPLE: Table = T.table_of(T.PersonRow)
COUNTERS: Table = T.table_of(T.CounterRow)
HISTORY: Table = T.table_of(T.HistoryRow)
OUTBOX: Table = T.table_of(T.OutboxRow)
_PERSON = ["id", "name", "roles", "certificate", "legal_qualification", "active"]
_ENTRY = [f for f in Entry.__dataclass_fields__]
_HEAD = (select(HISTORY.c.seq, HISTORY.c.hash).where(HISTORY.c.chain == bindparam("chain"))
         .order_by(HISTORY.c.seq.desc()).limit(1))


class PeopleStore:
    """The people who act in casefiles."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get_many(self, ids: Iterable[str]) -> dict[str, Person]:
        """The known people among ``ids``."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return self.from_rows(self.conn.execute(select(*(PEOPLE.c[f] for f in _PERSON))
                                                .where(PEOPLE.c.id.in_(wanted))))

    # everyone, for an action: a county bureau's staff are few, and one constant statement
    # sent with the action's other reads costs less than finding who the case names
    EVERYONE: Select[Any] = select(*(PEOPLE.c[f] for f in _PERSON))

    @staticmethod
    def from_rows(rows: Iterable[tuple[Any, ...]]) -> dict[str, Person]:
        """People from rows of :attr:`EVERYONE`."""
        return {row[0]: Person(*row) for row in rows}

    def with_password(self, person_id: str) -> tuple[Person, str] | None:
        """An active person who has a password, with its stored hash (for signing in)."""
        found = self.conn.execute(select(*(PEOPLE.c[f] for f in _PERSON), PEOPLE.c.password_hash)
                                  .where(PEOPLE.c.id == person_id)).first()
        if found is None:
            return None
        person, password_hash = Person(*found[:-1]), found[-1]
        return (person, str(password_hash)) if person.active and password_hash else None

    def all(self) -> list[Person]:
        """Everyone, by id."""
        rows = self.conn.execute(select(PEOPLE).order_by(PEOPLE.c.id)).mappings()
        return [Person(**{f: r[f] for f in _PERSON}) for r in rows]

    def put(self, person: Person, at: datetime, password_hash: str | None = None) -> bool:
        """Create or update a person; True when created."""
        values: dict[str, Any] = {f: getattr(person, f) for f in _PERSON}
        values["updated_at"] = at
        if password_hash is not None:
            values["password_hash"] = password_hash
        exists = self.conn.execute(select(PEOPLE.c.id).where(PEOPLE.c.id == person.id)).first()
        if exists:
            self.conn.execute(update(PEOPLE).where(PEOPLE.c.id == person.id).values(**values))
            return False
        self.conn.execute(insert(PEOPLE).values(**values))
        return True


SESSIONS: Table = T.table_of(T.SessionRow)


class SessionStore:
    """Sessions and API tokens, by the SHA-256 of their secret."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, key: str, person_id: str, kind: str, at: datetime, until: datetime) -> None:
        """Keep a new session (and forget those that expired)."""
        self.conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at <= at))
        self.conn.execute(insert(SESSIONS).values(id=key, person_id=person_id, kind=kind,
                                                  created_at=at, expires_at=until))

    def person_of(self, key: str, now: datetime) -> str | None:
        """Whose session this is, while it lasts."""
        row = self.conn.execute(select(SESSIONS.c.person_id).where(
            SESSIONS.c.id == key, SESSIONS.c.expires_at > now)).first()
        return None if row is None else str(row[0])

    def end(self, key: str) -> None:
        """End one session."""
        self.conn.execute(delete(SESSIONS).where(SESSIONS.c.id == key))

    def end_all(self, person_id: str) -> None:
        """End every session and token of a person."""
        self.conn.execute(delete(SESSIONS).where(SESSIONS.c.person_id == person_id))


def _upsert(conn: Connection) -> Any:
    """The dialect's INSERT with ON CONFLICT (PostgreSQL and SQLite spell it alike)."""
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


def _move_on(insert_: Any) -> Any:
    stmt = insert_(COUNTERS)
    return stmt.on_conflict_do_update(index_elements=["kind", "year"],
                                      set_={"last": stmt.excluded.last})


# by "is PostgreSQL": the counter upsert, built once
_MOVE_ON = {True: _move_on(pg_insert), False: _move_on(sqlite_insert)}


class Counters:
    """Document numbers per word (立, 罚, …) and year, without gaps or duplicates: an action
    reads the year's last numbers under their row locks before it is judged (SQLite: under
    the write lock), and writes back those it took."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def ensure(self, words: Iterable[str], year: int) -> None:
        """Make the year's counter of every word, at 0, where it is missing (so that there is
        a row to lock before the first number)."""
        rows = [{"kind": w, "year": year, "last": 0} for w in sorted(set(words))]
        self.conn.execute(_upsert(self.conn)(COUNTERS).on_conflict_do_nothing(), rows)

    # the year's last numbers by word (parameter ``year``), locked in order
    OF_YEAR: Select[Any] = (select(COUNTERS.c.kind, COUNTERS.c.last)
                            .where(COUNTERS.c.year == bindparam("year"))
                            .order_by(COUNTERS.c.kind).with_for_update())

    def write(self, year: int, taken: dict[str, int]) -> None:
        """Move the year's counters on to the last numbers an action took (making a
        counter that :meth:`ensure` did not)."""
        if not taken:
            return
        rows = [{"kind": w, "year": year, "last": n} for w, n in sorted(taken.items())]
        self.conn.execute(_MOVE_ON[self.conn.dialect.name == "postgresql"], rows)


class HistoryStore:
    """Append-only history entries. There is no update and no delete here, by design."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def head(self, chain: str, lock: bool = False) -> tuple[int, str | None]:
        """(seq, hash) of the last entry of ``chain``; (0, None) when empty. ``lock`` holds
        the chain for the caller's transaction (a chain with no row of its own to lock, like
        the bureau's: on PostgreSQL a transaction-scoped advisory lock; SQLite writers hold
        the database's write lock already)."""
        if lock and self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:chain))"),
                              {"chain": chain})
        row = self.conn.execute(_HEAD, {"chain": chain}).first()
        return (0, None) if row is None else (int(row[0]), row[1])

    def append(self, entry: Entry) -> None:
        """Insert one entry."""
        # inline: the new key is not read back, which a pipeline (UnitOfWork.writing) cannot
        self.conn.execute(insert(HISTORY).inline(), {f: getattr(entry, f) for f in _ENTRY})

    def chain(self, chain: str) -> list[Entry]:
        """Every entry of one chain in order."""
        rows = self.conn.execute(select(HISTORY).where(HISTORY.c.chain == chain)
                                 .order_by(HISTORY.c.seq)).mappings()
        return [Entry(**{f: r[f] for f in _ENTRY}) for r in rows]

    def chains(self) -> list[str]:
        """Every chain name."""
        return [r[0] for r in self.conn.execute(select(HISTORY.c.chain).distinct()
                                                .order_by(HISTORY.c.chain))]


class Outbox:
    """Work for the flows, written with the action that causes it.

    Runs share it by leases: :meth:`lease` gives a run a bounded batch of items no other run
    holds (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's writers hold the database's write
    lock, ``BEGIN IMMEDIATE``) until its lease passes, when another run may take them back.
    :meth:`claim` marks an item done in the transaction of its work, so even a run that
    outlived its lease never does an item twice. A failed item waits out a growing backoff,
    and after ``max_attempts`` failures is parked until someone retries it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, case_id: str | None, kind: str, payload: dict[str, Any], at: datetime) -> None:
        """Queue one item."""
        self.conn.execute(insert(OUTBOX).inline(),  # see HistoryStore.append
                          {"case_id": case_id, "kind": kind, "payload": payload,
                           "created_at": at, "attempts": 0})

    def pending(self, limit: int, kinds: Iterable[str] | None = None,
                case_id: str | None = None) -> list[dict[str, Any]]:
        """The oldest items not done yet (of ``kinds`` and of one case only, when given)."""
        query = select(OUTBOX).where(OUTBOX.c.done_at.is_(None))
        if kinds is not None:
            query = query.where(OUTBOX.c.kind.in_(list(kinds)))
        if case_id is not None:
            query = query.where(OUTBOX.c.case_id == case_id)
        rows = self.conn.execute(query.order_by(OUTBOX.c.id).limit(limit)).mappings()
        return [dict(r) for r in rows]

    @staticmethod
    def _due(now: datetime, kinds: Iterable[str] | None, case_id: str | None) -> Select[Any]:
        query = select(OUTBOX.c.id).where(
            OUTBOX.c.done_at.is_(None), OUTBOX.c.parked_at.is_(None),
            or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until <= now),
            or_(OUTBOX.c.next_attempt_at.is_(None), OUTBOX.c.next_attempt_at <= now))
        if kinds is not None:
            query = query.where(OUTBOX.c.kind.in_(list(kinds)))
        if case_id is not None:
            query = query.where(OUTBOX.c.case_id == case_id)
        return query

    def any_due(self, now: datetime, kinds: Iterable[str] | None = None) -> bool:
        """Whether some item waits for a run (one indexed probe: an empty run stops here)."""
        return self.conn.execute(self._due(now, kinds, None).limit(1)).first() is not None

    def lease(self, owner: str, now: datetime, until: datetime, limit: int,
              kinds: Iterable[str] | None = None,
              case_id: str | None = None) -> list[dict[str, Any]]:
        """Take up to ``limit`` of the oldest due items for ``owner`` until ``until``: items no
        other lease holds, not done, not parked, not waiting out a backoff. Call it in a writing
        unit of work and commit at once, so that other runs see the lease."""
        ids = [r[0] for r in self.conn.execute(
            self._due(now, kinds, case_id).order_by(OUTBOX.c.id).limit(limit)
            .with_for_update(skip_locked=True))]
        if not ids:
            return []
        self.conn.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids))
                          .values(lease_until=until, leased_by=owner))
        rows = self.conn.execute(select(OUTBOX).where(OUTBOX.c.id.in_(ids))
                                 .order_by(OUTBOX.c.id)).mappings()
        return [dict(r) for r in rows]

    def release(self, item_ids: Iterable[int], owner: str) -> None:
        """Give back leased items this run will not do after all."""
        self.conn.execute(update(OUTBOX).where(OUTBOX.c.id.in_(list(item_ids)),
                                               OUTBOX.c.leased_by == owner,
                                               OUTBOX.c.done_at.is_(None))
                          .values(lease_until=None, leased_by=None))

    def claim(self, item_id: int, at: datetime) -> bool:
        """Mark an item done in the caller's transaction; False when another run did it."""
        result = self.conn.execute(update(OUTBOX).where(OUTBOX.c.id == item_id,
                                                        OUTBOX.c.done_at.is_(None))
                                   .values(done_at=at, attempts=OUTBOX.c.attempts + 1,
                                           lease_until=None, parked_at=None))
        return result.rowcount == 1

    def failed(self, item_id: int, error: str, at: datetime, backoff_seconds: int = 60,
               max_attempts: int = 5) -> bool:
        """Count a failed attempt, keep the error for the supervisor and free the item: it
        waits ``backoff_seconds`` doubled with each failure (at most a day), and after
        ``max_attempts`` failures it is parked. True when parked now."""
        row = self.conn.execute(select(OUTBOX.c.attempts).where(OUTBOX.c.id == item_id)
                                .with_for_update()).first()
        attempts = (0 if row is None else int(row[0])) + 1
        parked = attempts >= max_attempts
        wait = timedelta(seconds=min(backoff_seconds * 2 ** (attempts - 1), 86_400))
        self.conn.execute(update(OUTBOX).where(OUTBOX.c.id == item_id, OUTBOX.c.done_at.is_(None))
                          .values(attempts=attempts, last_error=error[:2000], lease_until=None,
                                  leased_by=None, next_attempt_at=at + wait,
                                  parked_at=at if parked else None))
        return parked

    def failing(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Items not done whose last attempt failed: the parked first, then those waiting to
        be retried, oldest first."""
        rows = self.conn.execute(
            select(OUTBOX).where(OUTBOX.c.done_at.is_(None), OUTBOX.c.last_error.is_not(None))
            .order_by(OUTBOX.c.parked_at.is_(None), OUTBOX.c.id).limit(limit)).mappings()
        return [dict(r) for r in rows]

    def retry(self, item_id: int) -> bool:
        """Unpark an item (a person fixed its cause): the next run takes it. False when there
        is no such item waiting."""
        result = self.conn.execute(update(OUTBOX).where(OUTBOX.c.id == item_id,
                                                        OUTBOX.c.done_at.is_(None))
                                   .values(parked_at=None, next_attempt_at=None,
                                           lease_until=None, leased_by=None))
        return result.rowcount == 1


CONTENTS: Table = T.table_of(T.DocumentContentRow)


class DocumentContents:
    """What each issued document says, kept once its document is rendered (until then the
    facts travel in the document's outbox item)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, document_id: str, case_id: str, kind: str, facts: dict[str, Any]) -> None:
        """Keep the facts of a newly issued document."""
        self.conn.execute(insert(CONTENTS), {"document_id": document_id, "case_id": case_id,
                                             "kind": kind, "facts": facts})

    def get(self, document_id: str) -> dict[str, Any] | None:
        """The facts of one document (None for an unknown id)."""
        row = self.conn.execute(select(CONTENTS.c.facts)
                                .where(CONTENTS.c.document_id == document_id)).first()
        return None if row is None else dict(row[0])
