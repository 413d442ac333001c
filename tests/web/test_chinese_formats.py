"""Issue 14, item 9: the pages write dates as 2026年12月4日, amounts with their 大写, a case not
yet filed by its source (never a hex id), and the public page names the legal article."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in

HEX_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-f])")


def test_a_case_not_yet_filed_is_named_by_its_source_not_an_id(bureau: Bureau,
                                                              client: TestClient) -> None:
    """The registered case's page and the officer's list name the party and the day."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "register"))
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "案源：湖南省嘉禾机械制造有限公司（2020年6月1日登记）" in heading
    assert case_id[:8] not in heading
    listing = client.get("/mine").text
    assert "案源（未立案）" in listing
    assert not HEX_ID.search(listing.split("<tbody>", 1)[1].split("</tbody>")[0]
                             .replace(case_id, ""))


def test_dates_and_amounts_read_as_the_bureau_writes_them(bureau: Bureau,
                                                        client: TestClient) -> None:
    """Deadlines and times read 2020年6月…; the decision's fine shows its capitals."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "decide"))
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    assert "登记 2020年6月1日 09:30" in page
    assert "2020-06" not in page.split("<main", 1)[-1].split("办案记录")[0]
    assert "罚款 8,000.50 元（捌仟元伍角）" in page


def test_the_public_page_names_the_article_not_the_catalogue_code(bureau: Bureau,
                                                                 client: TestClient) -> None:
    """公示: the provision's title, the article breached and the article applied, the fine
    in capitals; not WSL-97-4."""
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "publish"))
    decision_id = client.get("/public").text.split("/public/decisions/")[1].split('"')[0]
    page = client.get(f"/public/decisions/{decision_id}").text
    assert "WSL-97-4" not in page
    assert "未如实记录安全生产教育和培训情况（违反安全生产法第28条第4款，依据安全生产法第97条第4项）" \
        in page
    assert "人民币 8,000.50 元（捌仟元伍角）" in page
    assert "2020年6月" in page


def test_the_public_list_names_its_basis_from_the_rule_set(client: TestClient) -> None:
    """公示's basis comes from the rule set (publication period's source), not the template."""
    from casefiles.web.common import TEMPLATES_DIR

    assert "第七十八条" not in (TEMPLATES_DIR / "public_list.html").read_text(encoding="utf-8")
    assert "依据安全生产法第78条公示" in client.get("/public").text
