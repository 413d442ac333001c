"""Reading scenario files (SCENARIOS.md) into validated steps; an invalid file raises
:class:`ScenarioError` naming the file, the step and the field."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from casefiles.domain.errors import REFUSAL_CODES, ScenarioError
from casefiles.domain.inspections import ACTIONS as INSPECTION_ACTIONS
from casefiles.domain.payloads import PersonIn
from casefiles.domain.registry import ACTIONS
from casefiles.domain.timefmt import parse_datetime
from casefiles.domain.yamltext import load_yaml


class Step(BaseModel):
    """One action on the simulated clock, with what it should come to."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    at: datetime | None = None
    by: str = Field(min_length=1)
    do: str
    case: str | None = Field(default=None, min_length=1)
    inspection: str | None = Field(default=None, min_length=1)  # an inspection step (SPEC §6)
    with_: Any = Field(default=None, alias="with")
    expect: str | dict[str, Any] = "ok"

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, v: Any) -> datetime | None:
        return None if v is None else parse_datetime(v)

    @field_validator("do")
    @classmethod
    def _action(cls, v: str) -> str:
        if v not in ACTIONS and v not in INSPECTION_ACTIONS:
            raise ValueError(f"unknown action {v!r}")
        return v

    @model_validator(mode="after")
    def _one_target(self) -> Step:
        if self.do in INSPECTION_ACTIONS:
            if self.inspection is None or self.case is not None:
                raise ValueError(f"{self.do} names an inspection (inspection:), not a case")
        elif self.case is None or self.inspection is not None:
            raise ValueError(f"{self.do} names a case (case:)")
        return self

    @field_validator("expect")
    @classmethod
    def _expect(cls, v: str | dict[str, Any]) -> str | dict[str, Any]:
        if isinstance(v, dict):
            if set(v) != {"view"} or not isinstance(v["view"], dict):
                raise ValueError("a mapping expectation is {view: {...}}")
            return v
        if v in ("ok", "refused"):
            return v
        if v.startswith("refused:") and v.split(":", 1)[1] in REFUSAL_CODES:
            return v
        raise ValueError(f"expect is ok, refused, refused:<code> or {{view: ...}}, not {v!r}")


class Scenario(BaseModel):
    """A whole scenario file."""

    model_config = ConfigDict(extra="forbid")
    profile: str
    rules: str | None = Field(default=None, min_length=1)  # a drill's rule set (SPEC §5)
    start: datetime
    people: list[PersonIn] = []
    steps: list[Step]

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, v: Any) -> datetime:
        return parse_datetime(v)


def load(path: Path) -> Scenario:
    """Read and validate ``path``."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}") from exc
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            where = f"step {loc[1] + 1}, field {'.'.join(str(x) for x in loc[2:]) or '(step)'}"
        else:
            where = f"field {'.'.join(str(x) for x in loc) or '(top level)'}"
        raise ScenarioError(f"{path}: {where}: {err['msg']}") from exc
    moment = scenario.start
    for n, step in enumerate(scenario.steps, start=1):
        if step.at is not None:
            if step.at < moment:
                raise ScenarioError(f"{path}: step {n}, field at: the clock cannot go back "
                                    f"({step.at.isoformat()} is before {moment.isoformat()})")
            moment = step.at
    return scenario
