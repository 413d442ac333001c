"""Files that come with an action: an evidence file (``record``) or a hearing's recording
(``hold_hearing``). The entrypoint holds the bytes — the web and the API an upload they
spooled, the CLI a file the operator names on their own machine — and hands the service an
:class:`Attachment`: its path and SHA-256. A payload never names a server path; the service
copies an attachment into the evidence store only once the action is accepted."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefiles.adapters.files import FileStore, Store
from casefiles.domain.errors import OperatorFileError, Refusal


@dataclass(frozen=True)
class Attachment:
    """A file the entrypoint holds for an action, and its SHA-256."""

    path: Path
    sha256: str


# the form field of each action that takes a file
ATTACHING: dict[str, str] = {"record": "file", "hold_hearing": "record_file"}


def attached(action: str, payload: Any, attachments: Mapping[str, Attachment | Refusal]
             ) -> tuple[Any, list[Refusal]]:
    """The payload with the attachment's stored name and hash in it, or the refusals: the
    entrypoint's own (a file it could not use), or a ``file`` in the payload itself (a server
    path), whoever sends it."""
    field = ATTACHING.get(action)
    if not isinstance(payload, dict) or field is None:
        return payload, []
    given = attachments.get(field)
    if isinstance(given, Refusal):
        return payload, [given]
    if field in payload:
        return payload, [Refusal("invalid_input", "证据文件须上传，不接受服务器上的路径",
                                 "a file is uploaded, never named by a path on the server",
                                 field)]
    if given is None:
        return payload, []
    if action == "hold_hearing":
        return {**payload, "record_sha256": given.sha256}, []
    if payload.get("sha256") not in (None, "", given.sha256):
        return payload, [Refusal("invalid_input", "文件的SHA-256与所给sha256不符",
                                 "the file's SHA-256 differs from the given sha256", "sha256")]
    return {**payload, "file": FileStore.name_of(given.sha256), "sha256": given.sha256}, []


def keep(attachments: Mapping[str, Attachment], store: Store) -> None:
    """Copy the attachments of an accepted action into the evidence store."""
    for given in attachments.values():
        sha, _stored = store.put(given.path)
        if sha != given.sha256:
            raise OperatorFileError(f"文件{given.path}在办理过程中被改动 / {given.path} changed "
                                    "while the action was judged")


def operator_file(given: str, data_dir: Path, database_url: str) -> Attachment:
    """A file the operator names on the command line, hashed: never the database (SQLite's
    locks die when another descriptor on its file closes) nor any file of the data directory
    (the signing keys, the store itself)."""
    path = Path(given).expanduser()
    try:
        info = path.stat()
    except OSError as exc:
        raise OperatorFileError(f"证据文件无法读取 / cannot read the evidence file: {exc}") from exc
    if not path.is_file():
        raise OperatorFileError(f"不是普通文件 / not a regular file: {given}")
    data = Path(data_dir).resolve()
    if path.resolve() == data or data in path.resolve().parents:
        raise OperatorFileError(f"数据目录中的文件不能作为证据 / {given} is in the data directory")
    if any(_same(info, other) for other in _database_files(database_url)):
        raise OperatorFileError(f"数据库文件不能作为证据 / {given} is the database")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return Attachment(path, digest.hexdigest())


def _database_files(url: str) -> list[Path]:
    if not url.startswith("sqlite") or "///" not in url:
        return []
    db = Path(url.split("///", 1)[1].split("?", 1)[0])
    return [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal", "-writers"))]


def _same(info: os.stat_result, other: Path) -> bool:
    try:
        o = other.stat()  # stat only: the database file is never opened here
    except OSError:
        return False
    return (o.st_dev, o.st_ino) == (info.st_dev, info.st_ino)
