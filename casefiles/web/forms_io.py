"""Reading a submitted form: the CSRF check, every value by name, the uploaded files."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile

from casefiles.web.common import CsrfError
from casefiles.web.security import csrf_ok


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
    form = await request.form(max_files=4, max_fields=400)  # its size: web/limits.py
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
