"""Item 5 of issue 11: ordinary input that is wrong is refused by name, never a 500: amounts
that are not plain decimals, the first and last dates of the calendar in the case lists, and a
superscript digit as a form's version."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, api_token, sign_in

PROPOSAL = {"violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "3名新员工未经培训上岗"}]}


@pytest.mark.parametrize("amount", ["6,00", "1000美元", "abc", "1e309", "1e3", "", "六万"])
def test_an_amount_that_is_not_a_plain_decimal_is_refused_naming_the_field(
        bureau: Bureau, client: TestClient, amount: str) -> None:
    """The API answers 422 naming penalties.0.amount, and the refusal is recorded."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))
    before = bureau.cf.view(case_id)["history_length"]
    r = client.post(f"/api/cases/{case_id}/actions/propose",
                    json={**PROPOSAL, "penalties": [{"type": "fine", "amount": amount}]},
                    headers=api_token(client, "zhang"))
    assert r.status_code == 422, r.text
    assert [f["field"] for f in r.json()["refusals"]] == ["penalties.0.amount"]
    assert bureau.cf.view(case_id)["history_length"] == before + 1


def test_a_plain_decimal_string_and_a_json_number_are_amounts(bureau: Bureau,
                                                              client: TestClient) -> None:
    """"8000.50" as text is accepted like the number 8000.5."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))
    r = client.post(f"/api/cases/{case_id}/actions/propose",
                    json={**PROPOSAL, "penalties": [{"type": "fine", "amount": " 8000.50"}]},
                    headers=api_token(client, "zhang"))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(("typed", "fen"), [("60000", 6_000_000), ("60,000", 6_000_000),
                                            ("6万", 6_000_000), ("1.6万元", 1_600_000),
                                            ("60000.00", 6_000_000)])
def test_the_propose_form_reads_amounts_as_people_write_them(
        bureau: Bureau, client: TestClient, typed: str, fen: int) -> None:
    """60000, 60,000, 6万, 1.6万元 and 60000.00 typed in the form are one amount each."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))
    token = sign_in(client, "zhang")
    r = client.post(f"/cases/{case_id}/act/propose", data={
        "csrf": token, "violations.0.code": "WSL-97-4", "violations.0.tier": "一般",
        "violations.0.facts": "未培训", "penalties.0.type": "fine",
        "penalties.0.amount": typed})
    assert r.status_code == 200, r.text
    assert bureau.cf.case(case_id).proposal.penalties[0].amount == fen


def test_a_form_with_a_wrong_amount_is_kept_with_the_message_beside_the_field(
        bureau: Bureau, client: TestClient) -> None:
    """"6,00" in the propose form: 422, the form kept with what was typed, the Chinese message
    beside the amount box, which is marked as in error."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))
    token = sign_in(client, "zhang")
    r = client.post(f"/cases/{case_id}/act/propose", data={
        "csrf": token, "violations.0.code": "WSL-97-4", "violations.0.tier": "一般",
        "violations.0.facts": "未培训", "penalties.0.type": "fine",
        "penalties.0.amount": "6,00", "version": "²"})
    assert r.status_code == 422
    assert 'name="penalties.0.amount" value="6,00" aria-invalid="true"' in r.text
    assert "金额应为数字" in r.text.split('name="penalties.0.amount"', 1)[1][:600]


@pytest.mark.parametrize("path", ["/cases", "/cases.csv"])
def test_the_first_and_last_dates_filter_the_case_lists(bureau: Bureau, client: TestClient,
                                                       path: str) -> None:
    """0001-01-01 to 9999-12-31 lists every case, on the page and in the CSV."""
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    sign_in(client, "zhao")
    r = client.get(path, params={"from": "0001-01-01", "until": "9999-12-31"})
    assert r.status_code == 200
    assert "东岭" in r.text or "衡山" in r.text


def test_the_first_and_last_dates_filter_the_api_list(bureau: Bureau,
                                                      client: TestClient) -> None:
    """The API's registered_from and registered_until take them too."""
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    r = client.get("/api/cases", params={"registered_from": "0001-01-01",
                                         "registered_until": "9999-12-31"},
                   headers=api_token(client, "zhao"))
    assert r.status_code == 200
    assert len(r.json()["cases"]) == 1


@pytest.mark.parametrize("params", [{"from": "", "until": ""}, {"from": "", "until": "2099-1-1"},
                                    {"from": "12月4日", "sector": "", "state": ""}])
def test_empty_or_wrong_date_boxes_filter_nothing_and_say_so(bureau: Bureau, client: TestClient,
                                                          params: dict[str, str]) -> None:
    """全部案件 → 筛选 with the date boxes empty lists every case; a box that is not a date is
    named in Chinese and left out, never a bare "invalid request"."""
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    sign_in(client, "zhao")
    r = client.get("/cases", params=params)
    assert r.status_code == 200
    assert "黄" in r.text or "有限公司" in r.text  # the one case is listed
    wrong = [v for k, v in params.items() if k in ("from", "until") and v]
    if wrong:
        assert f"日期格式有误，已忽略：{wrong[0]}" in r.text
    assert client.get("/cases.csv", params=params).status_code == 200
