"""The law in force on each date (SPEC §5): which rule set judges what, at each boundary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casefiles.domain.engine import rules_for
from casefiles.domain.policy import load_profile

PROFILE = load_profile(Path(__file__).resolve().parents[2] / "policies", "hengshan")
TODAY = date(2026, 12, 4)


def _ids(data: dict[str, str], today: date = TODAY, drill: str | None = None
         ) -> tuple[str, str, list[tuple[str, str | None]]]:
    sets, refusals = rules_for(PROFILE, None, data, today, drill)
    return sets.law.id, sets.procedure.id, [(r.code, r.field) for r in refusals]


def test_a_violation_before_1_september_2021_is_refused_naming_the_supported_period() -> None:
    """2021-08-31 lies before every rule set: invalid_input on violation_date, saying from when."""
    _sets, refusals = rules_for(PROFILE, None, {"violation_date": "2021-08-31"}, TODAY)
    assert [(r.code, r.field) for r in refusals] == [("invalid_input", "violation_date")]
    assert "2021年9月1日" in refusals[0].zh and "2021-09-01" in refusals[0].en


def test_a_violation_on_1_september_2021_is_judged_by_hengshan_2021() -> None:
    """The first day of the 2021 laws (WSL 2021 in force) is covered."""
    assert _ids({"violation_date": "2021-09-01"}) == ("hengshan-2021", "hengshan-2026", [])


def test_a_continuing_violation_follows_the_day_it_ended() -> None:
    """Begun 2021-08-20 and ended 2021-09-05: judged by the law of its end (APL art. 37)."""
    data = {"violation_date": "2021-08-20", "violation_ended": "2021-09-05"}
    assert _ids(data) == ("hengshan-2021", "hengshan-2026", [])
    ended_before = {"violation_date": "2021-08-01", "violation_ended": "2021-08-31"}
    assert _ids(ended_before)[2] == [("invalid_input", "violation_ended")]


def test_substance_follows_the_violation_and_procedure_the_act_across_1_february_2026() -> None:
    """A violation of 31 January 2026 keeps the 2021 catalogue; an act of 1 February 2026 is
    judged by the procedure of 令第18号 (hengshan-2026); one day earlier by hengshan-2021."""
    assert _ids({"violation_date": "2026-01-31"}, date(2026, 2, 1)) == \
        ("hengshan-2021", "hengshan-2026", [])
    assert _ids({"violation_date": "2026-01-31"}, date(2026, 1, 31)) == \
        ("hengshan-2021", "hengshan-2021", [])
    assert _ids({"violation_date": "2026-02-01"}, date(2026, 2, 1)) == \
        ("hengshan-2026", "hengshan-2026", [])


def test_an_act_before_1_september_2021_is_refused_outside_drills() -> None:
    """On a clock of 2021-08-31 nothing is judged by any rule set: refused, naming the period."""
    *_, refusals = _ids({"violation_date": "2021-08-30"}, date(2021, 8, 31))
    assert refusals == [("invalid_input", None)]
    assert _ids({"violation_date": "2021-09-01"}, date(2021, 9, 1))[2] == []


def test_a_drill_is_judged_by_its_rule_set_whatever_its_dates() -> None:
    """rules: hengshan-2021 judges a 2020 violation registered on a 2020 clock, law and procedure."""
    sets, refusals = rules_for(PROFILE, None, {"violation_date": "2020-05-20"}, date(2020, 6, 1),
                               "hengshan-2021")
    assert (sets.law.id, sets.procedure.id, sets.drill, refusals) == \
        ("hengshan-2021", "hengshan-2021", True, [])


def test_an_unreadable_violation_date_is_left_to_payload_validation() -> None:
    """An impossible date gives no rule-set refusal here; the payload check names it once."""
    assert _ids({"violation_date": "2020-02-30"})[2] == []


def test_reconsideration_bodies_change_on_1_january_2024() -> None:
    """Until 2023-12-31 the county government or the city bureau; from 2024-01-01 the county
    government only (行政复议法 2023, art. 24)."""
    assert PROFILE.bodies_on(date(2023, 12, 31)) == ("衡山县人民政府", "衡阳市应急管理局")
    assert PROFILE.bodies_on(date(2024, 1, 1)) == ("衡山县人民政府",)


def test_each_rule_set_has_a_content_hash_that_changes_with_its_content() -> None:
    """The SHA-256 recorded with every history entry tells the two rule sets apart."""
    first, second = PROFILE.rule_sets
    assert len(first.sha256) == 64 and first.sha256 != second.sha256
    assert first.sha256 == load_profile(Path(__file__).resolve().parents[2] / "policies",
                                        "hengshan").rule_sets[0].sha256


def test_no_template_writes_an_article_number_of_its_own() -> None:
    """SPEC §5: every article a document cites comes from the rule set of the act's date."""
    import re

    templates = Path(__file__).resolve().parents[2] / "templates" / "documents"
    article = re.compile(r"第[一二三四五六七八九十百零〇\d]+条|法》第")
    offending = {p.name: article.findall(p.read_text(encoding="utf-8"))
                 for p in templates.glob("*.html")}
    assert {name: found for name, found in offending.items() if found} == {}


def test_every_rule_set_supplies_every_citation_the_documents_print() -> None:
    """The documents' citation keys are all present, and differ by date where the law does:
    the procedure of hengshan-2026 is 令第18号."""
    first, second = PROFILE.rule_sets
    assert set(first.citations) == set(second.citations)
    assert "应急管理部令第18号" in second.citations["procedure"]
    assert "第18号" not in first.citations["procedure"]
