"""统计 (SPEC §7) on the web, for the head and supervisors: a period picker, the report's tables
and charts, its CSV and PDF downloads, and the same JSON under /api/report. Blank dates mean
this year (1 January to today); a date that is not a date is refused beside its box. The
figures come from ``services/report.py`` only."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from casefiles.domain.statistics import COLUMNS, period_bound_refused, table_rows
from casefiles.domain.timefmt import local_date, parse_date
from casefiles.services.app import Casefiles
from casefiles.services.report import jsonable_report, period_report
from casefiles.services.report_pdf import report_pdf
from casefiles.services.report_view import (
    charts,
    closing,
    download_name,
    glance,
    period_text,
    tables,
)
from casefiles.web.access import STATISTICS_ROLES, sees_statistics
from casefiles.web.api import ERRORS, Me, OutcomeOut
from casefiles.web.case_pages import disposition
from casefiles.web.common import (
    ForbiddenError,
    WebError,
    invalid_body,
    render,
    signed_in,
    web,
)
from casefiles.web.strictjson import StrictJSONRoute

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["statistics"], route_class=StrictJSONRoute)
DateBox = Annotated[str | None, Query(max_length=40)]


@dataclass
class Period:
    """The period a request asks for: its dates, or the Chinese reason beside each bad box."""

    start: date
    end: date
    typed: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        """The query string naming this period (for links and downloads)."""
        return urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})


def period_asked(start: str | None, end: str | None, today: date) -> Period:
    """The period of the two boxes: blank ``from`` is 1 January of this year, blank ``to`` is
    today; a box that is not a date, or an end before the start, is named with its reason."""
    typed = {"from": (start or "").strip(), "to": (end or "").strip()}
    days = {"from": date(today.year, 1, 1), "to": today}
    errors = {}
    for box, text in typed.items():
        if not text:
            continue
        try:
            days[box] = parse_date(text)
        except ValueError:
            errors[box] = "日期应按“年-月-日”填写，如 2026-06-30"
            continue
        refused = period_bound_refused(days[box])
        if refused is not None:
            errors[box] = refused[0]
    if not errors and days["to"] < days["from"]:
        errors["to"] = "结束日期不能早于开始日期"
    return Period(days["from"], days["to"], typed, errors)


def _report(cf: Casefiles, period: Period, drills: bool) -> dict[str, Any]:
    """The report; drills counted when asked (and on a training installation: the service
    decides)."""
    return period_report(cf, period.start, period.end, include_drills=drills)


@router.get("/stats")
def stats_page(request: Request, start: Annotated[DateBox, Query(alias="from")] = None,
               end: Annotated[DateBox, Query(alias="to")] = None,
               drills: bool = False) -> Response:
    """统计: the period picker, then the report's tables and charts with its downloads."""
    signed_in(request, *STATISTICS_ROLES)
    cf = web(request).cf
    period = period_asked(start, end, local_date(cf.clock.now()))
    drills = drills or cf.settings.show_drills
    context: dict[str, Any] = {"title": "统计", "period": period, "drills": drills}
    if period.errors:
        return render(request, "stats.html", context, status=422)
    report = _report(cf, period, drills)
    query = period.query() + ("&drills=true" if drills else "")
    return render(request, "stats.html", context | {
        "period_text": period_text(period.start, period.end), "tables": tables(report),
        "charts": charts(report), "closing": closing(report), "query": query})


def _download(request: Request, start: str | None, end: str | None,
              drills: bool) -> tuple[Casefiles, Period, dict[str, Any]]:
    signed_in(request, *STATISTICS_ROLES)
    cf = web(request).cf
    period = period_asked(start, end, local_date(cf.clock.now()))
    if period.errors:
        raise BadPeriodError(period)
    return cf, period, _report(cf, period, drills)


class BadPeriodError(WebError):
    """A download asked for a period that is not one (answered 422 with the reasons)."""

    code = "invalid_input"

    def __init__(self, period: Period) -> None:
        reasons = "；".join(period.errors.values())
        super().__init__(f"统计期间有误：{reasons}", "invalid period")


@router.get("/stats.csv")
def stats_csv(request: Request, start: Annotated[DateBox, Query(alias="from")] = None,
              end: Annotated[DateBox, Query(alias="to")] = None,
              drills: bool = False) -> Response:
    """The report as CSV, one row per sector then 合计, under the CLI's Chinese headings (UTF-8
    with BOM, so that spreadsheet programs read the Chinese)."""
    cf, period, report = _download(request, start, end, drills)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["行业领域", *(label for _, label in COLUMNS)])
    writer.writerows(table_rows(report))
    name = download_name(cf.profile.agency.name, period.start, period.end, "csv")
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition(name, "attachment")})


@router.get("/stats.pdf")
def stats_pdf(request: Request, start: Annotated[DateBox, Query(alias="from")] = None,
              end: Annotated[DateBox, Query(alias="to")] = None,
              drills: bool = False) -> Response:
    """The report as the bureau's PDF, named with the period."""
    cf, period, report = _download(request, start, end, drills)
    name = download_name(cf.profile.agency.name, period.start, period.end, "pdf")
    return Response(report_pdf(cf, report, drills=drills),
                    media_type="application/pdf",
                    headers={"Content-Disposition": disposition(name, "attachment")})


@api.get("/report", responses={**ERRORS, 422: {"model": OutcomeOut}})
def report_json(request: Request, person: Me,
                start: Annotated[DateBox, Query(alias="from")] = None,
                end: Annotated[DateBox, Query(alias="to")] = None,
                include_drills: bool = False) -> JSONResponse:
    """The report object of SCENARIOS.md for the period (blank dates: this year)."""
    if not sees_statistics(person):
        raise ForbiddenError("无此权限（统计仅负责人、监督人员可查看）",
                             "statistics are for the head and supervisors")
    cf = web(request).cf
    period = period_asked(start, end, local_date(cf.clock.now()))
    if period.errors:
        box, reason = next(iter(period.errors.items()))
        return JSONResponse(invalid_body(reason, "invalid period", box), status_code=422)
    return JSONResponse(jsonable_report(_report(cf, period, include_drills)))


# the landing figures are recounted at most this often per application: two reports over
# 100,000 cases take seconds (tests/benchmarks/report_pages.py), too long for every landing
GLANCE_SECONDS = 300


def landing_glance(request: Request) -> dict[str, Any]:
    """This month and this year at a glance for the head's landing page: each period's name,
    its link to 统计 and its few figures, and the time they were counted (kept on the
    application for :data:`GLANCE_SECONDS`)."""
    cf = web(request).cf
    now = cf.clock.now()
    today = local_date(now)
    kept: dict[date, tuple[float, dict[str, Any]]] = getattr(request.app.state, "glance", {})
    hit = kept.get(today)
    if hit is not None and time.monotonic() - hit[0] < GLANCE_SECONDS:
        return hit[1]
    periods = []
    for name, start in (("本月", today.replace(day=1)), ("本年", date(today.year, 1, 1))):
        period = Period(start, today, {})
        periods.append({"name": name, "text": period_text(start, today),
                        "href": f"/stats?{period.query()}",
                        "figures": glance(_report(cf, period, False))})
    counted = {"periods": periods, "at": now}
    request.app.state.glance = {today: (time.monotonic(), counted)}
    return counted


@router.get("/stats/glance")
def glance_part(request: Request) -> Response:
    """The landing page's figures, fetched after the page has shown (a part, not a page)."""
    signed_in(request, *STATISTICS_ROLES)
    return render(request, "stats_glance.html", {"glance": landing_glance(request)})
