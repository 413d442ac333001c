"""Actions from the decision on: decide, serve, publish, pay, instalments, remind, court
enforcement, close, archive, revoke and withdraw."""

from __future__ import annotations

from datetime import date

from casefiles.domain import deadlines
from casefiles.domain import payloads as P
from casefiles.domain import rules as R
from casefiles.domain.actions import _not_in_state, _penalties
from casefiles.domain.context import Context
from casefiles.domain.documents import DECISION_DOCUMENTS, DOSSIER
from casefiles.domain.effects import Effects, fine_balance, fine_schedule, issue
from casefiles.domain.errors import Refusal
from casefiles.domain.model import (
    Appeal,
    Case,
    Decision,
    EnforcementApplication,
    Instalment,
    Payment,
    Penalty,
    Reminder,
)
from casefiles.domain.money import to_fen, to_yuan
from casefiles.domain.timefmt import local_date
from casefiles.domain.vocabulary import APPEAL_KINDS


def decided_penalties(case: Case, p: P.Decide) -> list[Penalty]:
    """The decision's penalties: those given, else the current proposal's."""
    if p.outcome != "penalty":
        return []
    if p.penalties is not None:
        return _penalties(p.penalties)
    proposal = case.proposal
    return [Penalty(type=x.type, amount=x.amount, on=x.on, violation=x.violation)
            for x in (proposal.penalties if proposal else [])]


def check_decide(case: Case, p: P.Decide, ctx: Context) -> list[Refusal]:
    out = R.independent(ctx.actor, case, "审批决定的负责人")
    penalties = decided_penalties(case, p)
    proposal = case.proposal
    if p.outcome == "penalty" and not penalties:
        out.append(Refusal("invalid_input", "拟处理意见无处罚，请列明 penalties",
                           "the proposal has no penalty; give penalties", "penalties"))
        return out
    if p.outcome == "penalty" and proposal is not None:
        out += R.fine_ranges(case, proposal.violations, penalties, ctx)[0]
    return out + R.decision_rules(case, p.outcome, penalties, ctx)


def apply_decide(case: Case, p: P.Decide, ctx: Context, fx: Effects) -> None:
    proposal = case.proposal
    if p.outcome == "penalty" and proposal is not None:
        for w in R.fine_ranges(case, proposal.violations, decided_penalties(case, p), ctx)[1]:
            if w != "outside_discretion_benchmark":  # the proposal warned of that already
                fx.warn(w)
    document = issue(case, DECISION_DOCUMENTS[p.outcome], ctx, fx)
    answer = p.defence_answer
    decision = Decision(number=document.number, outcome=p.outcome,
                        penalties=decided_penalties(case, p), decided_at=ctx.now,
                        decided_by=ctx.actor.id,
                        defence_accepted=answer.accepted if answer else None,
                        defence_reasons=answer.reasons if answer else None,
                        suspected_crime=p.suspected_crime, goods=list(p.goods or []),
                        appraisals=list(p.appraisals or []))
    case.decisions.append(decision)
    if any(x.statement for x in case.defences if x.proposal_no == case.proposal_no):
        issue(case, "陈述申辩复核意见书", ctx, fx)
    issue(case, "案件处理呈批表", ctx, fx)
    d = case.deadline("decision")
    if d is not None:
        d.done_on = ctx.today
    case.set_deadline("service", deadlines.service_due(decision, ctx.rules, ctx.periods))
    if p.outcome == "penalty":
        case.set_deadline("publication",
                          deadlines.publication_due(decision, ctx.rules, ctx.periods))
        fx.events.append(("publish_decision", {"decision_id": decision.id}))


def _decision(case: Case) -> Decision:
    d = case.decision
    assert d is not None, "the machine admits this action only after a decision"
    return d


def apply_serve(case: Case, p: P.Serve, ctx: Context, fx: Effects) -> None:
    d = _decision(case)
    d.served_at, d.service_method, d.recipient = ctx.now, p.method, p.recipient
    _done(case, "service", ctx.today, fx, "service_late")
    if d.fine:
        case.set_deadline("payment", deadlines.payment_due(ctx.today, ctx.rules, ctx.periods))
    issue(case, "文书送达回执", ctx, fx)


def _done(case: Case, kind: str, day: date, fx: Effects, late_code: str) -> None:
    d = case.deadline(kind)
    if d is not None and d.done_on is None:
        d.done_on = day
        if day > d.due:
            fx.warn(late_code)


def check_publish(case: Case, p: P.Empty, ctx: Context) -> list[Refusal]:
    return publication_refusals(case)


def publication_refusals(case: Case) -> list[Refusal]:
    """Why the decision cannot be published now (empty: it is due for publication)."""
    d = case.decision
    if d is None:
        return _not_in_state("尚未作出决定", "there is no decision")
    if d.outcome != "penalty":
        return _not_in_state("只公示行政处罚决定", "only penalty decisions are published")
    if d.revoked_at is not None:
        return _not_in_state("决定已撤销，不再公示", "a revoked decision is not published")
    if d.published_at is not None:
        return _not_in_state("决定已公示", "the decision is already published")
    return []


def apply_publish(case: Case, p: P.Empty, ctx: Context, fx: Effects) -> None:
    d = _decision(case)
    d.published_at, d.published_by = ctx.now, ctx.actor.id
    _done(case, "publication", ctx.today, fx, "publication_late")


def check_pay(case: Case, p: P.Pay, ctx: Context) -> list[Refusal]:
    d = _decision(case)
    paid_on = p.paid_on or ctx.today
    owed = fine_balance(case, ctx.rules, paid_on).outstanding
    if d.fine == 0 or d.revoked_at is not None:
        return _not_in_state("本案无罚款可缴", "this case has no fine to pay")
    if d.served_at is not None and paid_on < local_date(d.served_at):
        return [Refusal("invalid_input", "缴款日期早于决定送达", "paid before service", "paid_on")]
    if to_fen(p.amount) > owed:
        return [Refusal("invalid_input", f"缴款超过应缴金额{to_yuan(owed)}元",
                        f"more than the {to_yuan(owed)} yuan owed", "amount")]
    return []


def apply_pay(case: Case, p: P.Pay, ctx: Context, fx: Effects) -> None:
    paid_on = p.paid_on or ctx.today
    due = case.deadline("payment")
    first_unpaid = _first_unpaid_due(case, paid_on)
    if first_unpaid is not None and paid_on > first_unpaid:
        fx.warn("payment_late")
    case.payments.append(Payment(amount=to_fen(p.amount), paid_on=paid_on, recorded_at=ctx.now,
                                 recorded_by=ctx.actor.id))
    after = fine_balance(case, ctx.rules, paid_on)
    if due is not None and due.done_on is None and after.fine_outstanding == 0:
        due.done_on = after.fine_paid_on or paid_on


def _first_unpaid_due(case: Case, as_of: date) -> date | None:
    """The due day of the first amount of the fine (whole, or instalment) not yet covered by
    the payments recorded up to ``as_of``."""
    paid = sum(p.amount for p in case.payments if p.paid_on <= as_of)
    covered = 0
    for item in sorted(fine_schedule(case), key=lambda s: s.due):
        covered += item.amount
        if paid < covered:
            return item.due
    return None


def check_instalments(case: Case, p: P.Instalments, ctx: Context) -> list[Refusal]:
    d = _decision(case)
    total = sum(to_fen(i.amount) for i in p.schedule)
    dues = [i.due for i in p.schedule]
    if d.fine == 0 or d.revoked_at is not None:
        return _not_in_state("本案无罚款", "this case has no fine")
    if total != d.fine:
        return [Refusal("invalid_input", f"分期金额合计应等于罚款{to_yuan(d.fine)}元",
                        f"the instalments add up to the fine of {to_yuan(d.fine)} yuan",
                        "schedule")]
    if dues != sorted(set(dues)) or dues[0] < ctx.today:
        return [Refusal("invalid_input", "各期缴款日期应递增且不早于今日",
                        "due dates rise and none is before today", "schedule")]
    return []


def apply_instalments(case: Case, p: P.Instalments, ctx: Context, fx: Effects) -> None:
    number = max((i.schedule_no for i in case.instalments), default=0) + 1
    case.instalments += [Instalment(schedule_no=number, due=i.due, amount=to_fen(i.amount))
                         for i in p.schedule]
    case.set_deadline("payment", p.schedule[-1].due)
    issue(case, "延期（分期）缴纳罚款批准书", ctx, fx)


def check_remind(case: Case, p: P.Empty, ctx: Context) -> list[Refusal]:
    """A reminder (催告) only for a fine that is owed after its due day."""
    return _overdue(case, ctx)


def _overdue(case: Case, ctx: Context) -> list[Refusal]:
    due = case.deadline("payment")
    if fine_balance(case, ctx.rules, ctx.today).outstanding == 0 or due is None:
        return _not_in_state("没有欠缴的罚款", "nothing is owed")
    if ctx.today <= due.due:
        return _not_in_state(f"缴款期限{due.due}尚未届满", f"payment is due by {due.due}")
    return []


def apply_remind(case: Case, p: P.Empty, ctx: Context, fx: Effects) -> None:
    case.reminders.append(Reminder(issued_at=ctx.now, by=ctx.actor.id))
    issue(case, "罚款催告书", ctx, fx)


def check_apply_enforcement(case: Case, p: P.ApplyEnforcement, ctx: Context) -> list[Refusal]:
    out = _overdue(case, ctx)
    if out:
        return out
    served = _decision(case).served_at
    assert served is not None
    reminded = local_date(case.reminders[-1].issued_at) if case.reminders else None
    return R.enforcement_rules(local_date(served), reminded, ctx)


def apply_apply_enforcement(case: Case, p: P.ApplyEnforcement, ctx: Context,
                            fx: Effects) -> None:
    case.enforcements.append(EnforcementApplication(court=p.court, applied_at=ctx.now,
                                                    by=ctx.actor.id))
    issue(case, "强制执行申请书", ctx, fx)


def check_close(case: Case, p: P.Close, ctx: Context) -> list[Refusal]:
    d = _decision(case)
    if d.outcome != "penalty" or d.revoked_at is not None or case.enforcements:
        return []
    if d.served_at is None:
        return [Refusal("execution_incomplete", "处罚决定尚未送达", "the decision is not served")]
    owed = fine_balance(case, ctx.rules, ctx.today).outstanding
    if owed:
        return [Refusal("execution_incomplete", f"尚欠罚款及加处罚款{to_yuan(owed)}元",
                        f"{to_yuan(owed)} yuan of fine and surcharge is still owed")]
    return []


def apply_close(case: Case, p: P.Close, ctx: Context, fx: Effects) -> None:
    case.closed_at, case.close_summary = ctx.now, p.summary
    issue(case, "结案审批表", ctx, fx)


def apply_archive(case: Case, p: P.Empty, ctx: Context, fx: Effects) -> None:
    case.archived_at = ctx.now
    issue(case, DOSSIER, ctx, fx, number=case.number)


def check_revoke(case: Case, p: P.Reason, ctx: Context) -> list[Refusal]:
    if _decision(case).revoked_at is not None:
        return _not_in_state("决定已撤销", "the decision is already revoked")
    return []


def apply_revoke(case: Case, p: P.Reason, ctx: Context, fx: Effects) -> None:
    issue(case, "撤销行政处罚决定书", ctx, fx)
    _revoke(case, p.reason, ctx, fx)


def _revoke(case: Case, reason: str, ctx: Context, fx: Effects) -> None:
    """The decision no longer stands: its open deadlines lapse, and a published one is to be
    withdrawn (the flows run ``withdraw`` within the withdrawal deadline)."""
    d = _decision(case)
    d.revoked_at, d.revoke_reason = ctx.now, reason
    case.drop_deadlines("service", "publication", "payment")
    if d.published_at is not None:
        case.set_deadline("withdrawal", deadlines.withdrawal_due(ctx.today, ctx.rules,
                                                                  ctx.periods))
        fx.events.append(("withdraw_publication", {"decision_id": d.id}))


def check_appeal(case: Case, p: P.AppealIn, ctx: Context) -> list[Refusal]:
    decided_on = local_date(_decision(case).decided_at)
    if p.filed_on < decided_on:
        return [Refusal("invalid_input", f"申请（起诉）日期早于决定日期{decided_on.isoformat()}",
                        f"filed before the decision of {decided_on.isoformat()}", "filed_on")]
    if p.outcome in (None, "pending") and _pending_appeal(case, p.kind) is not None:
        return _not_in_state(f"已有未决的{APPEAL_KINDS[p.kind]}，再次登记应写明结果",
                             f"a {p.kind} is already pending: give its outcome")
    return []


def _pending_appeal(case: Case, kind: str) -> Appeal | None:
    return next((a for a in reversed(case.appeals)
                 if a.kind == kind and a.outcome == "pending"), None)


def apply_appeal(case: Case, p: P.AppealIn, ctx: Context, fx: Effects) -> None:
    """Record a reconsideration or lawsuit; a later one of the same kind, while the first is
    pending, gives its outcome. A revoking outcome revokes the decision as ``revoke`` does, but
    the bureau issues no document: the revoking decision or judgment is the other body's."""
    appeal = _pending_appeal(case, p.kind)
    if appeal is None:
        appeal = Appeal(kind=p.kind, filed_on=p.filed_on, body=p.body, recorded_at=ctx.now,
                        recorded_by=ctx.actor.id)
        case.appeals.append(appeal)
    if p.outcome is None or p.outcome == "pending":
        return
    appeal.outcome, appeal.decided_on = p.outcome, p.decided_on or ctx.today
    if p.outcome == "revoked" and _decision(case).revoked_at is None:
        _revoke(case, f"{APPEAL_KINDS[p.kind]}撤销（{p.body}，{appeal.decided_on.isoformat()}）",
                ctx, fx)


def check_withdraw(case: Case, p: P.Empty, ctx: Context) -> list[Refusal]:
    return withdrawal_refusals(case)


def withdrawal_refusals(case: Case) -> list[Refusal]:
    """Why the publication cannot be withdrawn now (empty: its withdrawal is due)."""
    d = case.decision
    if d is None or d.revoked_at is None or d.published_at is None:
        return _not_in_state("只有已公示且已撤销的决定才撤回公示",
                             "only a revoked, published decision is withdrawn")
    if d.withdrawn_at is not None:
        return _not_in_state("公示已撤回", "the publication is already withdrawn")
    return []


def apply_withdraw(case: Case, p: P.Empty, ctx: Context, fx: Effects) -> None:
    _decision(case).withdrawn_at = ctx.now
    _done(case, "withdrawal", ctx.today, fx, "withdrawal_late")

