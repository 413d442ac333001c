"""Issue 14, item 9: the pages write dates as 2026年12月4日, amounts with their 大写, a case not
yet filed by its source (never a hex id), and the public page names the legal article."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in

HEX_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-f])")


def test_a_case_not_yet_filed_is_named_by_its_source_number_not_an_id(
        bureau: Bureau, client: TestClient) -> None:
    """The registered case's page, its history and the officer's list name it by its 案源编号
    (the number of the 案件来源登记表 issued at registration, per year); a search finds it by
    that number."""
    first = play(bureau.cf, bureau.clock, until(SMALL_FINE, "register"))
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "register"))
    sign_in(client, "zhang")
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/history"):
        heading = client.get(path).text.split("<h1>", 1)[1].split("</h1>", 1)[0]
        assert "衡山应急案源〔2020〕2号" in heading and case_id[:8] not in heading
    listing = client.get("/mine").text
    rows = listing.split("<tbody>", 1)[1].split("</tbody>")[0]
    assert "衡山应急案源〔2020〕1号" in rows and "衡山应急案源〔2020〕2号" in rows
    assert "案源（未立案）" not in rows
    assert not HEX_ID.search(rows.replace(case_id, "").replace(first, ""))
    found = client.get("/mine", params={"q": "案源〔2020〕2号"}).text
    found_rows = found.split("<tbody>", 1)[1].split("</tbody>")[0]
    assert case_id in found_rows and first not in found_rows


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
