"""Evidence through the API: ``POST /api/cases/{case}/actions/{action}/upload`` takes the
payload as a JSON form field and the file as an upload (multipart/form-data), for the actions
that carry a file (``record``: the evidence; ``hold_hearing``: the recording). A JSON payload
never names a file on the server; the upload is kept only if the action is accepted."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from casefiles.domain.canonical import NotJSONError, strict_loads
from casefiles.services.attachments import ATTACHING, Attachment
from casefiles.web.api import ERRORS, Me, OutcomeOut, outcome_response
from casefiles.web.common import Attempt, invalid_body, web
from casefiles.web.uploads import UploadRefusedError, spooled

router = APIRouter(prefix="/api", tags=["casefiles"])
Attaching = Enum("Attaching", {a: a for a in ATTACHING}, type=str)  # type: ignore[misc]


@router.post("/cases/{case}/actions/{action}/upload", response_model=OutcomeOut,
             responses={**ERRORS, 409: {"model": OutcomeOut}, 422: {"model": OutcomeOut}})
async def act_with_file(request: Request, case: str, action: Attaching, person: Me,
                        file: Annotated[UploadFile, File(description="证据文件 / the file")],
                        payload: Annotated[str, Form(description="JSON object: the payload")]
                        = "{}",
                        expected_version: Annotated[int | None, Query(ge=0, le=2**31)] = None
                        ) -> JSONResponse:
    """Take ``record`` or ``hold_hearing`` with its file uploaded (the server computes its
    SHA-256 and reads its type from its first bytes)."""
    try:
        data: Any = strict_loads(payload)
    except NotJSONError as exc:
        return JSONResponse(invalid_body("请求内容不是有效的JSON", exc.en, "payload"), 422)
    w = web(request)
    attempt = Attempt(w, person)
    temp: Path | None = None
    try:
        temp, sha = await spooled(file, w.cf.settings)
        o = attempt.act(action.value, case, data, expected_version,
                        {ATTACHING[action.value]: Attachment(temp, sha)})
    except UploadRefusedError as exc:
        return JSONResponse(invalid_body(exc.zh, exc.en, ATTACHING[action.value]), 422)
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)
    return outcome_response(o, attempt.visible_after(o))
