"""The columns an inspection is stored with beside its JSON (adapters/inspection_store), on
SQLite and PostgreSQL: the unit it is grouped by, the same in the inspections' row and in
the report's events, and those events kept equal to the domain's through its actions."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select

from casefiles.adapters.inspection_store import (
    INSPECTION_EVENTS,
    INSPECTIONS,
    InspectionStore,
    event_rows,
)
from casefiles.clock import SimulatedClock
from casefiles.domain.model import Party, new_id
from casefiles.services import inspections as S
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from tests.support import MINE, PEOPLE, moment


def test_a_unit_without_a_code_has_its_name_as_key_in_the_row_and_the_events(
        db_url: str) -> None:
    """A unit held with neither 统一社会信用代码 nor 身份证号 is keyed by its name in the
    inspections' row as in the report's events (the row kept no key for it)."""
    app = Casefiles(Settings(), SimulatedClock(moment("2026-03-02T09:00")), db_url)
    app.init()
    for p in PEOPLE:
        app.put_person(p)
    made = S.act(app, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国"}).case_id
    nameless = dataclasses.replace(
        S.get(app, made or ""), id=new_id(), number="衡山应急检记〔2026〕900号",
        unit=Party(kind="organisation", name="衡山县东岭石料厂", address="衡山县东湖镇"))
    with app.uow(write=True) as uow:
        InspectionStore(uow.conn).add(nameless, date(2026, 3, 2))
        uow.commit()
    with app.engine.connect() as conn:
        row = conn.execute(select(INSPECTIONS.c.unit_code)
                           .where(INSPECTIONS.c.id == nameless.id)).scalar_one()
        event = conn.execute(select(INSPECTION_EVENTS.c.unit_code).where(
            INSPECTION_EVENTS.c.inspection_id == nameless.id,
            INSPECTION_EVENTS.c.kind == "inspection")).scalar_one()
    assert row == event == "衡山县东岭石料厂"


def _stored_events(app: Casefiles, inspection_id: str) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(INSPECTION_EVENTS).where(
            INSPECTION_EVENTS.c.inspection_id == inspection_id)).mappings()
        return sorted((dict(r) for r in rows), key=lambda r: (r["kind"], r["ref"]))


def test_the_stored_events_are_the_inspections_own_after_every_action(db_url: str) -> None:
    """Through an order, its deadline swept as missed, a recheck and a second order the rows
    of ``inspection_events`` stay those the domain gives (written as a difference now)."""
    clock = SimulatedClock(moment("2026-03-02T09:00"))
    app = Casefiles(Settings(), clock, db_url)
    app.init()
    for p in PEOPLE:
        app.put_person(p)
    insp = S.act(app, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [
            {"ref": "h1", "description": "边坡台阶高度超过设计", "level": "major",
             "fix": "deadline"},
            {"ref": "h2", "description": "警示标志缺失", "level": "general",
             "fix": "immediate"}]}).case_id or ""

    def check() -> None:
        expected = sorted(event_rows(S.get(app, insp)), key=lambda r: (r["kind"], r["ref"]))
        assert _stored_events(app, insp) == expected

    check()
    assert S.act(app, "zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-10"}).ok
    check()
    clock.set(moment("2026-03-12T09:00"))
    assert S.sweep(app) >= 1
    check()
    assert S.act(app, "li", "recheck", insp, {"officers": ["li", "zhang"], "results": [
        {"hazard": "h1", "rectified": False, "note": "未整改"}]}).ok
    check()
    missed = [r for r in _stored_events(app, insp) if r["kind"] == "deadline_missed"]
    assert S.act(app, "zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-20"}).ok
    check()  # the new order opens the deadline again: its missed row goes
    assert len([r for r in _stored_events(app, insp) if r["kind"] == "deadline_missed"]) < \
        len(missed)
