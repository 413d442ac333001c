"""Issue 14, item 6: forms that fit the work: evidence officers default to the case's
investigators, a re-proposal starts from the last proposal, the 先行登记保存 form offers the
heads, and 集体讨论 takes one row per attendee with their opinion."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.support import CHECKLIST_YES, MAJOR_FINE, act, play, until
from tests.web.conftest import Bureau, sign_in


def test_evidence_defaults_to_the_investigators_and_a_re_proposal_to_the_last(
        bureau: Bureau, client: TestClient) -> None:
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    record = page.split('id="act-record"')[1].split("</details>")[0]
    assert 'value="zhang" checked' in record and 'value="li" checked' in record
    assert 'value="liu" checked' not in record
    assert act(bureau.cf, bureau.clock, "2020-06-18T09:00", "wang", "review", case_id,
               {"verdict": "return", "checklist": CHECKLIST_YES, "opinion": "补充证据"}).ok
    page = client.get(f"/cases/{case_id}").text
    propose = page.split('id="act-propose"')[1].split("</details>")[0]
    assert '<option value="WSL-99-1-late" selected' in propose
    assert 'name="penalties.0.amount" value="60000.00"' in propose
    assert "逾期未设置警示标志" in propose


def test_a_collective_discussion_takes_one_row_per_attendee(bureau: Bureau,
                                                            client: TestClient) -> None:
    """Place, recorder and each attendee's opinion are recorded; the attendees are the rows."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "extend"))
    token = sign_in(client, "zhao")
    rows = {"opinions.0.name": "赵强", "opinions.0.opinion": "同意",
            "opinions.1.name": "孙丽", "opinions.1.opinion": "同意",
            "opinions.2.name": "周明", "opinions.2.opinion": "同意，建议从轻"}
    r = client.post(f"/cases/{case_id}/act/discuss", data={
        "csrf": token, "place": "局三楼会议室", "recorder": "李娜", "conclusion": "同意罚款",
        "version": str(bureau.cf.case(case_id).version), **rows})
    assert r.status_code == 200, r.text[:500]
    d = bureau.cf.case(case_id).discussions[-1]
    assert d.attendees == ["赵强", "孙丽", "周明"] and d.place == "局三楼会议室"
    assert d.recorder == "李娜" and d.opinions[2] == {"name": "周明", "opinion": "同意，建议从轻"}


def test_the_preservation_form_offers_the_heads(bureau: Bureau, client: TestClient) -> None:
    """先行登记保存: the heads who may approve it are listed to choose from."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "file"))
    sign_in(client, "zhang")
    preserve = client.get(f"/cases/{case_id}").text.split('id="act-preserve"')[1]
    preserve = preserve.split("</details>")[0]
    assert "赵强（zhao）</option>" in preserve and "孙丽（sun）</option>" in preserve


def test_a_collective_discussion_records_its_own_time_and_chair(bureau: Bureau,
                                                               client: TestClient) -> None:
    """集体讨论 held the day before it is recorded, chaired by another head: the case page and the
    集体讨论记录 give that time and chair, not the recording head's action time."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "extend"))
    token = sign_in(client, "zhao")
    held = bureau.clock.now() - timedelta(days=1)
    r = client.post(f"/cases/{case_id}/act/discuss", data={
        "csrf": token, "held_at": held.strftime("%Y-%m-%dT15:30"), "chair": "孙丽",
        "place": "局三楼会议室", "recorder": "李娜", "attendees": "赵强\n孙丽\n周明",
        "conclusion": "同意罚款", "version": str(bureau.cf.case(case_id).version)})
    assert r.status_code == 200, r.text[:500]
    d = bureau.cf.case(case_id).discussions[-1]
    assert d.chair == "孙丽" and d.by == "zhao"
    assert d.held_at is not None and (d.held_at.date(), d.held_at.hour) == (held.date(), 15)
    page = client.get(f"/cases/{case_id}").text
    day = f"{held.year}年{held.month}月{held.day}日"
    assert f"<strong>集体讨论</strong>（{day} 15:30，局三楼会议室；主持人孙丽）" in page
    with bureau.cf.uow() as uow:
        items = uow.outbox.pending(100, kinds=["document_issued"], case_id=case_id)
    [facts] = [i["payload"]["facts"]["body"] for i in items
               if i["payload"]["kind"] == "集体讨论记录"]
    assert facts["chair"]["name"] == "孙丽" and facts["at"].startswith(f"{day}15时30分")


def test_a_discussion_held_after_the_clock_is_refused_and_one_without_time_keeps_the_action_time(
        bureau: Bureau, client: TestClient) -> None:
    """A discussion cannot be dated tomorrow; without a time or chair, the record is the
    action's time and the recording head, as before."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "extend"))
    token = sign_in(client, "zhao")
    base = {"csrf": token, "attendees": "赵强\n孙丽\n周明", "conclusion": "同意罚款"}
    tomorrow = (bureau.clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    r = client.post(f"/cases/{case_id}/act/discuss", data={
        **base, "held_at": tomorrow, "version": str(bureau.cf.case(case_id).version)})
    assert "日期晚于当前时间" in r.text and not bureau.cf.case(case_id).discussions
    r = client.post(f"/cases/{case_id}/act/discuss", data={
        **base, "version": str(bureau.cf.case(case_id).version)})
    assert r.status_code == 200, r.text[:500]
    d = bureau.cf.case(case_id).discussions[-1]
    assert (d.held_at, d.chair) == (None, None)
    assert "主持人赵强）" in client.get(f"/cases/{case_id}").text


def test_the_proposal_form_takes_a_fine_per_violation_and_shows_it_again(
        bureau: Bureau, client: TestClient) -> None:
    """Each violation row has its own fine (本项罚款): a fine beyond its own violation's range is
    refused with each fine kept in its row; accepted, the proposal's fines name their
    violations and the case page says which."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "record"))
    token = sign_in(client, "zhang")
    rows = {"violations.0.code": "WSL-97-4", "violations.0.tier": "一般",
            "violations.0.facts": "新员工未经培训上岗",
            "violations.1.code": "WSL-99-1-late", "violations.1.tier": "一般",
            "violations.1.facts": "逾期未设置警示标志", "violations.1.fine": "60,000"}

    def propose(first_fine: str) -> str:
        return client.post(f"/cases/{case_id}/act/propose", data={
            "csrf": token, "version": str(bureau.cf.case(case_id).version), **rows,
            "violations.0.fine": first_fine}).text

    refused = propose("15万")
    assert "罚款150000.00元超出法定幅度0–100000元" in refused
    form = refused.split('id="act-propose"')[1].split("</details>")[0]
    assert 'name="violations.0.fine" value="15万"' in form
    assert 'name="violations.1.fine" value="60,000"' in form
    assert bureau.cf.case(case_id).proposal is None
    propose("8万")
    proposal = bureau.cf.case(case_id).proposal
    assert proposal is not None
    assert [(p.type, p.amount, p.violation) for p in proposal.penalties] == [
        ("fine", 8_000_000, 1), ("fine", 6_000_000, 2)]
    page = client.get(f"/cases/{case_id}").text
    assert "罚款 80,000.00 元（捌万元整）（第1项违法行为）" in page
    notice = client.post(f"/cases/{case_id}/preview/notify", data={
        "csrf": token, "version": str(bureau.cf.case(case_id).version)})
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(notice.content)).pages)
    assert "（第1项违法行为）" in text.replace(" ", "").replace("\n", "")
