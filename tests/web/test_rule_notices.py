"""The head's pages name the rule data awaiting the bureau (SPEC §5); other roles' do not."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from casefiles.domain.timefmt import SHANGHAI
from tests.web.conftest import Bureau, sign_in


def test_the_head_sees_the_unconfirmed_figures_and_an_officer_does_not(
        bureau: Bureau, client: TestClient) -> None:
    """The banner counts the unconfirmed figures and names hengshan-2026's hearing threshold
    for the head; an officer's page has no banner."""
    sign_in(client, "zhao")
    page = client.get("/queue/head").text
    count = len(bureau.cf.profile.unconfirmed())
    assert f"有{count}项数额、期限尚待本机关法制机构确认" in page
    assert "hengshan-2026 hearing_threshold" in page
    client.post("/signout")
    client.cookies.clear()
    sign_in(client, "zhang")
    assert "尚待本机关法制机构确认" not in client.get("/").text


def test_from_1_november_the_head_is_told_next_years_holidays_are_missing(
        bureau: Bureau, client: TestClient) -> None:
    """On 31 October 2026 nothing is said of 2027; on 1 November the head's page says it."""
    bureau.clock.set(datetime(2026, 10, 31, 9, 0, tzinfo=SHANGHAI))
    sign_in(client, "zhao")
    assert "尚未录入2027年节假日安排" not in client.get("/queue/head").text
    bureau.clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI))
    assert "尚未录入2027年节假日安排" in client.get("/queue/head").text
