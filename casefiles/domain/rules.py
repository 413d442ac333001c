"""The rules of SPEC §2 as pure functions over the case, the payload, the policy and the clock.
Each returns the refusals it finds (empty when the rule is met)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from casefiles.domain import deadlines
from casefiles.domain.context import Context
from casefiles.domain.errors import Refusal
from casefiles.domain.model import Case, Penalty, Person
from casefiles.domain.money import to_yuan
from casefiles.domain.policy import Provision, RuleSet
from casefiles.domain.timefmt import local_date
from casefiles.domain.workdays import add_years

# --- people -----------------------------------------------------------------------------------


_OFFICER_LABELS = {"investigators": "立案调查人员", "officers": "在场执法人员"}


def certified_officers(ids: Sequence[str], minimum: int, ctx: Context, what: str) -> list[Refusal]:
    """At least ``minimum`` distinct people, each an officer with a certificate (APL 42, 55)."""
    out: list[Refusal] = []
    distinct = list(dict.fromkeys(ids))
    label = _OFFICER_LABELS.get(what, what)
    if len(distinct) < minimum:
        out.append(Refusal("too_few_officers", f"{label}应至少{minimum}名执法人员",
                           f"{what} needs at least {minimum} officers", what))
    for pid in distinct:
        p = ctx.person(pid)
        if not (p.has_role("officer") and p.certified):
            out.append(Refusal("officer_not_certified", f"{p.name}（{pid}）无有效执法证",
                               f"{pid} holds no valid enforcement certificate", what))
    return out


def independent(person: Person, case: Case, duty: str) -> list[Refusal]:
    """A reviewer, host or approving head must not be an investigator (APL 43, 58, 64)."""
    if person.id in case.investigators:
        return [Refusal("conflict_of_interest", f"{person.name}是本案调查人员，不得担任{duty}",
                        f"{person.id} investigates this case and cannot act as {duty}")]
    return []


def qualified_reviewer(person: Person) -> list[Refusal]:
    """APL art. 58: the reviewer holds the legal professional qualification."""
    if not person.legal_qualification:
        return [Refusal("reviewer_not_qualified", f"{person.name}未取得法律职业资格",
                        f"{person.id} has no legal professional qualification")]
    return []


# --- filing -----------------------------------------------------------------------------------


def limitation(case: Case, rules: RuleSet) -> list[Refusal]:
    # ``rules``: the rule set of the violation's date (limitation is substantive, APL art. 37)
    """APL art. 36: 2 years (5 with harm to life, health or financial safety)."""
    ended = case.violation_ended or case.violation_date
    years = (rules.limitation_years_harm if case.harm else rules.limitation_years).value
    discovered = local_date(case.registered_at)
    if discovered > add_years(ended, years):
        return [Refusal("limitation_expired",
                        f"违法行为{ended}终了，至{discovered}发现已超过{years}年追责时效",
                        f"the violation ended {ended}, over {years} years before its discovery "
                        f"on {discovered}")]
    return []


# --- proposal ---------------------------------------------------------------------------------


def _fine_groups(case: Case, violations: Sequence[dict[str, Any]], penalties: Sequence[Penalty],
                 provisions: Sequence[Provision | None]
                 ) -> list[tuple[list[Provision], list[str], int]]:
    """Fines grouped by whom they fall on (the unit, or a person), with their provisions. An
    individual party is itself the 生产经营单位 (a natural person in business): the provisions
    on the unit fine it as the operator, beside those on a responsible person."""
    provs = [(p, v["tier"]) for p, v in zip(provisions, violations, strict=True)]
    groups: list[tuple[list[Provision], list[str], int]] = []
    operator = case.party.kind == "individual"
    for target in ("unit", "person"):
        chosen = [(p, t) for p, t in provs if p is not None and (
            p.target == target or (operator and target == "person" and p.target == "unit"))]
        fines = [x for x in penalties if x.type == "fine" and _target(case, x) == target]
        if fines:
            groups.append(([p for p, _ in chosen], [t for _, t in chosen],
                           sum(x.amount or 0 for x in fines)))
    return groups


def _target(case: Case, penalty: Penalty) -> str:
    if case.party.kind == "individual" or not penalty.on or penalty.on == "unit":
        return "unit" if case.party.kind == "organisation" else "person"
    return "person"


def fine_ranges(case: Case, violations: Sequence[dict[str, Any]], penalties: Sequence[Penalty],
                ctx: Context) -> tuple[list[Refusal], list[str]]:
    """Statutory range (refuse) and discretion benchmark (warn) of each group of fines, by the
    provisions that apply (the lighter later law where there is one: ``lighter_law_applied``;
    an unconfirmed benchmark used: ``rule_unconfirmed``)."""
    refusals: list[Refusal] = []
    warnings: list[str] = []
    applied = [ctx.provision(v["code"]) for v in violations]
    if any(lighter for _, lighter in applied):
        warnings.append("lighter_law_applied")
    provisions = [p for p, _ in applied]
    linked = [x for x in penalties if x.type == "fine" and x.violation is not None]
    if any(x.violation is not None and x.violation > len(violations) for x in linked):
        return [Refusal("invalid_input", f"罚款所对应的违法行为不存在（共{len(violations)}项）",
                        f"a fine names a violation beyond the {len(violations)} proposed",
                        "penalties")], warnings
    # a fine for one violation is judged by that violation's range alone (分别裁量), grouped
    # by whom it falls on as any fine (several naming one violation are summed: splitting a
    # fine does not widen its range); the other fines together, by the provisions of the
    # violations that have no fine of their own
    own = sorted({(x.violation or 0) - 1 for x in linked})
    judged = [group for i in own for group in _fine_groups(
        case, [violations[i]], [x for x in linked if x.violation == i + 1], [provisions[i]])]
    rest = [i for i in range(len(violations)) if i not in own]
    judged += _fine_groups(case, [violations[i] for i in rest],
                           [x for x in penalties if x not in linked],
                           [provisions[i] for i in rest])
    for provs, tiers, total in judged:
        yuan = to_yuan(total)
        if not provs:
            refusals.append(Refusal("amount_out_of_range", "罚款对象与违法条款不符",
                                    "no provision of the proposal fines this target",
                                    "penalties"))
            continue
        low = sum((p.range.min for p in provs), Decimal(0))
        high = sum((p.range.max for p in provs), Decimal(0))
        if not low <= yuan <= high:
            refusals.append(Refusal(
                "amount_out_of_range", f"罚款{yuan}元超出法定幅度{low}–{high}元",
                f"fine of {yuan} yuan is outside the statutory range {low}–{high}",
                "penalties"))
            continue
        benched = [(p.tiers or {}).get(t) for p, t in zip(provs, tiers, strict=True)]
        if all(b is not None for b in benched) and benched:
            if not all(p.tiers_confirmed for p in provs):
                warnings.append("rule_unconfirmed")
            b_low = sum((b.min for b in benched if b), Decimal(0))
            b_high = sum((b.max for b in benched if b), Decimal(0))
            if not b_low <= yuan <= b_high:
                warnings.append("outside_discretion_benchmark")
    return refusals, warnings


def first_violation_exemptions(case: Case, violations: Sequence[dict[str, Any]],
                               penalties: Sequence[Penalty], ctx: Context) -> list[str]:
    """APL art. 33 para. 1: a fine proposed on a provision of the first-violation list while its
    conditions hold (corrected in time, no harm, no earlier case of the same party within the
    list's look-back period) warns ``first_violation_exemption``."""
    if not any(p.type == "fine" for p in penalties) or case.harm:
        return []
    code = case.party.credit_code or case.party.id_number
    for v in violations:
        listed = [r.first_violation for r in (ctx.substance, ctx.rules)
                  if r.first_violation.entry(v["code"]) is not None]
        if listed and v.get("corrected") and code and \
                ctx.earlier_cases(code, listed[-1].lookback_years) == 0:
            return ["first_violation_exemption"]
    return []


def hearing_eligible(kind: str, penalties: Iterable[Penalty], rules: RuleSet) -> bool:
    """APL art. 63: a large fine or confiscation, suspension, revocation or closure."""
    threshold = (rules.hearing_threshold.organisation if kind == "organisation"
                 else rules.hearing_threshold.individual)
    items = list(penalties)
    fines = sum(p.amount or 0 for p in items if p.type == "fine")
    seized = sum(p.amount or 0 for p in items if p.type == "confiscation")
    return (to_yuan(fines) >= threshold or to_yuan(seized) >= threshold
            or any(p.type in ("suspension", "revocation", "closure") for p in items))


def review_required(case: Case, rules: RuleSet, outcome: str | None = None) -> bool:
    """The catalogue of major decisions (重大执法决定目录) applied to the case."""
    p = case.proposal
    if p is None:
        return False
    eligible_now = p.outcome == "penalty" and hearing_eligible(case.party.kind, p.penalties, rules)
    if eligible_now and rules.major_when("hearing_eligible"):
        return True
    if rules.major_when("after_hearing") and any(h.status == "held" for h in case.hearings):
        return True
    final = outcome or p.outcome
    return (final in ("no_penalty", "transfer")
            and rules.major_when("no_penalty_or_transfer_when_eligible")
            and any(q.hearing_eligible for q in case.proposals))


def discussion_required(case: Case, rules: RuleSet, outcome: str | None = None) -> bool:
    """APL art. 57 as the profile applies it."""
    return (rules.collective_discussion.when == "legal_review_required"
            and review_required(case, rules, outcome))


# --- decision ---------------------------------------------------------------------------------


def heavier(decided: Sequence[Penalty], notified: Sequence[Penalty]) -> bool:
    """APL art. 44, 45: heavier than notified when it adds a kind of penalty or a larger sum.
    A warning alone is never heavier than a notified penalty."""
    if decided and all(p.type == "warning" for p in decided) and notified:
        return False
    kinds = {p.type for p in notified}
    if any(p.type not in kinds for p in decided):
        return True
    for kind in ("fine", "confiscation"):
        if (sum(p.amount or 0 for p in decided if p.type == kind)
                > sum(p.amount or 0 for p in notified if p.type == kind)):
            return True
    return False


def decision_rules(case: Case, outcome: str, penalties: Sequence[Penalty],
                   ctx: Context) -> list[Refusal]:
    """Everything a decision needs: notice, windows, hearing, review, discussion, time."""
    rules, today, out = ctx.rules, ctx.today, []
    notice = case.notice
    if outcome == "penalty":
        if notice is None:
            out.append(Refusal("notice_required", "未送达行政处罚告知书，不得作出处罚决定",
                               "no penalty decision without a served notice"))
        else:
            if not case.waived() and today <= notice.defence_due:
                out.append(Refusal("defence_window_open",
                                   f"陈述申辩期至{notice.defence_due}尚未届满",
                                   f"the statement and defence window runs to "
                                   f"{notice.defence_due}"))
            proposal = case.proposal
            if proposal is not None and heavier(penalties, proposal.penalties):
                out.append(Refusal("heavier_than_notified", "决定重于告知的处罚，应重新告知",
                                   "the decision is heavier than the notice; notify again"))
    h = case.hearing
    if h is not None and h.status in ("requested", "scheduled"):
        out.append(Refusal("hearing_pending", "听证尚未举行", "the requested hearing is pending"))
    if review_required(case, rules, outcome) and case.review_status() != "passed":
        out.append(Refusal("legal_review_required", "重大执法决定须经法制审核通过",
                           "a major decision needs a passing legal review"))
    if (discussion_required(case, rules, outcome)
            and not case.discussed(rules.collective_discussion.min_attendees.value)):
        out.append(Refusal("collective_discussion_required", "须经集体讨论决定",
                           "a collective discussion must come first"))
    due = deadlines.decision_due(case, rules, ctx.periods)
    if today > due:
        out.append(Refusal("decision_overdue", f"已超过作出决定期限{due}，且无延期批准",
                           f"the decision was due by {due}; no extension covers today"))
    return out


# --- execution --------------------------------------------------------------------------------


def enforcement_rules(served_on: date, reminded_on: date | None, ctx: Context) -> list[Refusal]:
    """行政强制法 art. 53, 54: after the appeal periods, within 3 months, after a reminder."""
    rules, today, periods, out = ctx.rules, ctx.today, ctx.periods, []
    open_until = deadlines.appeal_periods_end(served_on, rules, periods)
    if today <= open_until:
        out.append(Refusal("appeal_period_open", f"复议、诉讼期限至{open_until}尚未届满",
                           f"reconsideration and lawsuit periods run to {open_until}"))
    last = deadlines.enforcement_window_end(served_on, rules, periods)
    if today > last:
        out.append(Refusal("enforcement_window_closed", f"申请强制执行期限已于{last}届满",
                           f"the window to apply to the court closed on {last}"))
    if reminded_on is None:
        out.append(Refusal("reminder_period_open", "尚未催告", "no written reminder was issued"))
    else:
        end = deadlines.reminder_end(reminded_on, rules, periods)
        if today <= end:
            out.append(Refusal("reminder_period_open", f"催告期限至{end}尚未届满",
                               f"the reminder's 10 working days run to {end}"))
    return out
