"""统计 (SPEC §7) on the web and the API: the head and supervisors pick a period and read the
report's figures, download it as PDF, and the API serves the same object; everyone else is
refused; bad dates are refused beside their box; the head's landing page shows this month and
this year at a glance. The figures are those of the world the test played."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from casefiles.domain.vocabulary import SECTORS
from casefiles.services.app import Casefiles
from casefiles.services.report import period_report
from casefiles.settings import Settings
from casefiles.web import create_app
from casefiles.web.security import hash_password
from tests.report_world import Done, half_year
from tests.support import SMALL_FINE, moment, play
from tests.web.conftest import PASSWORD, Bureau, api_token, make_bureau, sign_in


@pytest.fixture
def busy(sqlite_url: str, tmp_path: Path) -> tuple[Bureau, Done]:
    """A bureau of today (no drill) after the half-year of tests/report_world.py, its clock
    on 20 June 2026."""
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD),
                         moment("2026-03-02T09:00"), drill=None)
    done = half_year(bureau.cf, bureau.clock)
    bureau.clock.set(moment("2026-06-20T09:00"))
    return bureau, done


def _cell(page: str, row: str, column: str) -> str:
    """The figure of ``row`` (a sector or 合计) in the first table with ``column``."""
    table = next(t for t in page.split("<table")[1:] if f">{column}</th>" in t)
    line = next(r for r in table.split("<tr")[1:] if f'<th scope="row">{row}</th>' in r)
    found = re.search(rf'data-label="{re.escape(column)}">([^<]*)</td>', line)
    assert found, (row, column)
    return found.group(1)


def test_the_head_picks_a_period_and_reads_its_figures(busy: tuple[Bureau, Done]) -> None:
    """With the first half of 2026 the page gives the fine the world decided and collected in
    its sector, the mine's hazards, and the total; the downloads carry the period."""
    bureau, done = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhao")
        page = client.get("/stats", params={"from": "2026-01-01", "to": "2026-06-30"}).text
    fine = f"{done.fine:,.2f}"
    sector = SECTORS[done.case_sector]
    assert _cell(page, sector, "罚款决定金额（元）") == fine
    assert _cell(page, sector, "罚款收缴金额（元）") == fine
    assert _cell(page, "合计", "罚款决定金额（元）") == fine
    assert _cell(page, SECTORS[done.inspection_sector], "发现隐患") == str(done.hazards)
    assert _cell(page, SECTORS[done.inspection_sector], "其中重大隐患") == \
        str(done.major_hazards)
    assert "2026年1月1日至2026年6月30日" in page
    assert 'href="/stats.pdf?from=2026-01-01&amp;to=2026-06-30"' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 4


def test_blank_dates_mean_this_year_and_a_later_period_leaves_the_fine_out(
        busy: tuple[Bureau, Done]) -> None:
    """Blank boxes read 1 January to today; a period after the payment counts no fine."""
    bureau, done = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhou")
        page = client.get("/stats", params={"from": "", "to": ""}).text
        assert "2026年1月1日至2026年6月20日" in page
        assert _cell(page, "合计", "罚款收缴金额（元）") == f"{done.fine:,.2f}"
        later = client.get("/stats", params={"from": "2026-06-16", "to": "2026-06-20"}).text
    assert _cell(later, "合计", "罚款决定金额（元）") == "0.00"
    assert _cell(later, "合计", "罚款收缴金额（元）") == "0.00"


def test_a_bad_date_is_refused_beside_its_box_in_chinese(busy: tuple[Bureau, Done]) -> None:
    """A date that does not exist is named beside 自; an end before the start beside 至; no
    figures are shown, and the typed text is kept in the box."""
    bureau, _ = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhao")
        r = client.get("/stats", params={"from": "2026-02-30", "to": "2026-06-30"})
        assert r.status_code == 422
        assert re.search(r'id="stats-from-error">日期应按“年-月-日”填写', r.text)
        assert 'value="2026-02-30"' in r.text and "stats-table" not in r.text
        r = client.get("/stats", params={"from": "2026-06-30", "to": "2026-01-01"})
        assert r.status_code == 422
        assert 'id="stats-to-error">结束日期不能早于开始日期' in r.text
        r = client.get("/stats", params={"from": "0001-01-01", "to": "9999-12-31"})
        assert 'id="stats-to-error">统计期间应在2000年至2099年之间' in r.text
        r = client.get("/stats.pdf", params={"from": "2026-13-01"})
        assert r.status_code == 422 and "统计期间有误" in r.text


def test_the_pdf_downloads_with_a_chinese_name_carrying_the_period(
        busy: tuple[Bureau, Done], tmp_path: Path) -> None:
    """The PDF answers as an attachment named 衡山县应急管理局执法统计（from至to）.pdf and reads
    back the collected fine."""
    bureau, done = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhao")
        r = client.get("/stats.pdf", params={"from": "2026-01-01", "to": "2026-06-30"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    name = unquote(r.headers["content-disposition"].split("filename*=utf-8''")[1])
    assert name == f"{bureau.cf.profile.agency.name}执法统计（2026-01-01至2026-06-30）.pdf"
    path = tmp_path / "stats.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert f"{done.fine:,.2f}" in text


def test_the_api_serves_the_same_object_to_the_head_and_supervisors_only(
        busy: tuple[Bureau, Done]) -> None:
    """GET /api/report gives period_report's object; an officer, a reviewer and a host are
    refused 403; a bad date is 422 naming the field."""
    bureau, _ = busy
    expected = period_report(bureau.cf, date(2026, 1, 1), date(2026, 6, 30))
    with TestClient(create_app(bureau.cf)) as client:
        for pid in ("zhao", "zhou"):
            r = client.get("/api/report", params={"from": "2026-01-01", "to": "2026-06-30"},
                           headers=api_token(client, pid))
            assert (r.status_code, r.json()) == (200, expected)
        for pid in ("zhang", "wang", "chen"):
            r = client.get("/api/report", headers=api_token(client, pid))
            assert (r.status_code, r.json()["code"]) == (403, "forbidden_role")
        r = client.get("/api/report", params={"to": "2026-6-31"},
                       headers=api_token(client, "zhao"))
    assert r.status_code == 422
    assert r.json()["refusals"][0]["field"] == "to"


def test_statistics_are_in_the_navigation_of_the_head_and_supervisors_only(
        busy: tuple[Bureau, Done]) -> None:
    """统计 is linked for the head and a supervisor; an officer neither sees the link nor
    opens the page or its downloads."""
    bureau, _ = busy
    with TestClient(create_app(bureau.cf)) as client:
        for pid in ("zhao", "zhou"):
            sign_in(client, pid)
            assert '<a href="/stats">统计</a>' in client.get("/reminders").text
        sign_in(client, "zhang")
        assert '<a href="/stats">统计</a>' not in client.get("/reminders").text
        for url in ("/stats", "/stats.pdf"):
            assert client.get(url).status_code == 403


def test_the_heads_landing_page_shows_this_month_and_this_year(
        busy: tuple[Bureau, Done]) -> None:
    """On 20 June the head's first page shows June (the case filed and decided this month,
    no inspection) and 2026 (the March inspection too), each linking to 统计 for its period;
    the figures come in a part fetched after the page, for the head and supervisors only."""
    bureau, done = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhao")
        landing = client.get("/").text
        assert 'data-glance="/stats/glance"' in landing  # fetched once the page has shown
        page = client.get("/stats/glance").text
        sign_in(client, "zhang")
        assert client.get("/stats/glance").status_code == 403
    assert "截至 2026年6月20日 09:00" in page
    month, year = page.split('class="card glance-period"')[1:3]
    assert "本月" in month and 'href="/stats?from=2026-06-01&amp;to=2026-06-20"' in month
    assert "<dt>检查次数</dt><dd>0</dd>" in month
    assert "<dt>立案</dt><dd>1</dd>" in month
    assert f"<dt>罚款收缴金额（元）</dt><dd>{done.fine:,.2f}</dd>" in month
    assert "本年" in year and 'href="/stats?from=2026-01-01&amp;to=2026-06-20"' in year
    assert "<dt>检查次数</dt><dd>1</dd>" in year
    assert f"<dt>发现隐患</dt><dd>{done.hazards}</dd>" in year


def test_the_csv_downloads_one_row_per_sector_with_the_period_in_its_name(
        busy: tuple[Bureau, Done]) -> None:
    """The CSV (with a BOM for spreadsheets) has a row per sector and 合计 under Chinese
    headings; the world's fine stands in its sector's row; its name carries the period."""
    bureau, done = busy
    with TestClient(create_app(bureau.cf)) as client:
        sign_in(client, "zhou")
        r = client.get("/stats.csv", params={"from": "2026-01-01", "to": "2026-06-30"})
    assert r.status_code == 200 and r.text.startswith("\ufeff")
    name = unquote(r.headers["content-disposition"].split("filename*=utf-8''")[1])
    assert name == f"{bureau.cf.profile.agency.name}执法统计（2026-01-01至2026-06-30）.csv"
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert [row["行业领域"] for row in rows] == [*SECTORS.values(), "合计"]
    sector = next(row for row in rows if row["行业领域"] == SECTORS[done.case_sector])
    assert Decimal(sector["罚款决定金额（元）"]) == done.fine
    assert Decimal(sector["罚款收缴金额（元）"]) == done.fine


def test_drills_are_left_out_unless_the_box_is_ticked(sqlite_url: str, tmp_path: Path) -> None:
    """A drill of 2020 counts nothing in 统计 for 2020; ticked 含演练案件, its case is counted and
    the PDF's cover says drills were counted."""
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD))
    play(bureau.cf, bureau.clock, SMALL_FINE)  # a drill world: the bureau plays 2020 as drills
    live = Casefiles(Settings(data_dir=tmp_path / "data", secret_key="test-secret-key"),
                     bureau.clock, sqlite_url)
    year = {"from": "2020-01-01", "to": "2020-12-31"}
    with TestClient(create_app(live)) as client:
        sign_in(client, "zhao")
        assert _cell(client.get("/stats", params=year).text, "合计", "立案") == "0"
        ticked = client.get("/stats", params={**year, "drills": "true"}).text
        assert _cell(ticked, "合计", "立案") == "1"
        assert 'href="/stats.pdf?from=2020-01-01&amp;to=2020-12-31&amp;drills=true"' in ticked
        pdf = client.get("/stats.pdf", params={**year, "drills": "true"}).content
    path = tmp_path / "drills.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "含演练案件" in text
