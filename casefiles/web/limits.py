"""The size of a request body is enforced while it streams in: a declared Content-Length over
the limit is answered 413 before anything is read, and a chunked body (which declares none) is
stopped at the limit, not read in full and judged afterwards. Evidence uploads may be as large
as CASEFILES_UPLOAD_MAX_BYTES; every other body (forms, JSON) as CASEFILES_FORM_MAX_BYTES."""

from __future__ import annotations

import re

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casefiles.web.common import WebError

# the forms that carry files (web/case_pages.py, web/api_uploads.py)
_UPLOADS = re.compile(r"^(?:/cases/[^/]+/act/(?:record|hold_hearing)"
                      r"|/api/cases/[^/]+/actions/(?:record|hold_hearing)/upload)$")
# room for the form's other fields and the multipart boundaries around an upload
_FORM_ROOM = 64 * 1024


class TooLargeError(WebError):
    """The request body is over its limit."""

    code, http_status = "invalid_input", 413  # too large to read: not the table's 422

    def __init__(self, limit: int) -> None:
        super().__init__("上传内容过大", f"the request is larger than {limit} bytes")


class BodyLimit:
    """ASGI middleware that counts a request's body as it arrives."""

    def __init__(self, app: ASGIApp, upload_max_bytes: int, form_max_bytes: int) -> None:
        self.app = app
        self.uploads, self.forms = upload_max_bytes + _FORM_ROOM, form_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads if _UPLOADS.match(scope.get("path", "")) else self.forms
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            error = TooLargeError(limit)
            await PlainTextResponse(str(error), status_code=413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLargeError(limit)
            return message

        await self.app(scope, counted, send)
