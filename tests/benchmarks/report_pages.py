"""Benchmark (not a test): what the report's pages cost over the database of
tests/benchmarks/report.py (100,000 cases and 100,000 inspections by default): the head's
landing figures (this month and this year: two reports, fetched after the page and kept five
minutes), the 统计 page's tables and charts, and the PDF. Prints the median of five runs of each.

    .venv/bin/python tests/benchmarks/report_pages.py [--cases 100000] [--inspections 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from casefiles.services.report import period_report
from casefiles.services.report_pdf import report_pdf
from casefiles.services.report_view import charts, tables
from tests.benchmarks.report import build


def median_ms(work: Callable[[], Any], repeat: int = 5) -> float:
    """The median time of ``repeat`` runs of ``work``, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--inspections", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="casefiles-bench-") as tmp:
        cf = build(f"sqlite:///{Path(tmp) / 'casefiles.db'}", args.cases, args.inspections)
        half = period_report(cf, date(2026, 1, 1), date(2026, 6, 30))
        report_pdf(cf, half)  # the fonts are cut and loaded once per process
        print(f"{cf.engine.dialect.name}, {args.cases} cases, {args.inspections} inspections")
        for label, work in (
                ("landing: this month (June 2026)", lambda: period_report(
                    cf, date(2026, 6, 1), date(2026, 6, 30))),
                ("landing: this year (2026)", lambda: period_report(
                    cf, date(2026, 1, 1), date(2026, 12, 31))),
                ("half-year report", lambda: period_report(cf, date(2026, 1, 1),
                                                           date(2026, 6, 30))),
                ("tables and charts of a report", lambda: (tables(half), charts(half))),
                ("PDF of a report", lambda: report_pdf(cf, half))):
            print(f"{label:36s} {median_ms(work):8.1f} ms")
        cf.engine.dispose()


if __name__ == "__main__":
    main()
