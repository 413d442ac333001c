"""我的案件: an officer finds the cases they registered or investigate, with the next deadline
marked when it is due soon or overdue, and no one else's."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from casefiles.services.lists import my_cases
from tests.support import SMALL_FINE, act, play, until
from tests.web.conftest import Bureau, make_bureau, sign_in


def test_registrant_and_investigators_find_the_case_and_no_one_else(
        bureau: Bureau, client: TestClient) -> None:
    """Registered by sun (not investigating) and filed for zhang and li: those three find it;
    liu, named only in a refused filing, does not."""
    case_id = act(bureau.cf, bureau.clock, "2020-06-01T09:30", "sun", "register",
                  None, SMALL_FINE[0][3]).case_id
    refused = act(bureau.cf, bureau.clock, "2020-06-01T10:00", "zhao", "file", case_id,
                  {"investigators": ["liu"], "cause": "未培训"})
    assert refused.code == "too_few_officers"
    assert act(bureau.cf, bureau.clock, "2020-06-01T15:00", "zhao", "file", case_id,
               {"investigators": ["zhang", "li"], "cause": "未培训"}).ok
    for person, finds in (("sun", True), ("zhang", True), ("li", True), ("liu", False)):
        sign_in(client, person)
        assert (case_id in client.get("/mine").text) is finds, person


def test_ended_cases_move_from_in_hand_to_ended(bureau: Bureau, client: TestClient) -> None:
    """An archived case leaves 在办 and shows under 已办结."""
    case_id = play(bureau.cf, bureau.clock, SMALL_FINE)
    sign_in(client, "zhang")
    assert case_id not in client.get("/mine").text
    assert case_id in client.get("/mine?ended=true").text


def test_due_soon_and_overdue_deadlines_stand_out(bureau: Bureau, client: TestClient) -> None:
    """The decision deadline is shown plain while far, marked 即将到期 within the configured
    days, and 已逾期 once passed."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    sign_in(client, "zhang")
    year, month, day = bureau.cf.view(case_id)["deadlines"]["decision"]["due"].split("-")
    due = f"{int(year)}年{int(month)}月{int(day)}日"  # as the bureau writes dates
    row = client.get("/mine").text.split(case_id)[1].split("</tr>")[0]
    assert due in row and "即将到期" not in row and "已逾期" not in row
    bureau.clock.set(bureau.clock.now().replace(month=8, day=28))
    row = client.get("/mine").text.split(case_id)[1].split("</tr>")[0]
    assert "即将到期" in row
    bureau.clock.set(bureau.clock.now().replace(month=9, day=15))
    page = client.get("/mine").text
    assert "已逾期" in page.split(case_id)[1].split("</tr>")[0]
    assert 'class="overdue"' in page


def test_the_registrant_and_the_investigators_find_the_case_on_both_databases(
        db_url: str, tmp_path: Path, password_hash: str) -> None:
    """Registering names the registrant, filing adds the investigators, each once, in the
    action's own transaction; nobody else finds the case (SQLite and PostgreSQL)."""
    from sqlalchemy import select

    from casefiles.adapters.repository import CASE_OFFICERS

    bureau = make_bureau(db_url, tmp_path / "data", password_hash)
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "register"))
    assert [r["id"] for r in my_cases(bureau.cf, "zhang").rows] == [case_id]
    assert my_cases(bureau.cf, "li").rows == []
    play(bureau.cf, bureau.clock, until(SMALL_FINE, "file")[1:], case_id)
    assert [r["id"] for r in my_cases(bureau.cf, "li").rows] == [case_id]
    assert my_cases(bureau.cf, "liu").rows == []
    with bureau.cf.uow() as uow:
        pairs = uow.conn.execute(select(CASE_OFFICERS.c.person_id)
                                 .where(CASE_OFFICERS.c.case_id == case_id)).scalars().all()
    assert sorted(pairs) == ["li", "zhang"]
