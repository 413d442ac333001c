"""Real headless Chromium carries shared scenario 01 (a major fine in a non-coal mine) from
registration to archive by clicking through the pages, each person signed in as themselves."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from casefiles.domain.vocabulary import ACTIONS
from casefiles.replay import load
from casefiles.web.security import hash_password
from tests.support import SHARED
from tests.web.browser import CHROMIUM, chromium_missing, fill_form, served, shot
from tests.web.conftest import PASSWORD, make_bureau

pytestmark = pytest.mark.skipif(chromium_missing() is not None,
                                reason=chromium_missing() or "")
playwright = pytest.importorskip("playwright.sync_api")

SCENARIO = SHARED / "scenarios" / "01_mine_major_fine.yaml"
if not SCENARIO.is_file():
    pytest.skip("this walk plays shared scenario 01: ../shared is not beside the checkout",
                allow_module_level=True)


def _payload(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in raw.items()}


def test_scenario_01_is_carried_from_registration_to_archive_in_chromium(
        sqlite_url: str, tmp_path: Path) -> None:
    """Every step of scenario 01 is taken through its page form, refusals appear beside the
    form with their code, and the case ends archived with a verified history."""
    scenario = load(SCENARIO)
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD),
                         scenario.start)
    with served(bureau.cf) as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages: dict[str, Any] = {}

        def as_person(pid: str) -> Any:
            if pid not in pages:
                page = browser.new_context(locale="zh-CN").new_page()
                page.set_default_timeout(10_000)
                page.goto(f"{base}/signin")
                page.fill('[name="person_id"]', pid)
                page.fill('[name="password"]', PASSWORD)
                page.click("button.primary")
                pages[pid] = page
            return pages[pid]

        case_url = ""
        for n, step in enumerate(scenario.steps, start=1):
            if step.at:
                bureau.clock.set(step.at)
            page = as_person(step.by)
            payload = _payload(step.with_)
            if step.do == "register":
                page.goto(f"{base}/register")
                fill_form(page, "form.card", "register", payload)
                page.click("form.card button.primary")
                case_url = page.url
            elif step.do == "review":
                page.goto(f"{case_url}/review")
                fill_form(page, "form.form", "review", payload)
                shot(page, f"{n:02d}-review-page")
                page.click("form.form button.primary")
            else:
                page.goto(case_url)
                scope = f"#act-{step.do}"
                page.click(f"{scope} summary")
                fill_form(page, scope, step.do, payload)
                page.click(f"{scope} button.primary")
            expect = step.expect if isinstance(step.expect, str) else "ok"
            if expect.startswith("refused"):
                code = expect.split(":", 1)[1]
                alert = page.locator(f"#act-{step.do} .refusal")
                assert code in alert.inner_text(), (n, step.do, alert.inner_text())
                if step.do == "decide":  # the input stays as it was sent
                    chosen = page.locator(f'#act-{step.do} [name="outcome"]').input_value()
                    assert chosen == "penalty"
                shot(page, f"{n:02d}-{step.do}-refused")
            else:
                refused = page.locator(".refusal")
                assert refused.count() == 0, (n, step.do, refused.first.inner_text())
                flash = page.locator(".flash").inner_text()
                assert ACTIONS[step.do] in flash, (n, step.do, page.url, flash)
                shot(page, f"{n:02d}-{step.do}")
        page = as_person("zhang")
        page.goto(case_url)
        assert "已归档" in page.locator(".case-head").inner_text()
        page.goto(f"{case_url}/history")
        assert "哈希链校验通过" in page.locator(".verify").inner_text()
        shot(page, "99-history")
        browser.close()
    view = bureau.cf.view(case_url.rsplit("/", 1)[1])
    assert view["state"] == "archived"
    assert view["amounts"]["outstanding"] == 0
