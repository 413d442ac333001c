"""The head sees the background work the flows gave up on (issue 17), above the queue."""

from __future__ import annotations

from fastapi.testclient import TestClient

from casefiles.services.work import lease, record_failure
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in


def test_a_parked_document_shows_on_the_heads_page_with_its_error(bureau: Bureau,
                                                                  client: TestClient) -> None:
    """After its last attempt fails, the document's item is listed for the head with the case,
    the document kind and the error (escaped); a document still being retried is not."""
    cf = bureau.cf
    case = play(cf, bureau.clock, until(SMALL_FINE, "decide"))
    items = lease(cf, "run", ["document_issued"], 2)
    first, second = items
    for _ in range(cf.settings.outbox_max_attempts):
        record_failure(cf, first["id"], "FileNotFoundError: <no such file> documents/ab/ab.pdf")
    record_failure(cf, second["id"], "OSError: retried later")
    sign_in(client, "zhao")
    page = client.get("/queue/head").text
    assert "后台工作已搁置（1项）" in page
    assert "FileNotFoundError: &lt;no such file&gt;" in page
    assert first["payload"]["kind"] in page and f'href="/cases/{case}"' in page
    assert "retried later" not in page
    sign_in(client, "zhang")
    assert client.get("/queue/head").status_code == 403
