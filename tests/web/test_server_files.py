"""Item 1 of issue 11: a payload never names a file on the server. The web and the API take
uploads; the CLI may name the operator's files, never the database or the data directory;
nothing is kept in the evidence store before the action is accepted."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, api_token, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(bureau: Bureau) -> Path:
    return Path(bureau.cf.settings.data_dir) / "evidence"


def _record(path: str) -> dict[str, object]:
    return {"kind": "document", "title": "服务器文件", "officers": ["zhang", "li"], "file": path}


def test_an_api_payload_naming_a_server_file_is_refused_and_nothing_is_copied(
        bureau: Bureau, client: TestClient, tmp_path: Path) -> None:
    """The secret key, /etc/passwd and the database named as ``file`` are refused 422 on
    the field ``file``, and the evidence store stays empty."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    key = tmp_path / "web_secret_key"
    key.write_text("secret")
    database = bureau.cf.url.split("///", 1)[1]
    headers = api_token(client, "zhang")
    for path in (str(key), "/etc/passwd", "/proc/self/environ", database):
        r = client.post(f"/api/cases/{case_id}/actions/record", json=_record(path),
                        headers=headers)
        assert r.status_code == 422, r.text
        assert r.json()["refusals"][0]["field"] == "file"
    assert not _evidence(bureau).exists()
    assert bureau.cf.view(case_id)["evidence"] == []


def test_a_stranger_naming_a_server_file_gets_nothing_stored(
        bureau: Bureau, client: TestClient) -> None:
    """An officer who may not see the case is answered 404 and no copy is made."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    r = client.post(f"/api/cases/{case_id}/actions/record", json=_record("/etc/passwd"),
                    headers=api_token(client, "liu"))
    assert r.status_code == 404
    assert not _evidence(bureau).exists()


def test_a_refused_upload_is_not_kept_in_the_evidence_store(
        bureau: Bureau, client: TestClient) -> None:
    """An upload with a refused action (no officers named) leaves no file behind."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    token = sign_in(client, "zhang")
    r = client.post(f"/cases/{case_id}/act/record",
                    data={"csrf": token, "kind": "document", "title": "照片"},
                    files={"file": ("a.pdf", PDF, "application/pdf")})
    assert r.status_code == 422
    assert not _evidence(bureau).exists()
    assert not any((Path(bureau.cf.settings.data_dir) / "uploads").iterdir())


def test_the_cli_may_not_take_the_database_or_the_data_directory_as_evidence(
        bureau: Bureau, tmp_path: Path) -> None:
    """``act_local`` (the CLI and replay) refuses the database and the web key as the
    recorded refusal of ``file``, and accepts an ordinary file of the operator's."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    data = Path(bureau.cf.settings.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    (data / "web_secret_key").write_text("secret")
    for path in (bureau.cf.url.split("///", 1)[1], str(data / "web_secret_key")):
        o = bureau.cf.act_local("zhang", "record", case_id, _record(path))
        assert (o.result, o.refusals[0].field) == ("refused", "file")
    assert not _evidence(bureau).exists()
    mine = tmp_path / "scan.pdf"
    mine.write_bytes(PDF)
    assert bureau.cf.act_local("zhang", "record", case_id, _record(str(mine))).ok
    assert len(list(_evidence(bureau).rglob("*"))) == 2  # one folder, one file


def test_the_api_takes_evidence_as_an_upload_and_keeps_it_only_when_accepted(
        bureau: Bureau, client: TestClient) -> None:
    """A refused upload (no officers named) and a stranger's upload store nothing; an
    accepted one is stored by the SHA-256 the server computed."""
    import hashlib

    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    url = f"/api/cases/{case_id}/actions/record/upload"
    upload = {"file": ("scan.pdf", PDF, "application/pdf")}
    refused = client.post(url, data={"payload": '{"kind": "document", "title": "扫描件"}'},
                          files=upload, headers=api_token(client, "zhang"))
    assert refused.status_code == 422
    stranger = client.post(url, data={"payload": '{"kind": "document", "title": "扫描件", '
                                                 '"officers": ["liu", "zhang"]}'},
                           files=upload, headers=api_token(client, "liu"))
    assert stranger.status_code == 404
    assert not _evidence(bureau).exists()
    ok = client.post(url, data={"payload": '{"kind": "document", "title": "扫描件", '
                                           '"officers": ["zhang", "li"]}'},
                     files=upload, headers=api_token(client, "zhang"))
    assert ok.status_code == 200, ok.text
    sha = hashlib.sha256(PDF).hexdigest()
    assert (_evidence(bureau) / sha[:2] / sha).read_bytes() == PDF
    assert bureau.cf.view(case_id)["evidence"][-1]["sha256"] == sha
