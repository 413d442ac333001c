"""Real headless Chromium on a phone-sized screen: an officer records an inspection, orders
rectification and, after the deadline, rechecks and registers a case from the inspection; the
head approves the seal the officer asked for from the queue, sees the major hazard among
检查督办 and lifts the seal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casefiles.web.security import hash_password
from tests.support import MINE, moment
from tests.web.browser import CHROMIUM, chromium_missing, served
from tests.web.conftest import PASSWORD, make_bureau

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")
playwright = pytest.importorskip("playwright.sync_api")
PHONE = {"width": 390, "height": 844}


def test_an_inspection_from_the_phone_form_to_a_case(sqlite_url: str, tmp_path: Path) -> None:
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD),
                         moment("2026-03-02T09:00"), drill=None)
    with served(bureau.cf) as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def signed(pid: str) -> Any:
            page = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{base}/signin")
            page.fill('[name="person_id"]', pid)
            page.fill('[name="password"]', PASSWORD)
            page.click("button.primary")
            return page

        zhang = signed("zhang")
        zhang.goto(f"{base}/inspections")
        zhang.click("text=＋ 现场检查")
        zhang.fill('[name="unit_name"]', MINE["name"])
        zhang.fill('[name="credit_code"]', MINE["credit_code"])
        zhang.fill('[name="address"]', MINE["address"])
        zhang.select_option('[name="sector"]', "non_coal_mine")
        zhang.fill('[name="place"]', "一号采场")
        zhang.check('[name="officers"][value="li"]')
        zhang.fill('[name="h1_description"]', "采场台阶坡面有浮石")
        zhang.select_option('[name="h1_level"]', "major")
        zhang.fill('[name="h1_provision"]', "WSL-99-1")
        zhang.check('[name="refused_to_sign"]')
        zhang.click("form.card button.primary")
        assert "衡山应急检记〔2026〕1号" in zhang.inner_text("h1")
        inspection_url = zhang.url
        zhang.fill('form[action$="/measures"] [name="object"]', "一号采场")
        zhang.select_option('form[action$="/measures"] [name="type"]', "seal")
        zhang.check('form[action$="/measures"] [name="officers"][value="li"]')
        zhang.click('form[action$="/measures"] button.primary')  # no approval chosen
        assert "待负责人批准" in zhang.inner_text("main")
        assert "至 2026-04-01" not in zhang.inner_text("main")

        zhao = signed("zhao")  # the request is a row of the head's queue, approved there
        zhao.goto(f"{base}/queue/head")
        row = zhao.inner_text("table.approvals")
        assert "查封一号采场" in row and "张伟" in row
        zhao.click('table.approvals button.primary')
        assert "已批准" in zhao.inner_text("main") and "至 2026-04-01" in zhao.inner_text("main")
        zhao.goto(f"{base}/queue/head")
        assert zhao.locator("table.approvals").count() == 0
        zhang.goto(inspection_url)
        assert "至 2026-04-01" in zhang.inner_text("main")
        zhang.fill('form[action$="/order"] [name="deadline"]', "2026-03-13")
        zhang.click('form[action$="/order"] button.primary')
        zhang.goto(f"{base}/inspections")
        assert "2026-03-13" in zhang.inner_text("table.list")

        zhao.goto(f"{base}/queue/inspections")
        assert "重大事故隐患：挂牌督办" in zhao.inner_text("main")

        bureau.clock.set(moment("2026-03-16T09:00"))
        zhang.goto(inspection_url)
        zhang.check('form[action$="/recheck"] [name="result_h1"][value="unrectified"]')
        zhang.fill('form[action$="/recheck"] [name="note_h1"]', "浮石未清理")
        zhang.check('form[action$="/recheck"] [name="officers"][value="li"]')
        zhang.click('form[action$="/recheck"] button.primary')
        assert "逾期未整改" in zhang.inner_text("h1")
        zhang.click('form[action$="/case"] button.primary')
        assert "/cases/" in zhang.url

        zhao.goto(inspection_url)
        zhao.fill('form[action$="/lift"] [name="reason"]', "经查已采取临时支护措施")
        zhao.click('form[action$="/lift"] button')
        assert "已解除" in zhao.inner_text("main")
        browser.close()
