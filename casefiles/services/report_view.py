"""The period report (SPEC §7) as people read it: the figures of ``services/report.py``'s object
laid out in the sections of the bureau's half-year summary, one table per section (a row per
sector and the total), the charts, and the name of a download. The PDF, the 统计 page and the
head's landing page all read the report through this module, so they show the same words.

Amounts arrive in yuan as JSON numbers (SCENARIOS.md) and are read exactly through ``str``,
never through float arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from casefiles.domain.docfacts import cn_date
from casefiles.domain.vocabulary import SECTORS
from casefiles.services.report_charts import Series, bar_chart

TOTAL = "合计"
MONEY = "（元）"

# (section title, [(column label, path in a sector's figures)]); a label ending in （元） is an
# amount in yuan. Every figure of the report object appears in exactly one column.
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("一、执法检查", [("检查次数", "inspections"), ("检查单位数", "units_inspected")]),
    ("二、隐患排查整改", [("发现隐患", "hazards.found"), ("其中重大隐患", "hazards.major"),
                   ("已整改", "hazards.rectified")]),
    ("三、责令整改、现场处理措施与复查", [("责令限期整改", "orders"), ("现场处理措施", "measures"),
                             ("整改复查意见", "rechecks")]),
    ("四、案件办理", [("案源登记", "cases.registered"), ("立案", "cases.filed"),
                ("作出决定", "cases.decided"), ("结案", "cases.closed")]),
    ("五、处罚种类", [("警告", "penalties.warning"), ("罚款", "penalties.fine"),
                ("没收", "penalties.confiscation"), ("责令停产停业", "penalties.suspension"),
                ("吊销、暂扣许可", "penalties.revocation")]),
    ("六、罚款", [("决定罚款" + MONEY, "fines.decided"), ("收缴罚款" + MONEY, "fines.collected"),
              ("收缴加处罚款" + MONEY, "fines.surcharge_collected")]),
    ("七、听证、法制审核与集体讨论", [("举行听证", "hearings"), ("法制审核通过", "reviews.passed"),
                          ("法制审核退回", "reviews.returned"), ("集体讨论", "discussions")]),
    ("八、投诉举报", [("登记", "complaints.registered"), ("不予立案", "complaints.dismissed")]),
    ("九、行政复议", [("申请", "reconsiderations.filed"), ("维持", "reconsiderations.upheld"),
                ("变更", "reconsiderations.changed"), ("撤销", "reconsiderations.revoked")]),
    ("十、行政诉讼", [("起诉", "lawsuits.filed"), ("维持", "lawsuits.upheld"),
                ("变更", "lawsuits.changed"), ("撤销", "lawsuits.revoked")]),
    ("十一、办案期限", [("按期完成", "deadlines.met"), ("逾期", "deadlines.missed")]),
]


@dataclass(frozen=True)
class Table:
    """One section: its title, column labels, and a row per sector then the total (each row
    its label and its cells as printed)."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


def figure(figures: dict[str, Any], path: str) -> Decimal:
    """The figure at ``path`` (``hazards.found``) of one sector's figures, exactly."""
    value: Any = figures
    for key in path.split("."):
        value = value[key]
    return Decimal(str(value))


def number(value: Decimal, money: bool = False) -> str:
    """A figure as the report prints it: 12 or 1,234; amounts with fen, 60,000.00."""
    return f"{value:,.2f}" if money else f"{value:,.0f}"


def sector_name(code: str) -> str:
    """A sector's Chinese name (the code itself for one the vocabulary lacks)."""
    return SECTORS.get(code, code)


def tables(report: dict[str, Any]) -> list[Table]:
    """The report's sections as tables: every sector of the report in its order, then 合计."""
    rows_of = [(sector_name(code), figures) for code, figures in report["sectors"].items()]
    rows_of.append((TOTAL, report["total"]))
    out = []
    for title, columns in SECTIONS:
        rows = [(name, [number(figure(f, path), label.endswith(MONEY))
                        for label, path in columns]) for name, f in rows_of]
        out.append(Table(title, [label for label, _ in columns], rows))
    return out


def period_text(start: date, end: date) -> str:
    """The period as the bureau writes it: 2026年1月1日至2026年6月30日."""
    return f"{cn_date(start)}至{cn_date(end)}"


def download_name(agency: str, start: date, end: date, suffix: str) -> str:
    """A download's Chinese name with the period: 衡山县应急管理局执法统计（2026-01-01至
    2026-06-30）.pdf."""
    return f"{agency}执法统计（{start.isoformat()}至{end.isoformat()}）.{suffix}"


def charts(report: dict[str, Any]) -> list[Markup]:
    """The four charts of SPEC §7, as inline SVG: cases by sector, fines decided and collected,
    orders against rechecks, and deadlines met against missed (by sector, totals left out so
    that the bars compare)."""
    sectors = report["sectors"]
    names = [sector_name(code) for code in sectors]

    def column(path: str) -> list[Decimal]:
        return [figure(f, path) for f in sectors.values()]

    return [
        bar_chart("各行业领域案件数", names, [Series("立案", column("cases.filed"), "#1f4e8c"),
                                       Series("作出决定", column("cases.decided"), "#7aa6d8")]),
        bar_chart("罚款（元）", names, [Series("决定罚款", column("fines.decided"), "#8c1f1f"),
                                   Series("收缴罚款", column("fines.collected"), "#d88a7a")],
                  money=True),
        bar_chart("责令整改与复查", names, [Series("责令限期整改", column("orders"), "#4d6b1f"),
                                     Series("整改复查意见", column("rechecks"), "#a8c47a")]),
        bar_chart("办案期限按期与逾期", names, [Series("按期完成", column("deadlines.met"), "#1f6b5e"),
                                        Series("逾期", column("deadlines.missed"), "#c4541f")]),
    ]


def glance(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The few figures the head's landing page shows for a period: (label, printed figure)."""
    t = report["total"]
    picks = [("检查次数", "inspections", False), ("发现隐患", "hazards.found", False),
             ("已整改", "hazards.rectified", False), ("立案", "cases.filed", False),
             ("作出决定", "cases.decided", False), ("决定罚款（元）", "fines.decided", True),
             ("收缴罚款（元）", "fines.collected", True)]
    return [(label, number(figure(t, path), money)) for label, path, money in picks]


def closing(report: dict[str, Any]) -> str:
    """The summary's last line: 本期零投诉、零复议、零诉讼 when there were none, else the
    counts (complaints registered, reconsiderations and lawsuits filed)."""
    t = report["total"]
    parts = [("投诉", t["complaints"]["registered"]), ("复议", t["reconsiderations"]["filed"]),
             ("诉讼", t["lawsuits"]["filed"])]
    return "本期" + "、".join(f"零{name}" if not count else f"{name}{count}件"
                            for name, count in parts) + "。"
