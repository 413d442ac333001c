"""Rule data of a profile (SPEC §3, §5), loaded once from ``policies/`` into frozen, validated
objects.

Every number carries its legal source; every rule set carries the dates it is in force, for
violations (substantive rules) and for acts (procedure, and what documents cite). A figure that a
ministry measure or local practice sets says ``confirmed: false`` until the bureau's legal staff
confirm it (``confirmed_by``, ``confirmed_on``). A malformed file stops start-up with a
:class:`PolicyError` naming the file and the field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from casefiles.domain.documents import ISSUED_KINDS
from casefiles.domain.errors import CalendarError, PolicyError
from casefiles.domain.kinds import PenaltyType
from casefiles.domain.workdays import WorkCalendar, YearCalendar
from casefiles.domain.yamltext import load_yaml

TIERS: tuple[str, ...] = ("轻微", "一般", "较重", "严重")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Confirmable(_Frozen):
    """A figure that may await the bureau's confirmation (SPEC §5)."""

    source: str = Field(min_length=1)
    confirmed: bool = True
    confirmed_by: str | None = None
    confirmed_on: date | None = None

    @model_validator(mode="after")
    def _confirmation_complete(self) -> _Confirmable:
        if self.confirmed_by is not None and (not self.confirmed or self.confirmed_on is None):
            raise ValueError("confirmed_by goes with confirmed: true and a confirmed_on date")
        return self


class Number(_Confirmable):
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
    penalties: tuple[PenaltyType, ...]
    range: YuanRange
    source: str = Field(min_length=1)
    breached: str = Field(min_length=1)
    tiers: dict[str, YuanRange] | None = None
    tiers_source: str | None = None
    tiers_confirmed: bool = True
    tiers_confirmed_by: str | None = None

    @property
    def maximum(self) -> Decimal:
        """The highest fine the provision allows (APL art. 37 compares these)."""
        return self.range.max

    @model_validator(mode="after")
    def _tiers_named(self) -> Provision:
        for name in self.tiers or {}:
            if name not in TIERS:
                raise ValueError(f"tier {name!r} is not one of {', '.join(TIERS)}")
        if self.tiers and not self.tiers_source:
            raise ValueError("tiers need tiers_source")
        return self


class HearingThreshold(_Confirmable):
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
    """The days a rule set is in force, both ends included (``until`` None is open): it judges
    the violations committed and the acts done on those days (SPEC §5)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    from_: date = Field(alias="from")
    until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Applies:
        if self.until is not None and self.until < self.from_:
            raise ValueError("until is before from")
        return self

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls in this rule set's period."""
        return self.from_ <= day and (self.until is None or day <= self.until)


class FirstViolationEntry(_Frozen):
    """One provision of the first-violation list (不予行政处罚清单, APL art. 33 para. 1)."""

    code: str = Field(min_length=1)
    conditions: str = Field(min_length=1)
    source: str = Field(min_length=1)


class FirstViolationList(_Frozen):
    """The list of provisions on which a first, harmless, corrected violation may go unpunished;
    empty until its entries come from a source at hand."""

    source: str = Field(min_length=1)
    lookback_years: int | None = Field(default=None, ge=1)
    entries: tuple[FirstViolationEntry, ...] = ()
    note: str = ""

    def entry(self, code: str) -> FirstViolationEntry | None:
        """The list's entry for ``code``, if it lists it."""
        return next((e for e in self.entries if e.code == code), None)


class RuleSet(_Frozen):
    """The numbers, catalogues and citations in force in one date range."""

    id: str
    title: str
    applies: Applies
    # what documents cite for each act: citation key → the words printed (SPEC §5: templates
    # hold no article numbers of their own)
    citations: dict[str, str]
    uncorrected_order_required: bool = False
    recheck_working_days: Number
    first_violation: FirstViolationList
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
    # on-site seal and seize (SPEC §6 I4): their length, and the head's one extension
    seal_days: Number
    seal_extension_days: Number
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
        unknown = [e.code for e in self.first_violation.entries if e.code not in codes]
        if unknown:
            raise ValueError(f"first_violation lists codes not in the catalogue: "
                             f"{', '.join(unknown)}")
        missing = [k for k in CITATION_KEYS if k not in self.citations]
        if missing:
            raise ValueError(f"citations lacks {', '.join(missing)}")
        return self

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the rule set's canonical content (recorded with every history entry)."""
        text = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True,
                          ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def stamp(self) -> dict[str, str]:
        """What a history entry records of this rule set."""
        return {"id": self.id, "sha256": self.sha256}

    def unconfirmed(self) -> list[Unconfirmed]:
        """Every figure of this rule set that awaits the bureau's confirmation."""
        out = [Unconfirmed(self.id, name, str(getattr(value, "value", "")) or _threshold(value),
                           value.source)
               for name, value in self if isinstance(value, _Confirmable) and not value.confirmed]
        out += [Unconfirmed(self.id, f"provisions.{p.code}.tiers",
                            "、".join(f"{t} {r.min}–{r.max}" for t, r in (p.tiers or {}).items()),
                            p.tiers_source or "")
                for p in self.provisions if p.tiers and not p.tiers_confirmed]
        return out

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


class Payment(_Confirmable):
    """Where a fine is paid (APL art. 67, 罚缴分离): the bank the bureau designates, its account
    and the electronic way. Left empty (and unconfirmed) until the bureau fills it in: nothing
    is invented; a document then names the statutory way without a bank."""

    bank: str | None = None
    account_name: str | None = None
    account: str | None = None
    electronic: str | None = None
    source: str = Field(min_length=1)

    def text(self) -> str:
        """How a document says where to pay."""
        where = "到本机关指定的银行"
        if self.bank:
            where = f"到{self.bank}"
            if self.account_name and self.account:
                where += f"（户名：{self.account_name}，账号：{self.account}）"
        online = f"或者通过{self.electronic}" if self.electronic else "或者通过电子支付系统"
        return f"{where}{online}缴纳"


class Agency(_Frozen):
    """The bureau, and the court a decision names for a lawsuit."""

    name: str
    number_prefix: str
    court: str
    public_security: str = Field(min_length=1)
    procuratorate: str = Field(min_length=1)
    address: str = Field(min_length=1)
    payment: Payment
    complaint_phone: str = Field(min_length=1)
    source: str


class DatedBodies(_Frozen):
    """The bodies a decision names for reconsideration, in force from one day to another."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None
    bodies: tuple[str, ...] = Field(min_length=1)
    source: str = Field(min_length=1)

    def covers(self, day: date) -> bool:
        """Whether these bodies are the ones on ``day``."""
        return (self.from_ is None or self.from_ <= day) and (self.until is None
                                                             or day <= self.until)


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
    # the documents of inspections (SPEC §6) and the words that number them
    inspection_document_kinds: dict[str, str] = Field(default_factory=dict)
    reconsideration_bodies: tuple[DatedBodies, ...] = Field(min_length=1)
    rule_sets: tuple[RuleSet, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_document_numbered(self) -> Profile:
        missing = [k for k in ISSUED_KINDS if k not in self.document_kinds]
        if missing:
            raise ValueError(f"document_kinds lacks {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _periods_follow_each_other(self) -> Profile:
        """Rule sets in date order, each starting the day after the one before ends."""
        for before, after in zip(self.rule_sets, self.rule_sets[1:], strict=False):
            if before.applies.until is None or \
                    after.applies.from_ != before.applies.until + timedelta(days=1):
                raise ValueError(f"rule set {after.id} must start the day after {before.id} "
                                 "ends")
        return self

    def rule_set_for(self, day: date) -> RuleSet | None:
        """The rule set in force on ``day`` (for a violation, or for an act), if any."""
        return next((r for r in self.rule_sets if r.applies.covers(day)), None)

    @property
    def supported_from(self) -> date:
        """The first day any rule set covers (SPEC §5: 2021-09-01 for hengshan)."""
        return self.rule_sets[0].applies.from_

    def bodies_on(self, day: date) -> tuple[str, ...]:
        """The reconsideration bodies a decision dated ``day`` names."""
        found = next((b for b in self.reconsideration_bodies if b.covers(day)), None)
        return found.bodies if found else self.reconsideration_bodies[-1].bodies

    def unconfirmed(self) -> list[Unconfirmed]:
        """Every unconfirmed figure of every rule set, and the payment data when unconfirmed."""
        pay = self.agency.payment
        own = [] if pay.confirmed else [Unconfirmed(
            self.profile, "agency.payment", f"代收银行{pay.bank or '未填写'}、账号"
            f"{pay.account or '未填写'}", pay.source)]
        return own + [u for r in self.rule_sets for u in r.unconfirmed()]

    def rule_set(self, rule_set_id: str) -> RuleSet:
        """The rule set with this id (a case keeps the one chosen at registration)."""
        for r in self.rule_sets:
            if r.id == rule_set_id:
                return r
        raise PolicyError(f"profile {self.profile} has no rule set {rule_set_id}")


# the citations every rule set supplies to the documents (templates print these, no numbers
# of their own)
CITATION_KEYS: tuple[str, ...] = (
    "procedure", "decision_period", "defence", "hearing", "no_penalty", "no_penalty_minor",
    "no_penalty_education", "correction", "transfer",
    "preservation", "surcharge", "reminder", "enforcement", "inquiry", "sampling",
)


@dataclass(frozen=True)
class Unconfirmed:
    """A figure that awaits the bureau's confirmation: where it is, what it says, its source."""

    rule_set: str
    name: str
    value: str
    source: str

    def line(self) -> str:
        """One line for `casefiles policy check`, start-up and the head's pages."""
        return f"{self.rule_set} {self.name} = {self.value}（{self.source}）"


def _threshold(value: object) -> str:
    if isinstance(value, HearingThreshold):
        return f"个人{value.individual}元、单位{value.organisation}元"
    return ""


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
