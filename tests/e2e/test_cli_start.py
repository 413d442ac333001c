"""Start-up of the command line: a malformed policy file stops it with file and field named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("casefiles")


def _run(tmp_path: Path, policies: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASEFILES_DATA_DIR": str(tmp_path / "data"),
           "CASEFILES_POLICIES_DIR": str(policies)}
    env.pop("CASEFILES_DATABASE_URL", None)
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True,
                          timeout=60)


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
    from datetime import datetime

    from casefiles.clock import SimulatedClock
    from casefiles.domain.model import Person
    from casefiles.domain.timefmt import SHANGHAI
    from casefiles.services.app import Casefiles
    from casefiles.settings import Settings

    clock = SimulatedClock(datetime(2020, 6, 1, 9, 0, tzinfo=SHANGHAI))
    cf = Casefiles(Settings(policies_dir=REPO / "policies"), clock,
                   f"sqlite:///{tmp_path / 'data' / 'casefiles.db'}")
    cf.init()
    for p in (Person("zhou", "周明", ["officer"], "湘0401003"),
              Person("wu", "吴磊", ["officer"], "湘0401004"), Person("zhao", "赵强", ["head"])):
        cf.put_person(p)
    case = cf.act("zhou", "register", None, {
        "source": "complaint", "sector": "industry_trade",
        "party": {"kind": "organisation", "name": "湖南省嘉禾机械制造有限公司",
                  "credit_code": "91430423MA4QTRADXH", "address": "衡山县开云镇工业园区"},
        "summary": "新入职员工未经安全培训即上岗", "violation_date": "2020-05-20"}).case_id
    steps = [("zhao", "file", {"investigators": ["zhou", "wu"], "cause": "未培训"}),
             ("zhou", "propose", {"violations": [{"code": "WSL-97-4", "tier": "一般",
                                                  "facts": "未培训"}],
                                  "penalties": [{"type": "fine", "amount": 8000}]}),
             ("zhou", "notify", {}), ("zhou", "defend", {"waive": True}),
             ("zhao", "decide", {"outcome": "penalty"})]
    for by, action, payload in steps:
        assert cf.act(by, action, case, payload).ok, action
    cf.engine.dispose()

    first = _run(tmp_path, REPO / "policies", "dispatch")
    assert first.returncode == 0 and "1 done" in first.stdout, first.stderr
    swept = _run(tmp_path, REPO / "policies", "sweep")
    assert swept.returncode == 0 and "1 deadlines newly missed" in swept.stdout, swept.stderr
    again = (_run(tmp_path, REPO / "policies", "dispatch").stdout
             + _run(tmp_path, REPO / "policies", "sweep").stdout)
    assert "0 done" in again and "0 deadlines newly missed" in again
    assert cf.view(case)["deadlines"]["service"]["status"] == "missed"
