"""One store of documents and evidence for every machine: an S3-compatible bucket (moto's
server on loopback), where a case file built on any machine finds every stored PDF."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from casefiles.adapters.files import S3Store, open_store
from casefiles.domain.errors import StoredFileChangedError
from casefiles.services.app import Casefiles
from casefiles.services.documents import dossier_path, render_pending
from casefiles.settings import Settings
from tests.support import DRILL, SMALL_FINE, open_bureau, play, until


def _objects(s3: Any) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=s3.bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=s3.bucket, Key=o["Key"])["Body"].read()
            for o in listed}


def test_a_case_file_built_on_another_machine_finds_every_pdf_in_the_bucket(
        s3: Any, tmp_path: Path) -> None:
    """Machine A renders the documents into the bucket; machine B, with a data directory of
    its own, archives the case and builds its case file from them. Every document is stored
    once, by its SHA-256, and no machine keeps a documents folder of its own."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    cf_a, clock = open_bureau(url, data_dir=tmp_path / "a")
    case = play(cf_a, clock, until(SMALL_FINE, "close"))
    assert render_pending(cf_a).failed == 0
    cf_b = Casefiles(Settings(data_dir=tmp_path / "b", show_drills=True), clock, url, drill=DRILL)
    play(cf_b, clock, SMALL_FINE[-1:], case)  # archive, on machine B
    path = dossier_path(cf_b, case)
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    documents = cf_b.view(case)["documents"]
    stored = _objects(s3)
    assert sorted(stored) == sorted(f"hengshan/documents/{d['sha256'][:2]}/{d['sha256']}.pdf"
                                    for d in documents)
    assert all(hashlib.sha256(data).hexdigest() in key for key, data in stored.items())
    assert not (tmp_path / "a" / "documents").exists()
    assert not (tmp_path / "b" / "documents").exists()
    assert render_pending(cf_b).rendered == 0 and len(_objects(s3)) == len(stored)


def test_a_changed_object_in_the_bucket_is_refused(s3: Any, tmp_path: Path) -> None:
    """An object whose bytes no longer have the recorded SHA-256 is not read as that file."""
    store = open_store(f"s3://{s3.bucket}/x", tmp_path, s3.meta.endpoint_url)
    assert isinstance(store, S3Store)
    sha, name = store.put_bytes(b"%PDF-1.7 decision", "documents", ".pdf")
    assert store.read_verified(name, sha) == b"%PDF-1.7 decision"
    s3.put_object(Bucket=s3.bucket, Key=f"x/{name}", Body=b"%PDF-1.7 changed")
    with pytest.raises(StoredFileChangedError, match="SHA-256"):
        store.read_verified(name, sha)
    with pytest.raises(FileNotFoundError):
        store.read_verified("documents/00/missing.pdf", sha)


def test_evidence_uploaded_on_one_machine_is_kept_in_the_bucket(s3: Any, tmp_path: Path) -> None:
    """Evidence goes to the same store, under its SHA-256, once however often it is given."""
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo of the storeroom")
    store = open_store(f"s3://{s3.bucket}/hengshan", tmp_path / "data", s3.meta.endpoint_url)
    first = store.put(photo)
    assert store.put(photo) == first
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert first == (sha, f"evidence/{sha[:2]}/{sha}")
    assert list(_objects(s3)) == [f"hengshan/evidence/{sha[:2]}/{sha}"]
    copy = store.local(first[1], sha)
    assert copy.read_bytes() == photo.read_bytes() and tmp_path / "data" in copy.parents
