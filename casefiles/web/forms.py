"""The form of every action: its fields (Chinese labels) and how the submitted form becomes the
action's payload of SCENARIOS.md. No rule lives here: a blank field is left out, a number that
does not parse is passed on as written, and the domain names what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from casefiles.domain import vocabulary as V
from casefiles.domain.policy import TIERS as DISCRETION_TIERS
from casefiles.domain.vocabulary import SECTORS, SOURCES

Options = tuple[tuple[str, str], ...]

EVIDENCE_KINDS: Options = tuple(V.EVIDENCE_KINDS.items())
TIERS: Options = (("", "—"), *((t, t) for t in DISCRETION_TIERS))
PENALTY_TYPES: Options = (("", "—"), *V.PENALTIES.items())
OUTCOMES: Options = tuple(V.OUTCOMES.items())
SERVICE_METHODS: Options = tuple(V.SERVICE_METHODS.items())
CHECKLIST_LABELS: dict[str, str] = V.CHECKLIST_ITEMS


@dataclass(frozen=True)
class Field:
    """One input: ``name`` is the payload path (``party.name``, ``violations.0.code``)."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, datetime, number, select, check, yesno,
    #                     people, lines, file
    options: Options = ()
    hint: str = ""
    role: str = ""  # for ``people``: whose names to offer


def _rows(prefix: str, count: int, fields: list[tuple[str, str, str, Options]]) -> list[Field]:
    return [Field(f"{prefix}.{i}.{n}", f"{label}（{i + 1}）", kind, opts)
            for i in range(count) for n, label, kind, opts in fields]


PARTY = [
    Field("party.kind", "当事人类型", "select", (("organisation", "单位"), ("individual", "个人"))),
    Field("party.name", "当事人名称/姓名"),
    Field("party.credit_code", "统一社会信用代码（单位）"),
    Field("party.id_number", "身份证号（个人）"),
    Field("party.address", "地址"),
    Field("party.phone", "联系电话"),
    Field("party.legal_rep", "法定代表人"),
]
PENALTY_ROWS = _rows("penalties", 3, [("type", "处罚种类", "select", PENALTY_TYPES),
                                      ("amount", "金额（元）", "number", ()),
                                      ("on", "处罚对象（个人姓名）", "text", ())])

FORMS: dict[str, list[Field]] = {
    "register": [
        Field("source", "案件来源", "select", tuple(SOURCES.items())),
        Field("sector", "行业领域", "select", tuple(SECTORS.items())),
        *PARTY,
        Field("summary", "案情摘要", "textarea"),
        Field("violation_date", "违法行为发生日期", "date"),
        Field("violation_ended", "违法行为终了日期", "date", hint="连续或继续状态的违法行为填写"),
        Field("harm", "涉及生命健康安全且有危害后果", "check"),
    ],
    "file": [Field("investigators", "承办人员（至少两名持证人员）", "people", role="officer"),
             Field("cause", "案由", "textarea")],
    "decline": [Field("reason", "不予立案理由", "textarea")],
    "record": [Field("kind", "证据种类", "select", EVIDENCE_KINDS), Field("title", "证据名称"),
               Field("officers", "在场执法人员（至少两名）", "people", role="officer"),
               Field("file", "证据文件", "file", hint="上传后由系统计算 SHA-256"),
               Field("sha256", "或填写文件 SHA-256", hint="无电子文件时填写")],
    "propose": [
        *_rows("violations", 2, [("code", "违法条款", "select", ()),
                                 ("tier", "情节档次", "select", TIERS),
                                 ("facts", "违法事实", "textarea", ()),
                                 ("fine", "本项罚款（元，分别裁量时填写）", "number", ())]),
        *PENALTY_ROWS,
        Field("outcome", "处理结果（不予处罚或移送时选择）", "select",
              (("", "给予行政处罚"),) + OUTCOMES[1:]),
    ],
    "preserve": [Field("items", "先行登记保存的物品（证据）", "textarea"),
                 Field("reason", "证据可能灭失或难以取得的情形", "textarea"),
                 Field("place", "保存地点"),
                 Field("officers", "执法人员（至少两名）", "people", role="officer"),
                 Field("approved_by", "批准的负责人", "select", role="head")],
    "handle_preservation": [Field("decision", "处理决定", "select",
                                  tuple(V.PRESERVATION_DECISIONS.items())),
                            Field("summary", "处理情况", "textarea")],
    "notify": [],
    "defend": [Field("statement", "当事人陈述申辩内容", "textarea"),
               Field("waive", "当事人书面放弃陈述、申辩和听证", "check")],
    "request_hearing": [Field("requested_on", "申请日期", "date", hint="默认为今天")],
    "schedule_hearing": [Field("host", "听证主持人", "select", role="host"),
                         Field("at", "听证时间", "datetime"), Field("place", "听证地点"),
                         Field("notified_on", "通知当事人日期", "date", hint="默认为今天")],
    "hold_hearing": [Field("attended", "当事人是否到场", "yesno"),
                     Field("summary", "听证情况", "textarea"),
                     Field("record_file", "全程录音录像文件", "file"),
                     Field("record_sha256", "或填写录音录像 SHA-256")],
    "submit_review": [],
    "review": [Field("verdict", "审核结论", "select",
                     (("pass", "同意"), ("return", "退回补充调查"))),
               *[Field(f"checklist.{k}", v, "check") for k, v in CHECKLIST_LABELS.items()],
               Field("opinion", "审核意见", "textarea")],
    "discuss": [Field("held_at", "讨论时间", "datetime", hint="不填则为记录时间"),
                Field("place", "讨论地点"),
                Field("chair", "主持人", hint="不填则为记录的负责人"), Field("recorder", "记录人"),
                *_rows("opinions", 7, [("name", "参加人员", "text", ()),
                                       ("opinion", "个人意见", "text", ())]),
                Field("attendees", "参加人员（未逐人填写意见时，每行一人）", "lines"),
                Field("conclusion", "讨论结论", "textarea")],
    "extend": [Field("days", "延长天数", "number"), Field("reason", "延长理由", "textarea")],
    "decide": [Field("outcome", "决定结果", "select", OUTCOMES), *PENALTY_ROWS],
    "serve": [Field("method", "送达方式", "select", SERVICE_METHODS),
              Field("recipient", "受送达人")],
    "publish": [],
    "pay": [Field("amount", "缴款金额（元）", "number"),
            Field("paid_on", "缴款日期", "date", hint="默认为今天")],
    "instalments": _rows("schedule", 4, [("due", "到期日", "date", ()),
                                         ("amount", "金额（元）", "number", ())]),
    "remind": [],
    "apply_enforcement": [Field("court", "人民法院")],
    "close": [Field("summary", "结案报告", "textarea")],
    "archive": [],
    "revoke": [Field("reason", "撤销理由", "textarea")],
    "appeal": [Field("kind", "类别", "select", tuple(V.APPEAL_KINDS.items())),
               Field("filed_on", "申请（起诉）日期", "date"),
               Field("body", "复议机关或人民法院"),
               Field("outcome", "结果", "select", tuple(V.APPEAL_OUTCOMES.items())),
               Field("decided_on", "复议决定（判决）日期", "date", hint="有结果时填写")],
    "withdraw": [],
    "terminate": [Field("reason", "终止理由", "textarea")],
}

_INT = re.compile(r"^-?\d+$")
_SPLIT = re.compile(r"[\n,，、;；]+")


def payload_from(action: str, form: dict[str, list[str]]) -> dict[str, Any]:
    """The payload of ``action`` from a submitted form (``form``: name → every value)."""
    out: dict[str, Any] = {}
    for f in FORMS[action]:
        values = [v for v in form.get(f.name, []) if isinstance(v, str)]
        value = _convert(f, values)
        if value is not None:
            _put(out, f.name.split("."), value)
    _more_rows(action, form, out)
    for key in ("violations", "penalties", "schedule", "opinions"):
        if key in out:  # rows come as {"0": {...}, "1": {...}}: keep the filled ones, in order
            rows = [out[key][i] for i in sorted(out[key], key=int) if out[key][i]]
            if rows:
                out[key] = rows
            else:
                del out[key]
    if action == "propose":
        _fines_of_violations(out)
    if action == "discuss" and "attendees" not in out and out.get("opinions"):
        # one row per attendee: the attendees are the rows' names
        out["attendees"] = [r["name"] for r in out["opinions"] if r.get("name")]
    return out


def _fines_of_violations(out: dict[str, Any]) -> None:
    """A violation row's own fine (本项罚款) becomes a fine for that violation (its number),
    before the penalties of the form's penalty rows."""
    linked = []
    for number, row in enumerate(out.get("violations", []), start=1):
        if isinstance(row, dict) and "fine" in row:
            linked.append({"type": "fine", "amount": row.pop("fine"), "violation": number})
    if linked:
        out["penalties"] = linked + list(out.get("penalties", []))


def _violation_fines(payload: dict[str, Any]) -> dict[str, Any]:
    """The other way, to show a proposal in its form: each fine for a violation back in that
    violation's row."""
    violations = [dict(v) for v in payload.get("violations", []) if isinstance(v, dict)]
    rest = []
    for x in payload.get("penalties", []):
        n = x.get("violation") if isinstance(x, dict) else None
        if isinstance(n, int) and 1 <= n <= len(violations):
            violations[n - 1]["fine"] = x.get("amount")
        else:
            rest.append(x)
    shown = {**payload, "violations": violations, "penalties": rest}
    return shown if rest else {k: v for k, v in shown.items() if k != "penalties"}


_ROW = re.compile(r"^(violations|penalties|schedule|opinions)\.([0-9]{1,2})\.([a-z_]+)$")
MAX_ROWS = 50


def _more_rows(action: str, form: dict[str, list[str]], out: dict[str, Any]) -> None:
    """Rows a page added beyond the form's own (添加一行): read like the form's first row."""
    template = {tuple(f.name.split(".")[::2]): f for f in FORMS[action] if f.name.count(".") == 2}
    known = {f.name for f in FORMS[action]}
    for name, values in form.items():
        found = _ROW.match(name)
        if found is None or name in known or int(found[2]) >= MAX_ROWS:
            continue
        f = template.get((found[1], found[3]))
        if f is None:
            continue
        value = _convert(Field(name, f.label, f.kind, f.options), [v for v in values
                                                                  if isinstance(v, str)])
        if value is not None:
            _put(out, name.split("."), value)


def _convert(f: Field, values: list[str]) -> Any:
    if f.kind == "check":
        if f.name.startswith("checklist."):
            return bool(values and values[-1])
        return True if values and values[-1] else None
    if f.kind == "people":
        return [v.strip() for v in values if v.strip()] or None
    if f.kind == "file":
        return None
    raw = values[-1].strip() if values else ""
    if not raw:
        return None
    if f.kind == "lines":
        return [p.strip() for p in _SPLIT.split(raw) if p.strip()]
    if f.kind == "yesno":
        return {"yes": True, "no": False}.get(raw, raw)
    if f.kind == "number" and f.name.endswith("days") and _INT.match(raw):
        return int(raw)
    return raw


def _put(out: dict[str, Any], path: list[str], value: Any) -> None:
    for key in path[:-1]:
        out = out.setdefault(key, {})
    out[path[-1]] = value


def prefill(payload: dict[str, Any]) -> dict[str, str | list[str]]:
    """Form values (name → text) from a payload, to show a refused form as it was sent."""
    flat: dict[str, str | list[str]] = {}
    if isinstance(payload.get("violations"), list) and isinstance(payload.get("penalties"), list):
        payload = _violation_fines(payload)

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        elif isinstance(value, list):
            flat[prefix] = [str(v) for v in value]
        elif isinstance(value, bool):
            flat[prefix] = "yes" if value else "no"
        elif value is not None:
            flat[prefix] = str(value)

    walk("", payload)
    return flat


def required(action: str) -> frozenset[str]:
    """The fields of ``action``'s form that its payload requires (of rows, the first row's),
    to mark them on the page."""
    from pydantic import BaseModel

    from casefiles.domain.payloads import PAYLOADS

    def needed(model: type[BaseModel], path: list[str]) -> bool:
        info = model.model_fields.get(path[0])
        if info is None or not info.is_required():
            return False
        if len(path) == 1:
            return True
        rest = path[2:] if path[1].isdigit() else path[1:]
        if path[1].isdigit() and path[1] != "0":
            return False
        inner = _model_in(info.annotation)
        return inner is not None and bool(rest) and needed(inner, rest)

    model = PAYLOADS.get(action)
    if model is None:
        return frozenset()
    return frozenset(f.name for f in FORMS[action]
                     if f.kind != "check" and needed(model, f.name.split(".")))


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``annotation`` (list[X], Annotated[list[X], ...], X | None)."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def errors_by_field(refusals: list[Any]) -> dict[str, list[Any]]:
    """The refusals that name a field, by its name (to show each beside its input)."""
    out: dict[str, list[Any]] = {}
    for r in refusals:
        if getattr(r, "field", None):
            out.setdefault(r.field, []).append(r)
    return out


def labels(action: str) -> dict[str, str]:
    """Each field's Chinese label by its name, to name the field of a refusal."""
    return {f.name: f.label for f in FORMS.get(action, [])}
