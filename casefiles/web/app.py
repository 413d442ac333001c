"""The application factory: ``create_app(cf)`` serves the pages, the JSON API under /api and
the public side over one :class:`Casefiles` service object (and its clock)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from casefiles.web.common import (
    TEMPLATES_DIR,
    NotSignedInError,
    Web,
    WebError,
    invalid_body,
    render,
    templates,
)
from casefiles.web.limits import BodyLimit
from casefiles.web.security import SESSION_SECONDS, Tokens, secret_key
from casefiles.web.throttle import SignInGuard, StrangerGuard


def app_from_settings() -> FastAPI:
    """The application over the settings of the environment: the factory each worker process
    of `casefiles serve --workers N` calls (the parent has migrated the database already)."""
    return create_app(Casefiles(Settings()))


def create_app(cf: Casefiles, key: str | None = None) -> FastAPI:
    """The web application over ``cf`` (sessions and tokens signed with ``key``, else the
    settings' key)."""
    from casefiles.web import api, api_uploads, case_pages, complaints, pages, public

    key = key or secret_key(cf.settings)
    app = FastAPI(title="casefiles 行政执法办案", version="1.0",
                  description="衡山县应急管理局行政执法办案系统 JSON API。"
                              "拒绝时返回代码与中英文说明：409 规则不允许，422 填报有误，"
                              "403 无权限或非本人案件，404 不存在。",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=_serving)
    app.state.web = Web(cf=cf, templates=templates(), tokens=Tokens(key, cf), key=key,
                        guard=SignInGuard(cf),
                        strangers=StrangerGuard(cf, cf.settings.stranger_attempts_per_hour))
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="casefiles_session",
                       max_age=SESSION_SECONDS, same_site="lax",
                       https_only=cf.settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=str(TEMPLATES_DIR / "static")), name="static")
    for module in (api, api_uploads, pages, case_pages, complaints, public):
        app.include_router(module.router)
    from casefiles.web import inspection_pages  # inspections (SPEC §6)

    app.include_router(inspection_pages.api)
    app.include_router(inspection_pages.router)
    from casefiles.web import stats_pages  # statistics (SPEC §7)

    app.include_router(stats_pages.api)
    app.include_router(stats_pages.router)
    _handlers(app)
    app.add_middleware(BodyLimit, upload_max_bytes=cf.settings.upload_max_bytes,
                       form_max_bytes=cf.settings.form_max_bytes)
    app.add_middleware(SecurityHeaders, hsts=cf.settings.secure_cookies)
    return app


@asynccontextmanager
async def _serving(app: FastAPI) -> AsyncIterator[None]:
    """Before the first request: what start-up built (modules, routes, templates, rule sets)
    lives as long as the process, so the garbage collector's full passes leave it out. Each
    such pass walked its 200,000 objects, 100 ms and more that stalled every request in
    flight (issue 14's page latencies)."""
    gc.collect()
    gc.freeze()
    yield


CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Headers every answer carries (a plain ASGI middleware: no per-request task)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", CSP)
                if self.hsts:  # served over HTTPS only (CASEFILES_SECURE_COOKIES)
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, sending)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        if _is_api(request):
            return JSONResponse({"code": exc.code, "message": str(exc)}, status_code=exc.status,
                                headers={"WWW-Authenticate": "Bearer"}
                                if isinstance(exc, NotSignedInError) else None)
        if isinstance(exc, NotSignedInError):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?next={_quote(target)}", status_code=303)
        return render(request, "error.html", {"error": exc}, status=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid"}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        body = invalid_body("填报内容有误", str(first.get("msg")), where)
        if _is_api(request):
            return JSONResponse(body, status_code=422)
        error = WebError("请求内容有误", f"invalid request [{where}]")
        return render(request, "error.html", {"error": error}, status=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse({"code": "not_found" if exc.status_code == 404 else "error",
                                 "message": str(exc.detail)}, status_code=exc.status_code)
        zh = {404: "页面不存在", 405: "不支持该请求方式"}.get(exc.status_code, "请求有误")
        return render(request, "error.html", {"error": WebError(zh, str(exc.detail))},
                      status=exc.status_code)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
