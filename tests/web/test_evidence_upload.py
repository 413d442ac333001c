"""Evidence uploads on the case page: the server computes the SHA-256, reads the type from the
content, limits the size, stores by content, and serves the file only to those who may see
the case."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client: TestClient, token: str, case_id: str, name: str, content: bytes,
            title: str = "现场照片") -> TestClient:
    return client.post(f"/cases/{case_id}/act/record", data={
        "csrf": token, "kind": "document", "title": title, "officers": ["zhang", "li"]},
        files={"file": (name, content, "application/pdf")})


def test_an_uploaded_file_is_hashed_by_the_server_and_stored_by_content(
        bureau: Bureau, client: TestClient) -> None:
    """The evidence record carries the server's SHA-256, the file sits under the data directory
    by that hash, and the download returns the same bytes under a hash-based name."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    token = sign_in(client, "zhang")
    r = _upload(client, token, case_id, "../../etc/passwd.pdf", PDF)
    assert r.status_code == 200 and "调查取证：已办理" in r.text
    sha = hashlib.sha256(PDF).hexdigest()
    assert bureau.cf.view(case_id)["evidence"][-1]["sha256"] == sha
    stored = Path(bureau.cf.settings.data_dir) / "evidence" / sha[:2] / sha
    assert stored.read_bytes() == PDF
    link = r.text.split(f"/cases/{case_id}/evidence/")[1].split('"')[0]
    got = client.get(f"/cases/{case_id}/evidence/{link}")
    assert got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "passwd" not in got.headers["content-disposition"]
    assert sha[:16] in got.headers["content-disposition"]
    outsider = TestClient(create_app(bureau.cf))
    sign_in(outsider, "liu")
    assert outsider.get(f"/cases/{case_id}/evidence/{link}").status_code == 404


def test_a_file_of_another_type_is_refused_whatever_its_name(bureau: Bureau,
                                                             client: TestClient) -> None:
    """A Windows program named .pdf is refused 422 beside the form, with the title kept, and
    nothing is recorded or stored."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = bureau.cf.view(case_id)["history_length"]
    token = sign_in(client, "zhang")
    r = _upload(client, token, case_id, "scan.pdf", b"MZ\x90\x00" + b"\x00" * 200,
                title="扫描件（伪装）")
    assert r.status_code == 422
    assert "文件类型不受支持" in r.text and "扫描件（伪装）" in r.text
    assert bureau.cf.view(case_id)["history_length"] == before
    assert not (Path(bureau.cf.settings.data_dir) / "evidence").exists()


def test_a_file_over_the_size_limit_is_refused(bureau: Bureau, client: TestClient) -> None:
    """A file larger than the configured limit is refused and not stored."""
    bureau.cf.settings.upload_max_bytes = 1024
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    token = sign_in(client, "zhang")
    r = _upload(client, token, case_id, "big.pdf", PDF + b"0" * 4096)
    assert r.status_code in (413, 422)
    assert bureau.cf.view(case_id)["evidence"] == []


def test_a_hearing_recording_uploaded_with_the_holding_gives_its_sha256(
        bureau: Bureau, client: TestClient) -> None:
    """The host uploads the audio-video record when holding the hearing; the server stores it
    and the hearing counts as held with the record's hash."""
    from tests.support import MAJOR_FINE

    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "schedule_hearing"))
    bureau.clock.set(bureau.clock.now().replace(day=16, hour=11))
    token = sign_in(client, "chen")
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 512
    r = client.post(f"/cases/{case_id}/act/hold_hearing", data={
        "csrf": token, "attended": "yes", "summary": "当事人到场陈述"},
        files={"record_file": ("听证.mp4", video, "video/mp4")})
    assert r.status_code == 200 and "举行听证：已办理" in r.text
    assert bureau.cf.view(case_id)["hearing"]["status"] == "held"
    sha = hashlib.sha256(video).hexdigest()
    assert bureau.cf.history(case_id)[-1].payload["record_sha256"] == sha
    assert (Path(bureau.cf.settings.data_dir) / "evidence" / sha[:2] / sha).is_file()
