"""The table of actions: name → roles, rules and effect (SCENARIOS.md, "Roles and actions")."""

from __future__ import annotations

from casefiles.domain import actions as A
from casefiles.domain import decision as D
from casefiles.domain.actions import ActionSpec, _none, _nothing

OFFICER, HEAD, SYSTEM = ("officer",), ("head",), ("head", "system")

ACTIONS: dict[str, ActionSpec] = {
    s.name: s
    for s in (
        ActionSpec("register", OFFICER, _none, _nothing),
        ActionSpec("file", HEAD, A.check_file, A.apply_file),
        ActionSpec("decline", HEAD, _none, A.apply_decline),
        ActionSpec("record", OFFICER, A.check_record, A.apply_record, investigators_only=True),
        ActionSpec("preserve", OFFICER, A.check_preserve, A.apply_preserve,
                   investigators_only=True),
        ActionSpec("handle_preservation", OFFICER, A.check_handle_preservation,
                   A.apply_handle_preservation, investigators_only=True),
        ActionSpec("propose", OFFICER, A.check_propose, A.apply_propose,
                   investigators_only=True),
        ActionSpec("notify", OFFICER, A.check_notify, A.apply_notify, investigators_only=True),
        ActionSpec("defend", OFFICER, _none, A.apply_defend, investigators_only=True),
        ActionSpec("request_hearing", OFFICER, A.check_request_hearing,
                   A.apply_request_hearing, investigators_only=True),
        ActionSpec("schedule_hearing", HEAD, A.check_schedule_hearing, A.apply_schedule_hearing),
        ActionSpec("hold_hearing", ("host",), A.check_hold_hearing, A.apply_hold_hearing),
        ActionSpec("submit_review", OFFICER, A.check_submit_review, _nothing,
                   investigators_only=True),
        ActionSpec("review", ("reviewer",), A.check_review, A.apply_review),
        ActionSpec("discuss", HEAD, A.check_discuss, A.apply_discuss),
        ActionSpec("extend", HEAD, _none, A.apply_extend),
        ActionSpec("decide", HEAD, D.check_decide, D.apply_decide),
        ActionSpec("serve", OFFICER, _none, D.apply_serve, investigators_only=True),
        ActionSpec("publish", SYSTEM, D.check_publish, D.apply_publish),
        ActionSpec("pay", OFFICER, D.check_pay, D.apply_pay, investigators_only=True),
        ActionSpec("instalments", HEAD, D.check_instalments, D.apply_instalments),
        ActionSpec("remind", OFFICER, D.check_remind, D.apply_remind, investigators_only=True),
        ActionSpec("apply_enforcement", HEAD, D.check_apply_enforcement,
                   D.apply_apply_enforcement),
        ActionSpec("close", HEAD, D.check_close, D.apply_close),
        ActionSpec("archive", OFFICER, _none, D.apply_archive, investigators_only=True),
        ActionSpec("revoke", HEAD, D.check_revoke, D.apply_revoke),
        ActionSpec("appeal", OFFICER, D.check_appeal, D.apply_appeal),
        ActionSpec("withdraw", SYSTEM, D.check_withdraw, D.apply_withdraw),
        ActionSpec("terminate", HEAD, _none, A.apply_terminate),
    )
}
