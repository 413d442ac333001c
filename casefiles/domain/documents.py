"""The enforcement documents (执法文书) the engine issues, by the kind names of SPEC §4.

Each kind needs a short word in the profile's ``document_kinds`` to be numbered
``{prefix}{word}〔{year}〕{n}号``; a profile missing one does not load."""

from __future__ import annotations

ISSUED_KINDS: tuple[str, ...] = (
    "立案审批表", "询问笔录", "现场检查记录", "案件调查报告", "行政处罚告知书", "听证告知书",
    "听证会通知书", "听证笔录", "法制审核意见书", "集体讨论记录", "行政处罚决定书",
    "不予行政处罚决定书", "涉嫌犯罪案件移送书", "文书送达回执", "罚款催告书", "强制执行申请书",
    "结案审批表", "先行登记保存证据通知书", "不予立案审批表", "终止调查审批表", "延长办案期限审批表",
    "延期（分期）缴纳罚款批准书", "撤销行政处罚决定书", "案件来源登记表", "不予立案告知书",
    "询问通知书", "勘验笔录", "抽样取证凭证", "鉴定委托书", "先行登记保存证据处理决定书",
    "案件处理呈批表", "陈述申辩笔录", "陈述申辩复核意见书", "听证会报告书",
)

# evidence kinds whose record is itself an enforcement document
RECORD_DOCUMENTS = {"inquiry": "询问笔录", "inspection": "现场检查记录", "survey": "勘验笔录",
                    "sample": "抽样取证凭证", "expert_opinion": "鉴定委托书"}

# documents served on the party: each is issued with its own 文书送达回执 for the recipient to
# sign (a decision's receipt is issued when ``serve`` records how it was served)
SERVED_KINDS = frozenset({"询问通知书", "先行登记保存证据通知书", "先行登记保存证据处理决定书",
                          "行政处罚告知书", "听证告知书", "听证会通知书", "罚款催告书",
                          "延期（分期）缴纳罚款批准书", "撤销行政处罚决定书"})

DECISION_DOCUMENTS = {"penalty": "行政处罚决定书", "no_penalty": "不予行政处罚决定书",
                      "transfer": "涉嫌犯罪案件移送书"}

# the case file (案卷) built at archiving; it carries the case's own number
DOSSIER = "案卷"

# a re-issued document of these kinds supersedes the one before it (a new proposal's report and
# notice, a decision made again after revocation); both stay in the case file
SUPERSEDING_KINDS = frozenset({"案件调查报告", "行政处罚告知书", "听证告知书", "行政处罚决定书",
                               "不予行政处罚决定书", "涉嫌犯罪案件移送书", "结案审批表", DOSSIER})

# the order of the case file: decision first, then filing, evidence, notice and hearing, review
# and discussion, service, execution, closing (documents of one group in the order issued)
ARCHIVE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("行政处罚决定书", "不予行政处罚决定书", "涉嫌犯罪案件移送书", "撤销行政处罚决定书"),
    ("案件来源登记表", "立案审批表", "不予立案审批表", "不予立案告知书", "延长办案期限审批表"),
    # the inspection a case was registered from comes first with its own documents (SPEC §6)
    ("现场检查记录", "责令限期整改指令书", "现场处理措施决定书", "延长查封扣押期限决定书",
     "解除现场处理措施决定书", "整改复查意见书",
     "询问通知书", "询问笔录", "勘验笔录", "抽样取证凭证", "鉴定委托书",
     "先行登记保存证据通知书", "先行登记保存证据处理决定书", "案件调查报告"),
    ("行政处罚告知书", "听证告知书", "陈述申辩笔录", "听证会通知书", "听证笔录", "听证会报告书"),
    ("法制审核意见书", "集体讨论记录", "陈述申辩复核意见书", "案件处理呈批表"),
    ("文书送达回执",),
    ("延期（分期）缴纳罚款批准书", "罚款催告书", "强制执行申请书"),
    ("终止调查审批表", "结案审批表"),
)
ARCHIVE_RANK = {kind: rank for rank, group in enumerate(ARCHIVE_GROUPS) for kind in group}
