"""Real headless Chromium carries a case from registration to archive by clicking through the
pages, each person signed in as themselves: a case of today (2026, judged by hengshan-2026) and,
where ../shared is beside the checkout, shared scenario 01 as the drill it is."""

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

TODAY = Path(__file__).resolve().parents[1] / "e2e" / "data" / "signs_2026.yaml"
SHARED_01 = SHARED / "scenarios" / "01_mine_major_fine.yaml"
SCENARIOS = [pytest.param(TODAY, id="case-of-2026"),
             pytest.param(SHARED_01, id="shared-01-drill", marks=pytest.mark.skipif(
                 not SHARED_01.is_file(), reason="../shared is not beside the checkout"))]


def _payload(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in raw.items()}


@pytest.mark.parametrize("path", SCENARIOS)
def test_a_case_is_carried_from_registration_to_archive_in_chromium(
        sqlite_url: str, tmp_path: Path, path: Path) -> None:
    """Every step is taken through its page form, refusals appear beside the form with their
    code, and the case ends archived with a verified history, a drill only when it is one."""
    scenario = load(path)
    bureau = make_bureau(sqlite_url, tmp_path / "data", hash_password(PASSWORD),
                         scenario.start, drill=scenario.rules)
    with served(bureau.cf) as base, playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        pages: dict[str, Any] = {}

        def as_person(pid: str) -> Any:
            if pid not in pages:
                page = browser.new_context(locale="zh-CN").new_page()
                page.set_default_timeout(10_000)
                page.on("dialog", lambda dialog: dialog.accept())  # 确认处罚告知 etc.
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
    assert view["drill"] is (scenario.rules is not None)
    assert view["rule_set"] == (scenario.rules or "hengshan-2026")
    assert view["amounts"]["outstanding"] == 0
