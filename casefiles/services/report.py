"""The period report (SPEC §7; SCENARIOS.md "Report"): each figure, by sector and in total,
counted from the events whose day falls in the period, with one aggregate query per kind of
record (``GROUP BY`` sector over an index range of its day), never a loop over the cases.

Drills are left out unless asked for. Amounts are counted in fen and given in yuan as Decimal
(two decimals), which the CSV and PDF print as they are; :func:`jsonable_report` writes them as the
JSON numbers of SCENARIOS.md."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, not_, or_, select

from casefiles.adapters import tables as T
from casefiles.adapters.inspection_store import INSPECTION_EVENTS
from casefiles.domain.money import to_yuan, yuan_json
from casefiles.domain.statistics import (
    INSPECTION_FIGURES,
    PENALTY_TYPES,
    add_into,
    empty_figures,
    empty_sectors,
    figure,
)
from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.app import Casefiles

CASES = T.table_of(T.CaseRow)
DECISIONS = T.table_of(T.DecisionRow)
PENALTIES = T.table_of(T.PenaltyRow)
PAYMENTS = T.table_of(T.PaymentRow)
HEARINGS = T.table_of(T.HearingRow)
REVIEWS = T.table_of(T.ReviewRow)
DISCUSSIONS = T.table_of(T.DiscussionRow)
DEADLINES = T.table_of(T.DeadlineRow)
COMPLAINTS = T.table_of(T.ComplaintRow)
APPEALS = T.table_of(T.AppealRow)

# the figures in fen, turned into Decimal yuan for the report
_AMOUNTS = ("decided", "collected", "surcharge_collected")
_APPEAL_FIGURES = {"reconsideration": "reconsiderations", "lawsuit": "lawsuits"}


def period_report(cf: Casefiles, start: date, end: date, *, include_drills: bool = False
                  ) -> dict[str, Any]:
    """The report from ``start`` to ``end`` (both included, days in Asia/Shanghai): every
    sector of ``register`` with zeros where nothing happened, and the total. Drills count when
    asked, and always on a training installation, whose lists show drills everywhere
    (settings.show_drills), so the CLI, the page and the API agree."""
    counter = _Counter(start, end, include_drills or cf.settings.show_drills)
    with cf.uow() as uow:
        counter.count(uow.conn)
    sectors = counter.sectors
    total = empty_figures()
    for figures in sectors.values():
        add_into(total, figures)
    for figures in [*sectors.values(), total]:
        fines = figures["fines"]
        for key in _AMOUNTS:
            fines[key] = to_yuan(fines[key])
    return {"from": start.isoformat(), "to": end.isoformat(), "sectors": sectors,
            "total": total}


def jsonable_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report of :func:`period_report` ready for JSON: its amounts as JSON numbers in yuan
    (an integer when whole, SCENARIOS.md "Report"), everything else as it is."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return yuan_json(value) if isinstance(value, Decimal) else value
    return plain(report)


class _Counter:
    """The queries of one report and the figures they fill."""

    def __init__(self, start: date, end: date, include_drills: bool) -> None:
        self.start, self.end, self.drills = start, end, include_drills
        self.since = datetime.combine(start, time(), SHANGHAI)
        self.until = datetime.combine(end + timedelta(days=1), time(), SHANGHAI)
        self.sectors = empty_sectors()

    # --- the period, and the drills -----------------------------------------------------------

    def _at(self, column: Any) -> ColumnElement[bool]:
        """A timestamp within the period."""
        return and_(column >= self.since, column < self.until)

    def _on(self, column: Any) -> ColumnElement[bool]:
        """A day within the period."""
        return column.between(self.start, self.end)

    def _real(self, drill: Any) -> list[ColumnElement[bool]]:
        return [] if self.drills else [not_(drill)]

    def _add(self, rows: Iterable[Any], *path: str) -> None:
        """Add each (sector, number) of ``rows`` at ``path`` of its sector's figures."""
        for sector, n in rows:
            figures = self.sectors.get(sector)
            if figures is None:  # a sector no longer offered: counted in the total only
                figures = self.sectors.setdefault(sector, empty_figures())
            *inner, last = path
            figure(figures, tuple(inner))[last] += int(n or 0)

    # --- the queries ----------------------------------------------------------------------------

    def count(self, conn: Connection) -> None:
        self._inspections(conn)
        self._cases(conn)
        self._decisions(conn)
        self._payments(conn)
        self._steps(conn)
        self._complaints(conn)
        self._appeals(conn)
        self._deadlines(conn)

    def _by_sector(self, conn: Connection, day: ColumnElement[bool], *path: str,
                   table: Any = None) -> None:
        """Count the rows of ``table`` (joined to their case) whose day is in the period."""
        source = CASES if table is None else table.join(CASES, CASES.c.id == table.c.case_id)
        # grouped by an expression, not the column: SQLite would otherwise read the cases
        # through ix_cases_sector_registered for its order (and each row for its drill mark)
        # instead of the day's range of a covering index (50 ms against 10 with 100,000 cases)
        sector = func.coalesce(CASES.c.sector, "")
        query = select(sector, func.count()).select_from(source)
        rows = conn.execute(query.where(day, *self._real(CASES.c.drill)).group_by(sector))
        self._add(rows, *path)

    def _inspections(self, conn: Connection) -> None:
        e = INSPECTION_EVENTS.c
        period = [self._on(e.on), *self._real(e.drill)]
        # the units apart, over the inspections only: a DISTINCT over every event made
        # PostgreSQL sort the period's events (on disk) instead of hashing their counts
        rows = conn.execute(select(e.sector, e.kind, func.count()).where(*period)
                            .group_by(e.sector, e.kind))
        for sector, kind, n in rows:
            self._add([(sector, n)], *INSPECTION_FIGURES[str(kind)])
        self._add(conn.execute(select(e.sector, func.count(e.unit_code.distinct()))
                               .where(*period, e.kind == "inspection").group_by(e.sector)),
                  "units_inspected")

    def _cases(self, conn: Connection) -> None:
        self._by_sector(conn, self._at(CASES.c.registered_at), "cases", "registered")
        self._by_sector(conn, self._at(CASES.c.filed_at), "cases", "filed")
        self._by_sector(conn, self._at(CASES.c.closed_at), "cases", "closed")

    def _decisions(self, conn: Connection) -> None:
        """Decisions made in the period, their penalties by type, and the fines decided (one
        pass over the period's decisions, their penalties beside them)."""
        d, p = DECISIONS.c, PENALTIES.c
        sector = func.coalesce(CASES.c.sector, "")
        by_type = [func.count(case((p.type == t, d.id)).distinct()) for t in PENALTY_TYPES]
        fined = func.sum(case((p.type == "fine", p.amount), else_=0))
        rows = conn.execute(
            select(sector, func.count(d.id.distinct()), fined, *by_type)
            .select_from(DECISIONS.join(CASES, CASES.c.id == d.case_id)
                         .outerjoin(PENALTIES, p.owner_id == d.id))
            .where(self._at(d.decided_at), *self._real(CASES.c.drill)).group_by(sector))
        for sector_, decided, fines, *counts in rows:
            self._add([(sector_, decided)], "cases", "decided")
            self._add([(sector_, fines)], "fines", "decided")
            for kind, n in zip(PENALTY_TYPES, counts, strict=True):
                self._add([(sector_, n)], "penalties", kind)

    def _payments(self, conn: Connection) -> None:
        """Payments made in the period, split into fine and surcharge: a payment goes to the
        fine first (model.Payment), so the fine collected in the period is what the payments
        up to its end cover of the fine less what those before it covered."""
        p = PAYMENTS.c
        # only the cases paid in the period (a range of ix_payments_paid_on), each read from
        # its own payments (ix_payments_case_report), not every payment before the period's end
        paid_in = PAYMENTS.alias("paid_in")
        cases_paid = select(paid_in.c.case_id).where(self._on(paid_in.c.paid_on))
        within = func.sum(case((p.paid_on >= self.start, p.amount), else_=0))
        paid = (select(p.case_id, func.sum(case((p.paid_on < self.start, p.amount), else_=0))
                       .label("before"), within.label("within"))
                .where(p.case_id.in_(cases_paid), p.paid_on <= self.end)
                .group_by(p.case_id).having(within > 0)
                .subquery())
        # the fines of those cases, grouped once and joined (a scalar subquery per case was
        # inlined by PostgreSQL into each of its uses below: four lookups per case)
        fines = (select(DECISIONS.c.case_id, func.sum(PENALTIES.c.amount).label("fine"))
                 .select_from(DECISIONS.join(PENALTIES, PENALTIES.c.owner_id == DECISIONS.c.id))
                 .where(DECISIONS.c.case_id.in_(cases_paid), PENALTIES.c.type == "fine")
                 .group_by(DECISIONS.c.case_id).subquery())
        owed = (select(paid, func.coalesce(fines.c.fine, 0).label("fine"))
                .select_from(paid.outerjoin(fines, fines.c.case_id == paid.c.case_id))
                .subquery())
        upto = owed.c.before + owed.c.within
        collected = (case((upto < owed.c.fine, upto), else_=owed.c.fine)
                     - case((owed.c.before < owed.c.fine, owed.c.before), else_=owed.c.fine))
        sector = func.coalesce(CASES.c.sector, "")
        rows = conn.execute(
            select(sector, func.sum(collected), func.sum(owed.c.within - collected))
            .select_from(owed.join(CASES, CASES.c.id == owed.c.case_id))
            .where(*self._real(CASES.c.drill)).group_by(sector)).all()
        self._add([(s, c) for s, c, _ in rows], "fines", "collected")
        self._add([(s, x) for s, _, x in rows], "fines", "surcharge_collected")

    def _steps(self, conn: Connection) -> None:
        """Hearings held, legal reviews by verdict, collective discussions."""
        self._by_sector(conn, and_(self._at(HEARINGS.c.held_at), HEARINGS.c.status == "held"),
                        "hearings", table=HEARINGS)
        for verdict, key in (("pass", "passed"), ("return", "returned")):
            self._by_sector(conn, and_(self._at(REVIEWS.c.at), REVIEWS.c.verdict == verdict),
                            "reviews", key, table=REVIEWS)
        self._by_sector(conn, self._at(DISCUSSIONS.c.at), "discussions", table=DISCUSSIONS)

    def _complaints(self, conn: Connection) -> None:
        """Complaints registered as a case (in the case's sector) or dismissed (in the sector
        the complainant chose, else 其他) in the period."""
        c = COMPLAINTS.c
        registered = conn.execute(
            select(CASES.c.sector, func.count())
            .select_from(COMPLAINTS.join(CASES, CASES.c.id == c.case_id))
            .where(self._at(c.handled_at), c.status == "registered",
                   *self._real(CASES.c.drill)).group_by(CASES.c.sector))
        self._add(registered, "complaints", "registered")
        sector = func.coalesce(c.sector, "other")
        dismissed = conn.execute(select(sector, func.count()).where(
            self._at(c.handled_at), c.status == "dismissed").group_by(sector))
        self._add(dismissed, "complaints", "dismissed")

    def _appeals(self, conn: Connection) -> None:
        """Reconsiderations and lawsuits filed, and ruled by outcome, in the period."""
        a = APPEALS.c
        joined = APPEALS.join(CASES, CASES.c.id == a.case_id)
        filed = conn.execute(select(CASES.c.sector, a.kind, func.count()).select_from(joined)
                             .where(self._on(a.filed_on), *self._real(CASES.c.drill))
                             .group_by(CASES.c.sector, a.kind))
        for sector, kind, n in filed:
            self._add([(sector, n)], _APPEAL_FIGURES[str(kind)], "filed")
        ruled = conn.execute(select(CASES.c.sector, a.kind, a.outcome, func.count())
                             .select_from(joined)
                             .where(self._on(a.decided_on), a.outcome != "pending",
                                    *self._real(CASES.c.drill))
                             .group_by(CASES.c.sector, a.kind, a.outcome))
        for sector, kind, outcome, n in ruled:
            self._add([(sector, n)], _APPEAL_FIGURES[str(kind)], str(outcome))

    def _deadlines(self, conn: Connection) -> None:
        """Case deadlines met (on the day done) and missed (on the day due); the inspections'
        come with their events."""
        d = DEADLINES.c
        late = or_(d.missed, d.done_on > d.due)
        self._by_sector(conn, and_(self._on(d.done_on), d.done_on <= d.due, not_(d.missed),
                                   not_(d.not_applicable)),
                        "deadlines", "met", table=DEADLINES)
        self._by_sector(conn, and_(self._on(d.due), late, not_(d.not_applicable)),
                        "deadlines", "missed", table=DEADLINES)
