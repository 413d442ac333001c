"""What user text can and cannot do to a document: markup prints as text, nothing outside the
project's assets is ever loaded, rare characters print or are named, and an issued document
never changes. Storage runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from casefiles.adapters.pdf import AssetFetcher, FetchRefusedError
from casefiles.services.app import Casefiles
from casefiles.services.documents import (
    DossierError,
    document_path,
    dossier_path,
    render_pending,
    renderer,
)
from tests.support import ORGANISATION, SMALL_FINE, open_bureau, play, register, until


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def _filed(db_url: str, tmp_path: Path, name: str) -> tuple[Casefiles, str]:
    """A case against a party called ``name``, filed (so its 立案审批表 is issued)."""
    cf, clock = open_bureau(db_url, data_dir=tmp_path)
    party = {**ORGANISATION, "name": name}
    steps = until(SMALL_FINE, "file")
    steps = [(steps[0][0], steps[0][1], "register", register(party)), *steps[1:]]
    return cf, play(cf, clock, steps)


def _filing_pdf(cf: Casefiles, case: str) -> tuple[Path, dict[str, Any]]:
    assert render_pending(cf).failed == 0
    doc = next(d for d in cf.view(case)["documents"] if d["kind"] == "立案审批表")
    stored = [e for e in cf.history(case) if e.action == "store_document"]
    path = document_path(cf, case, doc["id"])
    assert path is not None and hashlib.sha256(path.read_bytes()).hexdigest() == doc["sha256"]
    return path, stored[-1].payload


def test_markup_in_a_party_name_prints_as_characters_and_reads_no_file(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A party named <img src="file:///etc/passwd"> is printed literally; WeasyPrint is asked
    only for the project's own font and stylesheet files."""
    asked: list[str] = []
    original = AssetFetcher.fetch

    def spy(self: AssetFetcher, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(AssetFetcher, "fetch", spy)
    hostile = '<img src="file:///etc/passwd"><link rel=stylesheet href="http://x.invalid/a.css">'
    cf, case = _filed(db_url, tmp_path, hostile)
    path, _ = _filing_pdf(cf, case)
    text = _text(path)
    assert re.sub(r"\s+", "", hostile) in text
    assert "root:" not in text
    assert all(u.startswith("file://") and (u.endswith((".otf", ".css")))
               for u in asked), asked


def test_the_fetcher_refuses_every_file_and_url_that_is_not_a_project_asset(
        tmp_path: Path) -> None:
    """file:///etc/passwd, a path beside an allowed font, and http URLs are all refused."""
    cf, _ = open_bureau(f"sqlite:///{tmp_path / 'c.db'}", data_dir=tmp_path)
    fetch = renderer(cf).fetch
    for url in ["file:///etc/passwd", "http://127.0.0.1/", "https://example.com/a.png",
                f"{renderer(cf).fonts.regular.parent.as_uri()}/../../etc/passwd",
                "data:text/plain,hello"]:
        with pytest.raises((FetchRefusedError, ValueError)):
            fetch(url)
    assert fetch(renderer(cf).fonts.regular.as_uri()) is not None


def test_rare_characters_print_from_the_fallback_face(db_url: str, tmp_path: Path) -> None:
    """Names with 㭎 (Ext. A) and 𠮷 (Ext. B) print as themselves, with no note."""
    cf, case = _filed(db_url, tmp_path, "衡山县㭎𠮷石料有限公司")
    path, stored = _filing_pdf(cf, case)
    text = _text(path)
    assert "衡山县㭎𠮷石料有限公司" in text
    assert "字库缺少" not in text and stored["missing_characters"] == []


def test_a_character_no_font_has_is_replaced_and_named_on_the_document(
        tmp_path: Path) -> None:
    """U+30000 (Ext. G) is printed as 〓, named in a note on the page and in the history."""
    cf, case = _filed(f"sqlite:///{tmp_path / 'c.db'}", tmp_path, "衡山县\U00030000石料有限公司")
    path, stored = _filing_pdf(cf, case)
    text = _text(path)
    assert "衡山县〓石料有限公司" in text
    assert "字库缺少" in text and "U+30000" in text
    assert stored["missing_characters"] == ["U+30000"]


def test_an_issued_document_renders_to_the_same_bytes_every_time(tmp_path: Path) -> None:
    """Rendering the stored facts of a document again gives exactly the stored PDF."""
    cf, case = _filed(f"sqlite:///{tmp_path / 'c.db'}", tmp_path, "衡山县东岭石料有限公司")
    path, stored = _filing_pdf(cf, case)
    with cf.uow() as uow:
        facts = uow.contents.get(stored["document_id"])
        issued = next(d for d in uow.cases.get(case).documents  # type: ignore[union-attr]
                      if d.id == stored["document_id"])
    assert facts is not None
    again = renderer(cf).render(issued.kind, facts, issued.issued_at.isoformat())
    assert again.pdf == path.read_bytes()


def test_a_changed_stored_pdf_stops_the_case_file_from_being_built(tmp_path: Path) -> None:
    """When a stored document no longer has its recorded SHA-256, the 案卷 is not assembled
    and the error names the changed file."""
    cf, clock = open_bureau(f"sqlite:///{tmp_path / 'c.db'}", data_dir=tmp_path)
    case = play(cf, clock, until(SMALL_FINE, "close"))
    assert render_pending(cf).failed == 0
    decision = next(d for d in cf.view(case)["documents"] if d["kind"] == "行政处罚决定书")
    stored = next(p for p in (tmp_path / "documents").rglob("*.pdf")
                  if p.stem == decision["sha256"])
    stored.write_bytes(stored.read_bytes() + b"%tampered")
    play(cf, clock, SMALL_FINE[-1:], case)  # archive
    report = render_pending(cf)
    assert report.failed == 1
    with cf.uow() as uow:
        item = uow.outbox.pending(10, kinds=["document_issued"])[0]
    assert "SHA-256" in item["last_error"] and decision["sha256"] in item["last_error"]
    with pytest.raises(DossierError, match="与登记的SHA-256不符"):
        dossier_path(cf, case)
