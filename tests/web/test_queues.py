"""The queues: what waits for the head, for the legal reviewer and for the hearing host."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import MAJOR_FINE, SMALL_FINE, act, play, register, until
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
