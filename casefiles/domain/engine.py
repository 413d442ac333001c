"""Judging one action: person, state, role, input, then the action's rules; apply if none
refuse. The service layer loads, saves and records; this module decides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from casefiles.domain import machine
from casefiles.domain import rules as R
from casefiles.domain.context import Context
from casefiles.domain.docfacts import document_facts
from casefiles.domain.effects import Effects, issue
from casefiles.domain.errors import Refusal, ordered
from casefiles.domain.model import Case, Party, Person
from casefiles.domain.payloads import Payload, Register, parse
from casefiles.domain.policy import Profile, RuleSet
from casefiles.domain.registry import ACTIONS
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import parse_date

S = TypeVar("S")  # the states of what is judged: a case's, or an inspection's


@dataclass
class Judgement(Generic[S]):
    """The outcome of judging one action on one case (or one inspection)."""

    refusals: list[Refusal] = field(default_factory=list)
    effects: Effects = field(default_factory=Effects)
    role: str | None = None
    payload: Payload | None = None
    state_before: S | None = None
    state_after: S | None = None

    @property
    def accepted(self) -> bool:
        """No rule refused."""
        return not self.refusals


PERSON_FIELDS = ("investigators", "officers", "host", "approved_by")


def named_people(data: Any) -> list[str]:
    """Person ids a raw payload names (read before validation: an unknown person is refused
    ``unknown_person`` alone even in an otherwise malformed payload)."""
    if not isinstance(data, dict):
        return []
    out: list[str] = []
    for key in PERSON_FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [v for v in value if isinstance(v, str)]
    return out


def unknown_people(actor_id: str, data: Any, people: Mapping[str, Person]) -> list[Refusal]:
    """``unknown_person`` for the actor or any id in the payload that names nobody."""
    ids = [actor_id, *named_people(data)]
    missing = [i for i in dict.fromkeys(ids) if i not in people]
    return [Refusal("unknown_person", f"没有编号为{i}的人员", f"no person has the id {i!r}",
                    None if i == actor_id else "with") for i in missing]


def begin(state: S | None, payload: Payload | None, data: Any, ctx: Context) -> Judgement[S]:
    """The judgement of an action on a record in ``state`` (None before it exists): its
    payload, and ``unknown_person`` alone when the actor or the raw payload names nobody."""
    return Judgement(state_before=state, state_after=state, payload=payload,
                     refusals=unknown_people(ctx.actor.id, data, ctx.people))


def _role(actor: Person, action: str, case: Case | None) -> tuple[str | None, list[Refusal]]:
    spec = ACTIONS[action]
    role = next((r for r in spec.roles if actor.has_role(r)), None)
    if role is None:
        return None, [Refusal("forbidden_role", f"{actor.name}无权执行{action}",
                              f"{actor.id} may not {action}: it needs role "
                              f"{' or '.join(spec.roles)}")]
    if spec.investigators_only and case is not None and case.investigators \
            and actor.id not in case.investigators:
        return role, [Refusal("forbidden_role", f"{actor.name}不是本案调查人员",
                              f"{actor.id} does not investigate this case")]
    return role, []


# actions whose actor must not have investigated the case (APL arts. 43, 58, 64): their checks
# refuse an investigator (conflict_of_interest); pages do not offer them to one
ACTOR_INDEPENDENT: frozenset[str] = frozenset({"review", "hold_hearing", "decide"})


def may_take(actor: Person, action: str, case: Case) -> bool:
    """Whether ``actor`` may take ``action`` on ``case`` as far as who they are goes: a role
    for it (a person acts as head where the flows act as system), the case's investigators
    for their own steps, independence where it is required, the scheduled host for the
    hearing. The action's other rules are judged when it is taken."""
    roles = [r for r in ACTIONS[action].roles if r != "system"] or ["system"]
    if not any(actor.has_role(r) for r in roles):
        return False
    if ACTIONS[action].investigators_only and actor.id not in case.investigators:
        return False
    if action in ACTOR_INDEPENDENT and R.independent(actor, case, action):
        return False
    hearing = case.hearing
    return action != "hold_hearing" or (hearing is not None and hearing.host == actor.id)


def judge(case: Case | None, action: str, data: Any, ctx: Context,
          preflight: list[Refusal] | None = None) -> Judgement[CaseState]:
    """Judge ``action`` by ``ctx.actor`` on ``case`` (None for ``register``); on acceptance the
    case is changed in place. On refusal the case is untouched. ``preflight`` carries input
    refusals the service found before (an evidence file that cannot be read)."""
    payload, invalid = parse(action, data, ctx.today)
    invalid = invalid + list(preflight or [])
    j = begin(case.state if case else None, payload, data, ctx)
    if j.refusals:
        return j
    refusals: list[Refusal] = []
    target = None
    if case is not None:
        target = machine.target(case.state, action, data if isinstance(data, dict) else {})
        if target is None:
            refusals.append(Refusal("not_allowed_in_state",
                                    f"案件处于“{case.state.label}”，不能执行{action}",
                                    f"{action} is not allowed in state {case.state.value}"))
    j.role, role_refusals = _role(ctx.actor, action, case)
    refusals += role_refusals + invalid
    if not refusals and payload is not None and case is not None:
        refusals += ACTIONS[action].check(case, payload, ctx)
    if refusals:
        j.refusals = ordered(refusals)
        return j
    if case is not None and payload is not None and target is not None:
        ACTIONS[action].apply(case, payload, ctx, j.effects)
        case.state = target
        _take_facts(case, ctx, j.effects, payload)
    if ctx.periods.unconfirmed:
        j.effects.warn("calendar_unconfirmed")
    if ctx.unconfirmed_used and j.accepted:
        j.effects.warn("rule_unconfirmed")
    if case is not None:
        for w in j.effects.warnings:
            case.warn(w)
        j.state_after = case.state
    return j


def _take_facts(case: Case, ctx: Context, effects: Effects, payload: Payload) -> None:
    """Fix what each document issued by the action says, now that the action is applied."""
    issued = {data["document_id"]: data for kind, data in effects.events
              if kind == "document_issued"}
    for doc in case.documents:
        if doc.id in issued:
            issued[doc.id]["facts"] = document_facts(case, doc, ctx, payload)


@dataclass(frozen=True)
class RuleSets:
    """The rule sets that judge one action (SPEC §5): ``law`` of the violation's date, ``procedure``
    of the act's date; a drill's own rule set for both."""

    law: RuleSet
    procedure: RuleSet
    drill: bool = False

    def stamps(self) -> list[dict[str, str]]:
        """What the action's history entry records of them."""
        sets = [self.law] if self.law.id == self.procedure.id else [self.law, self.procedure]
        return [r.stamp() for r in sets]


def _day(data: Any, key: str) -> date | None:
    if not isinstance(data, dict) or data.get(key) is None:
        return None
    try:
        return parse_date(data[key])
    except (ValueError, TypeError):
        return None  # the payload's own validation names this field


def _outside(profile: Profile, what_zh: str, what_en: str, day: date,
             field_name: str | None) -> Refusal:
    start = profile.supported_from
    return Refusal(
        "invalid_input",
        f"{what_zh}{day.year}年{day.month}月{day.day}日不在本系统适用的期间内：规则配置"
        f"{profile.profile}自{start.year}年{start.month}月{start.day}日起适用，此前的案件请按"
        "纸质卷宗办理，或作为演练案件回放",
        f"{what_en} {day} is outside every rule set of profile {profile.profile}, which "
        f"covers {start} onwards", field_name)


def rules_for(profile: Profile, case: Case | None, data: Any, today: date,
              drill: str | None = None) -> tuple[RuleSets, list[Refusal]]:
    """The rule sets that judge an action, with a refusal when the violation or the act falls
    outside every rule set (SPEC §5). A drill's rule set (its case's, or ``drill`` for a new
    registration) judges everything whatever the dates."""
    pinned = case.rule_set_id if case is not None and case.drill else \
        drill if case is None else None
    if pinned is not None:
        chosen = profile.rule_set(pinned)
        return RuleSets(chosen, chosen, drill=True), []
    refusals: list[Refusal] = []
    procedure = profile.rule_set_for(today)
    if procedure is None:
        refusals.append(_outside(profile, "办理日期", "the act's date", today, None))
    if case is not None:
        law = profile.rule_set(case.rule_set_id)
    else:
        day = _day(data, "violation_ended") or _day(data, "violation_date")
        found = profile.rule_set_for(day) if day is not None else None
        if day is not None and found is None and not refusals:
            field_name = "violation_ended" if _day(data, "violation_ended") else "violation_date"
            refusals.append(_outside(profile, "违法行为日期", "the violation's date", day,
                                     field_name))
        law = found or procedure or profile.rule_sets[-1]
    return RuleSets(law, procedure or law), refusals


def new_case(case_id: str, profile: str, p: Register, ctx: Context, drill: bool = False,
             effects: Effects | None = None) -> Case:
    """The case a registration creates; it keeps the rule set of the violation's date (or of
    its drill). With ``effects``, its 案件来源登记表 is issued there."""
    party = Party(kind=p.party.kind, name=p.party.name, address=p.party.address,
                  credit_code=p.party.credit_code, id_number=p.party.id_number,
                  phone=p.party.phone, legal_rep=p.party.legal_rep)
    case = Case(id=case_id, profile=profile, rule_set_id=ctx.substance.id,
                state=CaseState.REGISTERED, sector=p.sector, source=p.source, summary=p.summary,
                party=party, registered_at=ctx.now, registered_by=ctx.actor.id,
                violation_date=p.violation_date, violation_ended=p.violation_ended, harm=p.harm,
                drill=drill, party_code=p.party.credit_code or p.party.id_number,
                inspection=p.inspection)
    if effects is not None:
        issue(case, "案件来源登记表", ctx, effects)
        _take_facts(case, ctx, effects, p)
    return case
