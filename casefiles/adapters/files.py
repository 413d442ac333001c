"""Evidence files under the data directory, stored by content (SHA-256), never by the name
the user gave."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

MAX_BYTES = 2 * 1024**3


class FileStore:
    """Content-addressed files: ``DATA_DIR/evidence/ab/abcdef…``."""

    def __init__(self, root: Path) -> None:
        self.root = root

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
        relative = Path("evidence") / sha[:2] / sha
        target = self.root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        return sha, str(relative)
