"""The case aggregate: a case, its party and the records of every step (pure data, no storage).

Money is integer fen. Times are zone-aware datetimes; dates of legal events are dates.
Each record has its own id; the repository stores each list in its own table.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from casefiles.domain.kinds import (
    HearingStatus,
    Outcome,
    PenaltyType,
    ReviewStatus,
    Role,
    Verdict,
)
from casefiles.domain.states import CaseState


def new_id() -> str:
    """A new random record id."""
    return str(uuid.uuid4())


@dataclass
class Person:
    """Someone who acts in casefiles, with roles and qualifications."""

    id: str
    name: str
    roles: list[Role]
    certificate: str | None = None
    legal_qualification: bool = False
    active: bool = True

    @property
    def certified(self) -> bool:
        """Holds an enforcement certificate (执法证)."""
        return bool(self.certificate)

    def has_role(self, role: str) -> bool:
        """Whether the person holds ``role``."""
        return self.active and role in self.roles


@dataclass
class Party:
    """The party of the case (当事人): an organisation or an individual."""

    kind: str
    name: str
    address: str
    credit_code: str | None = None
    id_number: str | None = None
    phone: str | None = None
    legal_rep: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Penalty:
    """One penalty, proposed or decided. ``amount`` in fen for fines and confiscations."""

    type: PenaltyType
    amount: int | None = None
    on: str | None = None
    violation: int | None = None  # a fine for the proposal's violation of this number (from 1)
    id: str = field(default_factory=new_id)


@dataclass
class Evidence:
    """An evidence record (证据) with the officers present and the file's SHA-256."""

    kind: str
    title: str
    officers: list[str]
    recorded_at: datetime
    recorded_by: str
    sha256: str | None = None
    stored_path: str | None = None
    content: str | None = None
    place: str | None = None
    interviewee: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Proposal:
    """The investigation report's proposed handling, and the flags derived from it."""

    no: int
    violations: list[dict[str, Any]]
    outcome: Outcome
    penalties: list[Penalty]
    proposed_at: datetime
    proposed_by: str
    hearing_eligible: bool = False
    legal_review_required: bool = False
    collective_discussion_required: bool = False
    id: str = field(default_factory=new_id)


@dataclass
class Notice:
    """A served notice of proposed penalty (告知书) and its windows."""

    proposal_no: int
    notified_at: datetime
    defence_due: date
    hearing_request_due: date | None
    id: str = field(default_factory=new_id)


@dataclass
class Defence:
    """The party's statement and defence (陈述申辩), or written waiver."""

    proposal_no: int
    at: datetime
    statement: str | None
    waived: bool
    id: str = field(default_factory=new_id)


@dataclass
class Hearing:
    """A requested hearing (听证) through scheduling to holding."""

    proposal_no: int
    requested_on: date
    status: HearingStatus = "requested"
    host: str | None = None
    scheduled_at: datetime | None = None
    place: str | None = None
    notified_on: date | None = None
    held_at: datetime | None = None
    attended: bool | None = None
    record_sha256: str | None = None
    summary: str | None = None
    # what the 听证笔录 records (hold_hearing's optional fields)
    record: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=new_id)


@dataclass
class Review:
    """A legal review (法制审核) with its nine answers and written opinion."""

    proposal_no: int
    reviewer: str
    verdict: Verdict
    checklist: dict[str, bool]
    opinion: str
    at: datetime
    id: str = field(default_factory=new_id)


@dataclass
class Discussion:
    """A collective discussion (集体讨论) of the bureau's leaders."""

    proposal_no: int
    attendees: list[str]
    conclusion: str
    at: datetime
    by: str
    place: str | None = None
    recorder: str | None = None
    opinions: list[dict[str, str]] = field(default_factory=list)
    held_at: datetime | None = None  # when it was held, if not ``at`` (when it was recorded)
    chair: str | None = None  # who chaired it (主持人), if not ``by``
    id: str = field(default_factory=new_id)


@dataclass
class Extension:
    """A lengthening of the decision period approved by the head."""

    days: int
    reason: str
    at: datetime
    by: str
    id: str = field(default_factory=new_id)


@dataclass
class Decision:
    """The decision (决定), its service, publication, revocation and withdrawal."""

    number: str
    outcome: Outcome
    penalties: list[Penalty]
    decided_at: datetime
    decided_by: str
    served_at: datetime | None = None
    service_method: str | None = None
    recipient: str | None = None
    published_at: datetime | None = None
    published_by: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    # the answer to the party's statement (APL art. 45): accepted or not, and why
    defence_accepted: bool | None = None
    defence_reasons: str | None = None
    suspected_crime: str | None = None
    goods: list[str] = field(default_factory=list)
    appraisals: list[str] = field(default_factory=list)
    withdrawn_at: datetime | None = None
    id: str = field(default_factory=new_id)

    @property
    def fine(self) -> int:
        """Total fine in fen."""
        return sum(p.amount or 0 for p in self.penalties if p.type == "fine")


@dataclass
class Payment:
    """A payment recorded against the fine and then the surcharge."""

    amount: int
    paid_on: date
    recorded_at: datetime
    recorded_by: str
    id: str = field(default_factory=new_id)


@dataclass
class Instalment:
    """One due date of an approved deferral or instalment schedule (APL art. 66)."""

    schedule_no: int
    due: date
    amount: int
    id: str = field(default_factory=new_id)


@dataclass
class Appeal:
    """A reconsideration (行政复议) or lawsuit (行政诉讼) against the decision, and its outcome
    once the reconsideration body or the court has ruled (kept for the statistics, SPEC §7)."""

    kind: str  # reconsideration or lawsuit
    filed_on: date
    body: str  # 复议机关 or 人民法院
    recorded_at: datetime
    recorded_by: str
    outcome: str = "pending"  # pending, upheld, changed, revoked
    decided_on: date | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Reminder:
    """A written reminder (催告书) before an application to the court."""

    issued_at: datetime
    by: str
    id: str = field(default_factory=new_id)


@dataclass
class EnforcementApplication:
    """An application to the court for compulsory enforcement (申请强制执行)."""

    court: str
    applied_at: datetime
    by: str
    id: str = field(default_factory=new_id)


def urgency(due: date, missed: bool, today: date, soon: date) -> str:
    """How an undone deadline is shown to the people who owe it: ``overdue`` (flagged missed,
    or past its day), ``due_soon`` (due by ``soon``) or ``open``."""
    return "overdue" if missed or due < today else "due_soon" if due <= soon else "open"


@dataclass
class Deadline:
    """A legal deadline of the case; ``done_on`` is the day the act was done."""

    kind: str
    due: date
    done_on: date | None = None
    missed: bool = False
    unconfirmed: bool = False
    not_applicable: bool = False
    id: str = field(default_factory=new_id)

    def status(self, today: date) -> str:
        """open, met, missed or not_applicable as of ``today``."""
        if self.not_applicable:
            return "not_applicable"
        if self.done_on is not None:
            return "met" if self.done_on <= self.due else "missed"
        return "missed" if today > self.due or self.missed else "open"


@dataclass
class Document:
    """An issued document: numbered at the action; the PDF's SHA-256 once stored."""

    kind: str
    number: str
    issued_at: datetime
    sha256: str | None = None
    path: str | None = None
    supersedes: str | None = None
    id: str = field(default_factory=new_id)


SOURCE_RECORD = "案件来源登记表"  # the document registration issues; its number is the 案源编号


class WithDeadlines:
    """The deadlines of a record (a case's or an inspection's), one per kind."""

    deadlines: list[Deadline]

    def deadline(self, kind: str) -> Deadline | None:
        """The deadline of this kind, if set."""
        return next((d for d in self.deadlines if d.kind == kind), None)

    def set_deadline(self, kind: str, due: date, unconfirmed: bool = False,
                     restart: bool = False) -> Deadline:
        """Set (or move) the due date of a deadline; ``restart`` opens it again even when it
        was done (a new order starts a new period)."""
        d = self.deadline(kind)
        if d is None:
            d = Deadline(kind=kind, due=due, unconfirmed=unconfirmed)
            self.deadlines.append(d)
        else:
            d.due, d.unconfirmed, d.missed = due, unconfirmed, False
            if restart:
                d.done_on = None
        return d


@dataclass
class Case(WithDeadlines):
    """An enforcement case and every record of its life."""

    id: str
    profile: str
    rule_set_id: str
    state: CaseState
    sector: str
    source: str
    summary: str
    party: Party
    registered_at: datetime
    registered_by: str
    violation_date: date
    violation_ended: date | None = None
    harm: bool = False
    drill: bool = False  # 演练: judged by the rule set its scenario names (SPEC §5)
    party_code: str | None = None  # 统一社会信用代码 or 身份证号, to find the party's other cases
    inspection: str | None = None  # the inspection the case was registered from (SPEC §6)
    number: str | None = None
    cause: str | None = None
    filed_at: datetime | None = None
    investigators: list[str] = field(default_factory=list)
    proposal_no: int = 0
    end_reason: str | None = None
    closed_at: datetime | None = None
    close_summary: str | None = None
    archived_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    version: int = 0
    history_length: int = 0
    history_head: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    defences: list[Defence] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    instalments: list[Instalment] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    enforcements: list[EnforcementApplication] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    # --- what the rules ask of the records -------------------------------------------------

    @property
    def source_number(self) -> str | None:
        """The 案源编号: the number of the 案件来源登记表 issued at registration (a case not yet
        filed is known by it)."""
        return next((d.number for d in self.documents if d.kind == SOURCE_RECORD), None)

    @property
    def proposal(self) -> Proposal | None:
        """The current proposal (the latest)."""
        return self.proposals[-1] if self.proposals else None

    @property
    def notice(self) -> Notice | None:
        """The notice of the current proposal, if served."""
        n = self.notices[-1] if self.notices else None
        return n if n is not None and n.proposal_no == self.proposal_no else None

    @property
    def hearing(self) -> Hearing | None:
        """The hearing requested under the current proposal, if any."""
        h = self.hearings[-1] if self.hearings else None
        return h if h is not None and h.proposal_no == self.proposal_no else None

    @property
    def decision(self) -> Decision | None:
        """The decision, once made."""
        return self.decisions[-1] if self.decisions else None

    def waived(self) -> bool:
        """The party waived statement, defence and hearing under the current proposal."""
        return any(d.waived and d.proposal_no == self.proposal_no for d in self.defences)

    def review_status(self) -> ReviewStatus:
        """not_required, required, passed or returned (for the current proposal)."""
        if any(r.verdict == "pass" and r.proposal_no == self.proposal_no for r in self.reviews):
            return "passed"
        if self.reviews and self.reviews[-1].verdict == "return":
            return "returned"
        p = self.proposal
        return "required" if p is not None and p.legal_review_required else "not_required"

    def discussed(self, min_attendees: int) -> bool:
        """A discussion with enough attendees and a conclusion under the current proposal."""
        return any(
            d.proposal_no == self.proposal_no and len(d.attendees) >= min_attendees
            for d in self.discussions
        )

    def drop_deadlines(self, *kinds: str) -> None:
        """Deadlines of ``kinds`` not yet done no longer apply (the case ended, or its decision
        was revoked)."""
        for d in self.deadlines:
            if d.kind in kinds and d.done_on is None:
                d.not_applicable = True

    def warn(self, code: str) -> None:
        """Record a warning on the case (each code once)."""
        if code not in self.warnings:
            self.warnings.append(code)
