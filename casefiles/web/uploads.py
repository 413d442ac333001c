"""Evidence uploads: the type is read from the file's first bytes (never from its name or the
browser's word), the size is limited, and the file waits in a private temporary file until the
service has accepted the action and keeps it in the content-addressed FileStore."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile

from casefiles.settings import Settings
from casefiles.web.common import WebError

# signature → (extension, media type)
_SIGNATURES: tuple[tuple[int, bytes, str, str], ...] = (
    (0, b"%PDF-", "pdf", "application/pdf"),
    (0, b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (0, b"ID3", "mp3", "audio/mpeg"),
    (0, b"PK\x03\x04", "zip", "application/zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", "application/msword"),
    (4, b"ftyp", "mp4", "video/mp4"),
)


class UploadRefusedError(WebError):
    """The file is too large, empty, or of a type evidence is not kept in."""

    code = "invalid_input"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, media type) of a file from its first bytes, when it is an accepted type."""
    for offset, magic, ext, media in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return ext, media
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "):
        return ("wav", "audio/wav") if head[8:12] == b"WAVE" else ("avi", "video/x-msvideo")
    return None


ACCEPTED = "PDF、JPEG、PNG、MP3、WAV、MP4/MOV、AVI、Office 文档"


async def spooled(upload: UploadFile, settings: Settings) -> tuple[Path, str]:
    """Copy an upload to a private temporary file under the data directory's ``uploads``,
    checking its size (``settings.upload_max_bytes``) and type; (path, SHA-256). The caller
    removes the file."""
    limit, folder = settings.upload_max_bytes, Path(settings.data_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="upload-")
    path, size, digest, head = Path(name), 0, hashlib.sha256(), b""
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise UploadRefusedError("文件过大", f"the file is larger than {limit} bytes")
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefusedError("文件为空", "the file is empty")
        if sniff(head) is None:
            raise UploadRefusedError(f"文件类型不受支持（可上传{ACCEPTED}）",
                                     "this type of file is not accepted as evidence")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest()


def media_of(path: Path) -> tuple[str, str]:
    """(extension, media type) of a stored file, read from its first bytes."""
    with path.open("rb") as fh:
        found = sniff(fh.read(16))
    return found or ("bin", "application/octet-stream")
