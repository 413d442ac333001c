"""What each inspection document prints (SPEC §6), fixed at the action that issued it: the
record, the order, the measures decision, its extension and lifting, the recheck opinion. The
articles come from the rule set in force on the act's date; templates hold none."""

from __future__ import annotations

from typing import Any

from casefiles.domain import inspections as I
from casefiles.domain.context import Context
from casefiles.domain.docfacts import _person, cn_date, cn_time
from casefiles.domain.model import Document
from casefiles.domain.timefmt import local_date
from casefiles.domain.vocabulary import SECTORS

Facts = dict[str, Any]
LEVELS = {"general": "一般事故隐患", "major": "重大事故隐患"}
FIXES = {"immediate": "当场整改", "deadline": "限期整改"}


def _hazard(insp: I.Inspection, ref: str, ctx: Context) -> Facts:
    h = insp.hazard(ref)
    assert h is not None
    provision = ctx.rules.provision(h.provision) if h.provision else None
    return {"ref": h.ref, "description": h.description, "level": LEVELS[h.level],
            "major": h.level == "major", "fix": FIXES[h.fix], "status": h.status,
            "note": h.note or "",
            "breached": provision.breached if provision else "",
            "provision_title": provision.title if provision else ""}


def _rights(ctx: Context, compulsory: bool) -> Facts:
    """The unit's rights: statement and defence; for a compulsory measure (行政强制) also
    reconsideration and lawsuit, with the bodies and periods in force on the day."""
    agency, rules = ctx.profile.agency, ctx.rules
    return {"compulsory": compulsory,
            "reconsideration_days": rules.reconsideration_days.value,
            "reconsideration_bodies": list(ctx.profile.bodies_on(ctx.today)),
            "lawsuit_months": rules.lawsuit_months.value, "court": agency.court}


def _common(insp: I.Inspection, doc: Document, ctx: Context) -> Facts:
    u = insp.unit
    return {"drill": insp.drill, "cite": dict(ctx.rules.citations), "rule_set": ctx.rules.id,
            "agency": ctx.profile.agency.name, "agency_address": ctx.profile.agency.address,
            "kind": doc.kind, "number": doc.number, "issued_on": cn_date(ctx.today),
            "inspection_number": insp.number,
            "inspected_on": cn_date(local_date(insp.inspected_at)),
            "sector": SECTORS.get(insp.sector, insp.sector), "place": insp.place,
            "party": {"kind": u.kind, "name": u.name, "address": u.address,
                      "credit_code": u.credit_code or "", "id_number": u.id_number or "",
                      "legal_rep": u.legal_rep or "", "phone": u.phone or "",
                      "sole_trader": (u.credit_code or "").startswith("92")},
            "actor": _person(ctx, ctx.actor.id)}


def _record(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    return {"inspected_at": cn_time(insp.inspected_at),
            "present": [_person(ctx, pid) for pid in insp.officers],
            "recorded_by": _person(ctx, insp.inspected_by),
            "hazards": [_hazard(insp, h.ref, ctx) for h in insp.hazards],
            "signed_by": insp.signed_by or "", "refused_to_sign": insp.refused_to_sign,
            "major": insp.major_hazard}


def _order(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    order = insp.order
    assert order is not None
    return {"hazards": [_hazard(insp, r, ctx) for r in order.hazards],
            "deadline": cn_date(order.deadline), "again": order.no > 1,
            "rights": _rights(ctx, False)}


def _measures(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    refs = [m.ref for m in p.measures]
    taken = [m for m in insp.measures if m.ref in refs]
    compulsory = any(m.type in I.COMPULSORY for m in taken)
    return {"measures": [{"ref": m.ref, "type": I.MEASURE_TYPES[m.type], "object": m.object,
                          "compulsory": m.type in I.COMPULSORY,
                          "until": cn_date(m.until) if m.until else "",
                          "hazards": [_hazard(insp, r, ctx) for r in m.hazards]}
                         for m in taken],
            "present": [_person(ctx, pid) for pid in p.officers],
            "approved_by": _person(ctx, p.approved_by) if p.approved_by else None,
            "seal_days": ctx.rules.seal_days.value, "rights": _rights(ctx, compulsory)}


def _measure(insp: I.Inspection, ref: str) -> I.Measure:
    m = insp.measure(ref)
    assert m is not None
    return m


def _extension(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    m = _measure(insp, p.measure)
    return {"type": I.MEASURE_TYPES[m.type], "object": m.object,
            "decided_on": cn_date(local_date(m.decided_at)), "days": p.days,
            "until": cn_date(m.until), "reason": p.reason,
            "approved_by": _person(ctx, ctx.actor.id), "rights": _rights(ctx, True)}


def _lifting(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    m = _measure(insp, p.measure)
    return {"type": I.MEASURE_TYPES[m.type], "object": m.object,
            "decided_on": cn_date(local_date(m.decided_at)), "reason": p.reason,
            "compulsory": m.type in I.COMPULSORY,
            "hazards": [_hazard(insp, r, ctx) for r in m.hazards],
            "lifted_on": cn_date(ctx.today)}


def _recheck(insp: I.Inspection, ctx: Context, p: Any) -> Facts:
    r = insp.rechecks[-1]
    order = insp.orders[r.order_no - 1]
    results = [{**_hazard(insp, x["hazard"], ctx), "rectified": x["rectified"],
                "note": x["note"] or ""} for x in r.results]
    return {"order": order.number, "ordered_on": cn_date(local_date(order.ordered_at)),
            "deadline": cn_date(order.deadline),
            "applied_on": cn_date(order.applied_on) if order.applied_on else "",
            "rechecked_at": cn_time(r.at), "present": [_person(ctx, x) for x in r.officers],
            "results": results, "all_rectified": all(x["rectified"] for x in results)}


BODIES = {"现场检查记录": _record, "责令限期整改指令书": _order,
          "现场处理措施决定书": _measures, "延长查封扣押期限决定书": _extension,
          "解除现场处理措施决定书": _lifting, "整改复查意见书": _recheck}
TEMPLATES = {"现场检查记录": "inspection_record.html",
             "责令限期整改指令书": "inspection_order.html",
             "现场处理措施决定书": "inspection_measures.html",
             "延长查封扣押期限决定书": "inspection_extension.html",
             "解除现场处理措施决定书": "inspection_lifting.html",
             "整改复查意见书": "inspection_recheck.html"}


def facts_of(insp: I.Inspection, doc: Document, ctx: Context, payload: Any) -> Facts:
    """Everything ``doc`` prints."""
    return {**_common(insp, doc, ctx), "body": BODIES[doc.kind](insp, ctx, payload)}
