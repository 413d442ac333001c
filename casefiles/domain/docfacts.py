"""What each enforcement document says (its facts), fixed at the action that issues it.

The flows render a document later, perhaps after the case has moved on; the facts taken here are
what the document prints, so an issued document never changes. Every value is display text (or
a list or mapping of it) in the words of the standard forms: dates as 2020年5月6日, amounts in
figures and in capitals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from casefiles.domain import deadlines
from casefiles.domain import rules as R
from casefiles.domain.context import Context
from casefiles.domain.documents import DOSSIER
from casefiles.domain.effects import fine_balance
from casefiles.domain.model import Case, Document, Penalty, Proposal
from casefiles.domain.money import capitals, to_yuan
from casefiles.domain.payloads import Serve
from casefiles.domain.timefmt import aware, local_date
from casefiles.domain.vocabulary import (
    CHECKLIST_ITEMS,
    EVIDENCE_KINDS,
    OUTCOMES,
    PENALTIES,
    PRESERVATION_DECISIONS,
    SECTORS,
    SERVICE_METHODS,
    SOURCES,
)

Facts = dict[str, Any]


def cn_date(day: date | None) -> str:
    """2020年5月6日 (empty for no date)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_time(moment: datetime | None) -> str:
    """2020年5月25日9时00分, in Asia/Shanghai."""
    if moment is None:
        return ""
    t = aware(moment)
    return f"{cn_date(t.date())}{t.hour}时{t.minute:02d}分"


def amount(fen: int) -> dict[str, str]:
    """An amount as a document writes it: 60,000.00 and 陆万元整."""
    return {"figures": f"{to_yuan(fen):,}", "capitals": capitals(fen)}


def _percent(rate: Decimal) -> str:
    """0.03 → 3 (the number of 百分之三)."""
    return format((rate * 100).normalize(), "f")


def _person(ctx: Context, person_id: str | None) -> dict[str, str]:
    p = ctx.people.get(person_id or "")
    if p is None:
        return {"name": person_id or "", "certificate": ""}
    return {"name": p.name, "certificate": p.certificate or ""}


def _penalties(penalties: list[Penalty]) -> list[dict[str, Any]]:
    out = []
    for p in penalties:
        out.append({"type": PENALTIES.get(p.type, p.type), "code": p.type,
                    "amount": amount(p.amount) if p.amount is not None else None,
                    "on": p.on or "",
                    # a fine for one violation names it (key absent otherwise: facts unchanged)
                    **({"violation": p.violation} if p.violation else {})})
    return out


def _violations(case: Case, ctx: Context, proposal: Proposal | None) -> list[dict[str, str]]:
    out = []
    violations = proposal.violations if proposal else []
    provisions = [ctx.provision(v["code"])[0] for v in violations]
    for v, provision in zip(violations, provisions, strict=True):
        tiers = provision.tiers if provision else None
        # a responsible person's fine (第99条, no item) rests on the unit's act: the item and
        # the duty breached are those of the unit's violation under the same article
        unit = next((u for u in provisions if provision and u and provision.target == "person"
                     and "项" not in provision.source and u.target == "unit"
                     and u.source.startswith(f"{provision.source}第")), None)
        out.append({
            "code": v["code"], "facts": v.get("facts") or "",
            # a tier is printed only where the provision has discretion tiers
            "tier": v.get("tier") or "" if tiers and v.get("tier") in tiers else "",
            "title": provision.title if provision else v["code"],
            "breached": (unit or provision).breached if provision else "",
            "applied": (unit or provision).source if provision else "",
        })
    return out


def _evidence(case: Case) -> list[dict[str, str]]:
    return [{"kind": EVIDENCE_KINDS.get(e.kind, e.kind), "title": e.title,
             "recorded_on": cn_date(local_date(e.recorded_at)), "sha256": e.sha256 or ""}
            for e in case.evidence]


def _within_benchmark(case: Case, penalties: list[Penalty], ctx: Context) -> bool:
    """Whether the fines lie inside the discretion benchmark of their tiers (a tier is named
    in a document only then)."""
    p = case.proposal
    if p is None:
        return False
    refusals, warnings = R.fine_ranges(case, p.violations, penalties, ctx)
    return not refusals and "outside_discretion_benchmark" not in warnings


def _proposal(case: Case, ctx: Context) -> dict[str, Any]:
    p = case.proposal
    return {
        "within_benchmark": _within_benchmark(case, p.penalties, ctx) if p else False,
        "violations": _violations(case, ctx, p),
        "outcome": OUTCOMES.get(p.outcome, p.outcome) if p else "",
        "penalties": _penalties(p.penalties) if p else [],
        "proposed_on": cn_date(local_date(p.proposed_at)) if p else "",
        "hearing_eligible": bool(p and p.hearing_eligible),
        "legal_review_required": bool(p and p.legal_review_required),
        "collective_discussion_required": bool(p and p.collective_discussion_required),
    }


def common(case: Case, doc: Document, ctx: Context) -> Facts:
    """What every document carries: agency, title, number, date, case, party, officers, the
    citations of the rule set in force on the day (SPEC §5), and whether it is a drill's."""
    party = case.party
    return {
        "drill": case.drill,
        "cite": dict(ctx.rules.citations),
        "rule_set": ctx.rules.id,
        "agency": ctx.profile.agency.name,
        "agency_address": ctx.profile.agency.address,
        "kind": doc.kind,
        "number": doc.number,
        "issued_on": cn_date(ctx.today),
        "case": {
            "number": case.number or "", "cause": case.cause or case.summary,
            "summary": case.summary, "sector": SECTORS.get(case.sector, case.sector),
            "source": SOURCES.get(case.source, case.source),
            "registered_on": cn_date(local_date(case.registered_at)),
            "violation_date": cn_date(case.violation_date),
            "filed_on": cn_date(local_date(case.filed_at)) if case.filed_at else "",
        },
        "party": {
            "kind": party.kind, "name": party.name, "address": party.address,
            "credit_code": party.credit_code or "", "id_number": party.id_number or "",
            "legal_rep": party.legal_rep or "", "phone": party.phone or "",
            # 个体工商户: the second character of its 统一社会信用代码 is 2 (GB 32100 类别代码)
            "sole_trader": (party.credit_code or "").startswith("92"),
        },
        "officers": [_person(ctx, pid) for pid in case.investigators],
        "actor": _person(ctx, ctx.actor.id),
    }


# --- the body of each kind -----------------------------------------------------------------


def _filing(case: Case, ctx: Context) -> Facts:
    decision_due = case.deadline("decision")
    return {"registered_by": _person(ctx, case.registered_by),
            "decision_due": cn_date(decision_due.due if decision_due else None),
            "limitation": "未超过追责时效"}


def _record(case: Case, ctx: Context) -> Facts:
    e = case.evidence[-1]
    return {"title": e.title, "evidence_kind": EVIDENCE_KINDS.get(e.kind, e.kind),
            "recorded_at": cn_time(e.recorded_at), "recorded_by": _person(ctx, e.recorded_by),
            "present": [_person(ctx, pid) for pid in e.officers], "sha256": e.sha256 or "",
            "content": e.content or "", "place": e.place or "", "interviewee": e.interviewee or ""}


def _report(case: Case, ctx: Context) -> Facts:
    return {"proposal": _proposal(case, ctx), "evidence": _evidence(case)}


def _notice(case: Case, ctx: Context) -> Facts:
    n = case.notice
    assert n is not None, "a notice document follows the notice"
    return {"proposal": _proposal(case, ctx), "evidence": _evidence(case),
            "defence_due": cn_date(n.defence_due),
            "hearing_request_due": cn_date(n.hearing_request_due),
            "hearing_days": ctx.rules.hearing_request_working_days.value,
            "phone": ctx.profile.agency.complaint_phone}


def _hearing_notice(case: Case, ctx: Context) -> Facts:
    h = case.hearing
    assert h is not None
    return {"proposal": _proposal(case, ctx), "at": cn_time(h.scheduled_at), "place": h.place,
            "host": _person(ctx, h.host), "requested_on": cn_date(h.requested_on)}


def _hearing_record(case: Case, ctx: Context) -> Facts:
    h = case.hearing
    assert h is not None
    rec = h.record
    started = aware_or_none(rec.get("started_at"))
    ended = aware_or_none(rec.get("ended_at"))
    return {"proposal": _proposal(case, ctx), "at": cn_time(h.held_at), "place": h.place or "",
            "scheduled_at": cn_time(h.scheduled_at), "host": _person(ctx, h.host),
            "summary": h.summary or "", "record_sha256": h.record_sha256 or "",
            "started_at": cn_time(started), "ended_at": cn_time(ended),
            "recorder": rec.get("recorder", ""),
            "party_attendees": list(rec.get("party_attendees", [])),
            "agents": list(rec.get("agents", [])),
            "investigators_statement": rec.get("investigators_statement", ""),
            "party_statement": rec.get("party_statement", "")}


def aware_or_none(text: str | None) -> datetime | None:
    """A recorded ISO date-time back as a datetime (None for none)."""
    return datetime.fromisoformat(text) if text else None


def _review(case: Case, ctx: Context) -> Facts:
    r = case.reviews[-1]
    return {"proposal": _proposal(case, ctx), "evidence": _evidence(case),
            "reviewer": _person(ctx, r.reviewer),
            "verdict": "同意" if r.verdict == "pass" else "退回补正",
            "passed": r.verdict == "pass",
            "checklist": [{"item": label, "yes": bool(r.checklist.get(key))}
                          for key, label in CHECKLIST_ITEMS.items()],
            "opinion": r.opinion, "at": cn_time(r.at)}


def _discussion(case: Case, ctx: Context) -> Facts:
    d = case.discussions[-1]
    passed = [r for r in case.reviews if r.proposal_no == case.proposal_no]
    chair = {"name": d.chair} if d.chair else _person(ctx, d.by)
    return {"proposal": _proposal(case, ctx), "at": cn_time(d.held_at or d.at), "chair": chair,
            "attendees": list(d.attendees), "conclusion": d.conclusion,
            "place": d.place or "", "recorder": d.recorder or "",
            "opinions": [dict(o) for o in d.opinions],
            "review_opinion": passed[-1].opinion if passed else ""}


def _decision(case: Case, ctx: Context) -> Facts:
    d = case.decision
    assert d is not None
    notice, hearing = case.notice, case.hearing
    defences = [x for x in case.defences if x.proposal_no == case.proposal_no]
    agency, rules = ctx.profile.agency, ctx.rules
    return {
        "proposal": _proposal(case, ctx), "evidence": _evidence(case),
        "penalties": _penalties(d.penalties), "fine": amount(d.fine) if d.fine else None,
        "within_benchmark": _within_benchmark(case, d.penalties, ctx),
        # APL art. 33 para. 1: minor, corrected in time, no harm (the proposal says corrected)
        "corrected": bool(case.proposal and case.proposal.violations and all(
            v.get("corrected") for v in case.proposal.violations)),
        "harm": case.harm,
        "notified_on": cn_date(local_date(notice.notified_at)) if notice else "",
        "defences": [x.statement for x in defences if x.statement],
        "waived": any(x.waived for x in defences),
        "defence_accepted": d.defence_accepted, "defence_reasons": d.defence_reasons or "",
        "hearing_held_on": cn_date(local_date(hearing.held_at))
        if hearing and hearing.held_at and hearing.status == "held" else "",
        "hearing_summary": hearing.summary or "" if hearing else "",
        "payment_days": rules.payment_days.value, "payment_place": agency.payment.text(),
        "surcharge_percent": _percent(rules.surcharge.daily_rate),
        "reconsideration_days": rules.reconsideration_days.value,
        "reconsideration_bodies": list(ctx.profile.bodies_on(ctx.today)),
        "lawsuit_months": rules.lawsuit_months.value, "court": agency.court,
        "public_security": agency.public_security, "outcome": d.outcome,
        "procuratorate": agency.procuratorate, "suspected_crime": d.suspected_crime or "",
        "goods": list(d.goods), "appraisals": list(d.appraisals),
        "rectification": _rectification(ctx),
    }


def _receipt(case: Case, ctx: Context, doc: Document) -> Facts:
    """The 文书送达回执 issued with a document served on the party (the one issued just before
    it): how, when and to whom it is served is filled in and signed at service."""
    served = case.documents[case.documents.index(doc) - 1]
    return {"document": {"kind": served.kind, "number": served.number}, "blank": True,
            "recipient": "", "method": "", "left": False, "refused_reason": "",
            "witnesses": [], "recording": "", "served_at": "", "place": case.party.address,
            "server": _person(ctx, ctx.actor.id)}


def _rectification(ctx: Context) -> Facts | None:
    """The rectification order and recheck the decision rests on (SPEC §6 I7), in words."""
    from casefiles.domain.inspections import grounds  # it imports the engine

    g = grounds(ctx.inspection)
    if g is None:
        return None
    return {**g, "inspected_on": cn_date(g["inspected_on"]), "ordered_on": cn_date(g["ordered_on"]),
            "deadline": cn_date(g["deadline"]), "rechecked_on": cn_date(g["rechecked_on"])}


def _service(case: Case, ctx: Context, p: Any = None) -> Facts:
    """文书送达回执; for 留置送达 also the refusal's reason, the witnesses and the recording
    (from the serve action's payload), and the recipient is never shown as having signed."""
    d = case.decision
    assert d is not None and d.served_at is not None
    served = next((doc for doc in reversed(case.documents) if doc.number == d.number), None)
    return {"document": {"kind": served.kind if served else "", "number": d.number},
            "blank": False, "recipient": d.recipient, "method": SERVICE_METHODS.get(d.service_method or "", ""),
            "left": d.service_method == "left_at_premises",
            "refused_reason": getattr(p, "refused_reason", None) or "",
            "witnesses": list(getattr(p, "witnesses", None) or []),
            "recording": getattr(p, "recording", None) or "",
            "served_at": cn_time(d.served_at), "place": case.party.address,
            "server": _person(ctx, ctx.actor.id)}


def _owed(case: Case, ctx: Context) -> Facts:
    d = case.decision
    assert d is not None
    bal = fine_balance(case, ctx.rules, ctx.today)
    due = case.deadline("payment")
    return {"decision_number": d.number,
            "served_on": cn_date(local_date(d.served_at)) if d.served_at else "",
            "fine": amount(bal.fine), "paid": amount(bal.paid),
            "surcharge": amount(bal.surcharge), "outstanding": amount(bal.outstanding),
            "payment_due": cn_date(due.due if due else None),
            "reminder_days": ctx.rules.reminder_working_days.value,
            "payment_place": ctx.profile.agency.payment.text(),
            "surcharge_percent": _percent(ctx.rules.surcharge.daily_rate)}


def _enforcement(case: Case, ctx: Context, p: Any = None) -> Facts:
    facts = _owed(case, ctx)
    facts["party_opinion"] = getattr(p, "party_opinion", None) or ""
    facts["court"] = case.enforcements[-1].court
    facts["reminded_on"] = cn_date(local_date(case.reminders[-1].issued_at)) \
        if case.reminders else ""
    return facts


def _closing(case: Case, ctx: Context) -> Facts:
    d = case.decision
    bal = fine_balance(case, ctx.rules, ctx.today)
    return {"outcome": OUTCOMES.get(d.outcome, d.outcome) if d else "",
            "decision_number": d.number if d else "",
            "penalties": _penalties(d.penalties) if d else [],
            "revoked": bool(d and d.revoked_at),
            "fine": amount(bal.fine), "paid": amount(bal.paid),
            "surcharge": amount(bal.surcharge), "outstanding": amount(bal.outstanding),
            "enforcement": case.enforcements[-1].court if case.enforcements else "",
            "summary": case.close_summary or ""}


def _dossier(case: Case, ctx: Context, p: Any = None) -> Facts:
    d = case.decision
    major = any(p.legal_review_required for p in case.proposals)
    archive = ctx.profile.archive
    outcome = (OUTCOMES.get(d.outcome, d.outcome) if d else
               f"终止调查（{case.end_reason}）" if case.end_reason else "")
    if d is not None and d.revoked_at is not None:
        outcome = f"行政处罚决定已撤销（{d.revoke_reason}）" if d.revoke_reason else \
            "行政处罚决定已撤销"
    elif d is not None and d.outcome == "penalty":
        outcome = "、".join(
            f"{p['type']}{p['amount']['figures']}元" if p["amount"] else p["type"]
            for p in _penalties(d.penalties))
    return {"title": f"{case.party.name}{case.cause or case.summary}案",
            "outcome": outcome, "decision_number": d.number if d else "",
            "closed_on": cn_date(local_date(case.closed_at)) if case.closed_at else "",
            "archived_on": cn_date(ctx.today),
            "retention": archive.retention_major if major else archive.retention_ordinary,
            "filed_by": _person(ctx, ctx.actor.id),
            "file_number": getattr(p, "file_number", None) or "",
            # 卷内备考表: the electronic evidence kept beside the paper file
            "electronic": [{"title": e.title, "sha256": e.sha256} for e in case.evidence
                           if e.sha256],
            "checked_by": getattr(p, "checked_by", None) or ""}


def _ending(case: Case, ctx: Context) -> Facts:
    """不予立案审批表 and 终止调查审批表: why the case ends, as the head approved it."""
    return {"reason": case.end_reason or "", "registered_by": _person(ctx, case.registered_by),
            "evidence": _evidence(case)}


def _extension(case: Case, ctx: Context) -> Facts:
    """延长办案期限审批表: how many days, why, and the period before and after."""
    e = case.extensions[-1]
    due = case.deadline("decision")
    before = deadlines.decision_due(case, ctx.rules, ctx.periods, without=e)
    return {"days": e.days, "reason": e.reason, "before": cn_date(before),
            "after": cn_date(due.due if due else None)}


def _instalment_approval(case: Case, ctx: Context) -> Facts:
    """延期（分期）缴纳罚款批准书: the decision, the fine and the approved schedule."""
    d = case.decision
    assert d is not None
    last = max(i.schedule_no for i in case.instalments)
    plan = [i for i in case.instalments if i.schedule_no == last]
    return {"decision_number": d.number, "fine": amount(d.fine),
            "decided_on": cn_date(local_date(d.decided_at)),
            "schedule": [{"due": cn_date(i.due), "amount": amount(i.amount)} for i in plan],
            "kind": "分期" if len(plan) > 1 else "延期"}


def _revocation(case: Case, ctx: Context) -> Facts:
    """撤销行政处罚决定书: which decision, why, and that its publication is withdrawn."""
    d = case.decision
    assert d is not None
    return {"decision_number": d.number,
            "decided_on": cn_date(local_date(d.decided_at)), "reason": d.revoke_reason or "",
            "published": d.published_at is not None}


# --- the kinds of issue 13: registration, records, statements, hearing report, approval ----


def _source(case: Case, ctx: Context) -> Facts:
    """案件来源登记表: where the case came from, when, what was reported, who registered it."""
    return {"registered_at": cn_time(case.registered_at),
            "registered_by": _person(ctx, case.registered_by),
            "harm": case.harm,
            "violation_ended": cn_date(case.violation_ended)}


def _decline_notice(case: Case, ctx: Context, p: Any) -> Facts:
    """不予立案告知书 to the source of a complaint: what it reported and why no case is filed."""
    return {"complainant": getattr(p, "complainant", None) or "",
            "complained_on": cn_date(getattr(p, "complained_on", None)),
            "reason": case.end_reason or "", "phone": ctx.profile.agency.complaint_phone}


def _summons(case: Case, ctx: Context, p: Any) -> Facts:
    """询问通知书: who is asked to come, when and where, what to bring, and who asks."""
    s = p.summons
    return {"interviewee": p.interviewee or "", "notified_on": cn_date(s.notified_on),
            "at": cn_time(s.at), "place": s.place, "bring": list(s.bring or []),
            "officers": [_person(ctx, pid) for pid in p.officers],
            "phone": ctx.profile.agency.complaint_phone}


def _evidence_record(case: Case, ctx: Context, p: Any) -> Facts:
    """询问笔录, 现场检查记录, 勘验笔录, 抽样取证凭证 and 鉴定委托书: the record's own facts, and for
    a commissioned appraisal the body it goes to."""
    facts = _record(case, ctx)
    facts["appraiser"] = getattr(p, "appraiser", None) or ""
    return facts


def _handling(case: Case, ctx: Context, p: Any) -> Facts:
    """先行登记保存证据处理决定书: which preservation, what was kept, what is decided and why,
    and the party's remedies (bodies and periods of the act's date)."""
    notices = [d for d in case.documents if d.kind == "先行登记保存证据通知书"]
    kept = [e for e in case.evidence if e.title.startswith("先行登记保存：")]
    return {"notice_number": notices[-1].number if notices else "",
            "preserved_on": cn_date(local_date(notices[-1].issued_at)) if notices else "",
            "goods": kept[-1].title.removeprefix("先行登记保存：") if kept else "",
            "decision": PRESERVATION_DECISIONS.get(p.decision, p.decision),
            "summary": p.summary,
            "reconsideration_days": ctx.rules.reconsideration_days.value,
            "reconsideration_bodies": list(ctx.profile.bodies_on(ctx.today)),
            "lawsuit_months": ctx.rules.lawsuit_months.value,
            "court": ctx.profile.agency.court}


def _statement(case: Case, ctx: Context) -> Facts:
    """陈述申辩笔录: when the party spoke, on which notice, and its words as recorded."""
    x = case.defences[-1]
    notice = case.notice
    notices = [d for d in case.documents if d.kind == "行政处罚告知书"]
    return {"at": cn_time(x.at), "statement": x.statement or "",
            "speaker": case.party.legal_rep or case.party.name,
            "notice_number": notices[-1].number if notices else "",
            "notified_on": cn_date(local_date(notice.notified_at)) if notice else "",
            "recorder": _person(ctx, ctx.actor.id)}


def _statement_review(case: Case, ctx: Context) -> Facts:
    """陈述申辩复核意见书: what the party said, and the bureau's answer with its reasons."""
    d = case.decision
    assert d is not None
    said = [x for x in case.defences if x.proposal_no == case.proposal_no and x.statement]
    return {"statements": [{"at": cn_time(x.at), "text": x.statement} for x in said],
            "accepted": d.defence_accepted, "reasons": d.defence_reasons or "",
            "proposal": _proposal(case, ctx), "penalties": _penalties(d.penalties),
            "outcome": OUTCOMES.get(d.outcome, d.outcome)}


def _hearing_report(case: Case, ctx: Context, p: Any) -> Facts:
    """听证会报告书: the hearing as held, what each side said, and the host's proposal."""
    facts = _hearing_record(case, ctx)
    facts["recommendation"] = getattr(p, "recommendation", None) or ""
    facts["requested_on"] = cn_date(case.hearing.requested_on) if case.hearing else ""
    return facts


def _approval(case: Case, ctx: Context) -> Facts:
    """案件处理呈批表: the case, the investigators' proposal, the review and discussion it went
    through, and the head's approval of the decision as made."""
    d = case.decision
    assert d is not None
    reviews = [r for r in case.reviews if r.proposal_no == case.proposal_no]
    talks = [x for x in case.discussions if x.proposal_no == case.proposal_no]
    p = case.proposal
    return {"proposal": _proposal(case, ctx),
            "proposed_by": _person(ctx, p.proposed_by if p else None),
            "review_opinion": reviews[-1].opinion if reviews else "",
            "reviewer": _person(ctx, reviews[-1].reviewer) if reviews else None,
            "discussion": talks[-1].conclusion if talks else "",
            "outcome": OUTCOMES.get(d.outcome, d.outcome), "decision_number": d.number,
            "penalties": _penalties(d.penalties), "decided_at": cn_time(d.decided_at)}


BODIES: dict[str, Callable[[Case, Context], Facts]] = {
    "立案审批表": _filing, "案件调查报告": _report,
    "行政处罚告知书": _notice, "听证告知书": _notice, "听证会通知书": _hearing_notice,
    "听证笔录": _hearing_record, "法制审核意见书": _review, "集体讨论记录": _discussion,
    "行政处罚决定书": _decision, "不予行政处罚决定书": _decision, "涉嫌犯罪案件移送书": _decision,
    "罚款催告书": _owed,
    "结案审批表": _closing, "不予立案审批表": _ending, "终止调查审批表": _ending,
    "延长办案期限审批表": _extension, "延期（分期）缴纳罚款批准书": _instalment_approval,
    "撤销行政处罚决定书": _revocation, "案件来源登记表": _source, "陈述申辩笔录": _statement,
    "陈述申辩复核意见书": _statement_review, "案件处理呈批表": _approval,
}


def _preservation(case: Case, ctx: Context, p: Any) -> Facts:
    """先行登记保存证据通知书: what is kept, where, why, who approved, and by when it is handled;
    these facts come from the action's payload (the case keeps the evidence and the deadline)."""
    due = case.deadline("preservation")
    return {"goods": p.items, "reason": p.reason, "place": p.place,
            "present": [_person(ctx, pid) for pid in p.officers],
            "approved_by": _person(ctx, p.approved_by),
            "days": ctx.rules.preservation_working_days.value,
            "handle_by": cn_date(due.due if due else None)}


# kinds whose facts need the payload of the action that issued them
PAYLOAD_BODIES: dict[str, Callable[[Case, Context, Any], Facts]] = {
    "先行登记保存证据通知书": _preservation, "文书送达回执": _service,
    "强制执行申请书": _enforcement, DOSSIER: _dossier, "不予立案告知书": _decline_notice,
    "询问通知书": _summons, "询问笔录": _evidence_record, "现场检查记录": _evidence_record,
    "勘验笔录": _evidence_record, "抽样取证凭证": _evidence_record, "鉴定委托书": _evidence_record,
    "先行登记保存证据处理决定书": _handling, "听证会报告书": _hearing_report,
}


def document_facts(case: Case, doc: Document, ctx: Context, payload: Any = None) -> Facts:
    """Everything ``doc`` prints, taken from the case just after the action that issued it
    (and from the action's payload, for the kinds that print what the case does not keep)."""
    if doc.kind == "文书送达回执" and not isinstance(payload, Serve):
        return {**common(case, doc, ctx), "body": _receipt(case, ctx, doc)}
    if doc.kind in PAYLOAD_BODIES:
        return {**common(case, doc, ctx), "body": PAYLOAD_BODIES[doc.kind](case, ctx, payload)}
    return {**common(case, doc, ctx), "body": BODIES[doc.kind](case, ctx)}
