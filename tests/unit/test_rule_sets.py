"""A case is judged by the rule set in force on its violation date."""

from __future__ import annotations

from pathlib import Path

from casefiles.domain.engine import rules_for
from casefiles.domain.policy import load_profile

PROFILE = load_profile(Path(__file__).resolve().parents[2] / "policies", "hengshan")


def test_a_violation_on_the_last_covered_day_gets_the_hengshan_rule_set() -> None:
    """2026-01-31 is the last violation date the hengshan rules judge."""
    rules, refusals = rules_for(PROFILE, None, {"violation_date": "2026-01-31"})
    assert rules.id == "hengshan-2021" and refusals == []


def test_a_violation_no_rule_set_covers_is_refused_naming_violation_date() -> None:
    """From 2026-02-01 (应急管理部令第18号) registration waits for the new rules in policies/."""
    _, refusals = rules_for(PROFILE, None, {"violation_date": "2026-02-01"})
    assert [(r.code, r.field) for r in refusals] == [("invalid_input", "violation_date")]
    assert "2026-02-01" in refusals[0].message


def test_an_unreadable_violation_date_is_left_to_payload_validation() -> None:
    """An impossible date gives no rule-set refusal here; the payload check names it once."""
    _, refusals = rules_for(PROFILE, None, {"violation_date": "2020-02-30"})
    assert refusals == []
