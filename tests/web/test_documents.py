"""Documents at hand (issue 14, item 4): an issued document opens in the browser right after
the action, rendered on demand while the flows have not stored it (served, never stored: the
flow stores each document once), named by its kind and number, for those who may see the case
only; a superseded document is marked."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from casefiles.services.documents import render_pending
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in


def _stored_pdfs(bureau: Bureau) -> list[Path]:
    return sorted((Path(bureau.cf.settings.data_dir) / "documents").rglob("*.pdf"))


def test_a_document_opens_right_after_the_action_without_a_flow_run(
        bureau: Bureau, client: TestClient) -> None:
    """处罚告知 through the form: the page that follows links the notice it issued; the link
    serves its PDF inline, named 行政处罚告知书_<number>.pdf, and nothing is stored; the flow
    then stores it once, and the link serves the stored copy."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "propose"))
    token = sign_in(client, "zhang")
    page = client.post(f"/cases/{case_id}/act/notify",
                       data={"csrf": token, "version": str(bureau.cf.case(case_id).version)})
    assert page.status_code == 200
    notice = next(d for d in bureau.cf.case(case_id).documents if d.kind == "行政处罚告知书")
    url = f"/cases/{case_id}/documents/{notice.id}"
    flash = page.text.split('class="flash"', 1)[1].split("</div>", 1)[0]
    assert f"已制作 行政处罚告知书 {notice.number}" in flash and f'href="{url}"' in flash

    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    name = f"行政处罚告知书_{notice.number}.pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    assert f"filename*=utf-8''{quote(name)}" in pdf.headers["content-disposition"]
    assert bureau.cf.case(case_id).documents[-1].sha256 is None
    stores = [e for e in bureau.cf.history(case_id) if e.action == "store_document"]
    assert _stored_pdfs(bureau) == [] and stores == []

    render_pending(bureau.cf, batch=100, case_id=case_id)
    render_pending(bureau.cf, batch=100, case_id=case_id)
    stores = [e for e in bureau.cf.history(case_id) if e.action == "store_document"]
    assert len(stores) == len(bureau.cf.case(case_id).documents)  # each document once
    stored = client.get(url)
    assert stored.content[:5] == b"%PDF-" and "filename*=utf-8''" in \
        stored.headers["content-disposition"]
    sign_in(client, "liu")
    assert client.get(url).status_code == 404


def test_the_case_page_links_every_document_with_open_download_and_print(
        bureau: Bureau, client: TestClient) -> None:
    """Each document has 打开 / 打印 and 下载 links before any flow run; no 待生成."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    sign_in(client, "zhang")
    page = client.get(f"/cases/{case_id}").text
    assert "待生成" not in page and "data-print" in page
    for doc in bureau.cf.case(case_id).documents:
        url = f"/cases/{case_id}/documents/{doc.id}"
        assert re.search(rf'href="{re.escape(url)}" download', page)
        assert client.get(url).content[:5] == b"%PDF-"


def test_notify_previews_its_notice_without_issuing_it(bureau: Bureau,
                                                       client: TestClient) -> None:
    """预览文书: the notice the action would issue, as a PDF named 预览（未生效）; the case,
    its history and the numbers stay as they were, and the notice issued afterwards takes
    the number the preview showed."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "propose"))
    token = sign_in(client, "zhang")
    before = bureau.cf.case(case_id)
    page = client.get(f"/cases/{case_id}").text
    assert f'formaction="/cases/{case_id}/preview/notify"' in page and "data-confirm" in page
    data = {"csrf": token, "version": str(before.version)}
    shown = client.post(f"/cases/{case_id}/preview/notify", data=data)
    assert shown.status_code == 200 and shown.content[:5] == b"%PDF-"
    assert quote("预览（未生效）_行政处罚告知书_") in shown.headers["content-disposition"]
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(shown.content)).pages
    assert all("预览·未生效" in (p.extract_text() or "").replace(" ", "") for p in pages)
    after = bureau.cf.case(case_id)
    assert after.version == before.version and len(after.documents) == len(before.documents)
    assert len(bureau.cf.history(case_id)) == before.history_length
    client.post(f"/cases/{case_id}/act/notify", data=data)
    notice = next(d for d in bureau.cf.case(case_id).documents if d.kind == "行政处罚告知书")
    assert quote(notice.number) in shown.headers["content-disposition"]
    assert client.post(f"/cases/{case_id}/preview/record", data=data).status_code == 404


def test_the_case_file_embeds_uploaded_evidence_and_lists_the_rest_with_its_hash(
        bureau: Bureau, client: TestClient) -> None:
    """案卷: an uploaded PDF and a PNG photo are pages of the case file, named in its contents;
    evidence known only by its SHA-256 is listed with it."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    from tests.support import SHA_A

    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))  # SHA_A, no file
    token = sign_in(client, "zhang")
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(photo, format="PNG")
    scan = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(scan, format="PDF")
    pdf = scan.getvalue()
    for title, name, content in (("现场照片", "p.png", photo.getvalue()),
                                 ("培训台账", "t.pdf", pdf)):
        r = client.post(f"/cases/{case_id}/act/record", data={
            "csrf": token, "kind": "document", "title": title, "officers": ["zhang", "li"],
            "version": str(bureau.cf.case(case_id).version)},
            files={"file": (name, content, "application/octet-stream")})
        assert r.status_code == 200, r.text[:300]
    play(bureau.cf, bureau.clock, SMALL_FINE[3:], case_id)
    dossier = client.get(f"/cases/{case_id}/dossier")
    assert dossier.status_code == 200
    reader = PdfReader(io.BytesIO(dossier.content))
    text = "".join(p.extract_text() or "" for p in reader.pages).replace(" ", "")
    assert "证据：现场照片" in text and "证据：培训台账" in text
    assert "未编入本卷的证据" in text and SHA_A[:32] in text.replace("\n", "")


def test_the_hearing_previews_its_notice_and_its_record_without_issuing_them(
        bureau: Bureau, client: TestClient) -> None:
    """听证: scheduling previews the 听证会通知书 and holding it the 听证笔录 (its recording
    uploaded, previewed by its hash and not kept), each marked 预览 and asking for
    confirmation; the case stays as it was."""
    from pypdf import PdfReader

    from casefiles.domain.timefmt import SHANGHAI
    from tests.support import MAJOR_FINE

    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "request_hearing"))
    token = sign_in(client, "zhao")
    page = client.get(f"/cases/{case_id}").text
    assert f'formaction="/cases/{case_id}/preview/schedule_hearing"' in page
    before = bureau.cf.case(case_id)
    form = {"csrf": token, "version": str(before.version), "host": "chen",
            "at": "2020-06-16T09:00", "place": "听证室", "notified_on": "2020-06-04"}
    shown = client.post(f"/cases/{case_id}/preview/schedule_hearing", data=form)
    assert shown.status_code == 200 and shown.content[:5] == b"%PDF-"
    assert quote("预览（未生效）_听证会通知书_") in shown.headers["content-disposition"]
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(shown.content)).pages)
    assert "听证室" in text.replace(" ", "") and "预览·未生效" in text.replace(" ", "")
    after = bureau.cf.case(case_id)
    assert after.version == before.version and after.hearing is not None
    assert after.hearing.status != "scheduled" and len(after.documents) == len(before.documents)

    steps = MAJOR_FINE[[s[2] for s in MAJOR_FINE].index("schedule_hearing"):]
    play(bureau.cf, bureau.clock, until(steps, "schedule_hearing"), case_id)
    bureau.clock.set(datetime(2020, 6, 16, 11, 30, tzinfo=SHANGHAI))
    token = sign_in(client, "chen")
    before = bureau.cf.case(case_id)
    form = {"csrf": token, "version": str(before.version), "attended": "yes",
            "summary": "当事人到场陈述，对事实无异议"}
    refused = client.post(f"/cases/{case_id}/preview/hold_hearing", data=form)
    assert "听证须有全程录音录像" in refused.text  # neither file nor hash: refused, as the action
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    recording = {"record_file": ("hearing.mp4", video, "video/mp4")}
    shown = client.post(f"/cases/{case_id}/preview/hold_hearing", data=form, files=recording)
    assert shown.status_code == 200, shown.text.split("refusal")[-1][:300]
    assert quote("预览（未生效）_听证笔录_") in shown.headers["content-disposition"]
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(shown.content)).pages)
    assert "当事人到场陈述" in text.replace(" ", "")
    after = bureau.cf.case(case_id)
    assert after.version == before.version and after.hearing is not None
    assert after.hearing.held_at is None and not list(
        (Path(bureau.cf.settings.data_dir) / "uploads").glob("*"))
    assert len(after.evidence) == len(before.evidence)
