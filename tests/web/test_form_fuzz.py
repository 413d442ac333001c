"""Issue 14, item 1: no input of any form gives a 500. Hypothesis fills every field of every
action's form (and registration and the case filters) with what people and hostile
clients type: amounts in every spelling, dates in any shape, odd Unicode, long text."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefiles.web.forms import FORMS
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, sign_in

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TYPED = st.one_of(
    TEXT,
    st.sampled_from(["60000", "60,000", "6万", "16万元", "60000.00", "-1", "1e9", "0", "",
                     "2026-12-04", "2026年12月4日", "2026-13-45", "0001-01-01", "9999-12-31",
                     "2026-12-04T09:00", "yes", "no", "zhang", "li", "WSL-97-4", "一般", "fine",
                     "penalty", "pass", "return", "\x00", " ", "²", "１２３"]),
    st.integers(-10**20, 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
FUZZ = settings(max_examples=8, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _form(action: str) -> st.SearchStrategy[dict[str, str]]:
    names = [f.name for f in FORMS[action] if f.kind != "file"] + ["version"]
    return st.fixed_dictionaries({}, optional={n: TYPED for n in names})


@pytest.fixture
def recorded(bureau: Bureau) -> str:
    """A filed case with evidence: most action forms are judged on it."""
    return play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))


@pytest.mark.parametrize("action", sorted(FORMS))
def test_no_action_form_input_gives_a_server_error(bureau: Bureau, client: TestClient,
                                                   recorded: str, action: str) -> None:
    """Whatever the form holds, the answer is a page (2xx/3xx) or a refusal (4xx)."""
    token = sign_in(client, "zhao" if action in ("file", "decide", "extend", "discuss")
                    else "zhang")

    @FUZZ
    @given(form=_form(action))
    def post(form: dict[str, Any]) -> None:
        r = client.post(f"/cases/{recorded}/act/{action}", data={"csrf": token, **form},
                        follow_redirects=False)
        assert r.status_code < 500, (form, r.text[:300])

    post()


def test_no_registration_input_gives_a_server_error(bureau: Bureau, client: TestClient) -> None:
    """The registration form, fuzzed: refused beside its fields or registered, never a 500."""
    token = sign_in(client, "zhang")

    @FUZZ
    @given(form=_form("register"))
    def post(form: dict[str, Any]) -> None:
        r = client.post("/register", data={"csrf": token, **form}, follow_redirects=False)
        assert r.status_code < 500, (form, r.text[:300])

    post()


def test_no_filter_input_gives_a_server_error(bureau: Bureau,
                                                         client: TestClient) -> None:
    """The filters of 全部案件 and of its CSV export."""
    sign_in(client, "zhao")
    keys = ("from", "until", "state", "sector", "overdue", "page")

    @FUZZ
    @given(params=st.fixed_dictionaries({}, optional={k: TYPED for k in keys}))
    def lists(params: dict[str, str]) -> None:
        for path in ("/cases", "/cases.csv"):
            assert client.get(path, params=params).status_code < 500, params

    lists()


@pytest.mark.parametrize("action", ["notify", "schedule_hearing", "hold_hearing", "decide",
                                    "serve", "revoke", "close"])
def test_no_preview_input_gives_a_server_error(bureau: Bureau, client: TestClient,
                                               recorded: str, action: str) -> None:
    """预览文书 takes the action's form too: refused or previewed, never a 500."""
    token = sign_in(client, "zhao" if action == "decide" else "zhang")

    @FUZZ
    @given(form=_form(action))
    def post(form: dict[str, Any]) -> None:
        r = client.post(f"/cases/{recorded}/preview/{action}", data={"csrf": token, **form},
                        follow_redirects=False)
        assert r.status_code < 500, (form, r.text[:300])

    post()
