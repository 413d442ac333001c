"""Evidence files under the data directory, stored by content (SHA-256), never by the name
the user gave."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

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
        if not source.is_file():
            raise FileNotFoundError(str(source))
        if source.stat().st_size > MAX_BYTES:
            raise ValueError("file larger than 2 GiB")
        digest = hashlib.sha256()
        with source.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        relative = Path(self.name_of(sha))
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        return sha, str(relative)

    def put_bytes(self, data: bytes, folder: str, suffix: str = "") -> tuple[str, str]:
        """Keep ``data`` under ``folder`` by its SHA-256 (written once; an existing file with
        that name already holds these bytes); return the hash and the relative path."""
        sha = hashlib.sha256(data).hexdigest()
        relative = Path(folder) / sha[:2] / f"{sha}{suffix}"
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
            tmp.write_bytes(data)
            tmp.replace(target)
        return sha, str(relative)

    def read_verified(self, relative: str, sha256: str) -> bytes:
        """The bytes of a stored file, refusing a file whose content no longer has its hash."""
        data = (self.root / relative).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StoredFileChangedError(
                f"文件{relative}已被改动，与登记的SHA-256不符 / "
                f"{relative} was changed: its SHA-256 differs from the one recorded")
        return data
