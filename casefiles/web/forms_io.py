"""Reading a submitted form: the CSRF check, every value by name, the uploaded files."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile

from casefiles.web.common import CsrfError, WebError, web
from casefiles.web.security import csrf_ok


class TooLargeError(WebError):
    """The request body is over the upload limit."""

    status, code = 413, "invalid_input"


@dataclass
class Submitted:
    """A form's text values (name → every value) and its non-empty uploads."""

    values: dict[str, list[str]]
    files: dict[str, UploadFile] = field(default_factory=dict)

    def one(self, name: str) -> str:
        """The last value of ``name``, stripped ('' when absent)."""
        vals = self.values.get(name) or [""]
        return vals[-1].strip()


async def submitted(request: Request) -> Submitted:
    """The form of a POST, once its CSRF token has been checked (403 otherwise)."""
    limit = web(request).cf.settings.upload_max_bytes
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + 64 * 1024:
        raise TooLargeError("上传内容过大", f"the request is larger than {limit} bytes")
    form = await request.form(max_files=4, max_fields=400)
    values: dict[str, list[str]] = {}
    files: dict[str, UploadFile] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(key, []).append(value)
        elif isinstance(value, UploadFile) and value.filename:
            files[key] = value
    if not csrf_ok(request.session, (values.get("csrf") or [""])[-1]):
        raise CsrfError("表单已失效，请刷新页面后重新提交", "missing or wrong CSRF token")
    return Submitted(values, files)
