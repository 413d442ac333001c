"""Inspections through the service layer (SPEC §6): every inspection action — accepted or
refused — is judged in one transaction and written with its entry in the inspection's own
hash chain (chain = the inspection's id), like a case's. Replay, the CLI and the web call
:func:`act`; none holds a rule of its own."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from casefiles.adapters.inspection_store import InspectionStore
from casefiles.domain import inspections as I
from casefiles.domain.context import Context, Periods
from casefiles.domain.errors import CaseNotFoundError, Refusal, codes_of
from casefiles.domain.history import Entry, make_entry
from casefiles.domain.model import Person, new_id
from casefiles.domain.numbering import Numbers
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles, Outcome
from casefiles.services.uow import UnitOfWork


class InspectionNotFoundError(CaseNotFoundError):
    """No inspection has this id or number."""


def _rules(app: Casefiles, insp: I.Inspection | None, today: date) -> Any:
    """The rule set of the act's date (a drill's own, whatever its dates)."""
    pinned = insp.rule_set_id if insp is not None and insp.drill else app.drill
    if pinned is not None:
        return app.profile.rule_set(pinned), True
    found = app.profile.rule_set_for(today)
    return found or app.profile.rule_sets[-1], False


def rule_stamps(app: Casefiles, insp: I.Inspection, today: date) -> list[dict[str, str]]:
    """What an entry the system writes in the inspection's chain (a sweep, a document stored)
    records of the rule set of ``today``."""
    return [_rules(app, insp, today)[0].stamp()]


def context(app: Casefiles, uow: UnitOfWork, by: str, insp: I.Inspection | None,
            year: int) -> tuple[Context, Numbers, bool]:
    """What an inspection action is judged against, with the document numbers it may take."""
    now = app.clock.now()
    people = {p.id: p for p in uow.people.all()}
    last = {str(r[0]): int(r[1]) for r in uow.conn.execute(
        uow.counters.OF_YEAR, {"year": year})}
    numbers = Numbers(app.profile.agency.number_prefix, app.profile.inspection_document_kinds,
                      year, last)
    rules, drill = _rules(app, insp, local_date(now))
    actor = people.get(by) or Person(id=by, name=by, roles=[], active=False)
    ctx = Context(now=now, actor=actor, people=people, profile=app.profile, rules=rules,
                  periods=Periods(app.calendar), numbers=numbers)
    return ctx, numbers, drill


def act(app: Casefiles, by: str, action: str, ref: str | None, payload: Any = None,
        expected_version: int | None = None) -> Outcome:
    """Take an inspection ``action`` on the inspection ``ref`` (None for ``inspect``)."""
    now = app.clock.now()
    today = local_date(now)
    with app.uow(write=True) as uow:
        store = InspectionStore(uow.conn)
        insp = None
        if action != "inspect":
            found = store.resolve(ref or "")
            insp = store.get(found, lock=True) if found else None
            if insp is None:
                raise InspectionNotFoundError(f"没有检查记录{ref} / no inspection {ref!r}")
        ctx, numbers, drill = context(app, uow, by, insp, today.year)
        if insp is not None and expected_version is not None and \
                insp.version != expected_version:
            j = I.Judgement(refusals=[Refusal("stale_version", "检查记录已被他人修改，请刷新后重试",
                                              "the inspection changed; reload it")],
                            state_before=insp.state, state_after=insp.state)
        else:
            j = I.judge(insp, action, payload, ctx)
        created = False
        if action == "inspect" and j.accepted and j.payload is not None:
            insp = I.new_inspection(new_id(), app.profile.profile, j.payload,  # type: ignore[arg-type]
                                    ctx, j.effects, drill=drill)
            for w in j.effects.warnings:
                insp.warn(w)
            j.state_after, created = insp.state, True
        rule_sets = [ctx.rules._rules.stamp()]  # type: ignore[attr-defined]
        if insp is None:
            app._append_bureau(uow, now, by, action, payload, "refused", j.refusals, j.role,
                               rule_sets)
            uow.commit()
            return Outcome(action=action, result="refused", case_id=None,
                           codes=codes_of(j.refusals), message=_message(j.refusals),
                           refusals=j.refusals)
        record(uow, insp, at=now, actor=by, role=j.role, action=action, payload=payload,
               rule_sets=rule_sets, result="ok" if j.accepted else "refused",
               codes=codes_of(j.refusals), warnings=list(j.effects.warnings),
               state_before=j.state_before, state_after=j.state_after, files=[])
        if created:
            store.add(insp, today)
        elif not store.save(insp, today, bump=j.accepted):
            raise RuntimeError("the inspection changed under its lock")
        if j.accepted:
            uow.counters.write(numbers.year, numbers.taken)
        for kind, data in j.effects.events:  # the documents flow renders each (SPEC §6)
            uow.outbox.add(None, kind, data, now)
        uow.commit()
    final = insp
    return Outcome(action=action, result="ok" if j.accepted else "refused", case_id=insp.id,
                   codes=codes_of(j.refusals), message=_message(j.refusals),
                   warnings=list(j.effects.warnings), state=insp.state, refusals=j.refusals,
                   view_of=lambda: I.inspection_view(final, today))


def record(uow: UnitOfWork, insp: I.Inspection, **fields: Any) -> Entry:
    """Append the next entry of the inspection's chain and move its head to it."""
    entry = make_entry(chain=insp.id, seq=insp.history_length + 1,
                       prev_hash=insp.history_head, case_id=None, **fields)
    uow.history.append(entry)
    insp.history_length, insp.history_head = entry.seq, entry.hash
    return entry


def link_case(app: Casefiles, uow: UnitOfWork, inspection_id: str, case_id: str, by: str,
              rule_sets: list[dict[str, str]]) -> None:
    """A case registered from the inspection (I7): the inspection lists it, and its chain
    records the link."""
    store = InspectionStore(uow.conn)
    insp = store.get(inspection_id, lock=True)
    if insp is None:
        return
    insp.cases.append(case_id)
    record(uow, insp, at=app.clock.now(), actor=by, role="officer", action="register",
           payload={"case": case_id}, rule_sets=rule_sets, result="ok", codes=[],
           warnings=[], state_before=insp.state, state_after=insp.state, files=[])
    store.save(insp, local_date(app.clock.now()))


def get(app: Casefiles, ref: str) -> I.Inspection:
    """The inspection with this id, number or id prefix."""
    with app.uow() as uow:
        store = InspectionStore(uow.conn)
        found = store.resolve(ref)
        insp = store.get(found) if found else None
    if insp is None:
        raise InspectionNotFoundError(f"没有检查记录{ref} / no inspection {ref!r}")
    return insp


def view(app: Casefiles, ref: str, today: date | None = None) -> dict[str, Any]:
    """The inspection view of SCENARIOS.md."""
    return I.inspection_view(get(app, ref), today or local_date(app.clock.now()))


def history(app: Casefiles, ref: str) -> list[Entry]:
    """The inspection's history entries in order."""
    insp = get(app, ref)
    with app.uow() as uow:
        return uow.history.chain(insp.id)


def _message(refusals: list[Refusal]) -> str:
    return "; ".join(r.message for r in refusals)


DEADLINE_LABELS = {"rectification": "整改期限", "recheck": "复查期限", "measures": "查封扣押期限"}


def upcoming(app: Casefiles, within_days: int = 14, officer: str | None = None,
             limit: int = 5000) -> list[dict[str, Any]]:
    """Undone inspection deadlines (rectification, recheck, seal or seize) due within
    ``within_days`` or already missed, soonest first; one officer's only when named."""
    today = local_date(app.clock.now())
    horizon = today + timedelta(days=within_days)
    with app.uow() as uow:
        store = InspectionStore(uow.conn)
        ids = [r["id"] for r in store.due_by(horizon, officer=officer, limit=limit)]
        found = [store.get(i) for i in ids]
    rows = []
    for insp in found:
        if insp is None or (insp.drill and not app.settings.show_drills):
            continue
        for d in insp.deadlines:
            if d.done_on is None and not d.not_applicable and d.due <= horizon:
                rows.append({"inspection_id": insp.id, "number": insp.number,
                             "unit": insp.unit.name, "state": insp.state, "kind": d.kind,
                             "label": DEADLINE_LABELS.get(d.kind, d.kind),
                             "due": d.due.isoformat(), "status": d.status(today)})
    return sorted(rows, key=lambda r: (r["due"], r["number"]))


def _to_mark(insp: I.Inspection | None, today: date) -> list[str]:
    """The kinds of the inspection's deadlines passed undone and not yet marked missed."""
    return [] if insp is None else [d.kind for d in insp.deadlines if d.done_on is None
                                    and not d.missed and not d.not_applicable and d.due < today]


def sweep(app: Casefiles) -> int:
    """Mark inspection deadlines passed undone as missed, each in the inspection's chain;
    how many were marked."""
    now = app.clock.now()
    today = local_date(now)
    with app.uow() as uow:  # those with a deadline to mark, read before any write lock
        store = InspectionStore(uow.conn)
        ids = [r["id"] for r in store.due_by(today - timedelta(days=1))
               if _to_mark(store.get(r["id"]), today)]
    marked = 0
    for inspection_id in ids:
        with app.uow(write=True) as uow:
            store = InspectionStore(uow.conn)
            insp = store.get(inspection_id, lock=True)
            if insp is None:
                continue
            kinds = _to_mark(insp, today)
            if not kinds:
                continue
            for d in insp.deadlines:
                if d.kind in kinds:
                    d.missed = True
            record(uow, insp, at=now, actor="system", role="system", action="sweep",
                   payload={"missed": kinds}, result="ok", codes=[], warnings=[],
                   state_before=insp.state, state_after=insp.state, files=[],
                   rule_sets=rule_stamps(app, insp, today))
            if store.save(insp, today):
                uow.commit()
                marked += len(kinds)
    return marked


def head_items(app: Casefiles) -> list[dict[str, Any]]:
    """What inspections ask of the head: each major hazard still open (挂牌督办), and each
    seal or seize in force or past its last day (extend once, or lift)."""
    today = local_date(app.clock.now())
    with app.uow() as uow:
        store = InspectionStore(uow.conn)
        found = [store.get(i) for i in store.for_head()]
    items = []
    for insp in found:
        if insp is None:
            continue
        steps = [f"查封、扣押申请{r.no}：{_asked(r)}，待批准" for r in insp.requests
                 if r.status == "pending"]
        if insp.major_hazard and insp.state != "closed":
            steps.append("重大事故隐患：挂牌督办")
        for m in insp.measures:
            if m.until is not None and m.lifted_at is None:
                left = "已届满" if today > m.until else f"至{m.until.isoformat()}"
                steps.append(f"{I.MEASURE_TYPES[m.type]}{m.ref}（{m.object}）{left}：延长或解除")
        if steps:
            items.append({"inspection_id": insp.id, "number": insp.number,
                          "unit": insp.unit.name, "state": insp.state,
                          "major_hazard": insp.major_hazard, "steps": steps})
    return items


def _asked(r: I.MeasureRequest) -> str:
    return "、".join(f"{I.MEASURE_TYPES[m['type']]}{m['object']}" for m in r.measures)


def pending_approvals(app: Casefiles, limit: int = 200) -> list[dict[str, Any]]:
    """The seals and seizes officers asked for that wait for the head (行政强制法 art. 18),
    one row per request, the longest waiting first."""
    with app.uow() as uow:
        store = InspectionStore(uow.conn)
        found = [store.get(i) for i in store.awaiting_approval(limit)]
        names = {p.id: p.name for p in uow.people.all()}
    rows = [{"inspection_id": insp.id, "number": insp.number, "unit": insp.unit.name,
             "request": r.no, "asked": _asked(r),
             "requested_by": names.get(r.requested_by, r.requested_by),
             "requested_at": r.requested_at}
            for insp in found if insp is not None
            for r in insp.requests if r.status == "pending"]
    return sorted(rows, key=lambda r: r["requested_at"])


def register_case(app: Casefiles, by: str, ref: str) -> Outcome:
    """Register a case from an inspection in one step (SPEC §6 I7): its unit as the party,
    its unrectified hazards as the summary, the violation from the day after the order's
    deadline to the recheck that found it. Judged like any ``register``."""
    insp = get(app, ref)
    g = I.grounds(insp)
    left = [h for h in insp.hazards if h.status == "unrectified"]
    u = insp.unit
    party = {k: v for k, v in {"kind": u.kind, "name": u.name, "address": u.address,
                               "credit_code": u.credit_code, "id_number": u.id_number,
                               "phone": u.phone, "legal_rep": u.legal_rep}.items()
             if v is not None}
    payload: dict[str, Any] = {
        "source": "inspection", "sector": insp.sector, "party": party, "inspection": insp.id,
        "summary": "责令限期整改逾期未整改：" + "；".join(h.description for h in left)
        if left else f"现场检查发现：{'；'.join(h.description for h in insp.hazards)}",
        "violation_date": (g["deadline"] + timedelta(days=1)).isoformat()
        if g and g["unrectified"] else local_date(insp.inspected_at).isoformat()}
    if g and g["unrectified"] and g["rechecked_on"] is not None:
        payload["violation_ended"] = g["rechecked_on"].isoformat()
    return app.act(by, "register", None, payload)


def head_count(app: Casefiles) -> int:
    """How many inspections wait for the head (read from the index alone, for the queue)."""
    with app.uow() as uow:
        return len(InspectionStore(uow.conn).for_head())
