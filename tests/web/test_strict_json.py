"""Item 2 of issue 11: ``NaN``, ``Infinity`` and unpaired surrogates are not JSON. They are
refused 422 while the body is decoded, before anything is judged or written; what a history
entry hashes is what is stored; and the audit names every broken entry, not the first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from casefiles.domain.canonical import NotJSONError, canonical_bytes, strict_loads
from casefiles.domain.history import chain_breaks, make_entry
from casefiles.services.audit import verify_all
from tests.support import SMALL_FINE, play, until
from tests.web.conftest import Bureau, api_token

NOT_JSON = [b'{"kind": "document", "title": NaN}', b'{"amount": Infinity}',
            b'{"amount": -Infinity}', b'{"amount": 1e309}', b'{"title": "\\ud800"}',
            b'{"\\udfff": 1}']


@pytest.mark.parametrize("body", NOT_JSON)
def test_a_body_that_is_not_strict_json_is_refused_before_it_is_judged(
        bureau: Bureau, client: TestClient, body: bytes) -> None:
    """Officer and stranger alike get 422 invalid_input and the case's history is unchanged."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = bureau.cf.view(case_id)["history_length"]
    for who in ("zhang", "liu"):
        headers = api_token(client, who) | {"content-type": "application/json"}
        r = client.post(f"/api/cases/{case_id}/actions/record", content=body, headers=headers)
        assert (r.status_code, r.json()["code"]) == (422, "invalid_input"), r.text
    assert bureau.cf.view(case_id)["history_length"] == before
    with bureau.cf.uow() as uow:
        assert verify_all(uow).ok


def test_ordinary_invalid_input_stays_a_recorded_refusal(bureau: Bureau,
                                                         client: TestClient) -> None:
    """A well-formed body with a wrong field is judged and recorded, as SPEC §2 says."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "file"))
    before = bureau.cf.view(case_id)["history_length"]
    r = client.post(f"/api/cases/{case_id}/actions/record", json={"kind": "nonsense"},
                    headers=api_token(client, "zhang"))
    assert r.status_code == 422
    assert bureau.cf.view(case_id)["history_length"] == before + 1


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e400",
                                  '"\\ud800"', '["\\udc00x"]', "{"])
def test_the_strict_decoder_refuses_what_json_does_not_allow(text: str) -> None:
    """Each of these raises NotJSONError."""
    with pytest.raises(NotJSONError):
        strict_loads(text)


def test_a_paired_surrogate_and_large_finite_numbers_are_json() -> None:
    """An escaped astral character and 1e308 decode as they should."""
    assert strict_loads('["\\ud842\\udfb7", 1e308]') == ["𠮷", 1e308]


def test_a_history_entry_cannot_hash_what_cannot_be_stored() -> None:
    """make_entry refuses NaN and a lone surrogate instead of hashing them."""
    for payload in ({"x": float("nan")}, {"x": "\ud800"}, {"\ud800": 1}):
        with pytest.raises(NotJSONError):
            _entry(1, None, payload)


def test_the_hashed_bytes_are_the_canonical_bytes_of_what_is_stored() -> None:
    """An entry's hash is the SHA-256 of the canonical text of its stored content."""
    import hashlib

    e = _entry(1, None, {"b": 1.5, "a": ["张", 2]})
    assert e.hash == hashlib.sha256(canonical_bytes(e.content())).hexdigest()


def test_the_audit_names_every_broken_entry_and_not_only_the_first() -> None:
    """Two entries edited in one chain give two breaks; a deleted entry gives one."""
    entries = []
    prev = None
    for seq in range(1, 6):
        e = _entry(seq, prev, {"n": seq})
        entries.append(e)
        prev = e.hash
    edited = list(entries)
    edited[1] = replace(entries[1], payload={"n": 20})
    edited[3] = replace(entries[3], actor="mallory")
    assert [b.seq for b in chain_breaks(edited, prev, 5)] == [2, 4]
    cut = entries[:2] + entries[3:]
    assert [b.seq for b in chain_breaks(cut, prev, 5)] == [4, 5]


def _entry(seq: int, prev: str | None, payload: object):  # type: ignore[no-untyped-def]
    return make_entry(chain="c", seq=seq, prev_hash=prev, case_id="c",
                      at=datetime(2020, 6, 1, tzinfo=UTC), actor="zhang", role="officer",
                      action="record", payload=payload, result="ok", codes=[], warnings=[],
                      state_before=None, state_after=None, files=[])
