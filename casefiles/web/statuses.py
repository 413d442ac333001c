"""One table from the code of a refusal or an error to the HTTP status that answers it, for
the pages and the API alike. Any other refusal is by the rules of the case: 409."""

from __future__ import annotations

STATUS_BY_CODE: dict[str, int] = {
    "not_signed_in": 401,
    "forbidden_role": 403,
    "csrf_failed": 403,
    "not_found": 404,
    "invalid_input": 422,
    "unknown_person": 422,
    "too_many_attempts": 429,
    "rate_limited": 429,
}
REFUSED_BY_RULES = 409


def status_of(code: str | None) -> int:
    """The HTTP status of a refusal or error code."""
    return STATUS_BY_CODE.get(code or "", REFUSED_BY_RULES)
