"""The period report as people read it (SPEC §7): every figure of the report object has its
column, amounts print exactly in yuan and fen, and the charts are well-formed SVG whose bars
stand in proportion to their figures, with user-facing text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from typing import Any

from casefiles.domain.vocabulary import SECTORS
from casefiles.services.report_charts import Series, bar_chart
from casefiles.services.report_view import (
    SECTIONS,
    charts,
    closing,
    download_name,
    glance,
    tables,
)

SVG = "{http://www.w3.org/2000/svg}"


def _figures(seed: int) -> dict[str, Any]:
    """One sector's figures in the shape SCENARIOS.md documents, each a distinct number."""
    n = iter(range(seed, seed + 100))
    return {"inspections": next(n), "units_inspected": next(n),
            "hazards": {"found": next(n), "major": next(n), "rectified": next(n)},
            "orders": next(n), "measures": next(n), "rechecks": next(n),
            "cases": {"registered": next(n), "filed": next(n), "decided": next(n),
                      "closed": next(n)},
            "penalties": {"warning": next(n), "fine": next(n), "confiscation": next(n),
                          "suspension": next(n), "revocation": next(n)},
            "fines": {"decided": 60000.5, "collected": 123456789.01, "surcharge_collected": 0},
            "hearings": next(n), "reviews": {"passed": next(n), "returned": next(n)},
            "discussions": next(n), "complaints": {"registered": next(n), "dismissed": next(n)},
            "reconsiderations": {"filed": next(n), "upheld": next(n), "changed": next(n),
                                 "revoked": next(n)},
            "lawsuits": {"filed": next(n), "upheld": next(n), "changed": next(n),
                         "revoked": next(n)},
            "deadlines": {"met": next(n), "missed": next(n)}}


def _report() -> dict[str, Any]:
    return {"from": "2026-01-01", "to": "2026-06-30",
            "sectors": {code: _figures(i * 100) for i, code in enumerate(SECTORS)},
            "total": _figures(1000)}


def _leaves(value: dict[str, Any], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for key, v in value.items():
        out |= _leaves(v, (*prefix, key)) if isinstance(v, dict) else {(*prefix, key)}
    return out


def test_every_figure_of_the_report_object_has_exactly_one_column() -> None:
    """The sections cover each figure of a sector once: none is left unprinted, none twice."""
    paths = [path for _title, columns in SECTIONS for _label, path in columns]
    assert len(paths) == len(set(paths))
    assert set(paths) == _leaves(_figures(0))


def test_each_table_has_a_row_per_sector_then_the_total_with_the_objects_figures() -> None:
    """A table lists every sector in the report's order by its Chinese name, then 合计, and
    its cells are the figures of the object (the major hazards column of 危险化学品, say)."""
    report = _report()
    hazards = next(t for t in tables(report) if t.title.endswith("隐患排查整改"))
    assert [name for name, _ in hazards.rows] == [*SECTORS.values(), "合计"]
    chemicals = dict(hazards.rows)["危险化学品"]
    assert chemicals[hazards.columns.index("其中重大隐患")] == str(
        report["sectors"]["hazardous_chemicals"]["hazards"]["major"])


def test_amounts_print_exactly_in_yuan_and_fen() -> None:
    """60000.5 yuan prints 60,000.50 and 123456789.01 keeps its last fen (no float rounding)."""
    fines = next(t for t in tables(_report()) if t.title.endswith("罚款"))
    total = dict(fines.rows)["合计"]
    assert total == ["60,000.50", "123,456,789.01", "0.00"]
    assert ("罚款收缴金额（元）", "123,456,789.01") in glance(_report())


def test_the_closing_line_says_zero_complaints_reconsiderations_and_lawsuits() -> None:
    """With none in the period the summary ends on 零投诉、零复议、零诉讼; otherwise it counts."""
    report = _report()
    for key in ("complaints", "reconsiderations", "lawsuits"):
        report["total"][key] = dict.fromkeys(report["total"][key], 0)
    assert closing(report) == "本期零投诉、零复议、零诉讼。"
    report["total"]["lawsuits"]["filed"] = 2
    assert closing(report) == "本期零投诉、零复议、诉讼2件。"


def test_a_download_is_named_in_chinese_with_its_period() -> None:
    """The file name carries the bureau and both dates of the period."""
    assert download_name("衡山县应急管理局", date(2026, 1, 1), date(2026, 6, 30), "csv") == \
        "衡山县应急管理局执法统计（2026-01-01至2026-06-30）.csv"


def test_bars_stand_in_proportion_to_their_figures_and_text_is_escaped() -> None:
    """A bar twice the figure of another is twice as tall; a category holding markup is text
    in the SVG, not an element."""
    svg = bar_chart("罚款（元）", ["<b>甲</b>", "乙"],
                    [Series("决定罚款", [Decimal(30000), Decimal("60000.50")], "#000")],
                    money=True)
    root = ET.fromstring(str(svg))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = [float(r.attrib["height"]) for r in bars]
    assert abs(heights[1] / heights[0] - 60000.5 / 30000) < 0.01
    assert not list(root.iter(f"{SVG}b"))
    assert "<b>甲</b>" in "".join(root.itertext())
    assert "60,000.50" in "".join(root.itertext())


def test_the_four_charts_of_spec_7_are_drawn_for_a_report() -> None:
    """Cases by sector, fines, orders against rechecks, deadlines met against missed."""
    titles = [ET.fromstring(str(c)).find(f"{SVG}title").text for c in charts(_report())]
    assert titles == ["各行业领域案件数", "罚款（元）", "责令整改与复查", "办案期限按期与逾期"]


def test_a_chart_of_nothing_but_zeros_still_draws_an_axis() -> None:
    """A quiet period (every figure 0) draws flat bars on a scale, not a division by zero."""
    svg = bar_chart("各行业领域案件数", ["非煤矿山"], [Series("立案", [Decimal(0)], "#000")])
    bars = [r for r in ET.fromstring(str(svg)).iter(f"{SVG}rect")
            if r.find(f"{SVG}title") is not None]
    assert [float(r.attrib["height"]) for r in bars] == [0.0]
