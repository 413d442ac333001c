"""Issue 14, item 3: every list finds a case by part of the party's name, its 统一社会信用代码 or
身份证号, a case or document number, and an officer."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from casefiles.services import lists
from casefiles.services.lists import Filters, all_cases
from tests.support import INDIVIDUAL, MAJOR_FINE, MINE, SMALL_FINE, act, play, register, until
from tests.web.conftest import Bureau, make_bureau, sign_in


@pytest.fixture
def three(bureau: Bureau) -> dict[str, str]:
    """A decided small fine (嘉禾, investigators 张伟 and 李娜), a filed mine case (东岭,
    investigators 张伟 and 刘洋) and a registered individual's case (孙某)."""
    mine = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "register"))
    trade = play(bureau.cf, bureau.clock, until(SMALL_FINE, "decide"))
    assert act(bureau.cf, bureau.clock, "2020-06-10T09:00", "zhao", "file", mine,
               {"investigators": ["zhang", "liu"], "cause": "未设置警示标志"}).ok
    person = act(bureau.cf, bureau.clock, "2020-06-11T09:00", "zhang", "register", None,
                 register(INDIVIDUAL)).case_id or ""
    return {"trade": trade, "mine": mine, "person": person}


@pytest.mark.parametrize(("q", "expected"), [
    ("嘉禾", {"trade"}), ("东岭石料", {"mine"}), ("91430423ma4l0m1n86", {"mine"}),
    ("430423198001011231", {"person"}), ("衡山应急立〔2020〕2号", {"mine"}),
    ("衡山应急罚〔2020〕1号", {"trade"}), ("罚[2020]1号", {"trade"}), ("刘洋", {"mine"}), ("liu", {"mine"}),
    ("张伟", {"trade", "mine", "person"}), ("没有这个", set())])
def test_every_list_finds_a_case_by_what_people_know_of_it(
        bureau: Bureau, client: TestClient, three: dict[str, str], q: str,
        expected: set[str]) -> None:
    """全部案件 (the head) and 我的案件 (张伟, who is on all three) find the same cases."""
    for person, path in (("zhao", "/cases"), ("zhang", "/mine")):
        sign_in(client, person)
        page = client.get(path, params={"q": q}).text
        assert {k for k, case_id in three.items() if case_id in page} == expected, (path, q)
        if not expected:
            assert "没有找到符合条件的案件" in page


def test_the_head_queue_is_searchable(bureau: Bureau, client: TestClient,
                                      three: dict[str, str]) -> None:
    """待负责人审批 lists the registered case for filing; a search for another party empties
    it, a search for its party keeps it."""
    sign_in(client, "zhao")
    assert three["person"] in client.get("/queue/head").text
    assert three["person"] in client.get("/queue/head", params={"q": "孙某"}).text
    assert three["person"] not in client.get("/queue/head", params={"q": "嘉禾"}).text


@pytest.mark.parametrize("few", [300, 0], ids=["few-read-by-id", "many-walked"])
def test_the_search_finds_the_same_cases_on_both_databases(
        db_url: str, tmp_path: Path, password_hash: str, few: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Part of a name (with LIKE's own characters escaped), a code in lower case, a document
    number and an officer, on SQLite and PostgreSQL, whether the matches are read by id (few)
    or the list's index is walked (many)."""
    monkeypatch.setattr(lists, "_FEW", few)
    bureau = make_bureau(db_url, tmp_path / "data", password_hash)
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    number = bureau.cf.case(case_id).documents[0].number
    for text in ("嘉禾机械", "91430423ma4qtradxh", number, "李娜", "li"):
        assert [r["id"] for r in all_cases(bureau.cf, Filters(text=text)).rows] == [case_id]
    for text in ("嘉禾%", "_", "衡山应急罚", "立〔2020〕"):
        assert all_cases(bureau.cf, Filters(text=text)).rows == []


@pytest.mark.parametrize("few", [300, 1], ids=["few-read-by-id", "many-walked"])
def test_an_officers_name_inside_a_partys_name_finds_both_and_a_renamed_party_its_new_name(
        bureau: Bureau, three: dict[str, str], few: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """"张伟" finds the three cases 张伟 works on and the case of 张伟五金店 that 刘洋 registered,
    however many the officer's cases are; a party whose name changes is found by the new name
    (three characters or more: the trigram index on SQLite), not the old."""
    monkeypatch.setattr(lists, "_FEW", few)
    shop = act(bureau.cf, bureau.clock, "2020-06-12T09:00", "liu", "register", None,
               register({**MINE, "name": "张伟五金店"})).case_id
    assert shop is not None
    found = {r["id"] for r in all_cases(bureau.cf, Filters(text="张伟")).rows}
    assert found == {*three.values(), shop}
    assert [r["id"] for r in all_cases(bureau.cf, Filters(text="伟五金")).rows] == [shop]
    with bureau.cf.engine.begin() as conn:
        conn.execute(lists.PARTIES.update().where(lists.PARTIES.c.case_id == shop)
                     .values(name="衡山县平安五金店"))
    assert [r["id"] for r in all_cases(bureau.cf, Filters(text="平安五金")).rows] == [shop]
    assert all_cases(bureau.cf, Filters(text="伟五金")).rows == []


@pytest.mark.parametrize("few", [300, 1], ids=["few-read-by-id", "many-paged"])
def test_an_officers_many_cases_page_newest_first_with_the_filters_and_other_matches(
        bureau: Bureau, three: dict[str, str], few: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Searching an officer's id ("zhang") lists his cases newest first, one page after another,
    within the filters, as the unsearched list orders them; a party named after him is found
    too (many: his own index is paged only when nothing else matches)."""
    monkeypatch.setattr(lists, "_FEW", few)
    rows = all_cases(bureau.cf, Filters()).rows
    order, state = [r["id"] for r in rows], {r["id"]: r["state"] for r in rows}[three["mine"]]
    mine = [i for i in order if i in {three["trade"], three["mine"], three["person"]}]
    assert [all_cases(bureau.cf, Filters(text="zhang"), page=p, size=1).rows[0]["id"]
            for p in (1, 2, 3)] == mine
    assert not all_cases(bureau.cf, Filters(text="zhang"), page=3, size=1).has_next
    assert [r["id"] for r in all_cases(bureau.cf, Filters(text="zhang", state=state)).rows] \
        == [three["mine"]]
    shop = act(bureau.cf, bureau.clock, "2020-06-12T09:00", "liu", "register", None,
               register({**MINE, "name": "zhang五金店"})).case_id
    assert [r["id"] for r in all_cases(bureau.cf, Filters(text="zhang")).rows] == [shop, *mine]
