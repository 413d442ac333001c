"""`casefiles replay FILE... --json` from outside: the shared scenarios, bad files, unmet steps."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from tests.support import CASEFILES, SHARED, cli_env

SCENARIOS = sorted((SHARED / "scenarios").glob("*.yaml"))
STEP_KEYS = {"file", "step", "do", "case", "result", "code", "codes", "message", "warnings",
             "state", "expected", "met"}
SUMMARY_KEYS = {"file", "steps", "passed", "failed"}


def _replay(*args: str, cwd: Path | None = None) -> tuple[int, list[dict[str, Any]], str]:
    """Run the console script; its exit status, its JSON lines and its stderr."""
    done = subprocess.run([CASEFILES, "replay", *args, "--json"], capture_output=True,
                          text=True, env=cli_env(), cwd=cwd, timeout=300, check=False)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def _per_file(lines: list[dict[str, Any]]) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """The output split into (step lines, summary line) per file, in order."""
    out: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []
    steps: list[dict[str, Any]] = []
    for line in lines:
        if "steps" in line:
            out.append((steps, line))
            steps = []
        else:
            steps.append(line)
    assert steps == [], "step lines after the last summary"
    return out


def _check_every_step_met(lines: list[dict[str, Any]], scenarios: list[Path] = SCENARIOS
                          ) -> None:
    files = _per_file(lines)
    assert [Path(summary["file"]).name for _, summary in files] == [p.name for p in scenarios]
    for (steps, summary), path in zip(files, scenarios, strict=True):
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))["steps"]
        assert set(summary) == SUMMARY_KEYS
        assert summary == {"file": summary["file"], "steps": len(expected),
                           "passed": len(expected), "failed": 0}
        assert [s["step"] for s in steps] == list(range(1, len(expected) + 1))
        for line, step in zip(steps, expected, strict=True):
            # an inspection's step names its inspection where a case's names its case
            keys = STEP_KEYS ^ {"case", "inspection"} if "inspection" in step else STEP_KEYS
            assert set(line) == keys, line
            assert line["file"] == summary["file"] and line["do"] == step["do"]
            assert line["met"] is True, line
            assert line["result"] in ("ok", "refused")
            assert isinstance(line["codes"], list) and isinstance(line["warnings"], list)
            if line["result"] == "ok":
                assert (line["code"], line["codes"]) == (None, [])
                assert isinstance(line.get("case", line.get("inspection")), str)
                assert isinstance(line["state"], str)
            else:
                assert line["code"] == line["codes"][0] and line["message"]
            if isinstance(step["expect"], str) and step["expect"].startswith("refused:"):
                assert line["code"] == step["expect"].split(":", 1)[1]


@pytest.mark.skipif(not SCENARIOS, reason="no shared scenarios found")
def test_every_shared_scenario_step_passes_in_fresh_sqlite_databases() -> None:
    """Replaying the shared scenarios, each in its own database, meets every step, exit 0."""
    status, lines, err = _replay(*map(str, SCENARIOS))
    assert status == 0, err
    _check_every_step_met(lines)


@pytest.mark.skipif(not SCENARIOS, reason="no shared scenarios found")
def test_every_shared_scenario_step_passes_in_one_named_database(db_url: str) -> None:
    """Replaying the shared scenarios into one --db database (cases accumulate) meets every
    step, and the history chains it leaves verify."""
    status, lines, err = _replay(*map(str, SCENARIOS), "--db", db_url)
    assert status == 0, err
    _check_every_step_met(lines)
    cases = {line["case"] for line in lines if line.get("case")}
    listed = subprocess.run([CASEFILES, "case", "list", "--drills", "--json"], capture_output=True,
                            text=True, env=cli_env(CASEFILES_DATABASE_URL=db_url), timeout=60,
                            check=True)
    assert {row["id"] for row in json.loads(listed.stdout)} == cases
    audit = subprocess.run([CASEFILES, "audit", "verify"], capture_output=True, text=True,
                           env=cli_env(CASEFILES_DATABASE_URL=db_url), timeout=60, check=False)
    assert audit.returncode == 0, audit.stdout


# the project's own scenarios (cases of 2026) and their drill copies (the paper-era dates,
# rules: hengshan-2021)
OWN_SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("**/*.yaml"))


DEMO_DRILLS = sorted((Path(__file__).resolve().parents[2] / "casefiles" / "demo_cases" / "drills")
                     .glob("*.yaml"))


def test_the_drill_copies_of_the_paper_era_demo_cases_pass_step_by_step() -> None:
    """The demo's 2020–2021 cases, kept as drills of hengshan-2021, meet every step."""
    assert DEMO_DRILLS
    status, lines, err = _replay(*map(str, DEMO_DRILLS))
    assert status == 0, err
    _check_every_step_met(lines, DEMO_DRILLS)


def test_the_projects_own_scenarios_pass_step_by_step() -> None:
    """tests/scenarios (preservation with its National Day deadline and late warning, a
    transfer, an individual's fine, an unpaid fine taken to court) meet every step."""
    assert OWN_SCENARIOS
    status, lines, err = _replay(*map(str, OWN_SCENARIOS))
    assert status == 0, err
    _check_every_step_met(lines, OWN_SCENARIOS)


# worked examples of contracts built here while they wait in ../shared/scenarios-next (the
# inspections of SPEC §6)
NEXT_SCENARIOS = sorted((SHARED / "scenarios-next").glob("04_*.yaml"))


@pytest.mark.skipif(not NEXT_SCENARIOS, reason="no scenarios-next found")
def test_the_inspection_scenario_waiting_in_scenarios_next_passes_step_by_step(
        db_url: str) -> None:
    """04_chemicals_inspection (an early recheck across the Dragon Boat Festival, a stop-use
    measure that cannot be lifted before the recheck) meets every step, and the inspection's
    history chain verifies with the cases'."""
    status, lines, err = _replay(*map(str, NEXT_SCENARIOS), "--db", db_url)
    assert status == 0, err
    _check_every_step_met(lines, NEXT_SCENARIOS)
    audit = subprocess.run([CASEFILES, "audit", "verify"], capture_output=True, text=True,
                           env=cli_env(CASEFILES_DATABASE_URL=db_url), timeout=60, check=False)
    assert audit.returncode == 0, audit.stdout
    assert "2 chains, 10 entries verified" in audit.stdout  # the bureau's 3, the inspection's 7


GOOD_STEPS = """\
  - {by: zhang, do: register, case: c1, with: {source: inspection, sector: other,
      party: {kind: individual, name: 孙某, id_number: "430423198001011231", address: 城关镇},
      summary: 无证动火作业, violation_date: 2020-06-28}}
"""
BROKEN = {
    "unknown action": ("  - {by: zhao, do: fly, case: c1}\n", 2, "do"),
    "missing actor": ("  - {do: file, case: c1, with: {cause: x}}\n", 2, "by"),
    "unknown refusal code": (("  - {by: zhao, do: decline, case: c1, with: {reason: x},\n"
                              "     expect: 'refused:too_late'}\n"), 2, "expect"),
    "clock going back": (("  - {at: 2020-06-30, by: zhao, do: decline, case: c1,\n"
                          "     with: {reason: x}}\n"), 2, "at"),
}


@pytest.mark.parametrize(("extra", "step", "field"), BROKEN.values(), ids=list(BROKEN))
def test_an_invalid_scenario_exits_2_naming_file_step_and_field(
        tmp_path: Path, extra: str, step: int, field: str) -> None:
    """A file that is not a valid scenario stops replay with exit 2 and says where it is wrong."""
    path = tmp_path / "broken.yaml"
    path.write_text("profile: hengshan\nstart: 2020-07-01T09:00:00+08:00\npeople:\n"
                    "  - {id: zhang, name: 张伟, roles: [officer], certificate: 湘0401001}\n"
                    "steps:\n" + GOOD_STEPS + extra, encoding="utf-8")
    status, lines, err = _replay(str(path))
    assert status == 2
    assert lines == []
    message = " ".join(err.split())
    assert str(path) in message
    assert f"step {step}, field {field}" in message


def test_a_scenario_that_is_not_yaml_exits_2_naming_the_file(tmp_path: Path) -> None:
    """Unreadable YAML is an invalid scenario too: exit 2 with the file named."""
    path = tmp_path / "garbled.yaml"
    path.write_text("profile: hengshan\nsteps: [unclosed\n", encoding="utf-8")
    status, _, err = _replay(str(path))
    assert status == 2 and str(path) in " ".join(err.split())


def test_an_unmet_expectation_exits_1_and_is_counted_failed(tmp_path: Path) -> None:
    """A step whose outcome differs from its expectation is met: false; replay exits 1."""
    path = tmp_path / "unmet.yaml"
    path.write_text("profile: hengshan\nrules: hengshan-2021\n"
                    "start: 2020-07-01T09:00:00+08:00\npeople:\n"
                    "  - {id: zhang, name: 张伟, roles: [officer], certificate: 湘0401001}\n"
                    "  - {id: zhao, name: 赵强, roles: [head]}\n"
                    "steps:\n" + GOOD_STEPS +
                    "  - {by: zhao, do: decline, case: c1, with: {reason: 不属于本局管辖},\n"
                    "     expect: 'refused:forbidden_role'}\n"
                    "  - {by: zhang, do: archive, case: c1, expect: {view: {state: archived}}}\n"
                    "  - {by: ghost, do: archive, case: c1, expect: 'refused:unknown_person'}\n",
                    encoding="utf-8")
    status, lines, _ = _replay(str(path))
    assert status == 1
    [(steps, summary)] = _per_file(lines)
    assert [(s["result"], s["code"], s["met"]) for s in steps] == [
        ("ok", None, True), ("ok", None, False), ("refused", "not_allowed_in_state", False),
        ("refused", "unknown_person", True)]
    assert steps[1]["state"] == "not_filed"
    assert (summary["steps"], summary["passed"], summary["failed"]) == (4, 2, 2)
