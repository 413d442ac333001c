"""The period report (SPEC §7) as people read it: the figures of ``services/report.py``'s object
laid out in the sections of the bureau's half-year summary, one table per section (a row per
sector and the total), the charts, and the name of a download. The PDF, the 统计 page and the
head's landing page all read the report through this module, so they show the same words.

Amounts arrive in yuan as Decimal (``services/report.py``) and are printed as they are, never
through a float."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from casefiles.domain import statistics
from casefiles.domain.docfacts import cn_date
from casefiles.domain.statistics import APPEAL_OUTCOMES, COLUMNS, PENALTY_TYPES, sector_name
from casefiles.services.report_charts import Series, bar_chart

MONEY = "（元）"
_LABELS = dict(COLUMNS)

# the sections of the bureau's half-year summary, each a table of some figures (their headings
# are those of the CSV, domain/statistics.COLUMNS); every figure appears in one section
_PATHS: list[tuple[str, list[tuple[str, ...]]]] = [
    ("一、执法检查", [("inspections",), ("units_inspected",)]),
    ("二、隐患排查整改", [("hazards", "found"), ("hazards", "major"), ("hazards", "rectified")]),
    ("三、责令整改、现场处理措施与复查", [("orders",), ("measures",), ("rechecks",)]),
    ("四、案件办理", [("cases", k) for k in ("registered", "filed", "decided", "closed")]),
    ("五、处罚种类", [("penalties", t) for t in PENALTY_TYPES]),
    ("六、罚款", [("fines", k) for k in ("decided", "collected", "surcharge_collected")]),
    ("七、听证、法制审核与集体讨论", [("hearings",), ("reviews", "passed"),
                            ("reviews", "returned"), ("discussions",)]),
    ("八、投诉举报", [("complaints", "registered"), ("complaints", "dismissed")]),
    ("九、行政复议", [("reconsiderations", k) for k in ("filed", *APPEAL_OUTCOMES)]),
    ("十、行政诉讼", [("lawsuits", k) for k in ("filed", *APPEAL_OUTCOMES)]),
    ("十一、办案期限", [("deadlines", "met"), ("deadlines", "missed")]),
]
SECTIONS: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    (title, [(_LABELS[path], path) for path in paths]) for title, paths in _PATHS]


@dataclass(frozen=True)
class Table:
    """One section: its title, column labels, and a row per sector then the total (each row
    its label and its cells as printed)."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


def figure(figures: dict[str, Any], path: tuple[str, ...]) -> Decimal:
    """The figure at ``path`` of one sector's figures (a count, or an amount in yuan), exactly."""
    return Decimal(statistics.figure(figures, path))


def number(value: Decimal, money: bool = False) -> str:
    """A figure as the report prints it: 12 or 1,234; amounts with fen, 60,000.00."""
    return f"{value:,.2f}" if money else f"{value:,.0f}"


def tables(report: dict[str, Any]) -> list[Table]:
    """The report's sections as tables: the rows of the CSV (every sector of the report in its
    order, then 合计), each cut to its section's columns."""
    rows = statistics.table_rows(report)
    cell = {path: i for i, (path, _) in enumerate(COLUMNS, start=1)}
    return [Table(title, [label for label, _ in columns],
                  [(row[0], [number(Decimal(row[cell[path]]), label.endswith(MONEY))
                             for label, path in columns]) for row in rows])
            for title, columns in SECTIONS]


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

    def column(*path: str) -> list[Decimal]:
        return [figure(f, path) for f in sectors.values()]

    return [
        bar_chart("各行业领域案件数", names, [Series("立案", column("cases", "filed"), "#1f4e8c"),
                                       Series("作出决定", column("cases", "decided"), "#7aa6d8")]),
        bar_chart("罚款（元）", names, [Series("决定罚款", column("fines", "decided"), "#8c1f1f"),
                                   Series("收缴罚款", column("fines", "collected"), "#d88a7a")],
                  money=True),
        bar_chart("责令整改与复查", names, [Series("责令限期整改", column("orders"), "#4d6b1f"),
                                     Series("整改复查意见", column("rechecks"), "#a8c47a")]),
        bar_chart("办案期限按期与逾期", names, [Series("按期完成", column("deadlines", "met"), "#1f6b5e"),
                                        Series("逾期", column("deadlines", "missed"), "#c4541f")]),
    ]


def glance(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The few figures the head's landing page shows for a period: (heading, printed figure)."""
    picks = [("inspections",), ("hazards", "found"), ("hazards", "rectified"), ("cases", "filed"),
             ("cases", "decided"), ("fines", "decided"), ("fines", "collected")]
    return [(_LABELS[path], number(figure(report["total"], path), _LABELS[path].endswith(MONEY)))
            for path in picks]


def closing(report: dict[str, Any]) -> str:
    """The summary's last line: 本期零投诉、零复议、零诉讼 when there were none, else the
    counts (complaints registered, reconsiderations and lawsuits filed)."""
    t = report["total"]
    parts = [("投诉", t["complaints"]["registered"]), ("复议", t["reconsiderations"]["filed"]),
             ("诉讼", t["lawsuits"]["filed"])]
    return "本期" + "、".join(f"零{name}" if not count else f"{name}{count}件"
                            for name, count in parts) + "。"
