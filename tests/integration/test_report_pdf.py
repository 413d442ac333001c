"""The period report as the bureau's PDF (SPEC §7), read back through pdftotext as a clerk reads
the printout: the cover names the bureau and the period, each section's table gives every
sector's figures and the total, and the charts are drawn in the PDF itself."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.domain.vocabulary import SECTORS
from casefiles.replay import load, run
from casefiles.services.app import Casefiles
from casefiles.services.report import period_report
from casefiles.services.report_pdf import report_pdf
from casefiles.services.report_view import SECTIONS, figure
from casefiles.settings import Settings
from tests.report_world import half_year
from tests.support import moment, open_bureau

H1 = (date(2026, 1, 1), date(2026, 6, 30))


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def _rows(text: str, title: str) -> dict[str, list[str]]:
    """The rows of the table under ``title``: sector (or 合计) → the figures on its line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    names = {*SECTORS.values(), "合计"}
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        words = line.split()
        if not words:
            continue
        if words[0] in names and words[0] not in rows:
            rows[words[0]] = words[1:]
        elif rows and words[0] not in names and len(rows) == len(names):
            break
    return rows


def _printed(value: Decimal, money: bool) -> str:
    return f"{value:,.2f}" if money else str(int(value))


def test_the_pdf_reads_back_every_figure_of_every_section(db_url: str, tmp_path: Path) -> None:
    """Each section's row of each sector, and the total, carries the report's figures in the
    order of its columns; the fine the world decided and collected stands in its sector's row,
    and the mine's hazards in the mine's."""
    cf, clock = open_bureau(db_url, start=moment("2026-03-02T09:00"),
                            data_dir=tmp_path / "data", drill=None)
    done = half_year(cf, clock)
    report = period_report(cf, *H1)
    text = _text(report_pdf(cf, report), tmp_path)

    assert cf.profile.agency.name in text
    assert "统计期间：2026年1月1日至2026年6月30日" in text
    by_name = {SECTORS[code]: figures for code, figures in report["sectors"].items()}
    by_name["合计"] = report["total"]
    for title, columns in SECTIONS:
        rows = _rows(text, title)
        assert set(rows) == set(by_name), title
        for name, figures in by_name.items():
            expected = [_printed(figure(figures, path), label.endswith("（元）"))
                        for label, path in columns]
            assert rows[name] == expected, (title, name)

    fine = f"{done.fine:,.2f}"
    assert _rows(text, "六、罚款")[SECTORS[done.case_sector]][:2] == [fine, fine]
    mine = _rows(text, "二、隐患排查整改")[SECTORS[done.inspection_sector]]
    assert mine[:2] == [str(done.hazards), str(done.major_hazards)]
    assert _rows(text, "三、责令整改、现场处理措施与复查")["合计"][0] == str(done.orders)
    assert "本期零投诉、零复议、零诉讼。" in text


def test_the_charts_are_drawn_in_the_pdf_with_their_figures(sqlite_url: str,
                                                            tmp_path: Path) -> None:
    """The four charts are in the PDF as drawing and text (no image is fetched): their titles,
    the sectors under the bars and the fine's figure above its bar."""
    cf, clock = open_bureau(sqlite_url, start=moment("2026-03-02T09:00"),
                            data_dir=tmp_path / "data", drill=None)
    done = half_year(cf, clock)
    text = _text(report_pdf(cf, period_report(cf, *H1)), tmp_path)
    charts = text[text.index("统计图"):]
    for title in ("各行业领域案件数", "罚款（元）", "责令整改与复查", "办案期限按期与逾期"):
        assert title in charts
    assert f"{done.fine:,.2f}" in charts
    assert all(name in charts for name in SECTORS.values())


def test_a_quiet_period_prints_zeros_and_a_fine_paid_later_moves_out(
        sqlite_url: str, tmp_path: Path) -> None:
    """The first quarter, before the fine was decided, prints 0 fines in every row; the mine's
    inspection of March stands in it."""
    cf, clock = open_bureau(sqlite_url, start=moment("2026-03-02T09:00"),
                            data_dir=tmp_path / "data", drill=None)
    done = half_year(cf, clock)
    report: dict[str, Any] = period_report(cf, date(2026, 1, 1), date(2026, 3, 31))
    text = _text(report_pdf(cf, report), tmp_path)
    assert all(row == ["0.00", "0.00", "0.00"] for row in _rows(text, "六、罚款").values())
    assert _rows(text, "一、执法检查")[SECTORS[done.inspection_sector]][0] == "1"


def test_the_years_appeals_are_printed_with_their_outcomes(sqlite_url: str,
                                                           tmp_path: Path) -> None:
    """Over tests/scenarios/half_year_report.yaml's second half (a reconsideration upheld, a
    lawsuit ending in revocation), the 行政复议 and 行政诉讼 tables print each sector's outcomes
    as the report counts them, and the closing line counts them instead of saying 零."""
    scenario_path = Path(__file__).parents[1] / "scenarios" / "half_year_report.yaml"
    assert all(r.line["met"] for r in run(scenario_path, load(scenario_path), sqlite_url))
    cf = Casefiles(Settings(data_dir=tmp_path / "data"), SimulatedClock(moment("2026-12-31")),
                   sqlite_url)
    report = period_report(cf, date(2026, 7, 1), date(2026, 12, 31))
    text = _text(report_pdf(cf, report), tmp_path)
    total = report["total"]
    assert total["reconsiderations"]["upheld"] and total["lawsuits"]["revoked"]
    for title, key in (("九、行政复议", "reconsiderations"), ("十、行政诉讼", "lawsuits")):
        rows = _rows(text, title)
        for code, figures in report["sectors"].items():
            appeals = figures[key]
            assert rows[SECTORS[code]] == [str(appeals[k]) for k in
                                           ("filed", "upheld", "changed", "revoked")]
    lawsuits = total["lawsuits"]["filed"]
    assert (f"诉讼{lawsuits}件" if lawsuits else "零诉讼") in text
    assert "本期零投诉、零复议、零诉讼" not in text
