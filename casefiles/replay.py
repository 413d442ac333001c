"""`casefiles replay`: play scenario files through the service layer and compare each step
with its expectation (SCENARIOS.md)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from casefiles.clock import SimulatedClock
from casefiles.domain.errors import CaseNotFoundError, PolicyError, ScenarioError
from casefiles.domain.history import jsonable
from casefiles.domain.model import Person
from casefiles.domain.policy import load_profile
from casefiles.scenario import Scenario, Step
from casefiles.scenario import load as read_scenario
from casefiles.services.app import Casefiles, Outcome
from casefiles.settings import Settings


@dataclass
class StepResult:
    """One step line of the replay output."""

    line: dict[str, Any]

    @property
    def met(self) -> bool:
        """The step met its expectation."""
        return bool(self.line["met"])


def matches(expected: Any, actual: Any) -> bool:
    """SCENARIOS.md matching: mappings by listed keys, lists by distinct items in any order,
    numbers numerically, dates as ISO text."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and matches(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and _assign(expected, list(actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual or expected == actual
    if isinstance(expected, int | float | Decimal) and not isinstance(expected, bool):
        try:
            return actual is not None and Decimal(str(expected)) == Decimal(str(actual))
        except InvalidOperation:
            return False
    if isinstance(expected, datetime | date):
        return expected.isoformat() == actual or str(expected) == actual
    return bool(expected == actual)


def _assign(expected: list[Any], actual: list[Any]) -> bool:
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    for i, candidate in enumerate(actual):
        if matches(first, candidate) and _assign(rest, actual[:i] + actual[i + 1:]):
            return True
    return False


def _met(expect: str | dict[str, Any], outcome: Outcome) -> bool:
    if isinstance(expect, dict):
        return outcome.ok and outcome.view is not None and matches(expect["view"], outcome.view)
    if expect == "ok":
        return outcome.ok
    if expect == "refused":
        return not outcome.ok
    return not outcome.ok and outcome.code == expect.split(":", 1)[1]


def load(path: Path, settings: Settings | None = None) -> Scenario:
    """Read and validate ``path``; its ``rules:``, when given, must name a rule set of its
    profile (:class:`ScenarioError` naming the file and the field otherwise)."""
    scenario = read_scenario(path)
    if scenario.rules is not None:
        policies = (settings or Settings()).policies_dir
        try:
            load_profile(policies, scenario.profile).rule_set(scenario.rules)
        except PolicyError as exc:
            raise ScenarioError(f"{path}: field rules: 没有规则集{scenario.rules} / "
                                f"no such rule set ({exc})") from exc
    return scenario


def run(path: Path, scenario: Scenario, db_url: str | None,
        settings: Settings | None = None) -> Iterator[StepResult]:
    """Play ``scenario``; yield one result per step."""
    clock = SimulatedClock(scenario.start)
    base = (settings or Settings()).model_copy(update={"profile": scenario.profile})
    with tempfile.TemporaryDirectory(prefix="casefiles-replay-") as tmp:
        url = db_url or f"sqlite:///{Path(tmp) / 'replay.db'}"
        app = Casefiles(base, clock, url, drill=scenario.rules)
        app.init()
        for p in scenario.people:
            app.put_person(Person(id=p.id, name=p.name, roles=list(p.roles),
                                  certificate=p.certificate,
                                  legal_qualification=p.legal_qualification))
        cases: dict[str, str] = {}
        inspections: dict[str, str] = {}
        for n, step in enumerate(scenario.steps, start=1):
            if step.at is not None:
                clock.set(step.at)
            if step.inspection is not None:
                yield StepResult(_play_inspection(app, path, n, step, inspections))
            else:
                yield StepResult(_play(app, path, n, step, cases, inspections))
        app.engine.dispose()


def _play_inspection(app: Casefiles, path: Path, n: int, step: Step,
                     inspections: dict[str, str]) -> dict[str, Any]:
    from casefiles.services import inspections as S

    name = step.inspection or ""
    line: dict[str, Any] = {"file": str(path), "step": n, "do": step.do}
    expected = step.expect if isinstance(step.expect, str) else jsonable(step.expect)
    ref = None if step.do == "inspect" else inspections.get(name)
    if step.do != "inspect" and ref is None:
        line.update(inspection=None, result="error", code=None, codes=[],
                    message=f"检查{name}尚未记录 / inspection {name!r} was never recorded",
                    warnings=[], state=None, expected=expected, met=False)
        return line
    outcome = S.act(app, step.by, step.do, ref, step.with_)
    if step.do == "inspect" and outcome.ok and outcome.case_id:
        inspections[name] = outcome.case_id
    return _outcome_line(line, "inspection", outcome, step, expected)


def _outcome_line(line: dict[str, Any], target: str, outcome: Outcome, step: Step,
                  expected: Any) -> dict[str, Any]:
    """The step line of an action taken: its outcome against its expectation (``target``
    names the key of its case or inspection), with the view when a view was not met."""
    line.update({target: outcome.case_id}, result=outcome.result, code=outcome.code,
                codes=outcome.codes, message=outcome.message, warnings=outcome.warnings,
                state=outcome.state, expected=expected, met=_met(step.expect, outcome))
    if not line["met"] and isinstance(step.expect, dict) and outcome.view is not None:
        line["view"] = outcome.view
    return line


def _play(app: Casefiles, path: Path, n: int, step: Step, cases: dict[str, str],
          inspections: dict[str, str]) -> dict[str, Any]:
    line: dict[str, Any] = {"file": str(path), "step": n, "do": step.do}
    payload = step.with_
    if step.do == "register" and isinstance(payload, dict) and "inspection" in payload:
        # the file's name of the inspection, resolved to its id (SCENARIOS.md)
        payload = {**payload, "inspection": inspections.get(str(payload["inspection"]),
                                                             payload["inspection"])}
    expected = step.expect if isinstance(step.expect, str) else jsonable(step.expect)
    ref = None if step.do == "register" else cases.get(step.case or "")
    if step.do != "register" and ref is None:
        line.update(case=None, result="error", code=None, codes=[],
                    message=f"案件{step.case}尚未登记 / case {step.case!r} was never registered",
                    warnings=[], state=None, expected=expected, met=False)
        return line
    try:
        outcome = app.act_local(step.by, step.do, ref, payload)
    except CaseNotFoundError as exc:
        line.update(case=ref, result="error", code=None, codes=[], message=str(exc),
                    warnings=[], state=None, expected=expected, met=False)
        return line
    if step.do == "register" and outcome.ok and outcome.case_id and step.case:
        cases[step.case] = outcome.case_id
    return _outcome_line(line, "case", outcome, step, expected)


__all__ = ["StepResult", "load", "matches", "run"]
