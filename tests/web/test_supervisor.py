"""The supervisor's workplace: every case with filters, CSV export of the list, and a case's
complete history with the result of verifying its hash chain."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import update

from casefiles.adapters.stores import HISTORY
from tests.support import MAJOR_FINE, MINE, SMALL_FINE, act, play, register, until
from tests.web.conftest import Bureau, sign_in


def _three_cases(bureau: Bureau) -> tuple[str, str, str]:
    mine = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "file"))
    trade = act(bureau.cf, bureau.clock, "2020-06-20T09:00", "zhang", "register", None,
                register()).case_id
    late = act(bureau.cf, bureau.clock, "2020-07-10T09:00", "li", "register", None,
               register(MINE, "2020-07-01", "non_coal_mine")).case_id
    bureau.clock.set(bureau.clock.now().replace(month=9, day=10))  # mine's decision overdue
    return mine, trade, late


def test_filters_select_by_sector_state_overdue_and_registration_dates(
        bureau: Bureau, client: TestClient) -> None:
    """Each filter keeps exactly the cases it describes."""
    mine, trade, late = _three_cases(bureau)
    sign_in(client, "zhou")

    def found(query: str) -> set[str]:
        page = client.get(f"/cases?{query}").text
        return {c for c in (mine, trade, late) if c in page}

    assert found("") == {mine, trade, late}
    assert found("sector=non_coal_mine") == {mine, late}
    assert found("state=registered") == {trade, late}
    assert found("overdue=true") == {mine}
    assert found("from=2020-06-15&until=2020-06-30") == {trade}
    assert found("sector=industry_trade&state=investigating") == set()


def test_the_csv_export_holds_the_filtered_list(bureau: Bureau, client: TestClient) -> None:
    """The CSV (UTF-8 with BOM) has a header and one line per filtered case, in Chinese."""
    mine, _trade, late = _three_cases(bureau)
    sign_in(client, "zhou")
    r = client.get("/cases.csv?sector=non_coal_mine")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["案件编号", "立案号", "状态"]
    assert {row[0] for row in rows[1:]} == {mine, late}
    assert "立案调查" in {row[2] for row in rows[1:]}


def test_the_csv_export_carries_amounts_officers_and_chinese_states(
        bureau: Bureau, client: TestClient) -> None:
    """A decided case's line has its decision number, the fine, what is paid and unpaid, the
    investigators by name, and its deadline state in Chinese."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "serve"))
    sign_in(client, "zhou")
    rows = list(csv.DictReader(io.StringIO(client.get("/cases.csv").content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["案件编号"] == case_id)
    assert row["状态"] == "已送达"
    assert row["承办人员"] == "张伟、李娜"
    assert row["决定书文号"].startswith("衡山应急罚〔2020〕")
    assert (row["罚款（元）"], row["已缴（元）"], row["未缴（元）"]) == ("8000.50", "0.00", "8000.50")
    assert row["登记时间"] == "2020年6月1日 09:30"
    assert row["期限状态"] in {"进行中", "即将到期", "已逾期", "已按期"}


def test_the_history_page_verifies_the_chain_and_names_a_tampered_entry(
        bureau: Bureau, client: TestClient) -> None:
    """An intact case shows its chain verified; after an entry's payload is changed in the
    database the page names that entry as the first that does not match."""
    case_id = play(bureau.cf, bureau.clock, SMALL_FINE)
    sign_in(client, "zhou")
    page = client.get(f"/cases/{case_id}/history").text
    assert "哈希链校验通过" in page and page.count("<tr") == 13
    with bureau.cf.engine.begin() as conn:
        conn.execute(update(HISTORY).where(HISTORY.c.chain == case_id, HISTORY.c.seq == 4)
                     .values(payload={"violations": [], "penalties": []}))
    page = client.get(f"/cases/{case_id}/history").text
    assert "校验未通过：第 4 条" in page


def test_the_supervisor_reads_but_is_offered_no_action(bureau: Bureau,
                                                       client: TestClient) -> None:
    """A supervisor's attempt through the API is refused forbidden_role and recorded."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    token = sign_in(client, "zhou")
    r = client.post(f"/api/cases/{case_id}/actions/terminate", json={"reason": "测试"},
                    headers={"X-CSRF-Token": token})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden_role")
    assert bureau.cf.history(case_id)[-1].codes == ["forbidden_role"]
