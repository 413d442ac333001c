"""The service layer: every action goes through :meth:`Casefiles.act` — load the case in a unit
of work, judge the action, apply it, append the history entry, queue the flows' work, commit.
Replay, the CLI, the web and the flows all call this; none holds a rule of its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from casefiles.adapters.db import engine_for, is_current, migrate
from casefiles.adapters.inspection_store import InspectionStore
from casefiles.clock import Clock, SystemClock
from casefiles.domain.context import Context, Periods
from casefiles.domain.engine import Judgement, judge, new_case, rules_for
from casefiles.domain.errors import (
    CaseChangedUnderLockError,
    CaseNotFoundError,
    InvalidPersonError,
    Refusal,
    codes_of,
)
from casefiles.domain.history import BUREAU_CHAIN, Entry, make_entry
from casefiles.domain.model import Case, Person, new_id
from casefiles.domain.numbering import Numbers
from casefiles.domain.payloads import check_person
from casefiles.domain.policy import Profile, load_calendar, load_profile
from casefiles.domain.registry import ACTIONS
from casefiles.domain.states import CaseState
from casefiles.domain.timefmt import local_date
from casefiles.domain.view import case_view
from casefiles.domain.workdays import WorkCalendar
from casefiles.services.attachments import (
    Attachment,
    OperatorFileError,
    attached,
    keep,
    operator_file,
)
from casefiles.services.uow import UnitOfWork
from casefiles.settings import Settings

SYSTEM_PERSON = Person(id="system", name="系统（定时流程）", roles=["system"])


@dataclass
class Outcome:
    """What an action came to: the contract's step fields, and the case view after it."""

    action: str
    result: str
    case_id: str | None
    codes: list[str] = field(default_factory=list)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    state: str | None = None
    refusals: list[Refusal] = field(default_factory=list)
    view_of: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)
    # the case as the action left it (None when it belongs to none): callers need not read it
    case: Case | None = field(default=None, repr=False)

    @cached_property
    def view(self) -> dict[str, Any] | None:
        """The case view after the action, built when first asked for."""
        return self.view_of() if self.view_of is not None else None

    @property
    def ok(self) -> bool:
        """Accepted."""
        return self.result == "ok"

    @property
    def code(self) -> str | None:
        """The first refusal code by precedence."""
        return self.codes[0] if self.codes else None


class Casefiles:
    """The application: settings, policy, calendar, clock and the database behind them."""

    def __init__(self, settings: Settings | None = None, clock: Clock | None = None,
                 database_url: str | None = None, drill: str | None = None) -> None:
        """``drill`` names a rule set: every case this instance registers is then a drill
        judged by it whatever its dates (a scenario's ``rules:``, SPEC §5)."""
        self.settings = settings or Settings()
        self.clock: Clock = clock or SystemClock()
        self.url = database_url or self.settings.url
        self.profile: Profile = load_profile(self.settings.policies_dir, self.settings.profile)
        self.calendar: WorkCalendar = load_calendar(self.settings.policies_dir)
        if drill is not None:
            self.profile.rule_set(drill)  # PolicyError naming it when the profile has none
        self.drill = drill
        self._counted_years: set[int] = set()

    @cached_property
    def engine(self) -> Engine:
        """The database engine (created on first use)."""
        return engine_for(self.url)

    # --- set-up -------------------------------------------------------------------------------

    def init(self) -> bool:
        """Create or upgrade the schema and the system person; True when something changed."""
        changed = not is_current(self.url)
        if changed:
            migrate(self.url)
        with self.uow(write=True) as uow:
            if not uow.people.get_many([SYSTEM_PERSON.id]):
                uow.people.put(SYSTEM_PERSON, self.clock.now())
                changed = True
            uow.commit()
        return changed

    def uow(self, write: bool = False) -> UnitOfWork:
        """A new unit of work (``write``: it takes the locks it needs, see services/uow)."""
        return UnitOfWork(self.engine, write=write)

    # --- people -------------------------------------------------------------------------------

    def put_person(self, person: Person, by: str = "system",
                   password_hash: str | None = None) -> bool:
        """Create or update a person; recorded in the bureau's history chain. A new password,
        other roles or deactivation end the person's sessions and tokens. Raises
        :class:`InvalidPersonError` naming the field when the person is malformed."""
        try:
            check_person({"id": person.id, "name": person.name, "roles": person.roles,
                          "certificate": person.certificate,
                          "legal_qualification": person.legal_qualification})
        except ValueError as exc:
            raise InvalidPersonError(str(exc)) from exc
        now = self.clock.now()
        with self.uow(write=True) as uow:
            before = uow.people.get_many([person.id]).get(person.id)
            created = uow.people.put(person, now, password_hash)
            if before is not None and (password_hash is not None or before.active != person.active
                                       or set(before.roles) != set(person.roles)):
                uow.sessions.end_all(person.id)  # signed in as someone they no longer are
            payload = {"id": person.id, "name": person.name, "roles": person.roles,
                       "certificate": person.certificate,
                       "legal_qualification": person.legal_qualification,
                       "password_set": password_hash is not None}
            self._append_bureau(uow, now, by, "people.add" if created else "people.update",
                                payload, "ok", [])
            uow.commit()
        return created

    def deactivate(self, person_id: str, by: str = "system") -> None:
        """The person can no longer sign in or act, and their sessions end; their history
        stays. :class:`InvalidPersonError` for an unknown id."""
        with self.uow() as uow:
            person = uow.people.get_many([person_id]).get(person_id)
        if person is None:
            raise InvalidPersonError(f"没有人员{person_id} / no person {person_id!r}")
        self.put_person(replace(person, active=False), by)

    def people(self) -> list[Person]:
        """Everyone."""
        with self.uow() as uow:
            return uow.people.all()

    # --- actions ------------------------------------------------------------------------------

    def act(self, by: str, action: str, case_ref: str | None, payload: Any = None,
            expected_version: int | None = None,
            attachments: Mapping[str, Attachment | Refusal] | None = None,
            admit: Callable[[Case], None] | None = None) -> Outcome:
        """Take ``action`` on the case ``case_ref`` (None for ``register``) as ``by``.

        The case is read under its lock, judged, and written back with its history entry,
        its outbox items and its record rows, in one transaction; a stale
        ``expected_version`` is refused ``stale_version`` and the refusal recorded.

        ``attachments`` are the files the caller holds for the action (by form field, see
        services/attachments), kept in the evidence store only if the action is accepted; a
        payload that names a file itself is refused.

        ``admit`` sees the case as read under its lock, before it is judged, so that a caller
        need not read it first (the web's check that the person may see it); an exception it
        raises ends the transaction with nothing written."""
        self.ensure_counters(local_date(self.clock.now()).year)
        with self.uow(write=True) as uow:
            outcome = self.act_in(uow, by, action, case_ref, payload, expected_version,
                                  attachments, admit)
            uow.commit()
        return outcome

    def act_local(self, by: str, action: str, case_ref: str | None, payload: Any = None,
                  expected_version: int | None = None) -> Outcome:
        """:meth:`act` for the operator's own entrypoints (the CLI, replay): a ``file`` in the
        payload is a path on this machine, read as the evidence file (never the database or
        the data directory; a file that cannot be used is the action's recorded refusal)."""
        files: dict[str, Attachment | Refusal] = {}
        if action == "record" and isinstance(payload, dict) and payload.get("file"):
            try:
                files["file"] = operator_file(str(payload["file"]), self.settings.data_dir,
                                              self.url)
                payload = {k: v for k, v in payload.items() if k != "file"}
            except OperatorFileError as exc:
                files["file"] = Refusal("invalid_input", f"证据文件不能使用：{exc}",
                                        f"the evidence file cannot be used: {exc}", "file")
        return self.act(by, action, case_ref, payload, expected_version, files)

    def act_in(self, uow: UnitOfWork, by: str, action: str, case_ref: str | None, payload: Any,
               expected_version: int | None = None,
               attachments: Mapping[str, Attachment | Refusal] | None = None,
               admit: Callable[[Case], None] | None = None) -> Outcome:
        """:meth:`act` inside the caller's unit of work (the flows claim their work in it)."""
        now = self.clock.now()
        if action not in ACTIONS:
            bad = Refusal("invalid_input", f"未知操作{action}", f"unknown action {action!r}", "do")
            return self._refuse_bureau(uow, now, by, action, payload, [bad])
        year = local_date(now).year
        case_id = None if action == "register" else (case_ref or "")
        case, people, last = uow.read_for_action(case_id, year)
        if case is None and case_id is not None:  # a case number or an id prefix
            resolved = uow.cases.resolve(case_id)
            if resolved is not None:
                case, people, last = uow.read_for_action(resolved, year)
            if case is None:
                raise CaseNotFoundError(f"没有案件{case_ref} / no case {case_ref!r}")
        if admit is not None and case is not None:
            admit(case)
        numbers = Numbers(self.profile.agency.number_prefix, self.profile.document_kinds,
                          year, last)
        actor = people.get(by) or Person(id=by, name=by, roles=[], active=False)
        sets, uncovered = rules_for(self.profile, case, payload, local_date(now), self.drill)
        rules = sets.law
        ctx = Context(now=now, actor=actor, people=people, profile=self.profile,
                      rules=sets.procedure, law=sets.law, periods=Periods(self.calendar),
                      numbers=numbers,
                      earlier_cases=lambda code, years: uow.cases.earlier_cases(
                          code, case.id if case else "", years, local_date(now)))
        if case is not None and case.inspection:  # what I7 and the decision read (SPEC §6)
            ctx.inspection = InspectionStore(uow.conn).get(case.inspection)
        if action == "register":
            payload, linked = _inspection_of(uow, payload)
            uncovered = uncovered + linked
        if case is not None and expected_version is not None and case.version != expected_version:
            stale = Refusal("stale_version", "案件已被他人修改，请刷新后重试",
                            f"the case changed since version {expected_version}; reload it")
            j: Judgement[CaseState] = Judgement(refusals=[stale], state_before=case.state,
                                                state_after=case.state)
        else:
            payload, preflight = attached(action, payload, attachments or {})
            j = judge(case, action, payload, ctx, preflight + uncovered)
            if j.accepted and attachments:
                keep({k: a for k, a in attachments.items() if isinstance(a, Attachment)},
                     self.settings.store())
        if action == "register" and j.accepted and j.payload is not None:
            case = new_case(new_id(), self.profile.profile, j.payload, ctx,  # type: ignore[arg-type]
                            drill=sets.drill, effects=j.effects)
            j.state_after = case.state
            created = True
        else:
            created = False
        if case is None:
            return self._refuse_bureau(uow, now, by, action, payload, j.refusals, j.role,
                                       sets.stamps())
        with uow.writing():
            self._write(uow, case, j, created, now, by, action, payload, sets.stamps(),
                        numbers)
        if created and case.inspection:
            from casefiles.services.inspections import link_case
            link_case(self, uow, case.inspection, case.id, by, sets.stamps())
        return Outcome(action=action, result="ok" if j.accepted else "refused", case_id=case.id,
                       codes=codes_of(j.refusals), message=_message(j.refusals),
                       warnings=list(j.effects.warnings), state=case.state.value,
                       refusals=j.refusals, case=case,
                       view_of=lambda: case_view(case, rules, local_date(now)))

    def _write(self, uow: UnitOfWork, case: Case, j: Judgement[CaseState], created: bool,
               now: Any,
               by: str, action: str, payload: Any, rule_sets: list[dict[str, str]],
               numbers: Numbers) -> None:
        """An action's writes: its history entry, the case with its record rows, the document
        numbers it took and the flows' work."""
        self.record(uow, case, at=now, actor=by, role=j.role, action=action, payload=payload,
                    rule_sets=rule_sets,
                    result="ok" if j.accepted else "refused", codes=codes_of(j.refusals),
                    warnings=list(j.effects.warnings),
                    state_before=j.state_before.value if j.state_before else None,
                    state_after=j.state_after.value if j.state_after else None,
                    files=list(j.effects.files))
        if created:  # inserted once, at version 1, its first history entry already its head
            uow.cases.add(case)
        elif not uow.cases.save(case, bump=j.accepted):
            raise CaseChangedUnderLockError
        # a document's facts travel with its outbox item; the flow that renders it keeps them
        # in document_contents (one row here instead of two costs fewer pages at the commit)
        if j.accepted:
            uow.counters.write(numbers.year, numbers.taken)
        for kind, data in j.effects.events:
            uow.outbox.add(case.id, kind, data, now)

    def ensure_counters(self, year: int) -> None:
        """Once per year and process: every document word has its counter row for ``year``,
        so that an action can lock the year's counters before it takes a number."""
        if year in self._counted_years:
            return
        with self.uow(write=True) as uow:
            uow.counters.ensure(self.profile.document_kinds.values(), year)
            uow.commit()
        self._counted_years.add(year)

    def record(self, uow: UnitOfWork, case: Case, **fields: Any) -> Entry:
        """Append the next entry of the case's chain and move the case's head to it; it names
        the rule sets in force for the case on the entry's day unless the caller did."""
        if "rule_sets" not in fields:
            day = local_date(fields["at"])
            fields["rule_sets"] = rules_for(self.profile, case, None, day)[0].stamps()
        entry = make_entry(chain=case.id, seq=case.history_length + 1,
                           prev_hash=case.history_head, case_id=case.id, **fields)
        uow.history.append(entry)
        case.history_length, case.history_head = entry.seq, entry.hash
        return entry

    def note_bureau(self, uow: UnitOfWork, by: str, action: str, payload: Any) -> None:
        """Record an accepted act that belongs to no case (a complaint dismissed or turned
        into a case) in the bureau's chain, inside the caller's unit of work."""
        self._append_bureau(uow, self.clock.now(), by, action, payload, "ok", [])

    def _append_bureau(self, uow: UnitOfWork, now: Any, by: str, action: str, payload: Any,
                       result: str, refusals: list[Refusal], role: str | None = None,
                       rule_sets: list[dict[str, str]] | None = None) -> None:
        seq, head = uow.history.head(BUREAU_CHAIN, lock=True)
        uow.history.append(make_entry(
            chain=BUREAU_CHAIN, seq=seq + 1, prev_hash=head, case_id=None, at=now, actor=by,
            role=role, action=action, payload=payload, result=result,
            codes=codes_of(refusals), warnings=[], state_before=None, state_after=None,
            files=[], rule_sets=rule_sets))

    def _refuse_bureau(self, uow: UnitOfWork, now: Any, by: str, action: str, payload: Any,
                       refusals: list[Refusal], role: str | None = None,
                       rule_sets: list[dict[str, str]] | None = None) -> Outcome:
        self._append_bureau(uow, now, by, action, payload, "refused", refusals, role,
                            rule_sets)
        return Outcome(action=action, result="refused", case_id=None, codes=codes_of(refusals),
                       message=_message(refusals), refusals=refusals)

    # --- the database ------------------------------------------------------------------------

    def refresh_statistics(self) -> None:
        """Let SQLite's planner know the tables as they now are (ANALYZE; the daily sweep calls
        this). Without statistics it takes any index on an equality for a narrow one: with
        100,000 cases, an officer's ended cases were read through the index of all ended
        cases, 770 ms instead of 25. PostgreSQL keeps its own (autovacuum)."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.uow(write=True) as uow:
            uow.conn.exec_driver_sql("ANALYZE")
            uow.commit()

    # --- reading ------------------------------------------------------------------------------

    def case(self, case_ref: str) -> Case:
        """The case with this id, number or id prefix; :class:`CaseNotFoundError` if none."""
        with self.uow() as uow:
            case_id = uow.cases.resolve(case_ref)
            case = uow.cases.get(case_id) if case_id else None
        if case is None:
            raise CaseNotFoundError(f"没有案件{case_ref} / no case {case_ref!r}")
        return case

    def view(self, case_ref: str, today: date | None = None) -> dict[str, Any]:
        """The case view of SCENARIOS.md."""
        case = self.case(case_ref)
        rules = self.profile.rule_set(case.rule_set_id)
        return case_view(case, rules, today or local_date(self.clock.now()))

    def history(self, case_ref: str) -> list[Entry]:
        """The case's history entries in order."""
        with self.uow() as uow:
            case_id = uow.cases.resolve(case_ref)
            if case_id is None:
                raise CaseNotFoundError(f"没有案件{case_ref} / no case {case_ref!r}")
            return uow.history.chain(case_id)


def _inspection_of(uow: UnitOfWork, payload: Any) -> tuple[Any, list[Refusal]]:
    """A registration's ``inspection`` (an id or number) resolved to the inspection's id, or
    the refusal naming it when there is none."""
    if not isinstance(payload, dict) or not isinstance(payload.get("inspection"), str):
        return payload, []
    found = InspectionStore(uow.conn).resolve(payload["inspection"])
    if found is None:
        return payload, [Refusal("invalid_input", f"没有检查记录{payload['inspection']}",
                                 f"no inspection {payload['inspection']!r}", "inspection")]
    return {**payload, "inspection": found}, []


def _message(refusals: list[Refusal]) -> str:
    return "; ".join(r.message for r in refusals)
