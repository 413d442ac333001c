"""A case of today from registration to archive through the CLI, and the same case as a drill:
what their documents cite, name and stamp (SPEC §5), read back through pdftotext."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support import CASEFILES, cli_env

SCENARIO = Path(__file__).parent / "data" / "signs_2026.yaml"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CASEFILES, *args], capture_output=True, text=True, env=env,
                          timeout=180, check=False)


def _replayed(tmp_path: Path, text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Replay ``text`` into a data directory, render its documents; (env, kind → PDF text)."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text, encoding="utf-8")
    env = cli_env(CASEFILES_DATA_DIR=str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'data' / 'casefiles.db'}"
    (tmp_path / "data").mkdir()
    done = _run(env, "replay", str(scenario), "--db", url, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    rendered = _run(env, "documents")
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    listed = _run(env, "case", "list", "--drills", "--json")
    case_id = json.loads(listed.stdout)[0]["id"]
    view = json.loads(_run(env, "case", "show", case_id, "--json").stdout)
    texts = {}
    for doc in view["documents"]:
        pdf = tmp_path / "data" / "documents" / doc["sha256"][:2] / f"{doc['sha256']}.pdf"
        texts[doc["kind"]] = subprocess.run(["pdftotext", str(pdf), "-"],
                                            capture_output=True, text=True, check=True).stdout
    return env, texts


@pytest.fixture(scope="module")
def today_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """The 2026 case, replayed to its archive."""
    return _replayed(tmp_path_factory.mktemp("today"), SCENARIO.read_text(encoding="utf-8"))


def test_a_2026_case_reaches_the_archive_with_every_document_stored(
        today_case: tuple[dict[str, str], dict[str, str]]) -> None:
    """立案审批表 to 案卷 are rendered for a case of today, not a drill."""
    _, texts = today_case
    assert {"立案审批表", "行政处罚告知书", "行政处罚决定书", "文书送达回执", "结案审批表"} <= set(texts)
    assert all("演" not in t for t in texts.values())


def test_the_2026_decision_cites_the_2021_laws_and_order_no_18(
        today_case: tuple[dict[str, str], dict[str, str]]) -> None:
    """The decision cites 安全生产法 (2021) by article, and the procedure of 令第18号."""
    decision = "".join(today_case[1]["行政处罚决定书"].split())
    assert "《中华人民共和国安全生产法》第三十五条" in decision
    assert "《中华人民共和国安全生产法》第九十九条第一项" in decision
    assert "应急管理部令第18号" in decision
    assert "第15号" not in decision
    filing = "".join(today_case[1]["立案审批表"].split())
    assert "《中华人民共和国行政处罚法》第六十条" in filing and "应急管理部令第18号" in filing


def test_a_2026_decision_names_only_the_county_government_for_reconsideration(
        today_case: tuple[dict[str, str], dict[str, str]]) -> None:
    """From 2024-01-01 (行政复议法 2023) the city bureau is no longer named."""
    decision = "".join(today_case[1]["行政处罚决定书"].split())
    assert "向衡山县人民政府申请行政复议" in decision
    assert "衡阳市应急管理局" not in decision


def test_the_case_list_leaves_drills_out_unless_asked(
        tmp_path: Path, today_case: tuple[dict[str, str], dict[str, str]]) -> None:
    """A drill replayed into a data directory is listed only with --drills."""
    drill = SCENARIO.read_text(encoding="utf-8").replace(
        "profile: hengshan\n", "profile: hengshan\nrules: hengshan-2021\n", 1).replace(
        "drill: false, rule_set: hengshan-2026", "drill: true, rule_set: hengshan-2021")
    env, texts = _replayed(tmp_path, drill)
    assert json.loads(_run(env, "case", "list", "--json").stdout) == []
    assert len(json.loads(_run(env, "case", "list", "--drills", "--json").stdout)) == 1
    decision = texts["行政处罚决定书"]
    assert "演" in decision and "练" in decision
    lines = [line.strip() for line in decision.splitlines()]
    assert "衡山县应急管理局" in lines and "行政处罚决定书" in lines
    assert "国家安全生产监督管理总局令第15号" in "".join(decision.split())


def test_policy_check_names_every_unconfirmed_figure_and_json_output_stays_clean(
        today_case: tuple[dict[str, str], dict[str, str]]) -> None:
    """`policy check --json` lists the unconfirmed figures on stdout as JSON; `calendar check
    --json` keeps its warning about next year on stderr."""
    env, _ = today_case
    done = _run(env, "policy", "check", "--json")
    names = {(u["rule_set"], u["name"]) for u in json.loads(done.stdout)["unconfirmed"]}
    assert {("hengshan-2026", "hearing_threshold"),
            ("hengshan-2026", "defence_window_working_days"),
            ("hengshan-2026", "recheck_working_days"),
            ("hengshan-2026", "provisions.WSL-99-1.tiers")} <= names
    calendar = _run(env, "calendar", "check", "--json")
    years = json.loads(calendar.stdout)["years"]
    assert {"year": 2026, "source": "chinesecalendar 软件包 / package"} in years
    deadlines = _run(env, "deadlines", "--json")
    assert isinstance(json.loads(deadlines.stdout), list)  # notices never mix into --json
    missing = json.loads(calendar.stdout)["missing_next_year"]
    if missing is not None:  # from 1 November on, on the wall clock the CLI reads
        assert f"{missing}年节假日" in deadlines.stderr and f"{missing}年节假日" in calendar.stderr
