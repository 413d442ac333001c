"""Documents on the case page: a document is listed as waiting until the flows render it, then
linked to its PDF, for those who may see the case only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.services.documents import render_pending
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in


def test_a_rendered_document_is_served_as_pdf_and_an_unrendered_one_is_not(
        bureau: Bureau, client: TestClient) -> None:
    """Before rendering the filing form shows 待生成 and its URL answers 404; after rendering
    the link serves the PDF; an officer not on the case gets 404."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    document_id = bureau.cf.view(case_id)["documents"][0]["id"]
    url = f"/cases/{case_id}/documents/{document_id}"
    sign_in(client, "zhang")
    assert "待生成" in client.get(f"/cases/{case_id}").text
    assert client.get(url).status_code == 404
    render_pending(bureau.cf, batch=10, case_id=case_id)
    page = client.get(f"/cases/{case_id}").text
    assert f'href="{url}"' in page
    pdf = client.get(url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    sign_in(client, "liu")
    assert client.get(url).status_code == 404
