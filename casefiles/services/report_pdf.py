"""The period report as the bureau's PDF (SPEC §7): a cover with the bureau and the period, a
table per section and the charts, from ``templates/reports/period.html``. It renders through the
documents' renderer (its fonts, page layout and URL fetcher, which loads only the project's
own assets), so nothing in the report can make WeasyPrint read a file or a URL."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from casefiles.domain.docfacts import cn_date
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles
from casefiles.services.documents import renderer
from casefiles.services.report_view import charts, closing, period_text, tables


@cache
def _environment(reports_dir: Path) -> Environment:
    return Environment(loader=FileSystemLoader(reports_dir), undefined=StrictUndefined,
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


def report_html(cf: Casefiles, report: dict[str, Any], *, drills: bool = False) -> str:
    """The report's page of HTML (the bureau's name cleaned of characters no font has); the
    cover says so when ``drills`` were counted."""
    agency, _missing = renderer(cf).printable(cf.profile.agency.name)
    start, end = date.fromisoformat(report["from"]), date.fromisoformat(report["to"])
    made = local_date(cf.clock.now())
    page = _environment((cf.settings.templates_dir / "reports").resolve())
    return page.get_template("period.html").render(
        agency=agency, period=period_text(start, end), made=cn_date(made),
        tables=tables(report), charts=charts(report),
        closing=closing(report), drills=drills)


def report_pdf(cf: Casefiles, report: dict[str, Any], *, drills: bool = False) -> bytes:
    """The PDF of a report object of ``services/report.py`` (``drills``: they were counted)."""
    counted = drills or cf.settings.show_drills  # as period_report counted them
    pdf, _pages = renderer(cf).render_html(report_html(cf, report, drills=counted))
    return pdf
