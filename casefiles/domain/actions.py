"""Every action of SCENARIOS.md: who may take it, what it checks, what it changes.

``check`` returns refusals and changes nothing; ``apply`` runs only when ``check`` found none.
Both are pure over the case, the payload and the :class:`Context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casefiles.domain import deadlines
from casefiles.domain import payloads as P
from casefiles.domain import rules as R
from casefiles.domain.context import Context
from casefiles.domain.documents import RECORD_DOCUMENTS
from casefiles.domain.effects import Effects, issue
from casefiles.domain.errors import Refusal
from casefiles.domain.history import jsonable
from casefiles.domain.model import (
    Case,
    Defence,
    Discussion,
    Evidence,
    Extension,
    Hearing,
    Notice,
    Penalty,
    Proposal,
    Review,
)
from casefiles.domain.timefmt import local_date

Check = Callable[[Case, Any, Context], list[Refusal]]
Apply = Callable[[Case, Any, Context, Effects], None]


@dataclass(frozen=True)
class ActionSpec:
    """One action: the roles that may take it, its rules and its effect."""

    name: str
    roles: tuple[str, ...]
    check: Check
    apply: Apply
    investigators_only: bool = False


def _none(case: Case, p: Any, ctx: Context) -> list[Refusal]:
    return []


def _nothing(case: Case, p: Any, ctx: Context, fx: Effects) -> None:
    return None


def _penalties(items: list[P.PenaltyIn] | None) -> list[Penalty]:
    return [Penalty(type=i.type, amount=i.fen, on=i.on, violation=i.violation)
            for i in items or []]


def _not_in_state(why_zh: str, why_en: str) -> list[Refusal]:
    return [Refusal("not_allowed_in_state", why_zh, why_en)]


# --- filing -----------------------------------------------------------------------------------


def check_file(case: Case, p: P.File, ctx: Context) -> list[Refusal]:
    return (R.certified_officers(p.investigators, ctx.rules.min_investigators.value, ctx,
                                 "investigators") + R.limitation(case, ctx.substance))


def apply_file(case: Case, p: P.File, ctx: Context, fx: Effects) -> None:
    case.investigators = list(dict.fromkeys(p.investigators))
    case.cause, case.filed_at = p.cause, ctx.now
    case.number = issue(case, "立案审批表", ctx, fx).number
    case.set_deadline("decision", deadlines.decision_due(case, ctx.rules, ctx.periods))


def apply_end(case: Case, p: P.Reason, ctx: Context, fx: Effects) -> None:
    case.end_reason = p.reason
    case.drop_deadlines("decision")


def apply_decline(case: Case, p: P.Decline, ctx: Context, fx: Effects) -> None:
    """不予立案, with its 不予立案审批表, and the notice that tells a complaint's source."""
    apply_end(case, p, ctx, fx)
    issue(case, "不予立案审批表", ctx, fx)
    if case.source == "complaint":
        issue(case, "不予立案告知书", ctx, fx)


def apply_terminate(case: Case, p: P.Reason, ctx: Context, fx: Effects) -> None:
    """终止调查, with its 终止调查审批表."""
    apply_end(case, p, ctx, fx)
    issue(case, "终止调查审批表", ctx, fx)


# --- investigation ----------------------------------------------------------------------------


def check_record(case: Case, p: P.Record, ctx: Context) -> list[Refusal]:
    return R.certified_officers(p.officers, ctx.rules.min_evidence_officers.value, ctx, "officers")


def apply_record(case: Case, p: P.Record, ctx: Context, fx: Effects) -> None:
    case.evidence.append(Evidence(kind=p.kind, title=p.title, officers=list(p.officers),
                                  recorded_at=ctx.now, recorded_by=ctx.actor.id, sha256=p.sha256,
                                  stored_path=p.file, content=p.content, place=p.place,
                                  interviewee=p.interviewee))
    if p.sha256:
        fx.files.append(p.sha256)
    if p.kind == "inquiry" and p.summons is not None:
        issue(case, "询问通知书", ctx, fx)
    if p.kind in RECORD_DOCUMENTS:
        issue(case, RECORD_DOCUMENTS[p.kind], ctx, fx)


def check_preserve(case: Case, p: P.Preserve, ctx: Context) -> list[Refusal]:
    """先行登记保存 needs two certified officers, the approval of the bureau's head, and no
    earlier preservation still waiting for its handling decision (APL art. 56)."""
    out = R.certified_officers(p.officers, ctx.rules.min_evidence_officers.value, ctx,
                               "officers")
    approver = ctx.person(p.approved_by)
    if not approver.has_role("head"):
        out.append(Refusal("forbidden_role", f"{approver.name}不是行政机关负责人，不能批准先行登记保存",
                           f"{p.approved_by} is not the head and cannot approve a preservation",
                           "approved_by"))
    pending = case.deadline("preservation")
    if pending is not None and pending.done_on is None and not pending.not_applicable:
        out.append(Refusal("not_allowed_in_state", "上一次先行登记保存尚未作出处理决定",
                           "the previous preservation still awaits its handling decision"))
    return out


def apply_preserve(case: Case, p: P.Preserve, ctx: Context, fx: Effects) -> None:
    case.evidence.append(Evidence(kind="physical", title=f"先行登记保存：{p.items}",
                                  officers=list(p.officers), recorded_at=ctx.now,
                                  recorded_by=ctx.actor.id))
    due = case.set_deadline("preservation", ctx.periods.working_days(
        ctx.today, ctx.rules.preservation_working_days.value))
    due.done_on, due.not_applicable = None, False
    issue(case, "先行登记保存证据通知书", ctx, fx)


def check_handle_preservation(case: Case, p: P.HandlePreservation,
                              ctx: Context) -> list[Refusal]:
    pending = case.deadline("preservation")
    if pending is None or pending.done_on is not None or pending.not_applicable:
        return _not_in_state("没有待作处理决定的先行登记保存",
                             "no preservation awaits a handling decision")
    return []


def apply_handle_preservation(case: Case, p: P.HandlePreservation, ctx: Context,
                              fx: Effects) -> None:
    pending = case.deadline("preservation")
    assert pending is not None
    pending.done_on = ctx.today
    if ctx.today > pending.due:
        fx.warn("preservation_late")
    issue(case, "先行登记保存证据处理决定书", ctx, fx)


def check_propose(case: Case, p: P.Propose, ctx: Context) -> list[Refusal]:
    law = ctx.substance
    out = [Refusal("invalid_input", f"条款代码{v.code}不在{law.id}目录中",
                   f"provision {v.code} is not in catalogue {law.id}",
                   f"violations.{i}.code")
           for i, v in enumerate(p.violations) if law.provision(v.code) is None]
    if out:
        return out
    refusals, _ = R.fine_ranges(case, _violations(p), _penalties(p.penalties), ctx)
    from casefiles.domain.inspections import late_refusals  # it imports the engine
    return refusals + late_refusals(case, _violations(p),
                                    ctx.substance.uncorrected_order_required, ctx.inspection)


def _violations(p: P.Propose) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for v in p.violations:
        item: dict[str, Any] = {"code": v.code, "tier": v.tier, "facts": v.facts}
        if v.corrected is not None:
            item["corrected"] = v.corrected
        out.append(item)
    return out


def apply_propose(case: Case, p: P.Propose, ctx: Context, fx: Effects) -> None:
    penalties = _penalties(p.penalties)
    _, warnings = R.fine_ranges(case, _violations(p), penalties, ctx)
    warnings += R.first_violation_exemptions(case, _violations(p), penalties, ctx)
    for w in warnings:
        fx.warn(w)
    case.proposal_no += 1
    proposal = Proposal(no=case.proposal_no, violations=_violations(p),
                        outcome=p.resolved_outcome, penalties=penalties, proposed_at=ctx.now,
                        proposed_by=ctx.actor.id)
    case.proposals.append(proposal)
    refresh_flags(case, ctx)
    issue(case, "案件调查报告", ctx, fx)


def refresh_flags(case: Case, ctx: Context) -> None:
    """Derive the three flags of the current proposal from it and the policy."""
    proposal = case.proposal
    assert proposal is not None
    proposal.hearing_eligible = (proposal.outcome == "penalty" and R.hearing_eligible(
        case.party.kind, proposal.penalties, ctx.rules))
    proposal.legal_review_required = R.review_required(case, ctx.rules)
    proposal.collective_discussion_required = R.discussion_required(case, ctx.rules)


# --- notice and hearing -----------------------------------------------------------------------


def check_notify(case: Case, p: P.Empty, ctx: Context) -> list[Refusal]:
    proposal = case.proposal
    if proposal is None or proposal.outcome != "penalty":
        return _not_in_state("拟不予处罚或移送的案件无需处罚告知",
                             "only a proposed penalty is notified")
    return []


def apply_notify(case: Case, p: P.Empty, ctx: Context, fx: Effects) -> None:
    proposal = case.proposal
    assert proposal is not None
    day, eligible = ctx.today, proposal.hearing_eligible
    case.notices.append(Notice(
        proposal_no=proposal.no, notified_at=ctx.now,
        defence_due=deadlines.defence_due(day, eligible, ctx.rules, ctx.periods),
        hearing_request_due=(deadlines.hearing_request_due(day, ctx.rules, ctx.periods)
                             if eligible else None)))
    issue(case, "行政处罚告知书", ctx, fx)
    if eligible:
        issue(case, "听证告知书", ctx, fx)


def apply_defend(case: Case, p: P.Defend, ctx: Context, fx: Effects) -> None:
    case.defences.append(Defence(proposal_no=case.proposal_no, at=ctx.now,
                                 statement=p.statement, waived=bool(p.waive)))
    if p.statement:
        issue(case, "陈述申辩笔录", ctx, fx)
    h = case.hearing
    if p.waive and h is not None and h.status in ("requested", "scheduled"):
        h.status = "waived"


def _no_hearing(zh: str, en: str) -> list[Refusal]:
    return [Refusal("hearing_not_available", zh, en)]


def check_request_hearing(case: Case, p: P.RequestHearing, ctx: Context) -> list[Refusal]:
    proposal, notice = case.proposal, case.notice
    if proposal is None or notice is None or not proposal.hearing_eligible:
        return _no_hearing("本案拟处罚不属于听证范围",
                           "the proposed penalty gives no hearing right")
    if case.hearing is not None:
        return _not_in_state("已申请听证", "a hearing was already requested")
    if case.waived():
        return _no_hearing("当事人已书面放弃听证", "the party waived the hearing in writing")
    requested = p.requested_on or ctx.today
    if notice.hearing_request_due is not None and requested > notice.hearing_request_due:
        return [Refusal("hearing_request_late",
                        f"听证申请期限已于{notice.hearing_request_due}届满",
                        f"the hearing request window closed on {notice.hearing_request_due}")]
    return []


def apply_request_hearing(case: Case, p: P.RequestHearing, ctx: Context, fx: Effects) -> None:
    case.hearings.append(Hearing(proposal_no=case.proposal_no,
                                 requested_on=p.requested_on or ctx.today))


def check_schedule_hearing(case: Case, p: P.ScheduleHearing, ctx: Context) -> list[Refusal]:
    h = case.hearing
    if h is None or h.status != "requested":
        return _no_hearing("当事人未申请听证或听证已安排", "no hearing request awaits scheduling")
    host = ctx.person(p.host)
    out: list[Refusal] = []
    if not host.has_role("host"):
        out.append(Refusal("forbidden_role", f"{host.name}不是听证主持人",
                           f"{p.host} does not hold the role host", "host"))
    out += R.independent(host, case, "听证主持人")
    notified_on = p.notified_on or ctx.today
    earliest = deadlines.earliest_hearing_day(notified_on, ctx.rules, ctx.periods)
    if local_date(p.at) < earliest:
        out.append(Refusal("hearing_notice_too_short", f"听证日期应不早于{earliest}",
                           f"the hearing must be on or after {earliest}", "at"))
    return out


def apply_schedule_hearing(case: Case, p: P.ScheduleHearing, ctx: Context, fx: Effects) -> None:
    h = case.hearing
    assert h is not None
    h.status, h.host, h.scheduled_at, h.place = "scheduled", p.host, p.at, p.place
    h.notified_on = p.notified_on or ctx.today
    issue(case, "听证会通知书", ctx, fx)


def check_hold_hearing(case: Case, p: P.HoldHearing, ctx: Context) -> list[Refusal]:
    h = case.hearing
    if h is None or h.status != "scheduled":
        return _not_in_state("没有待举行的听证", "no scheduled hearing awaits holding")
    out: list[Refusal] = []
    if ctx.actor.id != h.host:
        out.append(Refusal("forbidden_role", "只有指定的听证主持人可以主持听证",
                           "only the scheduled host holds the hearing"))
    out += R.independent(ctx.actor, case, "听证主持人")
    if p.attended and not p.record_sha256:
        out.append(Refusal("evidence_missing", "听证须有全程录音录像及其SHA-256",
                           "holding a hearing needs its audio-video record's SHA-256",
                           "record_sha256"))
    return out


def apply_hold_hearing(case: Case, p: P.HoldHearing, ctx: Context, fx: Effects) -> None:
    h = case.hearing
    assert h is not None
    h.held_at, h.attended, h.summary = ctx.now, p.attended, p.summary
    h.record = jsonable(p.model_dump(include={
        "started_at", "ended_at", "recorder", "party_attendees", "agents",
        "investigators_statement", "party_statement"}, exclude_none=True))
    h.status = "held" if p.attended else "waived"
    if p.record_sha256:
        h.record_sha256 = p.record_sha256
        case.evidence.append(Evidence(kind="audio_video", title="听证全程录音录像",
                                      officers=[ctx.actor.id], recorded_at=ctx.now,
                                      recorded_by=ctx.actor.id, sha256=p.record_sha256))
        fx.files.append(p.record_sha256)
    if p.attended:
        issue(case, "听证笔录", ctx, fx)
        issue(case, "听证会报告书", ctx, fx)
    refresh_flags(case, ctx)


# --- review and discussion --------------------------------------------------------------------


def check_submit_review(case: Case, p: P.Empty, ctx: Context) -> list[Refusal]:
    h = case.hearing
    if h is not None and h.status in ("requested", "scheduled"):
        return [Refusal("hearing_pending", "听证尚未举行，不能提交法制审核",
                        "the requested hearing is pending")]
    return []


def check_review(case: Case, p: P.ReviewIn, ctx: Context) -> list[Refusal]:
    return R.independent(ctx.actor, case, "法制审核人员") + R.qualified_reviewer(ctx.actor)


def apply_review(case: Case, p: P.ReviewIn, ctx: Context, fx: Effects) -> None:
    case.reviews.append(Review(proposal_no=case.proposal_no, reviewer=ctx.actor.id,
                               verdict=p.verdict, checklist=p.checklist.model_dump(),
                               opinion=p.opinion, at=ctx.now))
    issue(case, "法制审核意见书", ctx, fx)


def check_discuss(case: Case, p: P.Discuss, ctx: Context) -> list[Refusal]:
    minimum = ctx.rules.collective_discussion.min_attendees.value
    if len(set(p.attendees)) < minimum:
        return [Refusal("too_few_attendees", f"集体讨论应至少{minimum}人参加",
                        f"a collective discussion needs at least {minimum} attendees",
                        "attendees")]
    return []


def apply_discuss(case: Case, p: P.Discuss, ctx: Context, fx: Effects) -> None:
    case.discussions.append(Discussion(proposal_no=case.proposal_no,
                                       attendees=list(dict.fromkeys(p.attendees)),
                                       conclusion=p.conclusion, at=ctx.now, by=ctx.actor.id,
                                       place=p.place, recorder=p.recorder,
                                       opinions=[o.model_dump() for o in p.opinions or []],
                                       held_at=p.held_at, chair=p.chair))
    issue(case, "集体讨论记录", ctx, fx)


def apply_extend(case: Case, p: P.Extend, ctx: Context, fx: Effects) -> None:
    case.extensions.append(Extension(days=p.days, reason=p.reason, at=ctx.now, by=ctx.actor.id))
    case.set_deadline("decision", deadlines.decision_due(case, ctx.rules, ctx.periods))
    issue(case, "延长办案期限审批表", ctx, fx)
