"""The period report (SPEC §7) over tests/scenarios/half_year_report.yaml: every figure of the
first and the second half of 2026, by sector and in total, against a count by hand that names
the event feeding it; drills and complaints; the CLI's JSON and CSV."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from casefiles.clock import SimulatedClock
from casefiles.domain.model import Person
from casefiles.replay import load, run
from casefiles.services import complaints as C
from casefiles.services.app import Casefiles
from casefiles.services.report import jsonable_report, period_report
from casefiles.settings import Settings
from tests.support import CASEFILES, cli_env, moment

SCENARIO = Path(__file__).parents[1] / "scenarios" / "half_year_report.yaml"
H1 = (date(2026, 1, 1), date(2026, 6, 30))
H2 = (date(2026, 7, 1), date(2026, 12, 31))

# the object of SCENARIOS.md "Report" for one sector, every figure zero
ZERO: dict[str, Any] = {
    "inspections": 0, "units_inspected": 0,
    "hazards": {"found": 0, "major": 0, "rectified": 0}, "orders": 0, "measures": 0,
    "rechecks": 0, "cases": {"registered": 0, "filed": 0, "decided": 0, "closed": 0},
    "penalties": {"warning": 0, "fine": 0, "confiscation": 0, "suspension": 0, "revocation": 0},
    "fines": {"decided": 0, "collected": 0, "surcharge_collected": 0},
    "hearings": 0, "reviews": {"passed": 0, "returned": 0}, "discussions": 0,
    "complaints": {"registered": 0, "dismissed": 0},
    "reconsiderations": {"filed": 0, "upheld": 0, "changed": 0, "revoked": 0},
    "lawsuits": {"filed": 0, "upheld": 0, "changed": 0, "revoked": 0},
    "deadlines": {"met": 0, "missed": 0},
}
SECTORS = ("non_coal_mine", "hazardous_chemicals", "fireworks", "industry_trade", "other")


def _figures(**given: Any) -> dict[str, Any]:
    """ZERO with the figures given (nested ones as dicts of their own keys)."""
    out = copy.deepcopy(ZERO)
    for key, value in given.items():
        if isinstance(value, dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def _sum(*sectors: dict[str, Any]) -> dict[str, Any]:
    total = copy.deepcopy(ZERO)
    for s in sectors:
        for key, value in s.items():
            if isinstance(value, dict):
                for k, v in value.items():
                    total[key][k] += v
            else:
                total[key] += value
    return total


# --- first half-year, counted by hand --------------------------------------------------------
H1_MINE = _figures(
    inspections=1,                     # inspect mine, 2 March
    units_inspected=1,                 # 衡山县东岭石料有限公司
    hazards={"found": 3,               # h1, h2, h3 found on 2 March
             "major": 1,               # h2 (level major)
             "rectified": 3},          # h3 on the spot (2 March); h1, h2 at the recheck of 23 March
    orders=1,                          # order of 2 March
    measures=1,                        # measures of 2 March (m1, stop_use)
    rechecks=1,                        # recheck of 23 March
    cases={"registered": 1,            # register mine, 24 March
           "filed": 1,                 # file, 24 March
           "decided": 1,               # decide, 30 March
           "closed": 1},               # close, 13 April
    penalties={"fine": 1},             # the decision of 30 March: a fine
    fines={"decided": 5000,            # decide, 30 March: 5,000 yuan
           "collected": 5000},         # pay 5,000 on 10 April (due 15 April: no surcharge)
    lawsuits={"filed": 1},             # appeal (lawsuit) filed on 6 May
    # inspection: rectification (done 20 March, due 20 March), recheck (23 March);
    # case: decision (30 March), service (31 March), publication (31 March), payment (10 April)
    deadlines={"met": 6},
)
H1_SHOP = _figures(
    inspections=1,                     # inspect shop, 11 May
    units_inspected=1,                 # 衡山县白果镇红火烟花爆竹零售店
    hazards={"found": 1},              # h1; the recheck of 25 May found it unrectified
    orders=1,                          # order of 11 May
    rechecks=1,                        # recheck of 25 May
    cases={"registered": 1,            # register shop, 26 May
           "filed": 1,                 # file, 26 May
           "decided": 1},              # decide, 19 June (closed in July: second half)
    penalties={"fine": 1},             # the decision of 19 June: a fine
    fines={"decided": 60000},          # decide, 19 June: 60,000 yuan (paid in July)
    hearings=1,                        # hold_hearing, 9 June (attended)
    reviews={"passed": 1},             # review pass, 11 June
    discussions=1,                     # discuss, 12 June
    # met: recheck (25 May), decision (19 June), service (22 June), publication (22 June);
    # missed: rectification (due 22 May, unrectified at the recheck)
    deadlines={"met": 4, "missed": 1},
)
H1_WORKSHOP = _figures(cases={"registered": 1})  # register workshop, 6 May (declined 7 May)

# --- second half-year, counted by hand -------------------------------------------------------
H2_MINE = _figures(
    inspections=1,                     # inspect mine_again, 3 August (no hazard)
    units_inspected=1,                 # the same mine
    lawsuits={"revoked": 1},           # the court's judgment of 20 August revokes the decision
    deadlines={"met": 1},              # withdrawal of the publication, 21 August (due 26 August)
)
H2_SHOP = _figures(
    cases={"closed": 1},               # close, 10 July
    fines={"collected": 60000},        # pay 60,000 on 6 July: decided in June, collected in July
    reconsiderations={"filed": 1,      # appeal (reconsideration) filed on 20 July
                      "upheld": 1},    # upheld on 15 September
    deadlines={"met": 1},              # payment (6 July, due 7 July)
)


def _report_of(by_sector: dict[str, dict[str, Any]], period: tuple[date, date]
               ) -> dict[str, Any]:
    sectors = {s: by_sector.get(s, copy.deepcopy(ZERO)) for s in SECTORS}
    return {"from": period[0].isoformat(), "to": period[1].isoformat(), "sectors": sectors,
            "total": _sum(*sectors.values())}


EXPECTED_H1 = _report_of({"non_coal_mine": H1_MINE, "fireworks": H1_SHOP,
                          "industry_trade": H1_WORKSHOP}, H1)
EXPECTED_H2 = _report_of({"non_coal_mine": H2_MINE, "fireworks": H2_SHOP}, H2)


def _replayed(url: str) -> Casefiles:
    scenario = load(SCENARIO)
    unmet = [r.line for r in run(SCENARIO, scenario, url) if not r.line["met"]]
    assert unmet == []
    return Casefiles(Settings(), SimulatedClock(moment("2026-12-31")), url)


@pytest.fixture
def replayed(db_url: str) -> Casefiles:
    return _replayed(db_url)


def test_every_figure_of_each_half_year_is_the_count_by_hand(replayed: Casefiles) -> None:
    """H1 and H2 of 2026: each sector, zeros included, and the total."""
    assert period_report(replayed, *H1) == EXPECTED_H1
    assert period_report(replayed, *H2) == EXPECTED_H2


def test_the_year_counts_each_unit_once_and_each_event_once(replayed: Casefiles) -> None:
    """Over the whole year the mine was inspected twice but is one unit; every other figure
    is the sum of the two halves (each event falls in exactly one of them)."""
    year = period_report(replayed, H1[0], H2[1])
    mine = year["sectors"]["non_coal_mine"]
    assert (mine["inspections"], mine["units_inspected"]) == (2, 1)
    halves = _sum(EXPECTED_H1["total"], EXPECTED_H2["total"])
    halves["units_inspected"] -= 1
    assert year["total"] == halves


def test_a_period_of_one_day_counts_that_days_events_only(replayed: Casefiles) -> None:
    """6 July 2026: only the shop's payment (collected, and its payment deadline met)."""
    day = period_report(replayed, date(2026, 7, 6), date(2026, 7, 6))
    assert day["total"] == _figures(fines={"collected": 60000}, deadlines={"met": 1})


def test_amounts_are_exact_yuan_and_json_writes_them_as_numbers(replayed: Casefiles) -> None:
    """The report carries amounts as Decimal yuan with fen (never a float), which jsonable_report
    writes as SCENARIOS.md's JSON numbers: an integer when whole, else with its fen."""
    fines = period_report(replayed, *H1)["total"]["fines"]
    assert {k: str(v) for k, v in fines.items()} == {
        "decided": "65000.00", "collected": "5000.00", "surcharge_collected": "0.00"}
    assert all(type(v) is Decimal for v in fines.values())
    assert jsonable_report({"total": {"fines": fines}}) == {"total": {"fines": {
        "decided": 65000, "collected": 5000, "surcharge_collected": 0}}}
    assert json.dumps(jsonable_report({"fines": {"decided": Decimal("8000.50")}, "orders": 3})) == \
        '{"fines": {"decided": 8000.5}, "orders": 3}'


def test_drills_are_left_out_unless_included(tmp_path: Path) -> None:
    """The same scenario replayed as a drill (its cases and inspections marked 演练) counts
    nothing, and everything with include_drills."""
    url = f"sqlite:///{tmp_path / 'drill.db'}"
    scenario = load(SCENARIO)
    drill = scenario.model_copy(update={"rules": "hengshan-2021"})
    assert all(r.line["met"] for r in run(SCENARIO, drill, url))
    cf = Casefiles(Settings(), SimulatedClock(moment("2026-12-31")), url)
    assert period_report(cf, *H1)["total"] == ZERO
    assert period_report(cf, *H1, include_drills=True) == EXPECTED_H1


def test_complaints_registered_as_cases_and_dismissed_count_on_the_day_handled(
        tmp_path: Path) -> None:
    """A complaint registered as a fireworks case counts in fireworks; one dismissed counts in
    the sector its complainant chose (其他 when none), on the day it was handled."""
    clock = SimulatedClock(moment("2026-06-29T09:00"))
    cf = Casefiles(Settings(), clock, f"sqlite:///{tmp_path / 'c.db'}")
    cf.init()
    officer = Person(id="zhang", name="张伟", roles=["officer"], certificate="湘0401001")
    cf.put_person(officer)
    fields = {"subject": "无证储存烟花爆竹", "content": "某店后院堆放大量烟花", "sector": None}
    first = C.submit(cf, fields, "a")
    second = C.submit(cf, {**fields, "sector": "industry_trade"}, "b")
    third = C.submit(cf, fields, "c")
    clock.set(moment("2026-06-30T10:00"))
    outcome = C.register_complaint(cf, officer, first, {
        "source": "complaint", "sector": "fireworks", "summary": "无证储存烟花爆竹",
        "violation_date": "2026-06-29",
        "party": {"kind": "organisation", "name": "衡山县白果镇红火烟花爆竹零售店",
                  "credit_code": "92430423MA4R2W8J36", "address": "衡山县白果镇晓岚港社区"}})
    assert outcome.ok, outcome.message
    assert C.dismiss(cf, officer, second, "经核查不属实")
    clock.set(moment("2026-07-01T10:00"))
    assert C.dismiss(cf, officer, third, "重复举报")
    h1, h2 = period_report(cf, *H1)["sectors"], period_report(cf, *H2)["sectors"]
    assert h1["fireworks"]["complaints"] == {"registered": 1, "dismissed": 0}
    assert h1["fireworks"]["cases"]["registered"] == 1
    assert h1["industry_trade"]["complaints"] == {"registered": 0, "dismissed": 1}
    assert h2["other"]["complaints"] == {"registered": 0, "dismissed": 1}


def test_the_cli_prints_the_report_as_json_and_as_csv(tmp_path: Path) -> None:
    """`casefiles report --json` prints the object; `--csv` one row per sector and 合计."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    _replayed(url).engine.dispose()

    def report(*args: str) -> str:
        done = subprocess.run([CASEFILES, "report", "--from", "2026-01-01", "--to",
                               "2026-06-30", "--db", url, *args], capture_output=True,
                              text=True, env=cli_env(), timeout=120, check=True)
        return done.stdout

    printed = report("--json")
    assert json.loads(printed) == EXPECTED_H1
    assert '"fines": {"decided": 5000, "collected": 5000, "surcharge_collected": 0}' in printed
    rows = list(csv.reader(io.StringIO(report("--csv"))))
    assert rows[0][:3] == ["行业领域", "检查次数", "检查单位数"]
    assert [r[0] for r in rows[1:]] == ["非煤矿山", "危险化学品", "烟花爆竹", "工贸", "其他", "合计"]
    mine = dict(zip(rows[0], rows[1], strict=True))
    assert (mine["发现隐患"], mine["罚款决定金额（元）"], mine["行政诉讼（件）"]) == \
        ("3", "5000.00", "1")
    assert mine["加处罚款收缴金额（元）"] == "0.00"
    far = subprocess.run([CASEFILES, "report", "--from", "2026-01-01", "--to", "9999-12-31",
                          "--db", url, "--json"], capture_output=True, text=True, env=cli_env(),
                         timeout=120, check=False)
    assert far.returncode == 2 and "统计期间应在2000年至2099年之间" in far.stderr


INSPECTION_KEYS = ("inspections", "units_inspected", "hazards", "orders", "measures", "rechecks")


def test_migration_0015_counts_the_inspections_already_held(db_url: str) -> None:
    """A database of 0012 (inspections without report events) upgraded to 0015 reports the
    inspections it held: the migration derives their events."""
    from alembic import command

    from casefiles.adapters.db import alembic_config

    cf = _replayed(db_url)
    cf.engine.dispose()
    command.downgrade(alembic_config(db_url), "0012")
    command.upgrade(alembic_config(db_url), "head")
    sectors = period_report(cf, *H1)["sectors"]
    for name, expected in EXPECTED_H1["sectors"].items():
        assert {k: sectors[name][k] for k in INSPECTION_KEYS} == \
            {k: expected[k] for k in INSPECTION_KEYS}, name
