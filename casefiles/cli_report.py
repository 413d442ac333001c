"""`casefiles report`: the period report (SPEC §7) as JSON or CSV."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casefiles.cli_common import dump, err, out, ready
from casefiles.domain.statistics import COLUMNS, period_bound_refused, table_rows
from casefiles.services.report import jsonable_report, period_report


def _day(value: str, option: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        err.print(f"[red]{option} 日期格式应为 YYYY-MM-DD / {option} must be a date "
                  f"YYYY-MM-DD: {escape(value)}[/red]")
        raise typer.Exit(2) from exc
    refused = period_bound_refused(day)
    if refused is not None:
        zh, en = refused
        err.print(f"[red]{zh} / {option} {en}: {day}[/red]")
        raise typer.Exit(2)
    return day


def report(
    start: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="截止日期 YYYY-MM-DD（含）")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON 对象")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV，每个行业领域一行")] = False,
    include_drills: Annotated[bool, typer.Option("--include-drills",
                                                 help="计入演练 / count drills")] = False,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="报告 PDF 的保存路径 / write the "
                                                           "bureau's PDF report here")] = None,
    db: Annotated[str | None, typer.Option(help="database URL")] = None,
) -> None:
    """执法统计报表 / the period report: figures by sector and in total."""
    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        err.print("[red]截止日期早于起始日期 / --to is before --from[/red]")
        raise typer.Exit(2)
    if as_json and as_csv:
        err.print("[red]--json 与 --csv 只能选一 / choose one of --json and --csv[/red]")
        raise typer.Exit(2)
    cf = ready(db)
    data = period_report(cf, first, last, include_drills=include_drills)
    if pdf is not None:  # the bureau's PDF report (issue 16, n16b); stdout keeps JSON or CSV
        from casefiles.services.report_pdf import report_pdf

        pdf.write_bytes(report_pdf(cf, data, drills=include_drills))
        err.print(f"已生成统计报告 / report written: {escape(str(pdf))}")
    if as_json:
        dump(jsonable_report(data))
        return
    rows = table_rows(data)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["行业领域", *(label for _, label in COLUMNS)])
        writer.writerows(rows)
        return
    table = Table("行业领域", *(label for _, label in COLUMNS),
                  title=f"执法统计 {data['from']} 至 {data['to']}")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    out.print(table)
