"""Items 9 and 10 of issue 11: a body without a length is stopped at its limit while it
streams, and HTTPS deployments send HSTS."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from casefiles.web import create_app
from tests.web.conftest import Bureau


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


def test_a_chunked_complaint_over_the_form_limit_is_refused_413(bureau: Bureau) -> None:
    """Two megabytes sent without a Content-Length answer 413, not the CSRF 403 that came
    only after reading it all."""
    with TestClient(create_app(bureau.cf)) as client:
        r = client.post("/public/complaint", content=_chunks(2 * 1024 * 1024),
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_a_declared_length_over_the_limit_is_refused_before_reading(bureau: Bureau) -> None:
    """A Content-Length over the form limit is answered 413 on the API too."""
    with TestClient(create_app(bureau.cf)) as client:
        r = client.post("/api/token", content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                        headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_hsts_is_sent_only_when_cookies_are_secure(bureau: Bureau) -> None:
    """CASEFILES_SECURE_COOKIES=true adds Strict-Transport-Security; plain HTTP does not."""
    with TestClient(create_app(bureau.cf)) as client:
        assert "strict-transport-security" not in client.get("/signin").headers
    bureau.cf.settings.secure_cookies = True
    with TestClient(create_app(bureau.cf)) as client:
        assert client.get("/signin").headers["strict-transport-security"].startswith(
            "max-age=31536000")
