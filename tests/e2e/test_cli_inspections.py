"""`casefiles inspection list|show ID [--json]|history ID` and `casefiles deadlines`, run as
users run them, after replaying the worked example of scenarios-next (SPEC §6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_cli import run, run_json
from tests.support import SHARED, cli_env

EXAMPLE = SHARED / "scenarios-next" / "04_chemicals_inspection.yaml"
# the inspection view of SCENARIOS.md
VIEW_KEYS = {"id", "number", "state", "sector", "unit", "major_hazard", "hazards", "measures",
             "deadlines", "documents", "cases", "warnings", "history_length"}


@pytest.mark.skipif(not EXAMPLE.is_file(), reason="../shared is not beside the checkout")
def test_show_json_is_the_contracts_view_and_history_lists_each_action(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    env = cli_env(CASEFILES_DATABASE_URL=url, CASEFILES_DATA_DIR=str(tmp_path / "data"))
    assert run(env, "replay", str(EXAMPLE), "--db", url).returncode == 0
    [row] = run_json(env, "inspection", "list")
    assert row["number"] == "衡山应急检记〔2026〕1号" and row["state"] == "closed"
    view = run_json(env, "inspection", "show", row["number"])
    assert VIEW_KEYS <= set(view)
    assert view["unit"] == {"kind": "organisation", "name": "湖南衡岳精细化工有限公司"}
    assert {h["ref"]: h["status"] for h in view["hazards"]} == {"h1": "rectified",
                                                               "h2": "rectified"}
    assert view["measures"][0] | {"until": None} == {
        "ref": "m1", "type": "stop_use", "status": "lifted", "until": None, "object": "甲类仓库"}
    assert view["deadlines"]["recheck"]["due"] == "2026-06-23"
    assert view["deadlines"]["recheck"]["status"] == "met"
    assert [d["number"] for d in view["documents"]] == [
        "衡山应急检记〔2026〕1号", "衡山应急现决〔2026〕1号", "衡山应急责改〔2026〕1号",
        "衡山应急复查〔2026〕1号", "衡山应急解除〔2026〕1号"]
    assert view["history_length"] == 7 and view["cases"] == []
    history = run_json(env, "inspection", "history", view["id"])
    assert [(e["action"], e["result"]) for e in history] == [
        ("inspect", "ok"), ("measures", "ok"), ("order", "ok"), ("apply_recheck", "ok"),
        ("lift", "refused"), ("recheck", "ok"), ("lift", "ok")]
    assert history[4]["codes"] == ["hazard_not_eliminated"]
    text = run(env, "inspection", "show", view["id"]).stdout
    assert "已闭环" in text
    missing = run(env, "inspection", "show", "衡山应急检记〔2026〕9号")
    assert missing.returncode == 2 and "没有检查记录" in missing.stderr


HELD_SEAL = """profile: hengshan
start: 2026-03-02T09:00:00+08:00
people:
  - {id: zhang, name: 张伟, roles: [officer], certificate: 湘0401001}
  - {id: li, name: 李娜, roles: [officer], certificate: 湘0401002}
  - {id: zhao, name: 赵强, roles: [head]}
steps:
  - {by: zhang, do: inspect, inspection: mine, with: {unit: {kind: organisation, name: 衡山县东岭石料有限公司,
     credit_code: 91430423MA4L0M1N86, address: 衡山县东湖镇东岭村, legal_rep: 刘建国},
     sector: non_coal_mine, place: 采场, officers: [zhang, li], signed_by: 刘建国,
     hazards: [{ref: h1, description: 边坡浮石, level: major, fix: deadline}]}}
  - {by: zhang, do: measures, inspection: mine, with: {officers: [zhang, li], ask_head: true,
     measures: [{ref: m1, type: seal, object: 一号采场, hazards: [h1]}]},
     expect: {view: {measures: [], approvals: [{request: 1, status: pending}]}}}
  - {at: 2026-03-03T09:00, by: zhao, do: approve_measures, inspection: mine, with: {request: 1},
     expect: {view: {measures: [{ref: m1, status: in_force, until: 2026-04-02}]}}}
"""


def test_a_seal_held_for_the_head_replays_and_show_prints_who_decided(tmp_path: Path) -> None:
    """A scenario's seal asked without approval is held, then approved by the head's step;
    `inspection show` prints the request as approved."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    env = cli_env(CASEFILES_DATABASE_URL=url, CASEFILES_DATA_DIR=str(tmp_path / "data"))
    scenario = tmp_path / "held_seal.yaml"
    scenario.write_text(HELD_SEAL, encoding="utf-8")
    replayed = run(env, "replay", str(scenario), "--db", url)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    [row] = run_json(env, "inspection", "list")
    text = run(env, "inspection", "show", row["id"]).stdout
    assert "审批 申请1 查封一号采场: 已批准" in text and "措施 m1 查封 一号采场" in text
    assert "至 2026-04-02" in text and "[major/deadline]" in text
    assert "approval_pending" not in text  # said when asked, not kept on the inspection
