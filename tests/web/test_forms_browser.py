"""Issue 14, item 6 in headless Chromium: a chosen evidence file survives a refusal (the form
is sent by fetch, and nothing is stored until the action is accepted); the proposal form adds
rows for more violations and shows the chosen provision's article, range and tiers; 处罚告知
asks for confirmation, and declining it sends nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.support import SMALL_FINE, play, until
from tests.web.browser import CHROMIUM, chromium_missing, served
from tests.web.conftest import PASSWORD, Bureau

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")
playwright = pytest.importorskip("playwright.sync_api")


def test_the_officers_forms_keep_the_file_add_rows_and_confirm(bureau: Bureau,
                                                               tmp_path: Path) -> None:
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = len(bureau.cf.case(case_id).evidence)
    photo = tmp_path / "现场照片.pdf"
    photo.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    with served(bureau.cf) as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page: Any = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/signin")
        page.fill('[name="person_id"]', "zhang")
        page.fill('[name="password"]', PASSWORD)
        page.click("button.primary")
        page.goto(f"{base}/cases/{case_id}")

        # no title: refused beside the form, the chosen file still chosen, nothing stored
        page.click("#act-record summary")
        page.select_option('#act-record [name="kind"]', "physical")
        page.set_input_files('#act-record [name="file"]', str(photo))
        page.click("#act-record button.primary")
        page.wait_for_selector("#act-record .refusal")
        assert page.eval_on_selector('#act-record [name="file"]', "e => e.files.length") == 1
        assert page.locator('#act-record [name="title"][aria-invalid="true"]').count() == 1
        assert len(bureau.cf.case(case_id).evidence) == before
        page.fill('#act-record [name="title"]', "现场照片")
        page.click("#act-record button.primary")
        page.wait_for_selector(".flash")
        assert "调查取证：已办理" in page.inner_text(".flash")
        kept = bureau.cf.case(case_id).evidence[-1]
        assert kept.title == "现场照片"
        assert kept.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()

        # the proposal form: a third violation row; the provision's range shown when chosen
        page.click("#act-propose summary")
        page.click('#act-propose button[data-add-row="violations"]')
        third = '#act-propose [name="violations.2.code"]'
        assert page.locator(third).count() == 1
        page.select_option(third, "WSL-97-4")
        info = page.locator("#act-propose label.field",
                            has=page.locator('[name="violations.2.code"]'))
        assert "违反安全生产法第28条第4款；法定幅度" in info.inner_text()

        # 处罚告知 asks first: declining sends nothing
        page.select_option('#act-propose [name="violations.0.code"]', "WSL-97-4")
        page.select_option('#act-propose [name="violations.0.tier"]', "一般")
        page.fill('#act-propose [name="violations.0.facts"]', "3名新员工未经培训上岗")
        page.select_option(third, "")
        page.select_option('#act-propose [name="penalties.0.type"]', "fine")
        page.fill('#act-propose [name="penalties.0.amount"]', "8000")
        page.click("#act-propose button.primary")
        page.once("dialog", lambda dialog: dialog.dismiss())
        page.click("#act-notify summary")
        page.click("#act-notify button.primary")
        assert bureau.cf.case(case_id).state.value == "proposed"
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#act-notify button.primary")
        page.wait_for_selector(".flash .issued")
        assert bureau.cf.case(case_id).state.value == "notified"
        browser.close()
