"""Property-based calls generated from the OpenAPI description (schemathesis): whatever the
path, query and body, the API never answers with a server error."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from casefiles.web import create_app
from casefiles.web.security import account
from tests.support import MAJOR_FINE, play, until
from tests.web.conftest import Bureau

EXAMPLES = 30


@pytest.fixture
def api_schema(bureau: Bureau) -> Any:
    """The OpenAPI description of an application holding one case in legal review."""
    play(bureau.cf, bureau.clock, until(MAJOR_FINE, "submit_review"))
    app = create_app(bureau.cf)
    acct = account(bureau.cf, "zhao")
    assert acct is not None
    app.state.test_headers = {"Authorization": f"Bearer {app.state.web.tokens.issue(acct)}"}
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_no_generated_request_makes_the_api_fail_with_a_server_error(api_schema: Any) -> None:
    """Every generated request to every operation (signed in as the head) gets an answer
    below 500."""
    headers = api_schema.app.state.test_headers
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 7

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        call()
