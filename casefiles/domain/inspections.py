"""Inspections and rectification (检查与整改, SPEC §6): the inspection aggregate, its seven
actions with rules I1–I7, and its view. Pure: the service layer loads, saves and records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from casefiles.domain import payloads as P
from casefiles.domain import rules as R
from casefiles.domain.context import Context
from casefiles.domain.effects import Effects
from casefiles.domain.engine import Judgement, begin
from casefiles.domain.errors import Refusal, ordered
from casefiles.domain.history import jsonable
from casefiles.domain.model import Case, Deadline, Document, Party, WithDeadlines
from casefiles.domain.payloads import Day, Name, PartyIn, Payload, Text

STATES = ("open", "rectifying", "closed", "uncorrected")
STATE_LABELS = {"open": "待整改", "rectifying": "整改中", "closed": "已闭环",
                "uncorrected": "逾期未整改"}
MEASURE_TYPES = {"evacuate": "撤出作业人员", "stop_use": "停止使用相关设施、设备",
                 "suspend": "暂时停产停业", "seal": "查封", "seize": "扣押"}
APPROVAL_LABELS = {"pending": "待负责人批准", "approved": "已批准", "refused": "不予批准"}
COMPULSORY = ("seal", "seize")  # 行政强制措施 (行政强制法 art. 9)
# the document each accepted action issues (SPEC §6); the words number them per year
DOCUMENTS = {"inspect": "现场检查记录", "order": "责令限期整改指令书",
             "measures": "现场处理措施决定书", "extend_measures": "延长查封扣押期限决定书",
             "lift": "解除现场处理措施决定书", "recheck": "整改复查意见书"}


@dataclass
class Hazard:
    """One hazard found (隐患): ``status`` open, rectified or unrectified."""

    ref: str
    description: str
    level: str
    fix: str
    provision: str | None = None
    status: str = "open"
    note: str | None = None


@dataclass
class Measure:
    """An on-site measure (现场处理措施); seal and seize run until ``until``."""

    ref: str
    type: str
    object: str
    hazards: list[str]
    decided_at: datetime
    approved_by: str | None = None
    until: date | None = None
    extended_days: int = 0
    lifted_at: datetime | None = None
    lift_reason: str | None = None

    def status(self, today: date) -> str:
        """in_force, lifted or expired (a seal or seize past its last day)."""
        if self.lifted_at is not None:
            return "lifted"
        if self.until is not None and today > self.until:
            return "expired"
        return "in_force"


@dataclass
class MeasureRequest:
    """On-site measures with a seal or seize that an officer asked for without the head's
    approval (行政强制法 art. 18): held until the head approves them, when they take effect,
    or refuses them with a reason. ``status`` pending, approved or refused."""

    no: int
    measures: list[dict[str, Any]]
    officers: list[str]
    requested_by: str
    requested_at: datetime
    status: str = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None

    def payload(self, approved_by: str) -> MeasuresIn:
        """The ``measures`` payload the request becomes once ``approved_by`` approves it."""
        return MeasuresIn.model_validate({"measures": self.measures, "officers": self.officers,
                                          "approved_by": approved_by})


@dataclass
class Order:
    """A rectification order (责令限期整改指令书) and the unit's application for a recheck."""

    no: int
    hazards: list[str]
    deadline: date
    ordered_at: datetime
    by: str
    number: str
    applied_on: date | None = None


@dataclass
class Recheck:
    """A recheck (复查) of the hazards of one order."""

    order_no: int
    at: datetime
    by: str
    officers: list[str]
    results: list[dict[str, Any]]
    number: str


@dataclass
class Inspection(WithDeadlines):
    """An inspection (现场检查) and every record of its life."""

    id: str
    profile: str
    rule_set_id: str
    number: str
    state: str
    sector: str
    unit: Party
    place: str
    officers: list[str]
    inspected_at: datetime
    inspected_by: str
    signed_by: str | None = None
    refused_to_sign: bool = False
    drill: bool = False
    hazards: list[Hazard] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    rechecks: list[Recheck] = field(default_factory=list)
    requests: list[MeasureRequest] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what each issued document prints, by document id, fixed at the action that issued it
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0
    history_length: int = 0
    history_head: str | None = None

    @property
    def major_hazard(self) -> bool:
        """A major hazard (重大事故隐患) flags the inspection for the head (挂牌督办)."""
        return any(h.level == "major" for h in self.hazards)

    @property
    def order(self) -> Order | None:
        """The latest rectification order."""
        return self.orders[-1] if self.orders else None

    def hazard(self, ref: str) -> Hazard | None:
        """The hazard with this ref."""
        return next((h for h in self.hazards if h.ref == ref), None)

    def measure(self, ref: str) -> Measure | None:
        """The measure with this ref."""
        return next((m for m in self.measures if m.ref == ref), None)

    def pending_request(self, no: int) -> MeasureRequest | None:
        """The request with this number, while it waits for the head."""
        return next((r for r in self.requests if r.no == no and r.status == "pending"), None)

    def warn(self, code: str) -> None:
        """Record a warning (each code once)."""
        if code not in self.warnings:
            self.warnings.append(code)

    def unrectified_after_deadline(self, provision: str) -> Recheck | None:
        """A recheck after its order's deadline that found a hazard on ``provision`` (or on
        one of its items: WSL-97 covers WSL-97-3) not rectified (what a ``*-late`` proposal
        rests on, I7)."""
        for r in self.rechecks:
            order = self.orders[r.order_no - 1]
            if r.at.date() <= order.deadline:
                continue
            for res in r.results:
                h = self.hazard(res["hazard"])
                if h is not None and not res["rectified"] and h.provision is not None \
                        and (h.provision == provision
                             or h.provision.startswith(provision + "-")):
                    return r
        return None


# --- payloads -----------------------------------------------------------------------------


Ref = Name


class HazardIn(Payload):
    ref: Ref
    description: Text
    level: Literal["general", "major"]
    provision: Name | None = None
    fix: Literal["immediate", "deadline"]


class Inspect(Payload):
    unit: PartyIn
    sector: Literal["non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade",
                    "other"]
    place: Name
    officers: list[Name]
    signed_by: Name | None = None
    refused_to_sign: bool = False
    hazards: list[HazardIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _signature(self) -> Inspect:
        if (self.signed_by is None) == (not self.refused_to_sign):
            raise ValueError("应写明负责人签名（signed_by）或拒绝签名（refused_to_sign: true），"
                             "二者择一 / give signed_by or refused_to_sign: true, one of them")
        refs = [h.ref for h in self.hazards]
        if len(set(refs)) != len(refs):
            raise ValueError("隐患编号重复 / hazard refs repeat")
        return self


class OrderIn(Payload):
    hazards: list[Ref] = Field(min_length=1)
    deadline: Day


class MeasureIn(Payload):
    ref: Ref
    type: Literal["evacuate", "stop_use", "suspend", "seal", "seize"]
    object: Name
    hazards: list[Ref] = Field(default_factory=list)


class MeasuresIn(Payload):
    measures: list[MeasureIn] = Field(min_length=1)
    officers: list[Name]
    approved_by: Name | None = None
    # without approved_by, a seal or seize is refused approval_required (SPEC §6 I4) unless
    # the officer asks for the head's approval: then it is held until the head decides
    ask_head: bool = False


class DecideIn(Payload):
    request: int = Field(ge=1)


class RefuseIn(DecideIn):
    reason: Text


class ExtendIn(Payload):
    measure: Ref
    days: int = Field(ge=1, le=30)
    reason: Text


class LiftIn(Payload):
    measure: Ref
    reason: Text


class ApplyIn(Payload):
    applied_on: Day | None = None

    _past = field_validator("applied_on")(P._not_after_clock)


class ResultIn(Payload):
    hazard: Ref
    rectified: bool
    note: Text | None = None


class RecheckIn(Payload):
    officers: list[Name]
    results: list[ResultIn] = Field(min_length=1)


PAYLOADS: dict[str, type[Payload]] = {
    "inspect": Inspect, "order": OrderIn, "measures": MeasuresIn, "extend_measures": ExtendIn,
    "lift": LiftIn, "apply_recheck": ApplyIn, "recheck": RecheckIn,
    "approve_measures": DecideIn, "refuse_measures": RefuseIn}
ROLES = {"inspect": "officer", "order": "officer", "measures": "officer",
         "extend_measures": "head", "lift": "head", "apply_recheck": "officer",
         "recheck": "officer", "approve_measures": "head", "refuse_measures": "head"}
FROM_STATES: dict[str, tuple[str, ...]] = {
    "inspect": (), "order": ("open", "uncorrected"),
    "measures": ("open", "rectifying", "uncorrected"),
    "approve_measures": ("open", "rectifying", "uncorrected"), "refuse_measures": STATES,
    "extend_measures": STATES,
    "lift": STATES, "apply_recheck": ("rectifying",), "recheck": ("rectifying",)}
ACTIONS = tuple(PAYLOADS)


def parse(action: str, data: Any, today: date) -> tuple[Payload | None, list[Refusal]]:
    """The validated payload of an inspection action, or its ``invalid_input`` refusals."""
    return P.parse_with(PAYLOADS[action], data, today)


# --- judging ------------------------------------------------------------------------------


def _bad(field_name: str, zh: str, en: str) -> Refusal:
    return Refusal("invalid_input", zh, en, field_name)


def _officers(ids: list[str], ctx: Context) -> list[Refusal]:
    return R.certified_officers(ids, ctx.rules.min_evidence_officers.value, ctx, "officers")


def _check(insp: Inspection | None, action: str, p: Any, ctx: Context,
           approving: int | None = None) -> list[Refusal]:
    today = ctx.today
    if action == "inspect":
        out = _officers(p.officers, ctx)
        for i, h in enumerate(p.hazards):
            if h.provision is not None and ctx.rules.provision(h.provision) is None:
                out.append(_bad(f"hazards.{i}.provision", f"条款代码{h.provision}不在目录中",
                                f"provision {h.provision} is not in the catalogue"))
        return out
    assert insp is not None
    if action == "order":
        out = []
        for i, ref in enumerate(p.hazards):
            h = insp.hazard(ref)
            if h is None or h.fix != "deadline" or h.status not in ("open", "unrectified"):
                out.append(_bad(f"hazards.{i}", f"隐患{ref}不是本次检查中待整改的限期整改隐患",
                                f"{ref} is not an open or unrectified deadline hazard of "
                                "this inspection"))
        if p.deadline <= today:
            out.append(_bad("deadline", "整改期限应晚于指令书日期",
                            "the deadline must fall after the order's date"))
        return out
    if action == "measures":
        out = _officers(p.officers, ctx)
        refs = [m.ref for m in p.measures]
        asked = {m["ref"] for r in insp.requests if r.status == "pending" and r.no != approving
                 for m in r.measures}  # refs a request waiting for the head holds
        for i, m in enumerate(p.measures):
            if insp.measure(m.ref) is not None or refs.count(m.ref) > 1 or m.ref in asked:
                out.append(_bad(f"measures.{i}.ref", f"措施编号{m.ref}重复",
                                f"measure ref {m.ref} is taken"))
            for ref in m.hazards:
                if insp.hazard(ref) is None:
                    out.append(_bad(f"measures.{i}.hazards", f"隐患{ref}不在本次检查中",
                                    f"{ref} is no hazard of this inspection"))
        compulsory = any(m.type in COMPULSORY for m in p.measures)
        if compulsory and p.approved_by is None and not p.ask_head:
            out.append(Refusal("approval_required",
                               "查封、扣押应经负责人批准（approved_by），或提请负责人审批（ask_head）",
                               "seal and seize need the head's approval (approved_by), or a "
                               "request for it (ask_head)", "approved_by"))
        if p.approved_by is not None and compulsory:
            head = ctx.people.get(p.approved_by)
            if head is None or not head.has_role("head"):
                out.append(Refusal("approval_required", "查封、扣押应经负责人批准（approved_by）",
                                   "seal and seize need the head's approval (approved_by)",
                                   "approved_by"))
        return out
    if action in ("approve_measures", "refuse_measures"):
        held = insp.pending_request(p.request)
        if held is None:
            return [_bad("request", f"没有待审批的措施申请{p.request}",
                         f"no measures request {p.request} waits for approval")]
        if action == "approve_measures":  # judged again as it would be taken today
            return _check(insp, "measures", held.payload(ctx.actor.id), ctx, held.no)
        return []
    if action in ("extend_measures", "lift"):
        m = insp.measure(p.measure)
        if m is None or m.lifted_at is not None:
            return [_bad("measure", f"没有未解除的措施{p.measure}",
                         f"no measure {p.measure} in force")]
        if action == "extend_measures":
            if m.type not in COMPULSORY:
                return [_bad("measure", "只有查封、扣押可以延长期限",
                             "only a seal or seize can be extended")]
            if m.until is not None and today > m.until:
                return [_bad("measure", "查封、扣押期限已届满，不能延长",
                             "the seal or seize has expired")]
            if p.days > ctx.rules.seal_extension_days.value:
                return [_bad("days", "延长期限超过法定上限", "the extension is too long")]
            if m.extended_days:
                return [Refusal("extension_used", "查封、扣押期限只能延长一次",
                                "a seal or seize may be extended once")]
            return []
        if m.type not in COMPULSORY:
            left = [r for r in m.hazards if (h := insp.hazard(r)) and h.status != "rectified"]
            if left:
                return [Refusal("hazard_not_eliminated",
                                f"隐患{'、'.join(left)}尚未整改消除，不能解除{MEASURE_TYPES[m.type]}",
                                f"hazards {', '.join(left)} are not rectified yet")]
        return []
    if action == "apply_recheck":
        return []
    if action == "recheck":
        out = _officers(p.officers, ctx)
        order = insp.order
        assert order is not None
        named = [r.hazard for r in p.results]
        for i, ref in enumerate(named):
            if ref not in order.hazards or named.count(ref) > 1:
                out.append(_bad(f"results.{i}.hazard", f"隐患{ref}不在整改指令书中或重复",
                                f"{ref} is not a hazard of the order, or repeats"))
        missing = [r for r in order.hazards if r not in named]
        if missing:
            out.append(_bad("results", f"应写明隐患{'、'.join(missing)}的复查结果",
                            f"give the result for {', '.join(missing)}"))
        if today <= order.deadline and order.applied_on is None:
            out.append(Refusal("rectification_period_open",
                               f"整改期限{order.deadline.isoformat()}未届满且单位未申请复查",
                               f"the rectification period runs until {order.deadline} and the "
                               "unit has not applied for a recheck"))
        return out
    raise KeyError(action)


def judge(insp: Inspection | None, action: str, data: Any, ctx: Context) -> Judgement[str]:
    """Judge an inspection action by ``ctx.actor``; on acceptance ``insp`` is changed in place
    (``inspect`` creates the inspection: see :func:`new_inspection`)."""
    payload, invalid = parse(action, data, ctx.today)
    j = begin(insp.state if insp else None, payload, data, ctx)
    if j.refusals:
        return j
    refusals: list[Refusal] = []
    if insp is not None and insp.state not in FROM_STATES[action]:
        refusals.append(Refusal("not_allowed_in_state",
                                f"检查处于“{STATE_LABELS[insp.state]}”，不能执行{action}",
                                f"{action} is not allowed in state {insp.state}"))
    role = ROLES[action]
    if ctx.actor.has_role(role):
        j.role = role
    else:
        refusals.append(Refusal("forbidden_role", f"{ctx.actor.name}无权执行{action}",
                                f"{ctx.actor.id} may not {action}: it needs role {role}"))
    refusals += invalid
    if not refusals and payload is not None:
        refusals += _check(insp, action, payload, ctx)
    if refusals:
        j.refusals = ordered(refusals)
        return j
    if insp is not None:
        printed: Any = payload
        if action == "approve_measures":  # the decision prints the measures as asked
            held = insp.pending_request(payload.request)  # type: ignore[union-attr]
            assert held is not None
            printed = held.payload(ctx.actor.id)
        _APPLY[action](insp, payload, ctx, j.effects)
        j.state_after = insp.state
        take_facts(insp, ctx, j.effects, printed)
    if ctx.periods.unconfirmed:
        j.effects.warn("calendar_unconfirmed")
    if ctx.unconfirmed_used:
        j.effects.warn("rule_unconfirmed")
    if insp is not None:
        for w in j.effects.warnings:
            if w != "approval_pending":  # said in the outcome; the request itself stays
                insp.warn(w)
    return j


def _issue(insp: Inspection, action: str, ctx: Context, fx: Effects) -> Document:
    kind = DOCUMENTS[action]
    doc = Document(kind=kind, number=ctx.number(kind, ctx.today.year), issued_at=ctx.now)
    insp.documents.append(doc)
    fx.events.append(("inspection_document_issued", {"document_id": doc.id, "kind": kind,
                                                     "inspection_id": insp.id}))
    return doc


def new_inspection(inspection_id: str, profile: str, p: Inspect, ctx: Context,
                   fx: Effects, drill: bool = False) -> Inspection:
    """The inspection an accepted ``inspect`` creates, with its 现场检查记录."""
    u = p.unit
    unit = Party(kind=u.kind, name=u.name, address=u.address, credit_code=u.credit_code,
                 id_number=u.id_number, phone=u.phone, legal_rep=u.legal_rep)
    hazards = [Hazard(ref=h.ref, description=h.description, level=h.level, fix=h.fix,
                      provision=h.provision,
                      status="rectified" if h.fix == "immediate" else "open")
               for h in p.hazards]
    insp = Inspection(id=inspection_id, profile=profile, rule_set_id=ctx.rules.id,
                      number="", state="open", sector=p.sector, unit=unit, place=p.place,
                      officers=list(dict.fromkeys(p.officers)), inspected_at=ctx.now,
                      inspected_by=ctx.actor.id, signed_by=p.signed_by,
                      refused_to_sign=p.refused_to_sign, drill=drill, hazards=hazards)
    insp.state = _settled(insp)
    insp.number = _issue(insp, "inspect", ctx, fx).number
    take_facts(insp, ctx, fx, p)
    return insp


def take_facts(insp: Inspection, ctx: Context, fx: Effects, payload: Any) -> None:
    """Fix what each document the action issued says, now that the action is applied."""
    from casefiles.domain.inspection_facts import facts_of  # it reads this module

    for kind, data in fx.events:
        if kind == "inspection_document_issued":
            doc = next(d for d in insp.documents if d.id == data["document_id"])
            insp.facts[doc.id] = jsonable(facts_of(insp, doc, ctx, payload))


def _settled(insp: Inspection) -> str:
    """The state the hazards leave: uncorrected, open or closed."""
    statuses = {h.status for h in insp.hazards}
    if "unrectified" in statuses:
        return "uncorrected"
    return "open" if "open" in statuses else "closed"


def _recheck_due(order: Order, ctx: Context) -> date:
    start = min(order.deadline, order.applied_on) if order.applied_on else order.deadline
    return ctx.periods.working_days(start, ctx.rules.recheck_working_days.value)


def _apply_order(insp: Inspection, p: OrderIn, ctx: Context, fx: Effects) -> None:
    doc = _issue(insp, "order", ctx, fx)
    order = Order(no=len(insp.orders) + 1, hazards=list(p.hazards), deadline=p.deadline,
                  ordered_at=ctx.now, by=ctx.actor.id, number=doc.number)
    insp.orders.append(order)
    insp.state = "rectifying"
    insp.set_deadline("rectification", p.deadline, restart=True)
    figure = ctx.rules.recheck_working_days
    insp.set_deadline("recheck", _recheck_due(order, ctx), not figure.confirmed, restart=True)


def _apply_measures(insp: Inspection, p: MeasuresIn, ctx: Context, fx: Effects) -> None:
    if p.approved_by is None and any(m.type in COMPULSORY for m in p.measures):
        insp.requests.append(MeasureRequest(
            no=len(insp.requests) + 1, measures=[m.model_dump() for m in p.measures],
            officers=list(dict.fromkeys(p.officers)), requested_by=ctx.actor.id,
            requested_at=ctx.now))
        fx.warn("approval_pending")  # nothing takes effect before the head approves
        return
    _issue(insp, "measures", ctx, fx)
    for m in p.measures:
        until = ctx.periods.calendar_days(ctx.today, ctx.rules.seal_days.value) \
            if m.type in COMPULSORY else None
        insp.measures.append(Measure(ref=m.ref, type=m.type, object=m.object,
                                     hazards=list(m.hazards), decided_at=ctx.now,
                                     approved_by=p.approved_by if m.type in COMPULSORY
                                     else None, until=until))
    _measures_deadline(insp, ctx.today)


def _measures_deadline(insp: Inspection, today: date) -> None:
    """The ``measures`` deadline: the last day of the seals and seizes; done when all are
    lifted, missed when one was lifted after its last day."""
    held = [m for m in insp.measures if m.until is not None]
    if not held:
        return
    d = insp.deadline("measures") or insp.set_deadline("measures", max(m.until for m in held
                                                                         if m.until))
    d.due = max(m.until for m in held if m.until)
    if all(m.lifted_at is not None for m in held):
        late = [m for m in held if m.lifted_at and m.until and m.lifted_at.date() > m.until]
        d.done_on = max(m.lifted_at.date() for m in held if m.lifted_at)
        d.missed = bool(late)
    else:
        d.done_on = None


def _apply_approve(insp: Inspection, p: DecideIn, ctx: Context, fx: Effects) -> None:
    held = insp.pending_request(p.request)
    assert held is not None
    _apply_measures(insp, held.payload(ctx.actor.id), ctx, fx)
    held.status, held.decided_by, held.decided_at = "approved", ctx.actor.id, ctx.now


def _apply_refuse(insp: Inspection, p: RefuseIn, ctx: Context, fx: Effects) -> None:
    held = insp.pending_request(p.request)
    assert held is not None
    held.status, held.decided_by, held.decided_at = "refused", ctx.actor.id, ctx.now
    held.reason = p.reason


def _apply_extend(insp: Inspection, p: ExtendIn, ctx: Context, fx: Effects) -> None:
    m = insp.measure(p.measure)
    assert m is not None and m.until is not None
    _issue(insp, "extend_measures", ctx, fx)
    m.until = ctx.periods.calendar_days(m.until, p.days)
    m.extended_days = p.days
    _measures_deadline(insp, ctx.today)


def _apply_lift(insp: Inspection, p: LiftIn, ctx: Context, fx: Effects) -> None:
    m = insp.measure(p.measure)
    assert m is not None
    _issue(insp, "lift", ctx, fx)
    m.lifted_at, m.lift_reason = ctx.now, p.reason
    _measures_deadline(insp, ctx.today)


def _apply_apply(insp: Inspection, p: ApplyIn, ctx: Context, fx: Effects) -> None:
    order = insp.order
    assert order is not None
    day = p.applied_on or ctx.today
    order.applied_on = min(day, order.applied_on) if order.applied_on else day
    figure = ctx.rules.recheck_working_days
    insp.set_deadline("recheck", _recheck_due(order, ctx), not figure.confirmed, restart=True)


def _apply_recheck(insp: Inspection, p: RecheckIn, ctx: Context, fx: Effects) -> None:
    order = insp.order
    assert order is not None
    doc = _issue(insp, "recheck", ctx, fx)
    results = [{"hazard": r.hazard, "rectified": r.rectified, "note": r.note}
               for r in p.results]
    insp.rechecks.append(Recheck(order_no=order.no, at=ctx.now, by=ctx.actor.id,
                                 officers=list(dict.fromkeys(p.officers)), results=results,
                                 number=doc.number))
    for r in p.results:
        h = insp.hazard(r.hazard)
        assert h is not None
        h.status, h.note = ("rectified" if r.rectified else "unrectified"), r.note
    today = ctx.today
    recheck = insp.deadline("recheck")
    if recheck is not None:
        recheck.done_on = today
        if today > recheck.due:
            fx.warn("recheck_late")
    rect = insp.deadline("rectification")
    if rect is not None:
        if all(r.rectified for r in p.results):
            # rectified by the application, or at the latest by the deadline when the recheck
            # came after it
            rect.done_on = min(today, order.applied_on or today, order.deadline)
        else:
            rect.missed = True
            if today > order.deadline:  # judged by the recheck: missed, and no longer open
                rect.done_on = today
    insp.state = _settled(insp)


_APPLY: dict[str, Any] = {"order": _apply_order, "measures": _apply_measures,
                          "extend_measures": _apply_extend, "lift": _apply_lift,
                          "apply_recheck": _apply_apply, "recheck": _apply_recheck,
                          "approve_measures": _apply_approve, "refuse_measures": _apply_refuse}


# --- the view -----------------------------------------------------------------------------


def inspection_view(insp: Inspection, today: date) -> dict[str, Any]:
    """The inspection view of SCENARIOS.md, as of ``today``."""
    return {
        "id": insp.id,
        "number": insp.number,
        "state": insp.state,
        "sector": insp.sector,
        "unit": {"kind": insp.unit.kind, "name": insp.unit.name},
        "place": insp.place,
        "officers": list(insp.officers),
        "inspected_at": insp.inspected_at.isoformat(),
        "major_hazard": insp.major_hazard,
        "hazards": [{"ref": h.ref, "level": h.level, "status": h.status, "fix": h.fix,
                     "provision": h.provision, "description": h.description}
                    for h in insp.hazards],
        "measures": [{"ref": m.ref, "type": m.type, "status": m.status(today),
                      "until": m.until.isoformat() if m.until else None, "object": m.object}
                     for m in insp.measures],
        "deadlines": {d.kind: {"due": d.due.isoformat(), "status": d.status(today),
                               "done_on": d.done_on.isoformat() if d.done_on else None}
                      for d in insp.deadlines},
        "documents": [{"id": d.id, "kind": d.kind, "number": d.number, "sha256": d.sha256,
                       "issued_at": d.issued_at.isoformat()} for d in insp.documents],
        "approvals": [{"request": r.no, "status": r.status,
                       "measures": [{"ref": m["ref"], "type": m["type"], "object": m["object"]}
                                    for m in r.measures],
                       "requested_by": r.requested_by,
                       "requested_at": r.requested_at.isoformat(),
                       "decided_by": r.decided_by, "reason": r.reason}
                      for r in insp.requests],
        "cases": list(insp.cases),
        "warnings": list(insp.warnings),
        "history_length": insp.history_length,
        "version": insp.version,
        "drill": insp.drill,
        "rule_set": insp.rule_set_id,
    }


def late_refusals(case: Case, violations: list[dict[str, Any]], required: bool,
                  inspection: Inspection | None) -> list[Refusal]:
    """I7: under a rule set that requires it, a ``*-late`` provision needs the case's
    inspection to hold a hazard on the base provision that a recheck found unrectified after
    its order's deadline."""
    if not required:
        return []
    out = []
    for i, v in enumerate(violations):
        code = str(v["code"])
        if not code.endswith("-late"):
            continue
        base = code.removesuffix("-late")
        if inspection is None or inspection.unrectified_after_deadline(base) is None:
            out.append(Refusal(
                "uncorrected_order_required",
                f"{code}（逾期未改正）须以责令限期整改后经复查仍未整改的隐患为依据，本案没有这样的复查",
                f"{code} needs the case's inspection to hold a hazard on {base} found "
                "unrectified by a recheck after its order's deadline", f"violations.{i}.code"))
    return out


def grounds(insp: Inspection | None) -> dict[str, Any] | None:
    """The order and recheck a decision rests on (SPEC §6 I7): the last recheck that found a
    hazard unrectified after its order's deadline, else the last order with its last recheck;
    None without an inspection or an order."""
    if insp is None or not insp.orders:
        return None
    late = [r for r in insp.rechecks if r.at.date() > insp.orders[r.order_no - 1].deadline
            and not all(x["rectified"] for x in r.results)]
    recheck = late[-1] if late else (insp.rechecks[-1] if insp.rechecks else None)
    order = insp.orders[recheck.order_no - 1] if recheck else insp.orders[-1]
    return {"inspection": insp.number, "inspected_on": insp.inspected_at.date(),
            "order": order.number, "ordered_on": order.ordered_at.date(),
            "deadline": order.deadline,
            "recheck": recheck.number if recheck else None,
            "rechecked_on": recheck.at.date() if recheck else None,
            "unrectified": recheck is not None
            and not all(x["rectified"] for x in recheck.results)}
