"""Read-only lists the web pages need: an officer's cases, the queues, the supervisors' filtered
list with its overdue filter, the next deadline of each case. SQL over the repository's tables;
every list is paged (``limit`` + 1 rows tell whether a next page exists)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, not_, or_, select, union_all

from casefiles.adapters.repository import (
    CASE_OFFICERS,
    CASES,
    COLLECTIONS,
    PARTIES,
    PARTY_NAMES,
    PEOPLE,
)
from casefiles.domain.model import SOURCE_RECORD, Case, urgency
from casefiles.domain.queues import HEAD_STATES, HEAD_STATES_NEAR_DECISION_DUE
from casefiles.domain.timefmt import SHANGHAI, local_date
from casefiles.services.app import Casefiles

DEADLINES = COLLECTIONS["deadlines"][0]
DOCUMENTS = COLLECTIONS["documents"][0]
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """The supervisors' filters; every one optional."""

    state: str | None = None
    sector: str | None = None
    overdue: bool = False
    registered_from: date | None = None
    registered_until: date | None = None
    drills: bool = False  # include drills (演练), which lists leave out unless asked
    text: str = ""  # a search: see :func:`matching`


@dataclass
class Page:
    """One page of a list."""

    rows: list[dict[str, Any]]
    page: int
    has_next: bool


def _source_number() -> Any:
    """The 案源编号 of the row's case (its 案件来源登记表's number), what names a case not yet
    filed: one index lookup a row."""
    return (select(DOCUMENTS.c.number).where(DOCUMENTS.c.case_id == CASES.c.id,
                                             DOCUMENTS.c.kind == SOURCE_RECORD)
            .limit(1).scalar_subquery().label("source_number"))


def _base() -> Select[Any]:
    return (select(CASES.c.id, CASES.c.number, CASES.c.state, CASES.c.sector, CASES.c.source,
                   CASES.c.registered_at, CASES.c.registered_by, CASES.c.investigators,
                   CASES.c.version, PARTIES.c.name.label("party"), _source_number())
            .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
            .order_by(CASES.c.registered_at.desc(), CASES.c.id.desc()))


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                          "【": "〔", "】": "〕", "［": "〔", "］": "〕"})


@dataclass(frozen=True)
class Found:
    """What a search finds: ``condition`` on cases, and ``officer`` when every case found is
    one of that one officer's, and they are many (a list may then page through that officer's
    index of cases, newest first, rather than walk every case testing the condition)."""

    condition: ColumnElement[bool]
    officer: str | None = None

    def narrow(self, query: Select[Any]) -> Select[Any]:
        """``query`` (over cases, newest first) narrowed to the cases found, in the same order."""
        if self.officer is None:
            return query.where(self.condition)
        # ix_case_officers_person (person_id, registered_at) read backwards from the page's
        # start: a case's registered_at is copied into its officers' rows, so the order is the
        # cases' own (as my_cases pages)
        return (query.join(CASE_OFFICERS, CASE_OFFICERS.c.case_id == CASES.c.id)
                .where(CASE_OFFICERS.c.person_id == self.officer)
                .order_by(None)
                .order_by(CASE_OFFICERS.c.registered_at.desc(), CASE_OFFICERS.c.case_id.desc()))


def matching(cf: Casefiles, text: str) -> Found | None:
    """The cases a search box's ``text`` finds: part of the party's name, its 统一社会信用代码 or
    身份证号, a case or document number (whole, its prefix 衡山应急 may be left out), or an officer (name or id) who
    registered or investigates it. None for an empty box."""
    text = text.strip()[:100]
    if not text:
        return None
    code = text.upper()
    number = text.translate(_BRACKETS).replace(" ", "")
    numbers = {number, cf.profile.agency.number_prefix + number}
    party = or_(PARTIES.c.name.contains(text, autoescape=True), PARTIES.c.credit_code == code,
                PARTIES.c.id_number == code)
    document = DOCUMENTS.c.number.in_(numbers)
    # each way of finding a case reads an index, never the cases rows (which hold the whole
    # aggregate); a case's number is its filing document's
    found = [select(DOCUMENTS.c.case_id).where(document),
             select(CASES.c.id).where(CASES.c.number.in_(numbers)),
             select(PARTIES.c.case_id).where(_rare(cf, PARTIES.c.credit_code == code)),
             select(PARTIES.c.case_id).where(_rare(cf, PARTIES.c.id_number == code)),
             _named(cf, text)]
    found_ids: set[str] | None = None
    with cf.uow() as uow:
        officers: list[str] = list(uow.conn.execute(select(PEOPLE.c.id).where(or_(
            PEOPLE.c.name.contains(text, autoescape=True), PEOPLE.c.id == text))).scalars())
        officer = select(CASE_OFFICERS.c.case_id).where(CASE_OFFICERS.c.person_id.in_(officers))
        by_officer: set[str] = set(uow.conn.execute(officer.limit(_FEW + 1)).scalars()) \
            if officers else set()
        # reading every party's name is spared when an officer's cases are many already
        if len(by_officer) <= _FEW or _indexed(cf, text):
            # UNION ALL stops reading once it has enough (UNION would gather every match first)
            found_ids = set(uow.conn.execute(union_all(*found).limit(_FEW + 1)).scalars())
        # one officer's many cases, and nothing else (the other matches, if any, among them)
        only_officer = (len(officers) == 1 and len(by_officer) > _FEW and found_ids is not None
                        and len(found_ids) <= _FEW and (not found_ids or len(found_ids) == len(
                            list(uow.conn.execute(officer.where(
                                CASE_OFFICERS.c.case_id.in_(sorted(found_ids))))))))
    if found_ids is not None and len(found_ids | by_officer) <= _FEW:  # few: read by id
        return Found(CASES.c.id.in_(sorted(found_ids | by_officer)))
    # many: the list walks its index of cases newest first, asking of each case until the page
    # is full (read by id, thousands of cases would be read and sorted); an officer's cases,
    # and the others when few, are gathered once (an index each) for that walk to look up
    # (``id || ''``: a condition the planner cannot turn into reads of cases by id)
    walked = CASES.c.id.concat("")
    ways: list[ColumnElement[bool]] = []
    if found_ids is not None and len(found_ids) <= _FEW:
        ways.append(walked.in_(sorted(found_ids)))
    else:
        ways += [select(PARTIES.c.case_id).where(PARTIES.c.case_id == CASES.c.id, party).exists(),
                 select(DOCUMENTS.c.case_id).where(DOCUMENTS.c.case_id == CASES.c.id,
                                                   document).exists(),
                 walked.in_(select(CASES.c.id).where(CASES.c.number.in_(numbers)))]
    if officers:
        ways.append(walked.in_(officer))
    return Found(or_(*ways), officers[0] if only_officer else None)


def _rare(cf: Casefiles, code: ColumnElement[bool]) -> ColumnElement[bool]:
    """``code`` (an equality on a party's code) told to SQLite's planner as rarely true: the
    statistics ANALYZE keeps count the companies' NULL 身份证号 as one value of 100,000 rows,
    and the planner then read every party (11 ms a search) rather than the index."""
    return func.unlikely(code) if cf.engine.dialect.name == "sqlite" else code


def _named(cf: Casefiles, part: str) -> Select[Any]:
    """The cases whose party's name holds ``part``: on SQLite, through the trigram index when
    ``part`` has the three characters it needs (and no wildcard, which LIKE would take as one);
    else by reading every party's name."""
    if _indexed(cf, part):
        # ESCAPE would turn the index off; with no wildcard in ``part`` none is needed
        return select(PARTY_NAMES.c.case_id).where(
            PARTY_NAMES.c.name.like(literal("%").concat(part).concat("%")))
    return select(PARTIES.c.case_id).where(PARTIES.c.name.contains(part, autoescape=True))


def _indexed(cf: Casefiles, part: str) -> bool:
    return cf.engine.dialect.name == "sqlite" and len(part) >= 3 and not _WILDCARDS & set(part)


_WILDCARDS = set("%_")


_FEW = 300


def _overdue(today: date) -> Any:
    # overdue cases are few (each one is a problem to solve): gather them through the index of
    # open deadlines by due date, rather than test every case
    # (a deadline marked missed is past due too: the sweep marks only those, and moving a due
    # date clears the mark; so one range over ix_deadlines_open finds them all)
    past_due = select(DEADLINES.c.case_id).where(
        DEADLINES.c.done_on.is_(None), DEADLINES.c.not_applicable.is_(False),
        DEADLINES.c.due < today)
    return CASES.c.id.in_(past_due)


# a filter's dates are held within these: 0001-01-01 and 9999-12-31 are dates, but the first
# has no moment in UTC and the last no day after it
_EARLIEST, _LATEST = date(1900, 1, 1), date(9998, 12, 31)


def _start(day: date) -> datetime:
    return datetime.combine(min(max(day, _EARLIEST), _LATEST), time.min, SHANGHAI)


def _ids(cf: Casefiles, drills: bool = False) -> Select[Any]:
    """Case ids newest first: the lists page through these, then read the rows of one page
    only. Drills are left out unless asked for (or the installation shows them, SPEC §5)."""
    query = select(CASES.c.id).order_by(CASES.c.registered_at.desc(), CASES.c.id.desc())
    return query if drills or cf.settings.show_drills else query.where(not_(CASES.c.drill))


def _paged(cf: Casefiles, ids: Select[Any], page: int, size: int) -> Page:
    page = max(page, 1)
    chosen = ids.limit(size + 1).offset((page - 1) * size)
    with cf.uow() as uow:
        rows = [dict(r) for r in uow.conn.execute(
            _base().where(CASES.c.id.in_(chosen))).mappings()]
    has_next = len(rows) > size
    rows = rows[:size]
    _attach_deadlines(cf, rows)
    return Page(rows=rows, page=page, has_next=has_next)


ENDED = ("closed", "archived", "not_filed", "terminated")


def my_cases(cf: Casefiles, person_id: str, page: int = 1, size: int = PAGE_SIZE,
             ended: bool = False, text: str = "") -> Page:
    """The cases an officer registered or investigates, newest first: those still being
    handled (在办), or those ended (已办结) when ``ended``; those ``text`` finds, if given."""
    ids = (_ids(cf).join(CASE_OFFICERS, CASE_OFFICERS.c.case_id == CASES.c.id)
           .where(CASE_OFFICERS.c.person_id == person_id)
           .where(CASES.c.state.in_(ENDED) if ended else CASES.c.state.not_in(ENDED))
           .order_by(None)
           .order_by(CASE_OFFICERS.c.registered_at.desc(), CASE_OFFICERS.c.case_id.desc()))
    found = matching(cf, text)  # the officer's own index is joined already: the condition
    return _paged(cf, ids if found is None else ids.where(found.condition), page, size)


def reviewed_by(cf: Casefiles, person_id: str, page: int = 1, size: int = PAGE_SIZE,
                text: str = "") -> Page:
    """The cases a reviewer has reviewed (passed or returned), newest first."""
    reviews = COLLECTIONS["reviews"][0]
    ids = _ids(cf).where(CASES.c.id.in_(select(reviews.c.case_id).where(
        reviews.c.reviewer == person_id)))
    found = matching(cf, text)
    return _paged(cf, ids if found is None else found.narrow(ids), page, size)


def all_cases(cf: Casefiles, filters: Filters, page: int = 1, size: int = PAGE_SIZE) -> Page:
    """Every case matching ``filters``, newest first."""
    return _paged(cf, _filtered(cf, filters, _ids(cf, filters.drills)), page, size)


def _filtered(cf: Casefiles, f: Filters, query: Select[Any] | None = None) -> Select[Any]:
    """``query`` (the full rows, newest first, unless given) narrowed by the filters."""
    if query is None:
        query = _base()
        if not (f.drills or cf.settings.show_drills):
            query = query.where(not_(CASES.c.drill))
    if f.state:
        query = query.where(CASES.c.state == f.state)
    if f.sector:
        query = query.where(CASES.c.sector == f.sector)
    if f.registered_from:
        query = query.where(CASES.c.registered_at >= _start(f.registered_from))
    if f.registered_until:
        query = query.where(CASES.c.registered_at < _start(f.registered_until)
                            + timedelta(days=1))
    if f.overdue:
        query = query.where(_overdue(local_date(cf.clock.now())))
    found = matching(cf, f.text)
    return query if found is None else found.narrow(query)


def export_rows(cf: Casefiles, f: Filters, chunk: int = 1000) -> Any:
    """Every case matching ``f`` for the CSV export, in chunks (a generator of row lists)."""
    offset = 0
    while True:
        with cf.uow() as uow:
            rows = [dict(r) for r in uow.conn.execute(
                _filtered(cf, f).limit(chunk).offset(offset)).mappings()]
            cases = uow.cases.get_many([r["id"] for r in rows])
        if not rows:
            return
        _attach_deadlines(cf, rows)
        for r in rows:  # the CSV's amounts and decision come from the case itself
            r["case"] = cases.get(r["id"])
        yield rows
        offset += chunk


def in_states(states: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    """The cases in ``states``, for :func:`waiting`: a way for each state."""
    return tuple(CASES.c.state == state for state in states)


def head_candidates(near: date) -> tuple[ColumnElement[bool], ...]:
    """The cases that may wait for the head (``domain.queues``), for :func:`waiting`: those
    in states that may wait whatever their deadlines, and those whose decision deadline is
    open and due by ``near``."""
    decision_near = select(DEADLINES.c.case_id).where(
        DEADLINES.c.kind == "decision", DEADLINES.c.done_on.is_(None),
        DEADLINES.c.not_applicable.is_(False), DEADLINES.c.missed.is_(False),
        DEADLINES.c.due <= near).cte("decision_near").prefix_with("MATERIALIZED")
    # ``id || ''``: the cases of each state are read from ix_cases_state_registered and looked
    # up among the deadlines found (gathered once), rather than read from the table by id
    near_due = CASES.c.id.concat("").in_(select(decision_near.c.case_id))
    return (*in_states(HEAD_STATES),
            *(and_(way, near_due) for way in in_states(HEAD_STATES_NEAR_DECISION_DUE)))


def waiting(cf: Casefiles, candidates: Sequence[ColumnElement[bool]], step: Callable[[Case], str],
            memo: Hashable, page: int = 1, size: int = PAGE_SIZE, batch: int = 200) -> Page:
    """The queues: of the ``candidates`` (conditions on cases that never find the same case,
    each within one state), those that wait for someone, what waited longest first, each row
    with ``todo``, the step ``step(case)`` names ("" when the case waits for nothing of
    theirs). Every such case is found, however many there are: the candidates' ids are read
    in order, then their cases a batch at a time until the page is full.

    ``step`` must depend on nothing but the case and ``memo`` (who asks, and the day): what it
    said of a case is remembered under (database, ``memo``, case id, version), so a queue
    asked again reads only the cases that changed since."""
    page = max(page, 1)
    skip, todo = (page - 1) * size, {}
    ways = list(candidates)
    if not cf.settings.show_drills:
        ways = [and_(way, not_(CASES.c.drill)) for way in ways]
    # each way read oldest first from ix_cases_state_registered, the ways merged as they are
    # read: a page reads as many candidates as it needs, not every one sorted first
    ordered = union_all(*(select(CASES.c.registered_at, CASES.c.id, CASES.c.version)
                          .where(way) for way in ways)).order_by(CASES.c.registered_at,
                                                                 CASES.c.id)
    with cf.uow() as uow:
        # the keys a batch at a time, until the page is full: a first page asks of a few
        # hundred candidates, not of every one
        for chunk_rows in uow.conn.execute(ordered).partitions(batch):
            chunk: list[_Key] = [(cf.url, memo, r.id, r.version) for r in chunk_rows]
            labels = _STEPS.get_many(chunk)
            unknown = [k[2] for k in chunk if k not in labels]
            fresh: dict[str, str] = {}  # by id: a case may have moved on since its key was read
            if unknown:
                cases = uow.cases.get_many(unknown)
                fresh = {c.id: step(c) for c in cases.values()}
                _STEPS.put_many({(cf.url, memo, c.id, c.version): fresh[c.id]
                                 for c in cases.values()})
            for key in chunk:
                case_id = key[2]
                label = labels[key] if key in labels else fresh.get(case_id, "")
                if label and skip:
                    skip -= 1
                elif label:
                    todo[case_id] = label
            if len(todo) > size:
                break
        shown = list(todo)[:size]
        rows_by_id = {r["id"]: dict(r) for r in uow.conn.execute(
            _base().where(CASES.c.id.in_(shown))).mappings()}
    rows = [rows_by_id[i] | {"todo": todo[i]} for i in shown]
    _attach_deadlines(cf, rows)
    return Page(rows=rows, page=page, has_next=len(todo) > size)


# (database URL, the queue's memo key, case id, case version)
_Key = tuple[str, Hashable, str, int]


class _Remembered:
    """What queues' steps said of cases, by (database, memo, case id, version), the most
    recently used kept."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._labels: OrderedDict[_Key, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[_Key]) -> dict[_Key, str]:
        with self._lock:
            found = {k: self._labels[k] for k in keys if k in self._labels}
            for k in found:
                self._labels.move_to_end(k)
        return found

    def put_many(self, labels: dict[_Key, str]) -> None:
        with self._lock:
            self._labels.update(labels)
            while len(self._labels) > self.capacity:
                self._labels.popitem(last=False)


_STEPS = _Remembered(capacity=100_000)


def _attach_deadlines(cf: Casefiles, rows: list[dict[str, Any]]) -> None:
    """Give each row its next undone deadline (``next_deadline``) with a display status:
    ``overdue``, ``due_soon`` (within settings.due_soon_days) or ``open``."""
    if not rows:
        return
    today, soon = _soon(cf)
    # the page's cases' deadlines by case id, the open ones kept here: asked for the open ones,
    # the planner would rather read every open deadline from ix_deadlines_open
    query = select(DEADLINES.c.case_id, DEADLINES.c.kind, DEADLINES.c.due, DEADLINES.c.missed,
                   DEADLINES.c.done_on, DEADLINES.c.not_applicable).where(
        DEADLINES.c.case_id.in_([r["id"] for r in rows]))
    with cf.uow() as uow:
        found = uow.conn.execute(query).tuples().all()
    best: dict[str, tuple[str, date, bool]] = {}  # case id: its nearest (kind, due, missed)
    for case_id, kind, due, missed, done_on, not_applicable in found:
        if done_on is not None or not_applicable:
            continue
        current = best.get(case_id)
        if current is None or due < current[1]:
            best[case_id] = (kind, due, missed)
    for r in rows:
        nearest = best.get(r["id"])
        if nearest is None:
            r["next_deadline"] = None
            continue
        kind, due, missed = nearest
        r["next_deadline"] = {"kind": kind, "due": due.isoformat(),
                              "status": urgency(due, missed, today, soon)}


def due_for(cf: Casefiles, person_id: str | None, limit: int = 200) -> list[dict[str, Any]]:
    """The undone deadlines due within settings.due_soon_days or past due, soonest first: of
    the cases ``person_id`` registered or investigates, or of every case (None: the head's
    and supervisors' view). Each with its case's id, number and party and a ``status``
    (``overdue`` or ``due_soon``)."""
    columns = (DEADLINES.c.case_id, DEADLINES.c.kind, DEADLINES.c.due, DEADLINES.c.missed,
               CASES.c.number, CASES.c.state, PARTIES.c.name.label("party"), _source_number())
    query = _due(cf, person_id, select(*columns)).join(
        PARTIES, PARTIES.c.case_id == CASES.c.id).limit(limit)
    with cf.uow() as uow:
        rows = [dict(r) for r in uow.conn.execute(query).mappings()]
    today, soon = _soon(cf)
    for r in rows:  # due by ``soon`` all: overdue or due soon
        r["status"] = urgency(r["due"], r["missed"], today, soon)
    return rows


def due_statuses(cf: Casefiles, person_id: str | None, limit: int = 200) -> list[str]:
    """The ``status`` of each deadline :func:`due_for` lists, read from the deadlines' index
    alone (the badge every page shows counts them)."""
    query = _due(cf, person_id, select(DEADLINES.c.missed, DEADLINES.c.due)).limit(limit)
    with cf.uow() as uow:
        found = uow.conn.execute(query).tuples().all()
    today, soon = _soon(cf)
    return [urgency(due, bool(missed), today, soon) for missed, due in found]


def _soon(cf: Casefiles) -> tuple[date, date]:
    """Today, and the last day a deadline is due soon (settings.due_soon_days)."""
    today = local_date(cf.clock.now())
    return today, today + timedelta(days=cf.settings.due_soon_days)


def _due(cf: Casefiles, person_id: str | None, query: Select[Any]) -> Select[Any]:
    """``query`` over the undone deadlines due soon or past, soonest first, of the person's
    cases or of every case (None). Every case has its party row, so :func:`due_for`'s join to
    it finds the same deadlines."""
    _, soon = _soon(cf)
    if person_id is None:  # every case: the open deadlines' index, by due date
        query = query.select_from(DEADLINES)
    else:  # the person's cases first (an index lookup), then their deadlines
        query = (query.select_from(CASE_OFFICERS)
                 .join(DEADLINES, DEADLINES.c.case_id == CASE_OFFICERS.c.case_id)
                 .where(CASE_OFFICERS.c.person_id == person_id))
    query = (query.join(CASES, CASES.c.id == DEADLINES.c.case_id)
             .where(DEADLINES.c.done_on.is_(None), DEADLINES.c.not_applicable.is_(False),
                    DEADLINES.c.due <= soon)
             .order_by(DEADLINES.c.due, DEADLINES.c.case_id))
    if not cf.settings.show_drills:
        query = query.where(not_(CASES.c.drill))
    return query
