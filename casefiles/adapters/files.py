"""Files stored by content (SHA-256), never by the name the user gave: evidence and rendered
documents, in one of two stores behind one interface (``put``, ``put_bytes``,
``read_verified``, ``local``), so that a case file built on any machine finds every PDF:

- :class:`FileStore`, a folder: the data directory of one machine, or a folder every machine
  mounts (``CASEFILES_STORE_URL=file:///mnt/casefiles-store``);
- :class:`S3Store`, a bucket of any S3-compatible server (``CASEFILES_STORE_URL=s3://bucket/
  prefix``, ``CASEFILES_S3_ENDPOINT_URL`` for a server other than AWS; credentials as boto3
  reads them, e.g. ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``).

Both keep a file under the same relative name (``evidence/ab/ab…``, ``documents/ab/ab….pdf``),
the one the case records, so a bureau can move from the folder to a bucket by copying it."""

from __future__ import annotations

import hashlib
import os
import shutil
from functools import cache
from pathlib import Path
from typing import Any

from casefiles.domain.errors import StoredFileChangedError

MAX_BYTES = 2 * 1024**3


class FileStore:
    """Content-addressed files: ``DATA_DIR/evidence/ab/abcdef…``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def name_of(sha256: str) -> str:
        """Where a file with this SHA-256 is kept, relative to the root."""
        return str(Path("evidence") / sha256[:2] / sha256)

    def put(self, source: Path) -> tuple[str, str]:
        """Copy ``source`` in; return its SHA-256 and the stored path relative to the root."""
        sha = _sha256_of(source)
        relative = Path(self.name_of(sha))
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        return sha, str(relative)

    @staticmethod
    def bytes_name(sha256: str, folder: str, suffix: str = "") -> str:
        """Where bytes with this SHA-256 are kept under ``folder``, relative to the root."""
        return str(Path(folder) / sha256[:2] / f"{sha256}{suffix}")

    def put_bytes(self, data: bytes, folder: str, suffix: str = "") -> tuple[str, str]:
        """Keep ``data`` under ``folder`` by its SHA-256 (written once; an existing file with
        that name already holds these bytes); return the hash and the relative path."""
        sha = hashlib.sha256(data).hexdigest()
        relative = Path(self.bytes_name(sha, folder, suffix))
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
            tmp.write_bytes(data)
            tmp.replace(target)
        return sha, str(relative)

    def read_verified(self, relative: str, sha256: str) -> bytes:
        """The bytes of a stored file, refusing a file whose content no longer has its hash."""
        return _verified((self.root / relative).read_bytes(), relative, sha256)

    def local(self, relative: str, sha256: str) -> Path:
        """The stored file itself (to send it)."""
        return (self.root / relative).resolve()


def _verified(data: bytes, relative: str, sha256: str) -> bytes:
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileChangedError(
            f"文件{relative}已被改动，与登记的SHA-256不符 / "
            f"{relative} was changed: its SHA-256 differs from the one recorded")
    return data


def _sha256_of(source: Path) -> str:
    if not source.is_file():
        raise FileNotFoundError(str(source))
    if source.stat().st_size > MAX_BYTES:
        raise ValueError("file larger than 2 GiB")
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class S3Store:
    """Content-addressed files in a bucket of an S3-compatible server (through boto3), under
    the same relative names as :class:`FileStore`. An object is written once: one whose name
    exists already holds those bytes. ``local`` keeps a verified copy in ``cache`` (the data
    directory's ``store-cache``) to send it."""

    def __init__(self, bucket: str, prefix: str, cache: Path, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.cache = cache
        self.client = client

    def _key(self, relative: str) -> str:
        return self.prefix + Path(relative).as_posix()

    def _exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def put(self, source: Path) -> tuple[str, str]:
        """Upload ``source``; return its SHA-256 and its relative name."""
        sha = _sha256_of(source)
        relative = FileStore.name_of(sha)
        key = self._key(relative)
        if not self._exists(key):
            self.client.upload_file(str(source), self.bucket, key)
        return sha, relative

    def put_bytes(self, data: bytes, folder: str, suffix: str = "") -> tuple[str, str]:
        """Keep ``data`` under ``folder`` by its SHA-256; return the hash and relative name."""
        sha = hashlib.sha256(data).hexdigest()
        relative = FileStore.bytes_name(sha, folder, suffix)
        key = self._key(relative)
        if not self._exists(key):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return sha, relative

    def read_verified(self, relative: str, sha256: str) -> bytes:
        """The bytes of a stored object, refusing one whose content no longer has its hash
        (FileNotFoundError naming it when the bucket does not hold it)."""
        from botocore.exceptions import ClientError

        key = self._key(relative)
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(f"s3://{self.bucket}/{key}") from exc
            raise
        return _verified(body.read(), relative, sha256)

    def local(self, relative: str, sha256: str) -> Path:
        """A local copy of the object, verified against its hash when fetched."""
        target = (self.cache / relative).resolve()
        if not target.is_file():
            data = self.read_verified(relative, sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
            tmp.write_bytes(data)
            tmp.replace(target)
        return target


Store = FileStore | S3Store


def open_store(store_url: str, data_dir: Path, endpoint_url: str | None = None) -> Store:
    """The store ``store_url`` names: empty for the data directory, ``file:///path`` for a
    (shared) folder, ``s3://bucket/prefix`` for a bucket."""
    if not store_url:
        return FileStore(data_dir)
    if store_url.startswith("file://"):
        return FileStore(Path(store_url.removeprefix("file://")))
    if store_url.startswith("s3://"):
        bucket, _, prefix = store_url.removeprefix("s3://").partition("/")
        return S3Store(bucket, prefix, data_dir / "store-cache", _s3_client(endpoint_url))
    raise ValueError(f"未知的文件存储 / unknown store URL: {store_url} "
                     "(file:///path or s3://bucket/prefix)")


@cache
def _s3_client(endpoint_url: str | None) -> Any:
    """One boto3 client per endpoint and process (thread-safe; about 50 ms to make)."""
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url)
