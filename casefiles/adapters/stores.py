"""People and their sessions, document counters, history and the outbox, on the unit of work's
connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from casefiles.adapters import tables as T
from casefiles.adapters.fastsql import Statements, Write
from casefiles.domain.history import Entry
from casefiles.domain.model import Person

PEOPLE: Table = T.PersonRow.__table__
COUNTERS: Table = T.CounterRow.__table__
HISTORY: Table = T.HistoryRow.__table__
OUTBOX: Table = T.OutboxRow.__table__
_PERSON = ["id", "name", "roles", "certificate", "legal_qualification", "active"]
_ENTRY = [f for f in Entry.__dataclass_fields__]
_HEAD = (select(HISTORY.c.seq, HISTORY.c.hash).where(HISTORY.c.chain == bindparam("chain"))
         .order_by(HISTORY.c.seq.desc()).limit(1))


class PeopleStore:
    """The people who act in casefiles."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sql = Statements(conn)

    def get_many(self, ids: Iterable[str]) -> dict[str, Person]:
        """The known people among ``ids``."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        return {row[0]: Person(*row) for row in self.sql.rows_in(PEOPLE, _PERSON, "id", wanted)}

    def with_password(self, person_id: str) -> tuple[Person, str] | None:
        """An active person who has a password, with its stored hash (for signing in)."""
        found = self.sql.first(PEOPLE, [*_PERSON, "password_hash"], {"id": person_id})
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


SESSIONS: Table = T.SessionRow.__table__


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


_NEXT_SQLITE = "UPDATE counters SET last = last + 1 WHERE kind = ? AND year = ? RETURNING last"


class Counters:
    """Document numbers per kind and year, without gaps or duplicates."""

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self.conn = conn
        self.sql = Statements(conn, behind)
        self.raw = self.sql.raw
        self._claimed: dict[tuple[str, int], int] = {}

    def next(self, kind: str, year: int) -> int:
        """The next number; the row lock (or SQLite's write lock) serialises issuers.

        Writing behind, the number is the last one read plus one, and the counter is moved on
        only when the unit of work commits, on condition that it still holds what was read:
        if another writer took a number in between, the commit raises
        :class:`~casefiles.adapters.fastsql.Conflict` (or an integrity error, for the first
        number of a kind and year) and the action is judged again."""
        if self.sql.behind is not None:
            return self._claim(kind, year)
        if self.raw is not None:
            row = self.raw.execute(_NEXT_SQLITE, (kind, year)).fetchone()
        else:
            row = self.conn.execute(
                update(COUNTERS).where(COUNTERS.c.kind == kind, COUNTERS.c.year == year)
                .values(last=COUNTERS.c.last + 1).returning(COUNTERS.c.last)).first()
        if row is not None:
            return int(row[0])
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(COUNTERS).values(kind=kind, year=year, last=1))
        except IntegrityError:
            return self.next(kind, year)
        return 1

    def _claim(self, kind: str, year: int) -> int:
        key = (kind, year)
        last = self._claimed.get(key)
        if last is None:
            row = self.sql.first(COUNTERS, ["last"], {"kind": kind, "year": year})
            last = int(row[0]) if row is not None else 0
        number = last + 1
        self._claimed[key] = number
        if number == 1:
            self.sql.insert(COUNTERS, {"kind": kind, "year": year, "last": 1})
        else:
            self.sql.update(COUNTERS, {"last": number},
                            {"kind": kind, "year": year, "last": last})
        return number


class HistoryStore:
    """Append-only history entries. There is no update and no delete here, by design."""

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self.conn = conn
        self.sql = Statements(conn, behind)

    def head(self, chain: str) -> tuple[int, str | None]:
        """(seq, hash) of the last entry of ``chain``; (0, None) when empty."""
        row = self.conn.execute(_HEAD, {"chain": chain}).first()
        return (0, None) if row is None else (int(row[0]), row[1])

    def append(self, entry: Entry) -> None:
        """Insert one entry."""
        self.sql.insert(HISTORY, {f: getattr(entry, f) for f in _ENTRY})

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
    """Work for the flows, written with the action that causes it."""

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self.conn = conn
        self.sql = Statements(conn, behind)

    def add(self, case_id: str | None, kind: str, payload: dict[str, Any], at: datetime) -> None:
        """Queue one item."""
        self.sql.insert(OUTBOX, {"case_id": case_id, "kind": kind, "payload": payload,
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

    def claim(self, item_id: int, at: datetime) -> bool:
        """Mark an item done in the caller's transaction; False when another run did it."""
        result = self.conn.execute(update(OUTBOX).where(OUTBOX.c.id == item_id,
                                                        OUTBOX.c.done_at.is_(None))
                                   .values(done_at=at, attempts=OUTBOX.c.attempts + 1))
        return result.rowcount == 1

    def failed(self, item_id: int, error: str) -> None:
        """Count a failed attempt and keep the error for the supervisor."""
        self.conn.execute(update(OUTBOX).where(OUTBOX.c.id == item_id)
                          .values(attempts=OUTBOX.c.attempts + 1, last_error=error[:2000]))


CONTENTS: Table = T.DocumentContentRow.__table__


class DocumentContents:
    """What each issued document says, kept once its document is rendered (until then the
    facts travel in the document's outbox item)."""

    def __init__(self, conn: Connection, behind: list[Write] | None = None) -> None:
        self.conn = conn
        self.sql = Statements(conn, behind)

    def add(self, document_id: str, case_id: str, kind: str, facts: dict[str, Any]) -> None:
        """Keep the facts of a newly issued document."""
        self.sql.insert(CONTENTS, {"document_id": document_id, "case_id": case_id,
                                   "kind": kind, "facts": facts})

    def get(self, document_id: str) -> dict[str, Any] | None:
        """The facts of one document (None for an unknown id)."""
        row = self.conn.execute(select(CONTENTS.c.facts)
                                .where(CONTENTS.c.document_id == document_id)).first()
        return None if row is None else dict(row[0])
