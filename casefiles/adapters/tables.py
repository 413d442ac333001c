"""The SQLModel tables. One row class per record of the case aggregate; the migrations in
``migrations/versions`` create and upgrade them (never ``create_all`` on a live database).

Child rows carry ``case_id`` and ``seq`` (their place in the case's list)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Table, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from casefiles.adapters.types import AwareDateTime


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy Core table of a SQLModel table class (typed: SQLModel sets
    ``__table__`` on the class at run time, which type checkers cannot see)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a SQLModel table (table=True)")
    return table


def _at(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_type=AwareDateTime, nullable=nullable, index=index)


def _json() -> Any:
    return Field(default_factory=list, sa_type=JSON, nullable=False)


def _case() -> Any:
    return Field(foreign_key="cases.id", index=True)


class PersonRow(SQLModel, table=True):
    """A person: roles, enforcement certificate, legal qualification, password hash."""

    __tablename__ = "people"
    id: str = Field(primary_key=True)
    name: str
    roles: list[str] = _json()
    certificate: str | None = None
    legal_qualification: bool = False
    active: bool = True
    password_hash: str | None = None
    updated_at: datetime = _at()


class CaseRow(SQLModel, table=True):
    """A case: its state and the facts every rule reads, with its version and history head."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_state_sector", "state", "sector"),
                      # the lists page through case ids newest first from these indexes alone
                      Index("ix_cases_registered_id", "registered_at", "id"),
                      Index("ix_cases_sector_registered", "sector", "registered_at", "id"),
                      # the period report counts registrations, filings and closings by day,
                      # and finds the sector of a record's case, from these indexes alone
                      Index("ix_cases_registered_report", "registered_at", "drill", "sector"),
                      Index("ix_cases_filed_at", "filed_at", "drill", "sector"),
                      Index("ix_cases_closed_at", "closed_at", "drill", "sector"),
                      # (and the lists find the state of a person's case from it alone)
                      Index("ix_cases_report", "id", "sector", "drill", "state"),
                      # the queues gather the cases of their states with their versions, oldest
                      # first, from this index alone
                      Index("ix_cases_state_registered", "state", "registered_at", "id",
                            "version", "drill"))
    id: str = Field(primary_key=True)
    number: str | None = Field(default=None, index=True, unique=True)
    state: str
    profile: str
    rule_set_id: str
    sector: str
    source: str
    summary: str
    cause: str | None = None
    registered_at: datetime = _at(index=True)
    registered_by: str
    violation_date: date
    violation_ended: date | None = None
    harm: bool = False
    # a drill (演练): judged by the rule set its scenario names; left out of lists by default
    drill: bool = Field(default=False, nullable=False)
    party_code: str | None = Field(default=None, index=True)
    filed_at: datetime | None = _at(nullable=True)
    investigators: list[str] = _json()
    proposal_no: int = 0
    end_reason: str | None = None
    closed_at: datetime | None = _at(nullable=True)
    close_summary: str | None = None
    archived_at: datetime | None = _at(nullable=True)
    warnings: list[str] = _json()
    history_length: int = 0
    history_head: str | None = None
    version: int = Field(default=1, nullable=False)
    # the whole aggregate as JSON (what actions read and write)
    doc: str | None = Field(default=None, sa_type=Text, nullable=True)


class PartyRow(SQLModel, table=True):
    """The party of a case."""

    __tablename__ = "parties"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int = 0
    kind: str
    name: str = Field(index=True)
    address: str
    credit_code: str | None = Field(default=None, index=True)
    id_number: str | None = Field(default=None, index=True)
    phone: str | None = None
    legal_rep: str | None = None


class EvidenceRow(SQLModel, table=True):
    """An evidence record."""

    __tablename__ = "evidence"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    kind: str
    title: str
    officers: list[str] = _json()
    recorded_at: datetime = _at()
    recorded_by: str
    sha256: str | None = None
    stored_path: str | None = None
    content: str | None = Field(default=None, sa_type=Text)
    place: str | None = None
    interviewee: str | None = None


class ProposalRow(SQLModel, table=True):
    """A proposal (拟处理意见) and its derived flags."""

    __tablename__ = "proposals"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    no: int
    violations: list[dict[str, Any]] = _json()
    outcome: str
    proposed_at: datetime = _at()
    proposed_by: str
    hearing_eligible: bool = False
    legal_review_required: bool = False
    collective_discussion_required: bool = False


class PenaltyRow(SQLModel, table=True):
    """A penalty of a proposal or of a decision (``owner_id``)."""

    __tablename__ = "penalties"
    __table_args__ = (Index("ix_penalties_report", "owner_id", "type", "amount"),)
    id: str = Field(primary_key=True)
    case_id: str = _case()
    owner_id: str = Field(index=True)
    seq: int
    type: str
    amount: int | None = Field(default=None, sa_type=BigInteger)
    on: str | None = None
    violation: int | None = None


class NoticeRow(SQLModel, table=True):
    """A served notice of proposed penalty."""

    __tablename__ = "notices"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    proposal_no: int
    notified_at: datetime = _at()
    defence_due: date
    hearing_request_due: date | None = None


class DefenceRow(SQLModel, table=True):
    """A statement and defence, or waiver."""

    __tablename__ = "defences"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    proposal_no: int
    at: datetime = _at()
    statement: str | None = None
    waived: bool = False


class HearingRow(SQLModel, table=True):
    """A hearing from request to holding."""

    __tablename__ = "hearings"
    __table_args__ = (Index("ix_hearings_held_at", "held_at", "status", "case_id"),)
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    proposal_no: int
    requested_on: date
    status: str
    host: str | None = None
    scheduled_at: datetime | None = _at(nullable=True)
    place: str | None = None
    notified_on: date | None = None
    held_at: datetime | None = _at(nullable=True)
    attended: bool | None = None
    record_sha256: str | None = None
    summary: str | None = None
    record: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)


class ReviewRow(SQLModel, table=True):
    """A legal review."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_at", "at", "verdict", "case_id"),)
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    proposal_no: int
    reviewer: str
    verdict: str
    checklist: dict[str, bool] = Field(default_factory=dict, sa_type=JSON)
    opinion: str
    at: datetime = _at()


class DiscussionRow(SQLModel, table=True):
    """A collective discussion."""

    __tablename__ = "discussions"
    __table_args__ = (Index("ix_discussions_at", "at", "case_id"),)
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    proposal_no: int
    attendees: list[str] = _json()
    conclusion: str
    at: datetime = _at()
    place: str | None = None
    recorder: str | None = None
    opinions: list[dict[str, str]] = _json()
    held_at: datetime | None = _at(nullable=True)
    chair: str | None = None
    by: str


class ExtensionRow(SQLModel, table=True):
    """An extension of the decision period."""

    __tablename__ = "extensions"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    days: int
    reason: str
    at: datetime = _at()
    by: str


class DecisionRow(SQLModel, table=True):
    """A decision and its service, publication, revocation and withdrawal."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_report", "decided_at", "case_id", "id"),
                      Index("ix_decisions_case_report", "case_id", "id"))
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    number: str = Field(unique=True)
    outcome: str
    decided_at: datetime = _at(index=True)
    decided_by: str
    served_at: datetime | None = _at(nullable=True)
    service_method: str | None = None
    recipient: str | None = None
    published_at: datetime | None = _at(nullable=True)
    published_by: str | None = None
    revoked_at: datetime | None = _at(nullable=True)
    revoke_reason: str | None = None
    defence_accepted: bool | None = None
    defence_reasons: str | None = None
    suspected_crime: str | None = None
    goods: list[str] = _json()
    appraisals: list[str] = _json()
    withdrawn_at: datetime | None = _at(nullable=True)


class PaymentRow(SQLModel, table=True):
    """A payment."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_paid_on", "paid_on", "case_id"),
                      Index("ix_payments_case_report", "case_id", "paid_on", "amount"))
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    amount: int = Field(sa_type=BigInteger)
    paid_on: date
    recorded_at: datetime = _at()
    recorded_by: str


class InstalmentRow(SQLModel, table=True):
    """A due date of an approved schedule."""

    __tablename__ = "instalments"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    schedule_no: int
    due: date
    amount: int = Field(sa_type=BigInteger)


class ReminderRow(SQLModel, table=True):
    """A written reminder (催告)."""

    __tablename__ = "reminders"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    issued_at: datetime = _at()
    by: str


class EnforcementRow(SQLModel, table=True):
    """An application to the court."""

    __tablename__ = "enforcements"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    court: str
    applied_at: datetime = _at()
    by: str


class DeadlineRow(SQLModel, table=True):
    """A legal deadline; the sweep reads open ones by due date."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("case_id", "kind"),
                      # open deadlines past due, and their cases, from the index alone (the
                      # sweep, the overdue filter, the head's queue and the reminders)
                      Index("ix_deadlines_open", "done_on", "not_applicable", "due", "case_id",
                            "kind", "missed"),
                      # the period report counts deadlines met by the day done and missed by
                      # the day due
                      Index("ix_deadlines_due", "due", "not_applicable", "missed", "done_on",
                            "case_id"),
                      Index("ix_deadlines_done", "done_on", "due", "missed", "not_applicable",
                            "case_id"))
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    kind: str
    due: date
    done_on: date | None = None
    missed: bool = False
    unconfirmed: bool = False
    not_applicable: bool = False


class DocumentRow(SQLModel, table=True):
    """An issued document; its SHA-256 once the flows have stored the PDF."""

    __tablename__ = "documents"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    kind: str
    number: str = Field(index=True)
    issued_at: datetime = _at()
    sha256: str | None = None
    path: str | None = None
    supersedes: str | None = None


class CounterRow(SQLModel, table=True):
    """The last number given to a document kind in a year (numbers have no gaps)."""

    __tablename__ = "counters"
    kind: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class HistoryRow(SQLModel, table=True):
    """One history entry. Rows are only ever inserted. Every write of an action touches the
    indexes of this table, so it has only the one it needs: (chain, seq)."""

    __tablename__ = "history"
    __table_args__ = (UniqueConstraint("chain", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    chain: str
    seq: int
    case_id: str | None = None
    at: datetime = _at()
    actor: str
    role: str | None = None
    action: str
    payload: Any = Field(default=None, sa_type=JSON)
    result: str
    codes: list[str] = _json()
    warnings: list[str] = _json()
    state_before: str | None = None
    state_after: str | None = None
    files: list[str] = _json()
    prev_hash: str | None = None
    hash: str
    # the rule sets that judged the entry, each {"id", "sha256"} (None before SPEC §5)
    rule_sets: Any = Field(default=None, sa_type=JSON, nullable=True)


class OutboxRow(SQLModel, table=True):
    """Work an action leaves for the flows, written in the action's own transaction."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "done_at", "kind", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: str | None = None
    kind: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = _at()
    done_at: datetime | None = _at(nullable=True)
    attempts: int = 0
    last_error: str | None = None
    # a run's claim on the item until then (another run takes it back once it has passed)
    lease_until: datetime | None = _at(nullable=True)
    leased_by: str | None = None
    # after a failure: not before then (backoff); once out of attempts, parked until retried
    next_attempt_at: datetime | None = _at(nullable=True)
    parked_at: datetime | None = _at(nullable=True)


class DocumentContentRow(SQLModel, table=True):
    """What an issued document says, fixed at the action that issued it (the facts its template
    prints). The action queues them with the document's outbox item; the flow that renders the
    document inserts them here, once, never updated. Kept out of the case aggregate: only the
    renderer reads it."""

    __tablename__ = "document_contents"
    document_id: str = Field(primary_key=True)
    case_id: str = _case()
    kind: str
    facts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)


class ComplaintRow(SQLModel, table=True):
    """A complaint or report from the public (投诉举报), kept as plain text until an officer
    registers it as a case (source ``complaint``) or dismisses it with a reason."""

    __tablename__ = "complaints"
    id: str = Field(primary_key=True)
    received_at: datetime = _at(index=True)
    reporter: str | None = None
    contact: str | None = None
    subject: str
    location: str | None = None
    content: str
    sector: str | None = None  # 行业领域 as the complainant chose it (vocabulary.SECTORS)
    sender_hash: str = Field(index=True)
    status: str = Field(default="waiting", index=True)
    handled_by: str | None = None
    handled_at: datetime | None = _at(nullable=True, index=True)
    dismiss_reason: str | None = None
    case_id: str | None = Field(default=None, foreign_key="cases.id")


class CaseOfficerRow(SQLModel, table=True):
    """Who finds a case among their own: its registrant and its investigators, written by the
    repository with the action that names them, so that "my cases" is an index lookup."""

    __tablename__ = "case_officers"
    # with the case id: a person's cases, newest first, from the index alone
    __table_args__ = (Index("ix_case_officers_person", "person_id", "registered_at", "case_id"),)
    case_id: str = Field(foreign_key="cases.id", primary_key=True)
    person_id: str = Field(primary_key=True)
    registered_at: datetime = _at()


class SignInFailureRow(SQLModel, table=True):
    """One failed sign-in, under the account's key (``id:…``) and the address's (``ip:…``):
    kept in the database, so every server process counts the same failures. Rows older than
    the guard's window are deleted; they are not part of any case's history."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    key: str
    at: datetime = _at(index=True)


class SupervisionRow(SQLModel, table=True):
    """A case marked for supervision (督办) by a supervisor or the head, with the note the
    officers read on the case; each mark is also an entry of the bureau's history chain."""

    __tablename__ = "supervisions"
    id: str = Field(primary_key=True)
    case_id: str = _case()
    by: str
    note: str = Field(sa_type=Text)
    at: datetime = _at()


class PersonReminderRow(SQLModel, table=True):
    """The daily sweep's reminder to one person: how many of their deadlines were past due and
    due soon that day (shown when they sign in)."""

    __tablename__ = "person_reminders"
    __table_args__ = (UniqueConstraint("person_id", "day"),)
    id: str = Field(primary_key=True)
    person_id: str
    day: date
    overdue: int
    due_soon: int
    written_at: datetime = _at()


class SessionRow(SQLModel, table=True):
    """A page session or an API token, kept server-side (issue 11): the cookie or the token
    carries a random secret, and only its SHA-256 is kept here, so that whoever reads the
    database cannot sign in with it. Signing out deletes the row; a change of password or
    roles and deactivation delete every row of the person."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_person", "person_id"),)
    id: str = Field(primary_key=True)
    person_id: str
    kind: str
    created_at: datetime = _at()
    expires_at: datetime = _at(index=True)


class InspectionRow(SQLModel, table=True):
    """An inspection (现场检查, SPEC §6): the columns its lists and queues filter on, and the
    whole aggregate as JSON (what its actions read and write)."""

    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_state_sector", "state", "sector"),
                      Index("ix_inspections_inspected_id", "inspected_at", "id"),
                      Index("ix_inspections_major_state", "major_hazard", "state"),
                      # partial: the few awaiting the head, which a planner that knows nearly
                      # all rows are false would otherwise find by scanning the table
                      Index("ix_inspections_approvals_pending", "approvals_pending",
                            sqlite_where=text("approvals_pending = 1"),
                            postgresql_where=text("approvals_pending = true")))
    id: str = Field(primary_key=True)
    number: str = Field(index=True, unique=True)
    state: str
    sector: str
    unit_name: str
    unit_code: str | None = Field(default=None, index=True)
    inspected_at: datetime = _at()
    inspected_by: str
    major_hazard: bool = Field(default=False, nullable=False)
    # the earliest open deadline (rectification, recheck, measures), for the officers' lists
    next_due: date | None = Field(default=None, index=True)
    # the last day of the seals and seizes in force (the head's queue finds them by it)
    held_until: date | None = Field(default=None, index=True)
    # some issued document still waits to be rendered and stored
    documents_pending: bool = Field(default=False, nullable=False, index=True)
    # an officer's seal or seize waits for the head's approval (the head's queue finds it)
    approvals_pending: bool = Field(default=False, nullable=False)
    drill: bool = Field(default=False, nullable=False)
    history_length: int = 0
    history_head: str | None = None
    version: int = Field(default=1, nullable=False)
    doc: str = Field(sa_type=Text)


class InspectionOfficerRow(SQLModel, table=True):
    """Who finds an inspection among their own: every officer it names (at the inspection, a
    measure or a recheck), so that "my inspections" is an index lookup."""

    __tablename__ = "inspection_officers"
    __table_args__ = (Index("ix_inspection_officers_person", "person_id", "inspected_at"),)
    inspection_id: str = Field(foreign_key="inspections.id", primary_key=True)
    person_id: str = Field(primary_key=True)
    inspected_at: datetime = _at()


class AppealRow(SQLModel, table=True):
    """A reconsideration or lawsuit against a case's decision, and its outcome (SPEC §7)."""

    __tablename__ = "appeals"
    __table_args__ = (Index("ix_appeals_filed_on", "filed_on", "kind", "case_id"),
                      Index("ix_appeals_decided_on", "decided_on", "kind", "outcome", "case_id"))
    id: str = Field(primary_key=True)
    case_id: str = _case()
    seq: int
    kind: str
    filed_on: date
    body: str
    recorded_at: datetime = _at()
    recorded_by: str
    outcome: str = "pending"
    decided_on: date | None = None


class InspectionEventRow(SQLModel, table=True):
    """A dated event of an inspection that the period report counts (domain.statistics):
    kept up to date with the inspection at each of its actions (only the rows that change are
    written), with its sector and drill mark so that the report counts them by sector from one
    index range."""

    __tablename__ = "inspection_events"
    __table_args__ = (Index("ix_inspection_events_on", "on", "drill", "sector", "kind",
                            "unit_code"),)
    inspection_id: str = Field(foreign_key="inspections.id", primary_key=True)
    kind: str = Field(primary_key=True)
    ref: str = Field(primary_key=True)
    on: date
    sector: str
    drill: bool = Field(default=False, nullable=False)
    # the unit's 统一社会信用代码 or 身份证号 (or name), on ``inspection`` events: units inspected
    unit_code: str | None = None


def declared(name: str | None, type_: str, parent_names: Any) -> bool:
    """For Alembic's ``include_name``: every table but those the migrations make that no
    model declares, SQLite's trigram index of the parties' names (``party_names``, FTS5: a
    virtual table and its shadow tables, kept by triggers; migration 0013)."""
    return not (type_ == "table" and name is not None and name.startswith("party_names"))
