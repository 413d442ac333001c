"""One service function per action of SCENARIOS.md, for callers that prefer a named function
to ``Casefiles.act``. Each takes the application, the acting person's id, the case (id or
number; none for ``register``), the payload and, optionally, the version the caller saw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from casefiles.services.app import Casefiles, Outcome


class CaseAction(Protocol):
    """The signature every action function shares."""

    __name__: str

    def __call__(self, cf: Casefiles, by: str, case: str | None,
                 payload: dict[str, Any] | None = None,
                 expected_version: int | None = None) -> Outcome: ...


def _action(name: str, doc: str) -> CaseAction:
    def run(cf: Casefiles, by: str, case: str | None, payload: dict[str, Any] | None = None,
            expected_version: int | None = None) -> Outcome:
        return cf.act(by, name, case, payload or {}, expected_version)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = doc
    return run


register = _action("register", "案源登记: an officer registers a case source → registered.")
file = _action("file", "立案: the head files the case with two certified investigators.")
decline = _action("decline", "不予立案: the head declines to file → not_filed.")
record = _action("record", "调查取证: an investigator records evidence with two officers present.")
propose = _action("propose", "拟处理意见: violations and penalties proposed; flags derived.")
notify = _action("notify", "告知: the notice (and hearing notice) is served → notified.")
defend = _action("defend", "陈述申辩: the party's statement, or written waiver.")
request_hearing = _action("request_hearing", "申请听证: the party asks for a hearing.")
schedule_hearing = _action("schedule_hearing", "安排听证: host, time and place → hearing.")
hold_hearing = _action("hold_hearing", "举行听证: held with its record, or waived by absence.")
submit_review = _action("submit_review", "提交法制审核 → legal_review.")
review = _action("review", "法制审核: pass, or return to investigating, with nine answers.")
discuss = _action("discuss", "集体讨论: at least three attendees and a conclusion.")
extend = _action("extend", "延长办案期限: the head lengthens the decision period.")
decide = _action("decide", "作出决定: penalty, no penalty or transfer → decided.")
serve = _action("serve", "送达: the decision is served → served; payment falls due.")
publish = _action("publish", "公示: the penalty decision is published, masked.")
pay = _action("pay", "缴款: a payment against fine, then surcharge → executing.")
instalments = _action("instalments", "延期或分期缴纳: the head approves new due dates.")
remind = _action("remind", "催告: a written reminder → executing.")
apply_enforcement = _action("apply_enforcement", "申请法院强制执行 after the periods.")
close = _action("close", "结案: the head closes the case → closed.")
archive = _action("archive", "归档: the dossier is sealed → archived.")
revoke = _action("revoke", "撤销决定: the decision is revoked; its publication must go.")
withdraw = _action("withdraw", "撤回公示 of a revoked decision.")
terminate = _action("terminate", "终止调查 / 撤销立案 → terminated.")

BY_NAME: dict[str, Callable[..., Outcome]] = {
    f.__name__: f for f in (register, file, decline, record, propose, notify, defend,
                            request_hearing, schedule_hearing, hold_hearing, submit_review,
                            review, discuss, extend, decide, serve, publish, pay, instalments,
                            remind, apply_enforcement, close, archive, revoke, withdraw,
                            terminate)
}
