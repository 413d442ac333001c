"""Real headless Chromium: the head signs in, sees this month and this year on the landing
page, opens 统计 from the navigation, picks the first half of 2026, reads the figures and the
charts, and downloads the CSV with its Chinese name (SPEC §7)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from casefiles.domain.vocabulary import SECTORS
from casefiles.web.security import hash_password
from tests.report_world import half_year
from tests.support import moment
from tests.web.browser import CHROMIUM, chromium_missing, served, shot
from tests.web.conftest import PASSWORD, make_bureau

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")
playwright = pytest.importorskip("playwright.sync_api")


def test_the_head_reads_the_half_year_and_downloads_its_csv(sqlite_url: str,
                                                             tmp_path: Path) -> None:
    """After a bad date is refused beside its box, the period 2026-01-01 to 2026-06-30 shows
    the world's fine in its sector's row, four charts (no sideways scroll on a phone), and a CSV whose row carries the fine."""
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD),
                         moment("2026-03-02T09:00"), drill=None)
    done = half_year(bureau.cf, bureau.clock)
    bureau.clock.set(moment("2026-07-06T09:00"))
    fine = f"{done.fine:,.2f}"
    sector = SECTORS[done.case_sector]
    with served(bureau.cf) as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(locale="zh-CN", accept_downloads=True,
                                   viewport={"width": 1366, "height": 768}).new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/signin")
        page.fill('[name="person_id"]', "zhao")
        page.fill('[name="password"]', PASSWORD)
        page.click("button.primary")
        year = page.locator(".glance-period", has_text="本年")
        assert year.locator("dt:text-is('罚款收缴金额（元）') + dd").inner_text() == fine
        page.click("header nav >> text=统计")
        assert page.url.startswith(f"{base}/stats")

        page.fill("#stats-from", "2026-06-30")
        page.fill("#stats-to", "2026-01-01")
        page.click("form.stats-period button.primary")
        assert page.inner_text("#stats-to-error") == "结束日期不能早于开始日期"

        page.fill("#stats-from", "2026-01-01")
        page.fill("#stats-to", "2026-06-30")
        page.click("form.stats-period button.primary")
        assert "2026年1月1日至2026年6月30日" in page.inner_text("#stats-period")
        fines = page.locator("table.stats-table", has_text="罚款决定金额（元）")
        row = fines.locator("tr", has=page.locator(f"th:text-is('{sector}')"))
        assert row.locator("td").nth(0).inner_text() == fine
        assert page.locator("svg.chart").count() == 4
        # the fine chart labels its decided and its collected bar with the fine
        assert page.locator("svg.chart").nth(1).locator("text", has_text=fine).count() == 2
        shot(page, "stats")
        page.set_viewport_size({"width": 390, "height": 844})  # on a phone: no sideways scroll
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, "stats-phone")
        page.set_viewport_size({"width": 1366, "height": 768})

        with page.expect_download() as info:
            page.click("text=下载 CSV")
        download = info.value
        assert download.suggested_filename == (
            f"{bureau.cf.profile.agency.name}执法统计（2026-01-01至2026-06-30）.csv")
        text = Path(download.path()).read_text("utf-8-sig")
        rows = {r["行业领域"]: r for r in csv.DictReader(io.StringIO(text))}
        assert Decimal(rows[sector]["罚款收缴金额（元）"]) == done.fine
        assert Decimal(rows["合计"]["罚款决定金额（元）"]) == done.fine
        browser.close()
