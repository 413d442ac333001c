"""Document numbers (衡山应急罚〔2020〕N号) run per kind and year without gaps or duplicates."""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from datetime import datetime, timedelta

import pytest

from casefiles.domain.documents import DOSSIER
from casefiles.domain.timefmt import SHANGHAI
from tests.support import (
    CASEFILES,
    SMALL_FINE,
    act,
    cli_env,
    open_bureau,
    play,
    recent_violation,
    register,
    until,
)

NUMBER = re.compile(r"^衡山应急(?P<kind>[^〔]+)〔(?P<year>\d{4})〕(?P<n>\d+)号$")


def _numbers(views: list[dict[str, object]]) -> dict[tuple[str, int], list[int]]:
    """Every document number of the cases, as (kind word, year) → sorted numbers."""
    found: dict[tuple[str, int], list[int]] = defaultdict(list)
    for view in views:
        for doc in view["documents"]:  # type: ignore[attr-defined]
            if doc["kind"] == DOSSIER:
                continue  # the case file carries the case's own (filing) number
            m = NUMBER.match(doc["number"])
            assert m, doc["number"]
            found[(m["kind"], int(m["year"]))].append(int(m["n"]))
    return {k: sorted(v) for k, v in found.items()}


def _shifted(steps: list, days: int) -> list:
    """``steps`` with every step's time ``days`` later."""
    return [((datetime.fromisoformat(at) + timedelta(days=days)).isoformat(), by, action, data)
            for at, by, action, data in steps]


def test_numbers_of_interleaved_cases_have_no_gaps_or_duplicates(db_url: str) -> None:
    """Three cases worked side by side, with refused decisions between, number 1, 2, 3 per kind."""
    cf, clock = open_bureau(db_url)
    cases: list[str | None] = [None, None, None]
    for at, by, action, payload in SMALL_FINE:
        for i, case in enumerate(cases):
            if action == "decide":
                heavier = act(cf, clock, at, by, "decide", case, {
                    "outcome": "penalty", "penalties": [{"type": "fine", "amount": 9000}]})
                assert heavier.code == "heavier_than_notified"
                officer = act(cf, clock, at, "newbie", "decide", case, payload)
                assert officer.code == "forbidden_role"
            outcome = act(cf, clock, at, by, action, case, payload)
            assert outcome.ok, (action, outcome.codes)
            cases[i] = outcome.case_id
    views = [cf.view(c) for c in cases if c]
    numbers = _numbers(views)
    assert set(numbers) == {(k, 2020) for k in ("案源", "立", "检", "调", "告", "呈批", "罚", "送",
                                                "结")}
    # each case's notice and decision are served with a receipt each: six 送 numbers
    assert all(ns == list(range(1, 7 if word == "送" else 4))
               for (word, _), ns in numbers.items()), numbers
    assert sorted(v["number"] for v in views) == [f"衡山应急立〔2020〕{n}号" for n in (1, 2, 3)]
    assert sorted(v["decision"]["number"] for v in views) == [  # type: ignore[index]
        f"衡山应急罚〔2020〕{n}号" for n in (1, 2, 3)]

    next_year = play(cf, clock, _shifted(until(SMALL_FINE, "decide"), 216))
    assert cf.view(next_year)["decision"]["number"] == "衡山应急罚〔2021〕1号"


def test_decisions_taken_at_once_in_several_processes_get_consecutive_numbers(
        db_url: str) -> None:
    """Three `casefiles act ... decide` processes at once take 罚 numbers 1, 2 and 3."""
    now = datetime.now(SHANGHAI)
    cf, clock = open_bureau(db_url, start=now - timedelta(minutes=5))
    violated = recent_violation(now)
    steps = [(now.isoformat(), by, action, data) for _, by, action, data in
             until(SMALL_FINE, "defend")]
    steps[0] = (now.isoformat(), "zhang", "register", register(violation_date=violated))
    cases = [play(cf, clock, steps) for _ in range(3)]
    env = cli_env(CASEFILES_DATABASE_URL=db_url)
    procs = [subprocess.Popen([CASEFILES, "act", case, "decide", "--by", "zhao", "--json",
                               "--with", '{"outcome": "penalty"}'],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for case in cases]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, out + err
        assert json.loads(out)["state"] == "decided"
    year = now.year
    numbers = _numbers([cf.view(c) for c in cases])
    assert numbers[("罚", year)] == [1, 2, 3]
    assert all(ns == [1, 2, 3] for ns in numbers.values()), numbers


@pytest.mark.parametrize("outcome", ["no_penalty", "transfer"])
def test_a_decision_without_penalty_is_accepted_and_numbered(db_url: str, outcome: str) -> None:
    """A no-penalty or transfer (移送司法机关) decision is made, numbered and recorded."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "record"))
    assert act(cf, clock, "2020-06-08T09:00", "zhang", "propose", case_id, {
        "violations": [{"code": "WSL-97-4", "tier": "一般", "facts": "未培训"}],
        "outcome": outcome}).ok
    decided = act(cf, clock, "2020-06-08T10:00", "zhao", "decide", case_id, {"outcome": outcome})
    assert (decided.result, decided.state) == ("ok", "decided"), decided.message
    view = cf.view(case_id)
    assert view["decision"]["outcome"] == outcome
    assert NUMBER.match(view["decision"]["number"])
    assert view["decision"]["number"] in [d["number"] for d in view["documents"]]
    assert cf.history(case_id)[-1].result == "ok"
