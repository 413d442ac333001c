"""Cases of today judged by the law in force on each date (SPEC §5), through the services."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casefiles.domain.policy import load_profile
from tests.support import ORGANISATION, POLICIES, Desk

SIGNS = {"violations": [{"code": "WSL-99-1", "tier": "一般", "facts": "仓库未设置安全警示标志"}],
         "penalties": [{"type": "fine", "amount": 15000}]}


def _today(make_desk: Callable[..., Desk], start: str, policies: Path = POLICIES) -> Desk:
    desk = make_desk(start, policies_dir=policies, drill=None)
    return desk


def _policies(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the shipped policies with the profile's text edited."""
    shutil.copytree(POLICIES, tmp_path / "policies")
    path = tmp_path / "policies" / "hengshan.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / "policies"


def _notified(desk: Desk, violation_date: str, at: str, proposal: dict[str, Any]) -> str:
    desk.violation_date = violation_date
    case = desk.registered(at)
    desk.ok("zhao", "file", case, {"investigators": ["zhang", "li"], "cause": "未设置警示标志"})
    desk.ok("zhang", "propose", case, proposal)
    desk.ok("zhang", "notify", case)
    return case


def test_a_case_registered_before_1_september_2021_outside_a_drill_is_refused(
        make_desk: Callable[..., Desk]) -> None:
    """On a clock of 2021-08-31 registration is refused invalid_input naming the period."""
    desk = _today(make_desk, "2021-08-31T09:00")
    desk.violation_date = "2021-08-20"
    outcome = desk.act("zhang", "register", None,
                       {"source": "inspection", "sector": "industry_trade",
                        "party": ORGANISATION, "summary": "检查发现", "violation_date": "2021-08-20"})
    assert outcome.code == "invalid_input"
    assert "2021年9月1日" in outcome.message


def test_a_2026_case_is_judged_by_hengshan_2026_and_its_history_names_the_rule_set(
        make_desk: Callable[..., Desk]) -> None:
    """Every entry of a 2026 case records hengshan-2026 and the SHA-256 of its content."""
    desk = _today(make_desk, "2026-03-02T09:00")
    case = _notified(desk, "2026-02-25", "2026-03-02T09:00", SIGNS)
    profile = desk.app.profile
    assert desk.view(case)["rule_set"] == "hengshan-2026" and desk.view(case)["drill"] is False
    stamps = [e.rule_sets for e in desk.app.history(case)]
    assert stamps and all(s == [{"id": "hengshan-2026",
                                 "sha256": profile.rule_set("hengshan-2026").sha256}]
                          for s in stamps)


def test_a_2025_violation_decided_in_2026_keeps_its_catalogue_and_takes_the_new_procedure(
        make_desk: Callable[..., Desk]) -> None:
    """Across 2026-02-01: the case keeps hengshan-2021 (violation), the acts after it are also
    judged by hengshan-2026, and both are recorded."""
    desk = _today(make_desk, "2026-01-26T09:00")
    case = _notified(desk, "2026-01-20", "2026-01-26T09:00", SIGNS)
    desk.ok("zhang", "defend", case, {"waive": True}, at="2026-02-02T09:00")
    last = desk.app.history(case)[-1]
    assert [s["id"] for s in last.rule_sets or []] == ["hengshan-2021", "hengshan-2026"]
    first = desk.app.history(case)[0]
    assert [s["id"] for s in first.rule_sets or []] == ["hengshan-2021"]


def test_an_action_judged_by_an_unconfirmed_figure_warns_rule_unconfirmed(
        make_desk: Callable[..., Desk], tmp_path: Path) -> None:
    """The notice counts the unconfirmed 3-day defence window: it warns; once the bureau has
    confirmed every figure, the same notice does not."""
    desk = _today(make_desk, "2026-03-02T09:00")
    case = _notified(desk, "2026-02-25", "2026-03-02T09:00", SIGNS)
    notify = next(e for e in desk.app.history(case) if e.action == "notify")
    assert "rule_unconfirmed" in notify.warnings

    def confirm(text: str) -> str:
        text = text.replace("confirmed: false,", "confirmed: true, confirmed_by: 王芳, "
                            "confirmed_on: 2026-12-01,")
        text = text.replace("      confirmed: false\n", "      confirmed: true\n"
                            "      confirmed_by: 王芳\n      confirmed_on: 2026-12-01\n")
        text = text.replace("    confirmed: false\n", "    confirmed: true\n"
                            "    confirmed_by: 计财股\n    confirmed_on: 2026-12-01\n")
        return text.replace("        tiers_confirmed: false\n", "")
    confirmed = _today(make_desk, "2026-03-02T09:00", _policies(tmp_path, confirm))
    assert confirmed.app.profile.unconfirmed() == []
    other = _notified(confirmed, "2026-02-25", "2026-03-02T09:00", SIGNS)
    assert all("rule_unconfirmed" not in e.warnings for e in confirmed.app.history(other))


def test_a_lighter_later_law_applies_and_the_decision_warns_lighter_law_applied(
        make_desk: Callable[..., Desk], tmp_path: Path) -> None:
    """A fixture rule set from 2026-02-01 caps WSL-99-1 at 30,000: a 2025 violation proposed
    on 2026-02-10 is refused 40,000 and accepts 25,000, and its decision warns."""
    def lighter(text: str) -> str:
        text = text.replace("    provisions: *catalogue\n", """    provisions:
      - code: WSL-99-1
        breached: 安全生产法第35条
        title: 未设置安全警示标志（测试用较轻规定）
        target: unit
        penalties: [fine]
        range: {min: 0, max: 30000}
        source: 安全生产法第99条第1项
""")
        return text
    policies = _policies(tmp_path, lighter)
    assert load_profile(policies, "hengshan").rule_set("hengshan-2026").provision("WSL-99-1")
    desk = _today(make_desk, "2026-02-10T09:00", policies)
    desk.violation_date = "2025-12-20"
    case = desk.registered("2026-02-10T09:00")
    desk.ok("zhao", "file", case, {"investigators": ["zhang", "li"], "cause": "未设置警示标志"})
    too_much = {**SIGNS, "penalties": [{"type": "fine", "amount": 40000}]}
    refused = desk.act("zhang", "propose", case, too_much)
    assert refused.code == "amount_out_of_range" and "30000" in refused.message
    desk.ok("zhang", "propose", case, {**SIGNS, "penalties": [{"type": "fine", "amount": 25000}]})
    desk.ok("zhang", "notify", case)
    desk.ok("zhang", "defend", case, {"waive": True})
    decided = desk.ok("zhao", "decide", case, {"outcome": "penalty"}, at="2026-02-11T09:00")
    assert "lighter_law_applied" in decided.warnings
    assert desk.view(case)["rule_set"] == "hengshan-2021"


def test_without_a_lighter_later_law_nothing_warns_lighter_law_applied(
        make_desk: Callable[..., Desk]) -> None:
    """The shipped rule sets punish WSL-99-1 alike: a 2025 violation decided in 2026 keeps
    the 2021 range, and no lighter_law_applied is recorded."""
    desk = _today(make_desk, "2026-01-26T09:00")
    case = _notified(desk, "2026-01-20", "2026-01-26T09:00", SIGNS)
    desk.ok("zhang", "defend", case, {"waive": True}, at="2026-02-02T09:00")
    decided = desk.ok("zhao", "decide", case, {"outcome": "penalty"})
    assert "lighter_law_applied" not in decided.warnings


@pytest.fixture
def first_violation_policies(tmp_path: Path) -> Path:
    """hengshan-2026 with WSL-99-1 on a fixture first-violation list (two-year look-back)."""
    def listed(text: str) -> str:
        old = "        entries: []\n"
        new = ("        lookback_years: 2\n        entries:\n"
               "          - {code: WSL-99-1, conditions: 首次违法、危害后果轻微并及时改正, "
               "source: 测试用清单}\n")
        assert old in text
        return text.replace(old, new, 1)
    return _policies(tmp_path, listed)


def test_a_first_corrected_harmless_violation_on_a_listed_provision_warns(
        make_desk: Callable[..., Desk], first_violation_policies: Path) -> None:
    """corrected: true, no harm, no earlier case of the credit code: first_violation_exemption."""
    desk = _today(make_desk, "2026-03-02T09:00", first_violation_policies)
    corrected = {**SIGNS, "violations": [{**SIGNS["violations"][0], "corrected": True}]}
    case = _notified(desk, "2026-02-25", "2026-03-02T09:00", corrected)
    assert "first_violation_exemption" in desk.view(case)["warnings"]


def test_no_first_violation_warning_when_uncorrected_or_not_the_first(
        make_desk: Callable[..., Desk], first_violation_policies: Path) -> None:
    """Not corrected: no warning. Corrected, but the party already has a case: no warning."""
    desk = _today(make_desk, "2026-03-02T09:00", first_violation_policies)
    uncorrected = {**SIGNS, "violations": [{**SIGNS["violations"][0], "corrected": False}]}
    first = _notified(desk, "2026-02-25", "2026-03-02T09:00", uncorrected)
    assert "first_violation_exemption" not in desk.view(first)["warnings"]
    corrected = {**SIGNS, "violations": [{**SIGNS["violations"][0], "corrected": True}]}
    second = _notified(desk, "2026-02-26", "2026-03-03T09:00", corrected)
    assert "first_violation_exemption" not in desk.view(second)["warnings"]


def test_the_shipped_first_violation_list_is_empty_until_sourced() -> None:
    """No entry is invented: both rule sets carry an empty list that says why."""
    for rules in load_profile(POLICIES, "hengshan").rule_sets:
        assert rules.first_violation.entries == () and rules.first_violation.note


def _decision_bodies(desk: Desk, case: str) -> list[str]:
    """The reconsideration bodies the case's decision document prints (its fixed facts)."""
    with desk.app.uow() as uow:
        items = uow.outbox.pending(100, kinds=["document_issued"], case_id=case)
    facts = [i["payload"]["facts"] for i in items if i["payload"]["kind"] == "行政处罚决定书"]
    return list(facts[-1]["body"]["reconsideration_bodies"])


def test_a_decision_names_the_reconsideration_bodies_of_its_own_date(
        make_desk: Callable[..., Desk]) -> None:
    """Decided on 29 December 2023: the county government or the city bureau; the same case
    decided on 2 January 2024: the county government only (行政复议法 2023, art. 24)."""
    before = _today(make_desk, "2023-12-25T09:00")
    case = _notified(before, "2023-12-20", "2023-12-25T09:00", SIGNS)
    before.ok("zhang", "defend", case, {"waive": True})
    before.ok("zhao", "decide", case, {"outcome": "penalty"}, at="2023-12-29T09:00")
    assert _decision_bodies(before, case) == ["衡山县人民政府", "衡阳市应急管理局"]
    after = _today(make_desk, "2023-12-25T09:00")
    case = _notified(after, "2023-12-20", "2023-12-25T09:00", SIGNS)
    after.ok("zhang", "defend", case, {"waive": True})
    after.ok("zhao", "decide", case, {"outcome": "penalty"}, at="2024-01-02T09:00")
    assert _decision_bodies(after, case) == ["衡山县人民政府"]
