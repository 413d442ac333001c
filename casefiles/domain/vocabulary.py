"""The words officers read: Chinese names of sectors, sources, actions, refusal and warning
codes. One place, shared by the CLI, the demo and the web pages."""

from __future__ import annotations

DEADLINES: dict[str, str] = {"decision": "办案期限", "service": "送达期限",
                             "publication": "公示期限", "withdrawal": "撤回公示期限",
                             "payment": "缴款期限", "preservation": "先行登记保存处理期限"}

SOURCES = {"inspection": "执法检查", "complaint": "投诉举报", "referral": "移送",
           "other": "其他"}

SECTORS: dict[str, str] = {"non_coal_mine": "非煤矿山", "hazardous_chemicals": "危险化学品",
           "fireworks": "烟花爆竹", "industry_trade": "工贸", "other": "其他"}

ACTIONS: dict[str, str] = {
    "register": "案源登记", "file": "立案", "decline": "不予立案", "record": "调查取证",
    "propose": "拟处理意见", "notify": "处罚告知", "defend": "陈述申辩",
    "request_hearing": "申请听证", "schedule_hearing": "安排听证", "hold_hearing": "举行听证",
    "submit_review": "提交法制审核", "review": "法制审核", "discuss": "集体讨论",
    "extend": "延长办案期限", "decide": "作出决定", "serve": "送达", "publish": "公示",
    "pay": "缴款", "instalments": "分期缴纳", "remind": "催告",
    "apply_enforcement": "申请强制执行", "close": "结案", "archive": "归档",
    "revoke": "撤销决定", "withdraw": "撤回公示", "terminate": "终止调查",
    "preserve": "先行登记保存", "handle_preservation": "先行登记保存处理决定",
    "appeal": "复议诉讼",
}

APPEAL_KINDS: dict[str, str] = {"reconsideration": "行政复议", "lawsuit": "行政诉讼"}
APPEAL_OUTCOMES: dict[str, str] = {"pending": "审理中", "upheld": "维持", "changed": "变更",
                                   "revoked": "撤销"}

REFUSALS: dict[str, str] = {
    "unknown_person": "人员不存在",
    "not_allowed_in_state": "当前办案环节不能办理该事项",
    "forbidden_role": "无此权限（须相应角色或本案承办人员）",
    "invalid_input": "填报内容有误",
    "too_few_officers": "执法人员不足两名",
    "officer_not_certified": "执法人员未持执法证",
    "too_few_attendees": "集体讨论不足三人",
    "conflict_of_interest": "应当回避（调查人员不得审核、主持听证或审批）",
    "reviewer_not_qualified": "审核人员无法律职业资格",
    "limitation_expired": "超过追责时效",
    "amount_out_of_range": "罚款超出法定幅度",
    "notice_required": "未告知不得作出处罚决定",
    "defence_window_open": "陈述申辩期尚未届满",
    "heavier_than_notified": "决定重于告知内容，须重新告知",
    "hearing_not_available": "不属于听证范围",
    "hearing_request_late": "听证申请超过5个工作日",
    "hearing_notice_too_short": "听证通知不足7个工作日",
    "hearing_pending": "听证尚未举行",
    "evidence_missing": "听证缺少全程录音录像",
    "legal_review_required": "重大执法决定未经法制审核通过",
    "collective_discussion_required": "未经集体讨论",
    "decision_overdue": "超过办案期限",
    "appeal_period_open": "复议、诉讼期限未满，不能申请强制执行",
    "enforcement_window_closed": "已过申请强制执行期限",
    "reminder_period_open": "未催告或催告期未满",
    "execution_incomplete": "罚款或加处罚款未缴清，不能结案",
    "stale_version": "案件已被他人修改",
    "approval_required": "查封、扣押须经负责人批准",
    "extension_used": "查封、扣押期限只能延长一次",
    "hazard_not_eliminated": "重大事故隐患尚未消除，不能解除措施",
    "rectification_period_open": "整改期限未满且未申请复查，不能复查",
    "uncorrected_order_required": "“逾期未改正”须以复查确认隐患仍未整改为依据",
}

WARNINGS: dict[str, str] = {
    "outside_discretion_benchmark": "罚款超出裁量基准档次",
    "service_late": "决定书送达超过7个工作日",
    "publication_late": "公示超过7个工作日",
    "withdrawal_late": "撤回公示超过3个工作日",
    "payment_late": "逾期缴款，加处罚款",
    "calendar_unconfirmed": "期限所涉年份节假日尚未公布",
    "preservation_late": "先行登记保存超过7个工作日未作处理决定",
    "lighter_law_applied": "适用了处罚较轻的新规定（从旧兼从轻）",
    "rule_unconfirmed": "所依据的数额或期限尚待本机关法制机构确认",
    "first_violation_exemption": "可能符合首违不罚的条件，请核实是否应不予行政处罚",
    "recheck_late": "复查超过规定期限",
    "approval_pending": "查封、扣押已报负责人审批，批准前不生效",
}

PENALTIES: dict[str, str] = {
    "warning": "警告", "fine": "罚款", "confiscation": "没收违法所得",
    "suspension": "责令停产停业", "revocation": "暂扣或者吊销有关许可证照", "closure": "关闭",
}

OUTCOMES: dict[str, str] = {"penalty": "给予行政处罚", "no_penalty": "不予行政处罚",
                            "transfer": "移送司法机关"}

EVIDENCE_KINDS: dict[str, str] = {
    "inquiry": "询问笔录", "inspection": "现场检查记录", "survey": "勘验笔录",
    "audio_video": "视听资料", "document": "书证", "physical": "物证", "sample": "抽样取证",
    "expert_opinion": "鉴定意见",
}

SERVICE_METHODS: dict[str, str] = {
    "in_person": "直接送达", "left_at_premises": "留置送达", "post": "邮寄送达",
    "electronic": "电子送达", "public_notice": "公告送达",
}

# the nine items of the legal review (法制审核) checklist, in the order a reviewer reads them
CHECKLIST_ITEMS: dict[str, str] = {
    "body_lawful": "执法主体合法",
    "officers_qualified": "执法人员具备执法资格",
    "procedure_lawful": "执法程序合法",
    "facts_and_evidence": "案件事实清楚，证据确凿充分",
    "law_and_discretion": "适用法律依据准确，裁量基准运用适当",
    "within_powers": "未超越法定权限",
    "documents_complete": "执法文书完备、规范",
    "rights_protected": "当事人陈述、申辩、听证等权利已保障",
    "no_transfer_needed": "不涉嫌犯罪，无需移送司法机关",
}

PRESERVATION_DECISIONS: dict[str, str] = {
    "release": "解除先行登记保存，退还物品", "examine": "送交检验、检测、检疫或者技术鉴定",
    "seize": "依法采取查封、扣押措施", "transfer": "移送有关机关处理",
}
