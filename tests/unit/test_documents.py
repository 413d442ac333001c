"""Every document the engine issues is numbered by the profile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casefiles.domain.documents import ISSUED_KINDS
from casefiles.domain.errors import PolicyError
from casefiles.domain.policy import load_profile

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def test_the_shipped_profile_numbers_every_document_kind_the_engine_issues() -> None:
    """hengshan has a number word for each kind, the transfer decision (移送书) included."""
    profile = load_profile(POLICIES, "hengshan")
    assert all(profile.document_kinds[k] for k in ISSUED_KINDS)
    assert profile.document_kinds["涉嫌犯罪案件移送书"] == "移"


def test_a_profile_missing_a_document_kind_does_not_load(tmp_path: Path) -> None:
    """Dropping one kind stops start-up, naming the file, the field and the kind."""
    shutil.copytree(POLICIES, tmp_path / "policies")
    path = tmp_path / "policies" / "hengshan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  罚款催告书: 催\n", ""),
                    encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_profile(tmp_path / "policies", "hengshan")
    assert str(path) in str(caught.value) and "罚款催告书" in str(caught.value)
