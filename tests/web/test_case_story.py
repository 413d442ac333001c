"""Issue 14, item 5: the case page tells the story: the reviewer's reasons for a return, the
statements and the hearing; the history as Chinese sentences (who, what, when, which document)
with each raw entry behind a toggle; stored documents folded into the action that issued them;
refused attempts collapsed; deadlines and documents before the history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.services.documents import render_pending
from tests.support import CHECKLIST_YES, MAJOR_FINE, act, play, until
from tests.web.conftest import Bureau, sign_in


def _returned(bureau: Bureau) -> str:
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))
    checklist = {**CHECKLIST_YES, "facts_and_evidence": False}
    assert act(bureau.cf, bureau.clock, "2020-06-18T09:00", "wang", "review", case_id,
               {"verdict": "return", "checklist": checklist,
                "opinion": "现场照片未标注拍摄时间，请补充"}).ok
    return case_id


def test_the_page_shows_why_a_review_returned_the_case_and_the_hearing(
        bureau: Bureau, client: TestClient) -> None:
    """退回理由, the item not passed, and the hearing's place, host and summary."""
    case_id = _returned(bureau)
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    assert "退回理由：现场照片未标注拍摄时间，请补充" in page
    assert "案件事实清楚，证据确凿充分" in page.split("未通过的审核事项：")[1][:40]
    assert "在听证室举行，主持人陈刚" in page and "无异议" in page


def test_the_history_reads_as_sentences_with_documents_folded_in(
        bureau: Bureau, client: TestClient) -> None:
    """One sentence per action naming who, what and the document; the flow's store_document
    entries join their action; three refused attempts show as one collapsed line; the raw
    entry sits behind a toggle; deadlines and documents come before the history."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "notify"))
    render_pending(bureau.cf, batch=100, case_id=case_id)
    for _ in range(3):
        assert not act(bureau.cf, bureau.clock, "2020-06-03T11:00", "li", "decide", case_id,
                       {"outcome": "penalty"}).ok
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    history = page.split("办案经过", 1)[1]
    assert "赵强（负责人）批准立案，承办人员张伟、李娜，案件转为“立案调查”。" in history
    assert "制作：立案审批表（衡山应急立〔2020〕1号）" in history
    assert "存储文书" not in history  # folded into the action that issued the document
    assert history.count("&#34;action&#34;: &#34;store_document&#34;") == len(bureau.cf.case(case_id).documents)
    assert history.count("次未获准许的尝试") == 1 and "3 次未获准许的尝试" in history
    assert "<summary>原始记录</summary>" in history
    assert page.index("<h2>期限</h2>") < page.index("办案经过")
    assert page.index("<h2>执法文书</h2>") < page.index("办案经过")
