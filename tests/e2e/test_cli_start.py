"""Start-up of the command line: a malformed policy file stops it with file and field named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import SMALL_FINE, open_bureau, play, until

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("casefiles")


def _run(tmp_path: Path, policies: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASEFILES_DATA_DIR": str(tmp_path / "data"),
           "CASEFILES_POLICIES_DIR": str(policies)}
    env.pop("CASEFILES_DATABASE_URL", None)
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_malformed_policy_file_stops_start_up_naming_the_file_and_the_field(
        tmp_path: Path) -> None:
    """A word where the decision period's number belongs: exit 2, file and field named."""
    policies = tmp_path / "policies"
    shutil.copytree(REPO / "policies", policies)
    profile = policies / "hengshan.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "decision_days: {value: 90,", "decision_days: {value: ninety,"), encoding="utf-8")
    result = _run(tmp_path, policies, "case", "list")
    assert result.returncode == 2
    assert str(profile) in result.stderr
    assert "rule_sets.0.decision_days.value" in result.stderr
    assert not (tmp_path / "data" / "casefiles.db").exists()


def test_a_malformed_calendar_file_stops_start_up_naming_the_file_and_the_field(
        tmp_path: Path) -> None:
    """An impossible holiday in a year's calendar: exit 2, file and field named."""
    policies = tmp_path / "policies"
    shutil.copytree(REPO / "policies", policies)
    year = policies / "calendars" / "2027.yaml"
    year.write_text("year: 2027\nsource: 国办发明电\nholidays: [2027-02-30]\n", encoding="utf-8")
    result = _run(tmp_path, policies, "init")
    assert result.returncode == 2
    assert str(year) in result.stderr and "holidays" in result.stderr


def test_the_shipped_policies_start_the_command_line(tmp_path: Path) -> None:
    """With the shipped profile, init creates the database under the data directory."""
    result = _run(tmp_path, REPO / "policies", "init")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "casefiles.db").exists()


def test_sweep_and_dispatch_commands_do_the_work_a_system_timer_asks_for(tmp_path: Path) -> None:
    """On a case decided in 2020 and left alone: dispatch publishes it, the sweep then marks
    its unserved decision missed, and a second run of each finds nothing more to do."""
    cf, clock = open_bureau(f"sqlite:///{tmp_path / 'data' / 'casefiles.db'}")
    case = play(cf, clock, until(SMALL_FINE, "decide"))
    cf.engine.dispose()

    first = _run(tmp_path, REPO / "policies", "dispatch")
    assert first.returncode == 0 and "1 done" in first.stdout, first.stderr
    swept = _run(tmp_path, REPO / "policies", "sweep")
    assert swept.returncode == 0 and "1 deadlines newly missed" in swept.stdout, swept.stderr
    again = (_run(tmp_path, REPO / "policies", "dispatch").stdout
             + _run(tmp_path, REPO / "policies", "sweep").stdout)
    assert "0 done" in again and "0 deadlines newly missed" in again
    assert cf.view(case)["deadlines"]["service"]["status"] == "missed"
