"""The `casefiles` command line, run as users run it, on a data directory of its own."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from casefiles.domain.timefmt import SHANGHAI
from tests.support import CASEFILES, cli_env, recent_violation

VIEW_KEYS = {"id", "number", "state", "sector", "party", "flags", "review", "hearing",
             "penalties", "deadlines", "amounts", "documents", "warnings", "history_length"}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """One `casefiles` command."""
    return subprocess.run([CASEFILES, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def run_json(env: dict[str, str], *args: str) -> Any:
    """One `casefiles ... --json` command that must succeed; its JSON."""
    done = run(env, *args, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


@dataclass
class Desk:
    """A data directory with people and one filed case, made through the CLI."""

    env: dict[str, str]
    case: str
    outputs: dict[str, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """People added, a case registered and filed, one refused and one stale attempt."""
    env = cli_env(CASEFILES_DATA_DIR=str(tmp_path_factory.mktemp("desk")))
    outputs = {"init": run(env, "init")}
    for args in (["zhang", "--name", "张伟", "--role", "officer", "--certificate", "湘0401001"],
                 ["li", "--name", "李娜", "--role", "officer", "--certificate", "湘0401002"],
                 ["zhao", "--name", "赵强", "--role", "head", "--role", "officer"],
                 ["wang", "--name", "王芳", "--role", "reviewer", "--legal-qualification"]):
        outputs[f"add {args[0]}"] = run(env, "people", "add", *args)
    register = {"source": "inspection", "sector": "fireworks",
                "party": {"kind": "organisation", "name": "衡山县红火烟花经营部",
                          "credit_code": "91430423MA4R8F1R00", "address": "衡山县开云镇"},
                "summary": "超范围储存烟花爆竹", "violation_date": recent_violation(
                    datetime.now(SHANGHAI))}
    outputs["register"] = run(env, "act", "new", "register", "--by", "zhang", "--json",
                              "--with", json.dumps(register, ensure_ascii=False))
    case = json.loads(outputs["register"].stdout)["case"]
    filing = json.dumps({"investigators": ["zhang", "li"], "cause": "超范围储存"})
    outputs["refused"] = run(env, "act", case, "file", "--by", "zhang", "--with", filing,
                             "--json")
    version = str(run_json(env, "case", "show", case)["version"])
    outputs["file"] = run(env, "act", case, "file", "--by", "zhao", "--with", filing,
                          "--expect-version", version, "--json")
    outputs["stale"] = run(env, "act", case, "record", "--by", "zhang", "--expect-version",
                           version, "--json", "--with", json.dumps(
                               {"kind": "document", "title": "照片", "officers": ["zhang", "li"]}))
    return Desk(env=env, case=case, outputs=outputs)


def test_init_creates_the_database_once(tmp_path: Path) -> None:
    """`init` creates the SQLite file under CASEFILES_DATA_DIR; a second init changes nothing."""
    env = cli_env(CASEFILES_DATA_DIR=str(tmp_path))
    first, second = run(env, "init"), run(env, "init")
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "casefiles.db").is_file()
    assert str(tmp_path / "casefiles.db") in " ".join(first.stdout.split())
    assert "(updated)" in first.stdout and "(updated)" not in second.stdout


def test_people_added_on_the_command_line_are_listed_with_their_qualifications(
        desk: Desk) -> None:
    """`people add` creates people that `people list --json` shows with roles and papers."""
    assert all(desk.outputs[k].returncode == 0 for k in desk.outputs if k.startswith("add "))
    assert "added" in desk.outputs["add zhang"].stdout
    people = {p["id"]: p for p in run_json(desk.env, "people", "list")}
    assert {"zhang", "li", "zhao", "wang"} <= set(people)
    assert (people["zhang"]["roles"], people["zhang"]["certificate"]) == (["officer"], "湘0401001")
    assert people["zhao"]["roles"] == ["head", "officer"]
    assert (people["wang"]["legal_qualification"], people["li"]["legal_qualification"]) == (
        True, False)


def test_adding_a_known_person_again_updates_them(tmp_path: Path) -> None:
    """`people add` with an existing id updates that person instead of adding another."""
    env = cli_env(CASEFILES_DATA_DIR=str(tmp_path))
    assert "added" in run(env, "people", "add", "zhou", "--name", "周明", "--role", "officer").stdout
    again = run(env, "people", "add", "zhou", "--name", "周明", "--role", "host")
    assert again.returncode == 0 and "updated" in again.stdout
    assert [p["roles"] for p in run_json(env, "people", "list") if p["id"] == "zhou"] == [["host"]]


def test_act_registers_and_files_a_case(desk: Desk) -> None:
    """`act new register` and `act CASE file` answer ok in JSON with the new state, exit 0."""
    registered = json.loads(desk.outputs["register"].stdout)
    filed = json.loads(desk.outputs["file"].stdout)
    assert desk.outputs["register"].returncode == desk.outputs["file"].returncode == 0
    assert (registered["result"], registered["state"]) == ("ok", "registered")
    assert (filed["result"], filed["case"], filed["state"], filed["code"]) == (
        "ok", desk.case, "investigating", None)
    assert set(filed) == {"result", "case", "code", "codes", "message", "warnings", "state"}


def test_a_refused_act_exits_1_with_its_code(desk: Desk) -> None:
    """An officer filing a case is refused forbidden_role, exit 1, with a message."""
    refused = desk.outputs["refused"]
    answer = json.loads(refused.stdout)
    assert refused.returncode == 1
    assert (answer["result"], answer["code"], answer["state"]) == (
        "refused", "forbidden_role", "registered")
    assert answer["message"]


def test_an_act_on_an_old_version_is_refused_stale(desk: Desk) -> None:
    """`act --expect-version` with a version the case has left is refused stale_version."""
    stale = desk.outputs["stale"]
    assert stale.returncode == 1
    assert json.loads(stale.stdout)["codes"] == ["stale_version"]


def test_act_with_malformed_json_or_an_unknown_case_exits_2(desk: Desk) -> None:
    """Input the CLI cannot use at all is a usage error: exit 2, nothing recorded."""
    before = run_json(desk.env, "case", "show", desk.case)["history_length"]
    bad_json = run(desk.env, "act", desk.case, "record", "--by", "zhang", "--with", "{oops")
    no_case = run(desk.env, "act", "no-such-case", "record", "--by", "zhang")
    assert bad_json.returncode == no_case.returncode == 2
    assert "JSON" in bad_json.stderr and "no-such-case" in no_case.stderr
    assert run_json(desk.env, "case", "show", desk.case)["history_length"] == before


def test_case_show_gives_the_case_view_by_id_or_number(desk: Desk) -> None:
    """`case show --json` prints the contract's case view, found by id and by case number."""
    view = run_json(desk.env, "case", "show", desk.case)
    assert VIEW_KEYS <= set(view)
    assert (view["id"], view["state"], view["sector"]) == (desk.case, "investigating",
                                                           "fireworks")
    assert view["party"] == {"kind": "organisation", "name": "衡山县红火烟花经营部"}
    assert view["history_length"] == 4
    assert view["number"].startswith("衡山应急立〔") and view["number"].endswith("〕1号")
    assert [d["kind"] for d in view["documents"]] == ["案件来源登记表", "立案审批表"]
    assert view["deadlines"]["decision"]["status"] == "open"
    assert run_json(desk.env, "case", "show", view["number"]) == view
    text = run(desk.env, "case", "show", desk.case)
    assert text.returncode == 0 and view["number"] in text.stdout


def test_case_list_shows_cases_filtered_by_state(desk: Desk) -> None:
    """`case list --json` lists the case; --state filters by state."""
    rows = run_json(desk.env, "case", "list")
    assert [(r["id"], r["state"], r["party"]) for r in rows] == [
        (desk.case, "investigating", "衡山县红火烟花经营部")]
    assert run_json(desk.env, "case", "list", "--state", "closed") == []
    assert [r["id"] for r in run_json(desk.env, "case", "list", "--state",
                                      "investigating")] == [desk.case]


def test_case_history_lists_every_attempt_in_a_linked_chain(desk: Desk) -> None:
    """`case history --json` shows accepted and refused attempts, each linked to the one before."""
    entries = run_json(desk.env, "case", "history", desk.case)
    assert [(e["seq"], e["action"], e["result"], e["codes"]) for e in entries] == [
        (1, "register", "ok", []), (2, "file", "refused", ["forbidden_role"]),
        (3, "file", "ok", []), (4, "record", "refused", ["stale_version"])]
    assert [e["actor"] for e in entries] == ["zhang", "zhang", "zhao", "zhang"]
    assert entries[0]["prev_hash"] is None
    assert all(e["prev_hash"] == p["hash"] for p, e in pairwise(entries))


def test_deadlines_lists_the_decision_deadline_of_a_filed_case(desk: Desk) -> None:
    """`deadlines --json` shows the open decision deadline within its horizon, not before."""
    view = run_json(desk.env, "case", "show", desk.case)
    rows = run_json(desk.env, "deadlines", "--within", "120")
    assert [(r["case_id"], r["kind"], r["due"], r["status"]) for r in rows] == [
        (desk.case, "decision", view["deadlines"]["decision"]["due"], "open")]
    assert run_json(desk.env, "deadlines", "--within", "14") == []


def test_audit_verify_passes_on_an_untouched_database(desk: Desk) -> None:
    """`audit verify` exits 0 and reports the chains and entries it checked."""
    done = run(desk.env, "audit", "verify")
    assert done.returncode == 0, done.stdout
    assert "verified" in done.stdout


def test_documents_and_case_dossier_render_and_print_the_stored_case_file(
        tmp_path: Path) -> None:
    """After a replay into a data directory, `casefiles documents` renders every issued
    document, `case dossier` prints the 案卷's path, and a case not archived is refused."""
    scenario = Path(__file__).parent / "data" / "signs_2026.yaml"  # a case of today
    env = cli_env(CASEFILES_DATA_DIR=str(tmp_path))
    url = f"sqlite:///{tmp_path / 'casefiles.db'}"
    replayed = run(env, "replay", str(scenario), "--db", url)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    rendered = run(env, "documents")
    assert rendered.returncode == 0 and "0 failed" in rendered.stdout, rendered.stdout
    assert int(rendered.stdout.split("documents: ")[1].split(" rendered")[0]) >= 8
    shown = run(env, "case", "dossier", "衡山应急立〔2026〕1号")
    assert shown.returncode == 0, shown.stderr
    path = Path(shown.stdout.strip())
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert tmp_path in path.parents
    again = run(env, "documents")
    assert "0 rendered" in again.stdout
    register = {"source": "inspection", "sector": "fireworks",
                "party": {"kind": "organisation", "name": "衡山县红火烟花经营部",
                          "credit_code": "91430423MA4R8F1R00", "address": "衡山县开云镇"},
                "summary": "超范围储存烟花爆竹",
                "violation_date": recent_violation(datetime.now(SHANGHAI))}
    run(env, "people", "add", "zhang", "--name", "张伟", "--role", "officer")
    made = run_json(env, "act", "new", "register", "--by", "zhang",
                    "--with", json.dumps(register, ensure_ascii=False))
    refused = run(env, "case", "dossier", made["case"])
    assert refused.returncode == 2
    assert "尚未归档" in refused.stderr and "not archived" in refused.stderr
