"""The payload of every action, validated: unknown fields, wrong types, bad identifiers,
negative or over-precise amounts, impossible dates and past events dated after the clock are
refused ``invalid_input`` with the field named. Counts (two investigators, three attendees)
are rules, checked elsewhere."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from casefiles.domain.errors import Refusal
from casefiles.domain.identifiers import check_credit_code, check_id_number
from casefiles.domain.kinds import Outcome, PenaltyType, Role, Verdict
from casefiles.domain.money import to_fen
from casefiles.domain.policy import TIERS
from casefiles.domain.timefmt import parse_date, parse_datetime

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: str) -> str:
    # NUL and other control characters have no place in a legal record (PostgreSQL cannot
    # even store NUL in text); line breaks and tabs are kept.
    if _CONTROL.search(value):
        raise ValueError("含有控制字符 / contains a control character")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
                 AfterValidator(_printable)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
                 AfterValidator(_printable)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Day = Annotated[date, BeforeValidator(parse_date)]
Moment = Annotated[datetime, BeforeValidator(parse_datetime)]


# an amount written as text: plain decimal digits ("8000", "8000.50"); "1,000", "1000元",
# "1e3" and "abc" are refused by name rather than guessed at
_PLAIN_AMOUNT = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
_TOO_LARGE = Decimal(10) ** 12


def _amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("金额应为数字 / an amount is a number")  # noqa: TRY004  (pydantic)
    if isinstance(value, str) and not _PLAIN_AMOUNT.fullmatch(value.strip()):
        raise ValueError("金额应为数字，如 8000 或 8000.50 / an amount is a plain decimal "
                         "number such as 8000.50")
    amount = Decimal(str(value).strip())
    if not amount.is_finite() or amount < 0:
        raise ValueError("金额不能为负 / an amount cannot be negative")
    if amount >= _TOO_LARGE:
        raise ValueError("金额过大 / the amount is too large")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("金额最多两位小数 / at most two decimals")
    return amount


Amount = Annotated[Decimal, BeforeValidator(_amount)]


class Payload(BaseModel):
    """Base of every payload: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_after_clock(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    if today is not None and value > today:
        raise ValueError("日期晚于当前时间 / a past event cannot be dated after the clock")
    return value


class PartyIn(Payload):
    kind: Literal["organisation", "individual"]
    name: Name
    address: Name
    credit_code: str | None = None
    id_number: str | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{5,20}$")] | None = None
    legal_rep: Name | None = None

    @field_validator("credit_code")
    @classmethod
    def _uscc(cls, v: str | None) -> str | None:
        return None if v is None else check_credit_code(v)

    @field_validator("id_number")
    @classmethod
    def _ric(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else check_id_number(v, (info.context or {}).get("today"))

    @model_validator(mode="after")
    def _identifier_of_kind(self) -> PartyIn:
        if self.kind == "organisation" and not self.credit_code:
            raise ValueError("单位应有统一社会信用代码 / an organisation needs credit_code")
        if self.kind == "individual" and not self.id_number:
            raise ValueError("个人应有身份证号 / an individual needs id_number")
        return self


class Register(Payload):
    source: Literal["inspection", "complaint", "referral", "other"]
    sector: Literal["non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade",
                    "other"]
    party: PartyIn
    summary: Text
    violation_date: Day
    violation_ended: Day | None = None
    harm: bool = False
    # the inspection the case comes from (SPEC §6 I7): its id or number
    inspection: Name | None = None

    _past = field_validator("violation_date", "violation_ended")(_not_after_clock)

    @model_validator(mode="after")
    def _ended_after_start(self) -> Register:
        if self.violation_ended and self.violation_ended < self.violation_date:
            raise ValueError("violation_ended 早于 violation_date / ends before it began")
        return self


class File(Payload):
    investigators: list[Name]
    cause: Text


class Reason(Payload):
    reason: Text


class Record(Payload):
    kind: Literal["inquiry", "inspection", "survey", "audio_video", "document", "physical",
                  "sample", "expert_opinion"]
    title: Name
    officers: list[Name]
    sha256: Sha256 | None = None
    file: Name | None = None
    # what the record says (the questions and answers; the inspection's findings), where it
    # was taken, and the person questioned (a person, not the company)
    content: Text | None = None
    place: Name | None = None
    interviewee: Name | None = None


class Preserve(Payload):
    """先行登记保存 (APL art. 56): evidence that may be lost, kept where it is under seal."""

    items: Text
    reason: Text
    place: Name
    officers: list[Name]
    approved_by: Name


class HandlePreservation(Payload):
    decision: Literal["release", "examine", "seize", "transfer"]
    summary: Text


class ViolationIn(Payload):
    code: Name
    tier: Literal["轻微", "一般", "较重", "严重"]
    facts: Text
    corrected: bool | None = None  # the party corrected in time (APL art. 33, SPEC §5)


class PenaltyIn(Payload):
    type: PenaltyType
    amount: Amount | None = None
    on: Name | None = None

    @model_validator(mode="after")
    def _amount_where_needed(self) -> PenaltyIn:
        if self.type in ("fine", "confiscation") and self.amount is None:
            raise ValueError(f"{self.type} 需要 amount / a {self.type} needs an amount")
        if self.type not in ("fine", "confiscation") and self.amount is not None:
            raise ValueError(f"{self.type} 不带金额 / a {self.type} has no amount")
        return self

    @property
    def fen(self) -> int | None:
        """The amount in fen."""
        return None if self.amount is None else to_fen(self.amount)


class Propose(Payload):
    violations: Annotated[list[ViolationIn], Field(min_length=1)]
    penalties: list[PenaltyIn] | None = None
    outcome: Outcome | None = None

    @model_validator(mode="after")
    def _penalties_or_outcome(self) -> Propose:
        if self.outcome in (None, "penalty") and not self.penalties:
            raise ValueError("需要 penalties 或 outcome / give penalties or an outcome")
        if self.outcome in ("no_penalty", "transfer") and self.penalties:
            raise ValueError(f"outcome {self.outcome} 不带 penalties / takes no penalties")
        return self

    @property
    def resolved_outcome(self) -> Outcome:
        """penalty, no_penalty or transfer."""
        return self.outcome or "penalty"


class Empty(Payload):
    pass


class Defend(Payload):
    statement: Text | None = None
    waive: bool | None = None

    @model_validator(mode="after")
    def _one(self) -> Defend:
        if bool(self.statement) == bool(self.waive):
            raise ValueError("给 statement 或 waive: true 之一 / give a statement or waive: true")
        return self


class RequestHearing(Payload):
    requested_on: Day | None = None

    _past = field_validator("requested_on")(_not_after_clock)


class ScheduleHearing(Payload):
    host: Name
    at: Moment
    place: Name
    notified_on: Day | None = None

    _past = field_validator("notified_on")(_not_after_clock)


class HoldHearing(Payload):
    attended: bool
    summary: Text
    record_sha256: Sha256 | None = None
    # the 听证笔录 (APL art. 64): the times as held, who attended, what each side said
    started_at: Moment | None = None
    ended_at: Moment | None = None
    recorder: Name | None = None
    party_attendees: list[Name] | None = None
    agents: list[Name] | None = None
    investigators_statement: Text | None = None
    party_statement: Text | None = None


CHECKLIST: tuple[str, ...] = (
    "body_lawful", "officers_qualified", "procedure_lawful", "facts_and_evidence",
    "law_and_discretion", "within_powers", "documents_complete", "rights_protected",
    "no_transfer_needed",
)


class Checklist(Payload):
    body_lawful: bool
    officers_qualified: bool
    procedure_lawful: bool
    facts_and_evidence: bool
    law_and_discretion: bool
    within_powers: bool
    documents_complete: bool
    rights_protected: bool
    no_transfer_needed: bool


class ReviewIn(Payload):
    verdict: Verdict
    checklist: Checklist
    opinion: Text

    @model_validator(mode="after")
    def _pass_means_yes(self) -> ReviewIn:
        if self.verdict == "pass":
            noes = [k for k in CHECKLIST if not getattr(self.checklist, k)]
            if noes:
                raise ValueError(
                    f"审核通过时各项应均为是 / a passing review answers yes to every item: "
                    f"{', '.join(noes)}"
                )
        return self


class Opinion(Payload):
    """One attendee's opinion in a collective discussion."""

    name: Name
    opinion: Text


class Discuss(Payload):
    attendees: list[Name]
    conclusion: Text
    # optional, beside attendees (which stay a list of names): where, who kept the record,
    # and each attendee's opinion, one row each with a signature line
    place: Name | None = None
    recorder: Name | None = None
    opinions: list[Opinion] | None = None


class Extend(Payload):
    days: Annotated[int, Field(gt=0, le=365, strict=True)]
    reason: Text


class DefenceAnswer(Payload):
    """The bureau's answer to the party's statement and defence (APL art. 45)."""

    accepted: bool
    reasons: Text


class Decide(Payload):
    outcome: Outcome
    penalties: list[PenaltyIn] | None = None
    # optional, never a cause of refusal; the decision prints it (SCENARIOS.md)
    defence_answer: DefenceAnswer | None = None
    # a transfer (移送书, 国务院令第310号 art. 6): the suspected crime, the goods involved and
    # the inspections or appraisals made
    suspected_crime: Name | None = None
    goods: list[Name] | None = None
    appraisals: list[Name] | None = None

    @model_validator(mode="after")
    def _penalties_fit_outcome(self) -> Decide:
        if self.outcome != "penalty" and self.penalties:
            raise ValueError(f"outcome {self.outcome} 不带 penalties / takes no penalties")
        if self.outcome == "penalty" and self.penalties is not None and not self.penalties:
            raise ValueError("处罚决定至少一项处罚 / a penalty decision has a penalty")
        return self


class Serve(Payload):
    method: Literal["in_person", "left_at_premises", "post", "electronic", "public_notice"]
    recipient: Name
    # 留置送达: why the recipient refused, who witnessed, and the record of the act
    refused_reason: Text | None = None
    witnesses: list[Name] | None = None
    recording: Name | None = None


class Pay(Payload):
    amount: Amount
    paid_on: Day | None = None

    _past = field_validator("paid_on")(_not_after_clock)

    @field_validator("amount")
    @classmethod
    def _positive(cls, v: Decimal) -> Decimal:
        if v <= 0:
            raise ValueError("缴款金额应大于零 / a payment is more than zero")
        return v


class InstalmentIn(Payload):
    due: Day
    amount: Amount


class Instalments(Payload):
    schedule: Annotated[list[InstalmentIn], Field(min_length=1)]


class ApplyEnforcement(Payload):
    court: Name
    # 行政强制法 art. 55: the party's opinion and the reminder go with the application
    party_opinion: Text | None = None


class Archive(Payload):
    """The case file's own facts: its 档号 and who checked it (the actor files it, 立卷人)."""

    file_number: Name | None = None
    checked_by: Name | None = None


class Close(Payload):
    summary: Text


class PersonIn(Payload):
    """A person as `people add` and scenario files give one."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
    name: Name
    roles: Annotated[list[Role], Field(min_length=1)]
    certificate: Name | None = None
    legal_qualification: bool = False


def check_person(data: dict[str, Any]) -> PersonIn:
    """A valid person, or ValueError naming the field (ids are short Latin handles)."""
    try:
        return PersonIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ValueError(f"人员信息有误 / invalid person: {where}: {msg}") from exc


PAYLOADS: dict[str, type[Payload]] = {
    "register": Register, "file": File, "decline": Reason, "record": Record,
    "propose": Propose, "notify": Empty, "defend": Defend, "request_hearing": RequestHearing,
    "schedule_hearing": ScheduleHearing, "hold_hearing": HoldHearing, "submit_review": Empty,
    "review": ReviewIn, "discuss": Discuss, "extend": Extend, "decide": Decide, "serve": Serve,
    "publish": Empty, "pay": Pay, "instalments": Instalments, "remind": Empty,
    "apply_enforcement": ApplyEnforcement, "close": Close, "archive": Archive, "revoke": Reason,
    "withdraw": Empty, "terminate": Reason, "preserve": Preserve,
    "handle_preservation": HandlePreservation,
}


def parse(action: str, data: Any, today: date) -> tuple[Payload | None, list[Refusal]]:
    """The validated payload, or the ``invalid_input`` refusals naming each bad field."""
    return parse_with(PAYLOADS[action], data, today)


def parse_with(model: type[Payload], data: Any, today: date
               ) -> tuple[Payload | None, list[Refusal]]:
    """:func:`parse` for the payload ``model`` (the inspections' actions have their own)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Refusal("invalid_input", "载荷应为对象", "the payload must be an object",
                              "with")]
    try:
        return model.model_validate(data, context={"today": today}), []
    except ValidationError as exc:
        refusals = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "with"
            msg = str(err["msg"]).removeprefix("Value error, ")
            refusals.append(Refusal("invalid_input", f"输入有误：{msg}", "invalid input", where))
        return None, refusals


__all__ = ["CHECKLIST", "PAYLOADS", "TIERS", "Payload", "parse"]
