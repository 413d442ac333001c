"""Issue 14, item 6: the reviewer returns to the review page after a refusal, with what was
typed, sees the case's evidence and documents there, and has a list of the cases reviewed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import CHECKLIST_YES, MAJOR_FINE, play, until
from tests.web.conftest import Bureau, sign_in


def test_a_refused_review_comes_back_to_the_review_page(bureau: Bureau,
                                                        client: TestClient) -> None:
    """A return without an opinion: 422 on the review page (not the case page), the verdict
    kept, the opinion box marked; the page lists the evidence and documents; after passing,
    the case is under 我审核过的案件."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))
    token = sign_in(client, "wang")
    page = client.get(f"/cases/{case_id}/review").text
    assert "询问笔录" in page.split("<h2>证据</h2>")[1] and "<h2>执法文书</h2>" in page
    r = client.post(f"/cases/{case_id}/act/review", data={
        "csrf": token, "verdict": "return", "opinion": "",
        "version": str(bureau.cf.case(case_id).version)})
    assert r.status_code == 422
    assert "<h2>拟处理意见与裁量基准对照</h2>" in r.text
    assert '<option value="return" selected>' in r.text
    assert 'name="opinion" rows="3" aria-invalid="true"' in r.text
    assert case_id not in client.get("/queue/reviewed").text
    checks = {f"checklist.{k}": "yes" for k in CHECKLIST_YES}
    r = client.post(f"/cases/{case_id}/act/review", data={
        "csrf": token, "verdict": "pass", "opinion": "同意", **checks,
        "version": str(bureau.cf.case(case_id).version)})
    assert r.status_code == 200
    assert case_id in client.get("/queue/reviewed").text
