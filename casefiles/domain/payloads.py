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
from casefiles.domain.money import parse_amount, to_fen
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


Amount = Annotated[Decimal, BeforeValidator(parse_amount)]


class Payload(BaseModel):
    """Base of every payload: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_after_clock(value: date, info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    if today is not None and value > today:
        raise ValueError("日期晚于当前时间 / a past event cannot be dated after the clock")
    return value


def _moment_not_after_clock(value: datetime, info: ValidationInfo) -> datetime:
    _not_after_clock(value.date(), info)
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
            raise ValueError("终了日期早于发生日期 / violation_ended is before violation_date")
        return self


class File(Payload):
    investigators: list[Name]
    cause: Text


class Reason(Payload):
    reason: Text


class Decline(Reason):
    """不予立案; a complaint's source is told why (不予立案告知书), by name when it gave one."""

    complainant: Name | None = None
    complained_on: Day | None = None

    _past = field_validator("complained_on")(_not_after_clock)


class Summons(Payload):
    """The 询问通知书 that asked the person questioned to come: when it was given, the time
    and place it named, and what to bring."""

    notified_on: Day
    at: Moment
    place: Name
    bring: list[Name] | None = None

    _past = field_validator("notified_on")(_not_after_clock)


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
    # an inquiry made on a written summons (询问通知书); an expert opinion's appraisal body
    # (鉴定委托书: the record names what it is asked, ``content`` the materials and questions)
    summons: Summons | None = None
    appraiser: Name | None = None


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
    # optional: a fine for one violation (its number in the proposal's list, from 1), judged
    # by that violation's own range (分别裁量); without it, fines are judged together
    violation: Annotated[int, Field(ge=1, le=50, strict=True)] | None = None

    @model_validator(mode="after")
    def _amount_where_needed(self) -> PenaltyIn:
        if self.type in ("fine", "confiscation") and self.amount is None:
            raise ValueError(f"请填写金额 / a {self.type} needs an amount")
        if self.type not in ("fine", "confiscation") and self.amount is not None:
            raise ValueError(f"该处罚种类不填写金额 / a {self.type} has no amount")
        if self.violation is not None and self.type != "fine":
            raise ValueError("只有罚款对应某一违法行为 / only a fine is for one violation")
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
            raise ValueError("请填写处罚，或选择不予处罚、移送 / give penalties or an outcome")
        if self.outcome in ("no_penalty", "transfer") and self.penalties:
            raise ValueError(f"不予处罚或移送时不填写处罚 / outcome {self.outcome} takes no penalties")
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
            raise ValueError("请填写陈述申辩内容，或勾选书面放弃 / give a statement or waive: true")
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
    # the host's proposal for handling the case, in the 听证会报告书
    recommendation: Text | None = None


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
    # optional too: when it was held and who chaired it, when not the action's own time and
    # the head who records it
    held_at: Moment | None = None
    chair: Name | None = None

    _past = field_validator("held_at")(_moment_not_after_clock)


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
            raise ValueError(f"不予处罚或移送时不填写处罚 / outcome {self.outcome} takes no penalties")
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


class AppealIn(Payload):
    """A reconsideration or lawsuit as filed; a later one of the same kind gives its outcome."""

    kind: Literal["reconsideration", "lawsuit"]
    filed_on: Day
    body: Name
    outcome: Literal["pending", "upheld", "changed", "revoked"] | None = None
    decided_on: Day | None = None

    _past = field_validator("filed_on", "decided_on")(_not_after_clock)

    @model_validator(mode="after")
    def _decided_after_filed(self) -> AppealIn:
        if self.decided_on is not None and self.decided_on < self.filed_on:
            raise ValueError("裁决日期早于申请（起诉）日期 / decided_on is before filed_on")
        if self.decided_on is not None and self.outcome in (None, "pending"):
            raise ValueError("有裁决日期时应写明结果 / decided_on needs an outcome")
        return self


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
    "register": Register, "file": File, "decline": Decline, "record": Record,
    "propose": Propose, "notify": Empty, "defend": Defend, "request_hearing": RequestHearing,
    "schedule_hearing": ScheduleHearing, "hold_hearing": HoldHearing, "submit_review": Empty,
    "review": ReviewIn, "discuss": Discuss, "extend": Extend, "decide": Decide, "serve": Serve,
    "publish": Empty, "pay": Pay, "instalments": Instalments, "remind": Empty,
    "apply_enforcement": ApplyEnforcement, "close": Close, "archive": Archive, "revoke": Reason,
    "withdraw": Empty, "terminate": Reason, "preserve": Preserve,
    "handle_preservation": HandlePreservation, "appeal": AppealIn,
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
            zh, en = _reason(err["type"], str(err["msg"]).removeprefix("Value error, "))
            refusals.append(Refusal("invalid_input", zh, en, where))
        return None, refusals


# pydantic's own reasons in Chinese; a validator's "中文 / English" message is split in two
_REASONS = {
    "missing": "此项必填", "string_too_short": "此项不能为空", "string_too_long": "内容过长",
    "too_short": "数量不足", "too_long": "数量过多", "literal_error": "请从选项中选择",
    "enum": "请从选项中选择", "extra_forbidden": "不应填写此项",
    "string_pattern_mismatch": "格式不正确", "string_type": "应为文字", "bool_type": "应为是或否",
    "bool_parsing": "应为是或否", "int_type": "应为整数", "int_parsing": "应为整数",
    "int_from_float": "应为整数", "greater_than_equal": "数值过小", "less_than_equal": "数值过大",
    "greater_than": "数值过小", "less_than": "数值过大", "list_type": "应为多项",
    "dict_type": "格式不正确", "model_type": "格式不正确", "model_attributes_type": "格式不正确",
}


def _reason(kind: str, msg: str) -> tuple[str, str]:
    """The Chinese and English reason of one pydantic error."""
    zh, sep, en = msg.partition(" / ")
    if sep:
        return zh, en
    return _REASONS.get(kind, "填写有误"), msg


__all__ = ["CHECKLIST", "PAYLOADS", "TIERS", "Payload", "parse"]
