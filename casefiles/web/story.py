"""The case's history as a person reads it: one Chinese sentence per action (who, what, when,
which documents), the documents the flows stored folded into the action that issued them, runs
of refused attempts gathered into one line, and each raw entry kept for a toggle."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from casefiles.domain import vocabulary as V
from casefiles.domain.history import Entry
from casefiles.domain.model import Case
from casefiles.domain.money import parse_amount
from casefiles.domain.states import LABELS
from casefiles.domain.timefmt import aware

ROLES = {"officer": "执法人员", "head": "负责人", "reviewer": "法制审核人员",
         "host": "听证主持人", "supervisor": "监督人员", "system": "系统", "admin": "管理员"}
STATES = {s.value: label for s, label in LABELS.items()}


@dataclass
class Line:
    """One line of the story: a sentence, or a run of refused attempts (``refused`` > 0)."""

    at: Any
    sentence: str
    entries: list[Entry] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    refused: int = 0


def story(entries: list[Entry], names: dict[str, str], case: Case,
          provisions: dict[str, str]) -> list[Line]:
    """The lines of ``case``'s history, oldest first."""
    issued: dict[Any, list[str]] = {}
    for d in case.documents:
        issued.setdefault(aware(d.issued_at), []).append(f"{d.kind}（{d.number}）")
    lines: list[Line] = []
    stored: dict[str, Line] = {}
    for e in entries:
        if e.action == "store_document" and e.result == "ok":
            number = str((e.payload or {}).get("number", ""))
            home = stored.get(number)
            if home is not None:  # folded into the action that issued it
                home.entries.append(e)
                continue
        who = names.get(e.actor, e.actor)
        if e.result != "ok":
            last = lines[-1] if lines else None
            reasons = "、".join(V.REFUSALS.get(c, c) for c in e.codes)
            text = f"{who}尝试{V.ACTIONS.get(e.action, e.action)}，未获准许（{reasons}）"
            if last is not None and last.refused:
                last.refused += 1
                last.entries.append(e)
                last.sentence += f"；{text}"
            else:
                lines.append(Line(e.at, text, [e], refused=1))
            continue
        role = ROLES.get(e.role or "", "")
        line = Line(e.at, f"{who}{f'（{role}）' if role else ''}{_what(e, names, provisions)}",
                    [e], issued.get(aware(e.at), []) if e.action != "store_document" else [])
        if e.state_before != e.state_after and e.state_after:
            line.sentence += f"，案件转为“{STATES.get(e.state_after, e.state_after)}”"
        for doc in line.documents:
            stored[doc.rsplit("（", 1)[-1].rstrip("）")] = line
        lines.append(line)
    return lines


def _what(e: Entry, names: dict[str, str], provisions: dict[str, str]) -> str:
    p = e.payload if isinstance(e.payload, dict) else {}
    label = V.ACTIONS.get(e.action, e.action)

    def people(key: str) -> str:
        return "、".join(names.get(i, str(i)) for i in p.get(key) or [])

    match e.action:
        case "register":
            return f"登记案源，当事人{(p.get('party') or {}).get('name', '')}"
        case "file":
            return f"批准立案，承办人员{people('investigators')}"
        case "record":
            kind = V.EVIDENCE_KINDS.get(str(p.get("kind")), "")
            return f"调查取证：{p.get('title', '')}（{kind}），在场执法人员{people('officers')}"
        case "propose":
            acts = "；".join(provisions.get(str(v.get("code")), str(v.get("code")))
                            for v in p.get("violations") or [])
            fines = "、".join(_penalty(x) for x in p.get("penalties") or [])
            return f"提出拟处理意见：{acts}" + (f"，拟{fines}" if fines else "")
        case "defend":
            return "记录当事人书面放弃陈述、申辩和听证" if p.get("waive") else \
                f"记录当事人陈述申辩：{p.get('statement', '')}"
        case "review":
            verdict = "同意" if p.get("verdict") == "pass" else "退回补充调查"
            return f"法制审核：{verdict}，意见：{p.get('opinion', '')}"
        case "decide":
            return f"作出决定：{V.OUTCOMES.get(str(p.get('outcome')), '')}"
        case "serve":
            method = V.SERVICE_METHODS.get(str(p.get("method")), "")
            return f"送达决定书（{method}），受送达人{p.get('recipient', '')}"
        case "pay":
            return f"记录缴款{_yuan(p.get('amount'))}元"
        case "extend":
            return f"延长办案期限{p.get('days', '')}日：{p.get('reason', '')}"
        case "discuss":
            return f"组织集体讨论，结论：{p.get('conclusion', '')}"
        case "store_document":
            return f"存储文书{p.get('kind', '')}（{p.get('number', '')}）"
    return label


def _penalty(p: dict[str, Any]) -> str:
    kind = V.PENALTIES.get(str(p.get("type")), str(p.get("type")))
    return f"{kind}{_yuan(p['amount'])}元" if p.get("amount") is not None else kind


def _yuan(value: Any) -> str:
    try:
        amount = parse_amount(value)
    except ValueError:
        return str(value)
    return f"{amount.quantize(Decimal('0.01')):,}"
