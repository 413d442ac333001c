"""The API reads JSON strictly: ``NaN``, ``Infinity``, a number too large for a double and an
unpaired surrogate are not JSON, and a body holding one is answered 422 before anything is
judged or written (FastAPI, like Python's ``json``, would read all of them)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.responses import Response

from casefiles.domain.canonical import NotJSONError, strict_loads
from casefiles.web.common import invalid_body

_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is checked by :func:`strict_loads` before FastAPI reads it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if request.method in ("POST", "PUT", "PATCH") and kind not in _FORMS:
                body = await request.body()  # kept on the request: FastAPI reads it again
                if body:
                    try:
                        strict_loads(body)
                    except NotJSONError as exc:
                        return JSONResponse(invalid_body("请求内容不是有效的JSON", exc.en,
                                                         exc.where), status_code=422)
            return await handler(request)

        return strict
