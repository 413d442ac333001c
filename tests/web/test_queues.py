"""The queues: what waits for the head, for the legal reviewer and for the hearing host."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import or_, select

from casefiles.adapters.repository import CASES
from casefiles.clock import SimulatedClock
from casefiles.domain.engine import may_take
from casefiles.domain.queues import head_step
from casefiles.domain.timefmt import local_date
from casefiles.services import lists as Q
from casefiles.services.app import Casefiles
from tests.support import MAJOR_FINE, SMALL_FINE, START, act, play, register, until
from tests.web.conftest import Bureau, sign_in


def _row(page: str, case_id: str) -> str:
    return page.split(case_id)[1].split("</tr>")[0]


def test_the_head_queue_names_the_step_each_case_waits_for(bureau: Bureau,
                                                           client: TestClient) -> None:
    """A registered case waits for filing; a case whose review passed waits for discussion and
    decision; a filed case far from its deadline waits for nothing of the head's."""
    reviewed = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "review"))
    fresh = act(bureau.cf, bureau.clock, "2020-06-18T10:00", "zhang", "register", None,
                register()).case_id
    filed = act(bureau.cf, bureau.clock, "2020-06-18T11:00", "zhang", "register", None,
                register()).case_id
    assert act(bureau.cf, bureau.clock, "2020-06-18T12:00", "zhao", "file", filed,
               {"investigators": ["zhang", "li"], "cause": "未培训"}).ok
    sign_in(client, "zhao")
    page = client.get("/queue/head").text
    assert "立案审批" in _row(page, fresh)
    assert "集体讨论 / 作出决定" in _row(page, reviewed)
    assert filed not in page


def test_the_head_is_asked_to_decide_or_extend_as_the_decision_deadline_nears(
        bureau: Bureau, client: TestClient) -> None:
    """Within the due-soon days of the 90-day decision deadline the head sees the case with
    the choice to decide or extend."""
    case_id = play(bureau.cf, bureau.clock, until(SMALL_FINE, "record"))
    bureau.clock.set(bureau.clock.now().replace(month=8, day=27))
    sign_in(client, "zhao")
    assert "作出决定或延长" in _row(client.get("/queue/head").text, case_id)


def test_the_host_sees_the_hearings_to_hold(bureau: Bureau, client: TestClient) -> None:
    """The scheduled host finds the hearing with its time; another person holds no host role."""
    case_id = play(bureau.cf, bureau.clock, until(MAJOR_FINE, "schedule_hearing"))
    sign_in(client, "chen")
    assert "2020-06-16 09:00" in _row(client.get("/queue/hearings").text, case_id)
    sign_in(client, "wang")
    assert client.get("/queue/hearings").status_code == 403


def test_every_case_waiting_for_the_head_is_found_page_after_page(bureau: Bureau,
                                                                  client: TestClient) -> None:
    """More cases wait than a page holds, some behind older cases that wait for nothing of
    the head's: the queue pages through every one of them, oldest first, none twice."""
    cf, clock = bureau.cf, bureau.clock
    waiting: list[str] = []
    for i in range(60):
        at = f"2020-06-{2 + i // 10:02d}T{9 + i % 10:02d}:00"
        case_id = act(cf, clock, at, "zhang", "register", None, register()).case_id
        assert case_id is not None
        if i % 13 == 0:  # filed: waits for its investigation, not for the head
            assert act(cf, clock, at.replace(":00", ":30"), "zhao", "file", case_id,
                       {"investigators": ["zhang", "li"], "cause": "未培训"}).ok
        else:
            waiting.append(case_id)
    sign_in(client, "zhao")
    first, second = client.get("/queue/head").text, client.get("/queue/head?page=2").text
    assert "下一页" in first and "下一页" not in second
    shown = [i for page in (first, second) for i in _ids_in(page)]
    assert shown == waiting and len(first.split('<tr class')) - 1 == 50
    # what the queue remembered of a case is forgotten when the case changes
    assert act(cf, clock, "2020-06-08T09:00", "zhao", "file", waiting[0],
               {"investigators": ["zhang", "li"], "cause": "未培训"}).ok
    assert _ids_in(client.get("/queue/head").text)[0] == waiting[1]


def _ids_in(page: str) -> list[str]:
    return re.findall(r'href="/cases/([0-9a-f-]{36})"', page)


def test_the_head_candidates_hold_every_case_the_head_is_asked_about(
        bureau: Bureau) -> None:
    """The list reads only the candidates (states, and the index of near decision
    deadlines). At every step of three cases, and as the clock runs past the decision
    deadline, every case the domain says waits for the head is among them."""
    cf = bureau.cf
    for steps in (MAJOR_FINE, SMALL_FINE, until(SMALL_FINE, "record")):
        clock = SimulatedClock(START)  # each case lives through the same weeks
        cf.clock = clock
        case_id = None
        for at, by, action, payload in steps:
            case_id = act(cf, clock, at, by, action, case_id, payload).case_id
            _asked_and_candidates(cf)
    investigating_asked = False
    for _ in range(40):
        clock.set(clock.now() + timedelta(days=3))
        asked = _asked_and_candidates(cf)
        investigating_asked |= any(cf.view(i)["state"] == "investigating" for i in asked)
    assert investigating_asked


def _asked_and_candidates(cf: Casefiles) -> set[str]:
    """The cases the domain says wait for the head ``zhao``; asserts the candidates hold them."""
    today = local_date(cf.clock.now())
    near = today + timedelta(days=cf.settings.due_soon_days)
    with cf.uow() as uow:
        cases = [uow.cases.get(i) for i in uow.cases.ids()]
    zhao = next(p for p in cf.people() if p.id == "zhao")
    asked = {c.id for c in cases if c is not None
             and head_step(c, cf.profile.rule_set(c.rule_set_id), today,
                           may_take(zhao, "decide", c), near)}
    with cf.uow() as uow:
        candidates = {r[0] for r in uow.conn.execute(
            select(CASES.c.id).where(or_(*Q.head_candidates(near))))}
    assert asked <= candidates
    return asked
