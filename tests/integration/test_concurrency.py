"""Optimistic concurrency between processes: `casefiles act --expect-version N` run at once."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta

from casefiles.domain.timefmt import SHANGHAI
from casefiles.services.audit import verify_all
from tests.support import CASEFILES, SHA_A, cli_env, open_bureau, play, recent_violation


def _contest(db_url: str, case_id: str, version: int, titles: list[str]) -> list[dict[str, object]]:
    """Start one `casefiles act ... record` process per title at once; their JSON and exits."""
    env = cli_env(CASEFILES_DATABASE_URL=db_url)
    procs = [subprocess.Popen(
        [CASEFILES, "act", case_id, "record", "--by", "zhang", "--json",
         "--expect-version", str(version),
         "--with", json.dumps({"kind": "document", "title": title, "officers": ["zhang", "li"],
                               "sha256": SHA_A}, ensure_ascii=False)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for title in titles]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert out.strip(), err
        results.append(json.loads(out) | {"exit": proc.returncode})
    return results


def test_two_processes_with_the_same_expected_version_let_exactly_one_through(
        db_url: str) -> None:
    """Of two actions sent at once against one version, one is accepted, one refused stale."""
    now = datetime.now(SHANGHAI)
    cf, clock = open_bureau(db_url, start=now - timedelta(minutes=5))
    case_id = play(cf, clock, [
        (now.isoformat(), "zhang", "register", {
            "source": "inspection", "sector": "fireworks",
            "party": {"kind": "organisation", "name": "衡山县红火烟花经营部",
                      "credit_code": "91430423MA4R8F1R00", "address": "衡山县开云镇"},
            "summary": "超范围储存烟花爆竹",
            "violation_date": recent_violation(now)}),
        (now.isoformat(), "zhao", "file", {"investigators": ["zhang", "li"], "cause": "超范围储存"}),
    ])
    for round_no in (1, 2):
        before = cf.view(case_id)
        results = _contest(db_url, case_id, before["version"],
                           [f"第{round_no}轮甲", f"第{round_no}轮乙"])
        assert sorted((r["result"], r["code"], r["exit"]) for r in results) == [
            ("ok", None, 0), ("refused", "stale_version", 1)]
        after = cf.view(case_id)
        assert after["version"] == before["version"] + 1
        assert after["history_length"] == before["history_length"] + 2
        assert len(after["evidence"]) == round_no
        tail = cf.history(case_id)[-2:]
        assert sorted((e.result, tuple(e.codes)) for e in tail) == [
            ("ok", ()), ("refused", ("stale_version",))]
    with cf.uow() as uow:
        assert verify_all(uow).breaks == []
    audit = subprocess.run([CASEFILES, "audit", "verify"], capture_output=True, text=True,
                           env=cli_env(CASEFILES_DATABASE_URL=db_url), timeout=60, check=False)
    assert audit.returncode == 0, audit.stdout + audit.stderr
