"""Issue 14, item 7: each person's pages show their deadlines past due and due soon (a badge
and a list), and signing in says so."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import SMALL_FINE, play, until
from tests.web.conftest import PASSWORD, Bureau, csrf_of, sign_in


def _sign_in_page(client: TestClient, person_id: str) -> str:
    """The first page after signing in (where the day's reminder shows)."""
    token = csrf_of(client.get("/signin").text)
    return client.post("/signin", data={"csrf": token, "person_id": person_id,
                                        "password": PASSWORD, "next": "/mine"}).text


def test_an_officer_sees_due_soon_and_overdue_deadlines_on_every_page(
        bureau: Bureau, client: TestClient) -> None:
    """No badge while the decision deadline (2020年8月31日) is far; within the due-soon days
    a badge, a list and a reminder on signing in; past it, 已逾期; an officer not on the case
    sees none."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    sign_in(client, "zhang")
    assert "badge" not in client.get("/mine").text
    bureau.clock.set(bureau.clock.now().replace(month=8, day=28))
    page = _sign_in_page(client, "zhang")
    assert "期限提醒：0 项已逾期，1 项即将到期" in page
    assert '<span class="badge soon" title="即将到期">1</span>' in page
    listing = client.get("/reminders").text
    assert case_id in listing and "办案期限" in listing and "2020年8月31日" in listing
    bureau.clock.set(bureau.clock.now().replace(month=9, day=2))
    assert '<span class="badge over" title="已逾期">1</span>' in client.get("/mine").text
    assert "已逾期" in client.get("/reminders").text.split(case_id)[1]
    sign_in(client, "liu")
    assert case_id not in client.get("/reminders").text
    assert "badge" not in client.get("/mine").text
    sign_in(client, "zhou")  # a supervisor: every case
    assert case_id in client.get("/reminders").text


def test_a_supervisor_marks_a_case_for_supervision_that_the_officer_sees(
        bureau: Bureau, client: TestClient) -> None:
    """督办 with a note: on the case page and in the officer's 期限提醒; an empty note is
    refused beside the box; an officer may not mark; the mark is in the bureau's chain."""
    from casefiles.domain.history import BUREAU_CHAIN

    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    token = sign_in(client, "zhou")
    empty = client.post(f"/cases/{case_id}/supervise", data={"csrf": token, "note": " "})
    assert empty.status_code == 422 and "请填写督办意见" in empty.text
    r = client.post(f"/cases/{case_id}/supervise",
                    data={"csrf": token, "note": "群众反映强烈，请于本月底前作出决定"})
    assert r.status_code == 200 and "督办：已办理" in r.text
    token = sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    assert "周敏" in page.split("<h2>督办</h2>")[1] and "请于本月底前作出决定" in page
    assert "请于本月底前作出决定" in client.get("/reminders").text
    assert client.post(f"/cases/{case_id}/supervise",
                       data={"csrf": token, "note": "x"}).status_code == 403
    with bureau.cf.uow() as uow:
        marks = [e for e in uow.history.chain(BUREAU_CHAIN) if e.action == "case.supervise"]
    assert [m.payload["case_id"] for m in marks] == [case_id]


def test_an_unpaid_fine_past_the_court_application_window_is_flagged(
        bureau: Bureau, client: TestClient) -> None:
    """Served and unpaid: the case page names the last day to apply to the court; once it has
    passed, the page flags it."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "serve"))
    sign_in(client, "zhao")
    page = client.get(f"/cases/{case_id}").text
    assert "申请人民法院强制执行的期限至" in page and "⚠ 罚款未缴清" not in page
    bureau.clock.set(bureau.clock.now().replace(year=2021, month=6))
    page = client.get(f"/cases/{case_id}").text
    assert "⚠ 罚款未缴清，申请人民法院强制执行的期限已于" in page


def test_the_daily_sweep_writes_a_reminder_that_greets_the_person_on_sign_in(
        bureau: Bureau, client: TestClient) -> None:
    """The sweep writes one reminder per person with deadlines due (once a day); signing in
    shows it, even when what is due has changed since."""
    from casefiles.services.reminders import reminder_of
    from casefiles.services.work import sweep

    play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    bureau.clock.set(bureau.clock.now().replace(month=9, day=2))
    report = sweep(bureau.cf)
    assert report.reminders >= 2  # zhang and li (investigators), the head and the supervisor
    assert sweep(bureau.cf).reminders == 0  # once a day
    day = bureau.clock.now().date()
    assert reminder_of(bureau.cf, "zhang", day)["overdue"] == 1
    assert reminder_of(bureau.cf, "liu", day) is None
    assert "期限提醒：1 项已逾期，0 项即将到期" in _sign_in_page(client, "li")
