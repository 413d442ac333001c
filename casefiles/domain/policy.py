"""Rule data of a profile (SPEC §3), loaded once from ``policies/`` into frozen, validated objects.

Every number carries its legal source; every rule set carries the violation dates it applies to.
A malformed file stops start-up with a :class:`PolicyError` naming the file and the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casefiles.domain.documents import ISSUED_KINDS
from casefiles.domain.errors import CalendarError, PolicyError
from casefiles.domain.workdays import WorkCalendar, YearCalendar
from casefiles.domain.yamltext import load_yaml

TIERS: tuple[str, ...] = ("轻微", "一般", "较重", "严重")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Number(_Frozen):
    """A number of days, months, years, yuan or people, with where it comes from."""

    value: int = Field(ge=0)
    source: str = Field(min_length=1)


class YuanRange(_Frozen):
    """An inclusive range of yuan."""

    min: Decimal = Field(ge=0)
    max: Decimal = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> YuanRange:
        if self.max < self.min:
            raise ValueError("max is below min")
        return self

    def contains(self, yuan: Decimal) -> bool:
        """Both ends included."""
        return self.min <= yuan <= self.max


class Provision(_Frozen):
    """One provision of the catalogue: what it punishes, its statutory range, its tiers."""

    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    target: Literal["unit", "person"]
    penalties: tuple[Literal["warning", "fine", "confiscation", "suspension", "revocation",
                             "closure"], ...]
    range: YuanRange
    source: str = Field(min_length=1)
    breached: str = Field(min_length=1)
    tiers: dict[str, YuanRange] | None = None
    tiers_source: str | None = None

    @model_validator(mode="after")
    def _tiers_named(self) -> Provision:
        for name in self.tiers or {}:
            if name not in TIERS:
                raise ValueError(f"tier {name!r} is not one of {', '.join(TIERS)}")
        if self.tiers and not self.tiers_source:
            raise ValueError("tiers need tiers_source")
        return self


class HearingThreshold(_Frozen):
    """APL art. 63 较大数额: a fine (or confiscation) total at or above this is hearing-eligible."""

    individual: Decimal = Field(gt=0)
    organisation: Decimal = Field(gt=0)
    source: str = Field(min_length=1)


class Surcharge(_Frozen):
    """APL art. 72 加处罚款: a daily rate of the fine, capped at the fine."""

    daily_rate: Decimal = Field(gt=0, lt=1)
    source: str = Field(min_length=1)


class CatalogueEntry(_Frozen):
    """One line of the catalogue of major decisions (重大执法决定目录)."""

    when: Literal["hearing_eligible", "after_hearing", "no_penalty_or_transfer_when_eligible"]
    source: str = Field(min_length=1)


class CollectiveDiscussion(_Frozen):
    """When a collective discussion (集体讨论) must precede the decision."""

    when: Literal["legal_review_required", "never"]
    min_attendees: Number


class Applies(_Frozen):
    """The violation dates a rule set applies to, both ends included; None is open."""

    violations_from: date | None = None
    violations_until: date | None = None

    def covers(self, day: date) -> bool:
        """Whether a violation on ``day`` is judged by this rule set."""
        if self.violations_from and day < self.violations_from:
            return False
        return not (self.violations_until and day > self.violations_until)


class RuleSet(_Frozen):
    """The numbers and catalogues that judge violations in one date range."""

    id: str
    title: str
    applies: Applies
    min_investigators: Number
    min_evidence_officers: Number
    limitation_years: Number
    limitation_years_harm: Number
    defence_window_working_days: Number
    hearing_request_working_days: Number
    hearing_notice_working_days: Number
    decision_days: Number
    service_working_days: Number
    publication_working_days: Number
    withdrawal_working_days: Number
    payment_days: Number
    reconsideration_days: Number
    lawsuit_months: Number
    enforcement_window_months: Number
    reminder_working_days: Number
    preservation_working_days: Number
    hearing_threshold: HearingThreshold
    surcharge: Surcharge
    major_decisions: tuple[CatalogueEntry, ...]
    collective_discussion: CollectiveDiscussion
    provisions: tuple[Provision, ...]

    @model_validator(mode="after")
    def _unique_codes(self) -> RuleSet:
        codes = [p.code for p in self.provisions]
        dup = {c for c in codes if codes.count(c) > 1}
        if dup:
            raise ValueError(f"provision codes repeated: {', '.join(sorted(dup))}")
        return self

    def provision(self, code: str) -> Provision | None:
        """The catalogue entry for ``code``, if any."""
        try:
            return self._provisions_by_code.get(code)
        except TypeError:  # an unhashable code names no provision
            return None

    def major_when(self, condition: str) -> bool:
        """Whether the catalogue of major decisions lists ``condition``."""
        try:
            return condition in self._major_conditions
        except TypeError:
            return False

    @cached_property
    def _provisions_by_code(self) -> dict[str, Provision]:
        # codes are unique (checked above); the rule set is frozen
        return {p.code: p for p in self.provisions}

    @cached_property
    def _major_conditions(self) -> frozenset[str]:
        return frozenset(e.when for e in self.major_decisions)


class Agency(_Frozen):
    """The bureau, and the bodies a decision names for reconsideration and lawsuit."""

    name: str
    number_prefix: str
    reconsideration_bodies: tuple[str, ...]
    court: str
    public_security: str = Field(min_length=1)
    address: str = Field(min_length=1)
    payment_place: str = Field(min_length=1)
    complaint_phone: str = Field(min_length=1)
    source: str


class Archive(_Frozen):
    """How long the case file (案卷) is kept: major decisions longer than the rest."""

    retention_major: str = Field(min_length=1)
    retention_ordinary: str = Field(min_length=1)
    source: str = Field(min_length=1)


class Profile(_Frozen):
    """A bureau's whole policy: its agency, document kinds, archive and dated rule sets."""

    profile: str
    agency: Agency
    archive: Archive
    document_kinds: dict[str, str]
    rule_sets: tuple[RuleSet, ...]

    @model_validator(mode="after")
    def _every_document_numbered(self) -> Profile:
        missing = [k for k in ISSUED_KINDS if k not in self.document_kinds]
        if missing:
            raise ValueError(f"document_kinds lacks {', '.join(missing)}")
        return self

    def rule_set_for(self, violation_day: date) -> RuleSet | None:
        """The rule set that judges a violation committed on ``violation_day``."""
        return next((r for r in self.rule_sets if r.applies.covers(violation_day)), None)

    def rule_set(self, rule_set_id: str) -> RuleSet:
        """The rule set with this id (a case keeps the one chosen at registration)."""
        for r in self.rule_sets:
            if r.id == rule_set_id:
                return r
        raise PolicyError(f"profile {self.profile} has no rule set {rule_set_id}")


M = TypeVar("M", bound=BaseModel)


def _field_path(err: Any) -> str:
    return ".".join(str(p) for p in err["loc"]) or "(top level)"


def _read_yaml(path: Path) -> object:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"{path}: 文件不存在 / file not found") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: YAML 格式错误 / not valid YAML: {exc}") from exc


def _validated(model: type[M], path: Path, error: type[Exception]) -> M:
    """``path``'s YAML as ``model``, or ``error`` naming the file and the first bad field."""
    data = _read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _field_path(first)
        raise error(f"{path}: 字段 {where} 有误 / field {where}: {first['msg']}") from exc


def load_profile(policies_dir: Path, name: str) -> Profile:
    """Read ``policies_dir/NAME.yaml``; raise :class:`PolicyError` naming file and field."""
    path = policies_dir / f"{name}.yaml"
    profile = _validated(Profile, path, PolicyError)
    if profile.profile != name:
        raise PolicyError(f"{path}: field profile is {profile.profile!r}, expected {name!r}")
    return profile


class _YearFile(_Frozen):
    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=1)
    holidays: tuple[date, ...]
    workdays: tuple[date, ...] = ()


def load_calendar(policies_dir: Path) -> WorkCalendar:
    """A working-day calendar with the years in ``policies_dir/calendars/*.yaml`` added."""
    years: dict[int, YearCalendar] = {}
    for path in sorted((policies_dir / "calendars").glob("*.yaml")):
        parsed = _validated(_YearFile, path, CalendarError)
        for day in (*parsed.holidays, *parsed.workdays):
            if day.year != parsed.year:
                raise CalendarError(f"{path}: field holidays/workdays: {day} is not in "
                                    f"{parsed.year}")
        years[parsed.year] = YearCalendar(
            parsed.year, parsed.source, frozenset(parsed.holidays), frozenset(parsed.workdays)
        )
    return WorkCalendar(years)
