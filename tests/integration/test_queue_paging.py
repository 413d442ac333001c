"""The queues read cases a batch at a time until a page is full (``services.lists.waiting``):
on SQLite and PostgreSQL, every waiting case is found once, oldest first, whatever the batch."""

from __future__ import annotations

from casefiles.domain.model import Case
from casefiles.services import lists as Q
from tests.support import act, open_bureau, register


def test_every_waiting_case_is_found_once_in_order_across_batches_and_pages(
        db_url: str) -> None:
    cf, clock = open_bureau(db_url)
    waiting = []
    for i in range(11):
        at = f"2020-06-0{2 + i // 4}T{10 + i % 4}:00"
        case_id = act(cf, clock, at, "zhang", "register", None, register()).case_id
        assert case_id is not None
        if i % 4 == 1:  # filed, so no longer waiting for filing approval
            assert act(cf, clock, at.replace(":00", ":30"), "zhao", "file", case_id,
                       {"investigators": ["zhang", "li"], "cause": "未培训"}).ok
        else:
            waiting.append(case_id)

    def step(case: Case) -> str:
        return "立案审批" if case.state.value == "registered" else ""

    for batch in (1, 2, 5, 200):
        pages = []
        page = 1
        while True:
            found = Q.waiting(cf, Q.in_states(["registered", "investigating"]), step,
                              ("test", db_url, batch), page, size=3, batch=batch)
            pages.append([r["id"] for r in found.rows])
            assert all(r["todo"] == "立案审批" for r in found.rows)
            if not found.has_next:
                break
            page += 1
        assert [i for p in pages for i in p] == waiting, batch
        assert [len(p) for p in pages] == [3, 3, 2]
